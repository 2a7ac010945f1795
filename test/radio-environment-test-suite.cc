/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the radio environment (RadioEnvironmentHelper): Jakes fading correlated
 * in time as Clarke's model says and i.i.d. fading not at all, 3GPP shadowing correlated in
 * space as TR 38.901 says, mobility bounded to the deployment area at the right speed, the
 * paper's channel unchanged, fixed streams, bad options rejected, and split training on it.
 */

#include "small-scenario.h"

#include "ns3/channel-condition-model.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/mobility-model.h"
#include "ns3/node.h"
#include "ns3/three-gpp-propagation-loss-model.h"

#include <boost/math/special_functions/bessel.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <unistd.h>

using namespace ns3;

namespace
{

/// A scenario with the radio options under test (its drop is not used; ISD 500 m).
SplitTrainingScenario
RadioScenario(const std::string& channel,
              const std::string& fading,
              const std::string& mobility,
              double speedMps)
{
    SplitTrainingScenario sc;
    sc.channel = channel;
    sc.fading = fading;
    sc.mobility = mobility;
    sc.speedMps = speedMps;
    sc.drop.interSiteDistanceM = 500;
    return sc;
}

/// `n` positions around (cx, cy) at distances spread over [minM, maxM], angles spread evenly.
std::vector<std::pair<double, double>>
Around(uint32_t n, double cx, double cy, double minM, double maxM)
{
    std::vector<std::pair<double, double>> positions;
    const double golden = M_PI * (3 - std::sqrt(5.0)); // spreads the angles evenly
    for (uint32_t i = 0; i < n; ++i)
    {
        const double r = minM + (maxM - minM) * (i % 97) / 96.0;
        positions.emplace_back(cx + r * std::cos(golden * i), cy + r * std::sin(golden * i));
    }
    return positions;
}

/// Pearson correlation of two samples of the same size.
double
Correlation(const std::vector<double>& a, const std::vector<double>& b)
{
    const double n = a.size();
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

double
Mean(const std::vector<double>& a)
{
    return std::accumulate(a.begin(), a.end(), 0.0) / a.size();
}

double
StdDev(const std::vector<double>& a)
{
    const double m = Mean(a);
    double s = 0;
    for (double x : a)
    {
        s += (x - m) * (x - m);
    }
    return std::sqrt(s / (a.size() - 1));
}

Ptr<MobilityModel>
Mobility(const NodeContainer& nodes, uint32_t i)
{
    return nodes.Get(i)->GetObject<MobilityModel>();
}

} // namespace

/**
 * Fast fading in time: the power gain |h|² of a Rayleigh channel with Clarke's Doppler
 * spectrum has the normalised autocovariance J0²(2π f_D τ) (J0(2π f_D τ) for the complex gain h).
 * Sampled over 1,000 links × 40 instants 0.1 s apart (≈ 17/f_D: nearly independent), the
 * correlation estimate has a standard error of ≈ 0.01; ns-3's Jakes sum of 20 sinusoids adds a
 * bias below 0.01 at these lags. Tolerance 0.05. The i.i.d. model must show no correlation at
 * the same lags (|ρ| < 0.05): that is what "per-frame i.i.d." means.
 */
class FadingTimeCorrelationTestCase : public TestCase
{
  public:
    /// @param fading jakes or iid-rayleigh
    explicit FadingTimeCorrelationTestCase(const std::string& fading)
        : TestCase("--fading=" + fading + ": power autocorrelation " +
                   (fading == "jakes" ? "J0²(2π f_D τ)" : "0") + " over 1,000 links"),
          m_fading(fading)
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t links = 1000;
        const uint32_t instants = 40;
        SplitTrainingScenario sc = RadioScenario("log-distance", m_fading, "static", 15.0);
        NodeContainer servers(1);
        NodeContainer devices(links);
        RadioEnvironmentHelper radio;
        radio.Install(sc, {{0, 0}}, Around(links, 0, 0, 50, 150), servers, devices);
        radio.AssignStreams(1000);
        const double fD = 15.0 * 3.5e9 / 299792458.0; // 175.1 Hz
        if (m_fading == "jakes")
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(radio.GetDopplerFrequencyHz(), fD, 1e-9, "f_D = v f_c / c");
        }
        Ptr<PropagationLossModel> fading = radio.GetFastFading();
        NS_TEST_ASSERT_MSG_NE(fading, nullptr, "a fast-fading model");
        const std::vector<double> lags{0.5, 1.0, 1.5, 2.405}; // 2π f_D τ (2.405: J0's first zero)
        // power[0]: at t; power[j + 1]: at t + τ_j (linear, relative to the transmit power)
        std::vector<std::vector<double>> power(lags.size() + 1);
        auto sample = [&](std::size_t which) {
            for (uint32_t i = 0; i < links; ++i)
            {
                const double db =
                    fading->CalcRxPower(0, Mobility(devices, i), Mobility(servers, 0));
                power[which].push_back(std::pow(10.0, db / 10));
            }
        };
        for (uint32_t k = 0; k < instants; ++k)
        {
            const double t = 0.5 + 0.1 * k;
            Simulator::Schedule(Seconds(t), [&sample]() { sample(0); });
            for (std::size_t j = 0; j < lags.size(); ++j)
            {
                Simulator::Schedule(Seconds(t + lags[j] / (2 * M_PI * fD)),
                                    [&sample, j]() { sample(j + 1); });
            }
        }
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ_TOL(Mean(power[0]), 1.0, 0.05, "mean power gain 1 (0 dB)");
        for (std::size_t j = 0; j < lags.size(); ++j)
        {
            const double rho = Correlation(power[0], power[j + 1]);
            const double j0 = boost::math::cyl_bessel_j(0, lags[j]);
            const double expected = m_fading == "jakes" ? j0 * j0 : 0.0;
            NS_TEST_EXPECT_MSG_EQ_TOL(rho,
                                      expected,
                                      0.05,
                                      "2π f_D τ = " << lags[j] << ": correlation " << rho
                                                    << ", expected " << expected);
        }
    }

    std::string m_fading; //!< fading under test
};

/**
 * Shadowing in space (3GPP): with the channel condition fixed at LOS (isolating the shadowing),
 * the shadowing of 2,000 links is the loss minus the deterministic path loss (the same model
 * without shadowing). Moving every device 1 m, the correlation of the shadowing before and
 * after is exp(−1/d_corr) (standard error (1 − ρ²)/√2000 ≤ 0.004, tolerance 0.02); moving it
 * another 200 m, it is exp(−200/d_corr) ≈ 0 (standard error 0.022, tolerance 0.08). Its standard
 * deviation is the 3GPP LOS value (standard error ≈ 1.6 %, tolerance 5 %).
 */
class ShadowingSpaceCorrelationTestCase : public TestCase
{
  public:
    /**
     * @param channel 3gpp-uma or 3gpp-umi
     * @param correlationM LOS correlation distance (TR 38.901 Table 7.5-6), m
     * @param sigmaDb LOS shadowing standard deviation (TR 38.901 Table 7.4.1-1), dB
     */
    ShadowingSpaceCorrelationTestCase(const std::string& channel,
                                      double correlationM,
                                      double sigmaDb)
        : TestCase("--channel=" + channel + ": shadowing correlated at 1 m, not at 200 m"),
          m_channel(channel),
          m_correlationM(correlationM),
          m_sigmaDb(sigmaDb)
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t links = 2000;
        SplitTrainingScenario sc = RadioScenario(m_channel, "none", "static", 1.4);
        NodeContainer servers(1);
        NodeContainer devices(links);
        RadioEnvironmentHelper radio;
        radio.Install(sc, {{0, 0}}, Around(links, 0, 0, 30, 150), servers, devices);
        auto loss = DynamicCast<ThreeGppPropagationLossModel>(radio.GetLargeScaleLoss());
        NS_TEST_ASSERT_MSG_NE(loss, nullptr, "a 3GPP loss model");
        NS_TEST_ASSERT_MSG_NE(radio.GetChannelConditionModel(), nullptr, "a condition model");
        auto los = CreateObject<AlwaysLosChannelConditionModel>();
        loss->SetAttribute("ChannelConditionModel", PointerValue(los));
        radio.AssignStreams(1000);
        Ptr<ThreeGppPropagationLossModel> pathLoss;
        if (m_channel == "3gpp-uma")
        {
            pathLoss = CreateObject<ThreeGppUmaPropagationLossModel>();
        }
        else
        {
            pathLoss = CreateObject<ThreeGppUmiStreetCanyonPropagationLossModel>();
        }
        pathLoss->SetAttribute("Frequency", DoubleValue(sc.frequencyHz));
        pathLoss->SetAttribute("ShadowingEnabled", BooleanValue(false));
        pathLoss->SetAttribute("ChannelConditionModel", PointerValue(los));
        auto shadowing = [&]() {
            std::vector<double> s;
            for (uint32_t i = 0; i < links; ++i)
            {
                auto a = Mobility(devices, i);
                auto b = Mobility(servers, 0);
                s.push_back(pathLoss->CalcRxPower(0, a, b) - loss->CalcRxPower(0, a, b));
            }
            return s;
        };
        auto moveAway = [&](double metres) {
            for (uint32_t i = 0; i < links; ++i)
            {
                auto m = Mobility(devices, i);
                Vector p = m->GetPosition();
                const double r = std::hypot(p.x, p.y);
                m->SetPosition(Vector(p.x * (r + metres) / r, p.y * (r + metres) / r, p.z));
            }
        };
        const auto s0 = shadowing();
        moveAway(1);
        const auto s1 = shadowing();
        moveAway(200);
        const auto s2 = shadowing();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ_TOL(StdDev(s0) / m_sigmaDb,
                                  1.0,
                                  0.05,
                                  "shadowing std " << StdDev(s0));
        NS_TEST_EXPECT_MSG_EQ_TOL(Mean(s0), 0.0, 0.4, "zero-mean shadowing");
        const double near = Correlation(s0, s1);
        const double far = Correlation(s1, s2);
        NS_TEST_EXPECT_MSG_EQ_TOL(near,
                                  std::exp(-1 / m_correlationM),
                                  0.02,
                                  "1 m: correlation " << near);
        NS_TEST_EXPECT_MSG_EQ_TOL(far,
                                  std::exp(-200 / m_correlationM),
                                  0.08,
                                  "200 m: correlation " << far);
    }

    std::string m_channel; //!< channel under test
    double m_correlationM; //!< expected correlation distance, m
    double m_sigmaDb;      //!< expected standard deviation, dB
};

/**
 * Mobility: 20 devices at 15 m/s for 600 s stay inside the deployment area (the servers'
 * bounding box grown by one inter-site distance) at the UT height, really move, and move at
 * --speed on average (random-walk and random-waypoint: exactly, tolerance 1 %; Gauss-Markov:
 * its mean speed; ≈ 90 independent 6.7 s stretches per device give a standard error of ≈ 0.5 %,
 * tolerance 3 %). Static devices stay put.
 */
class MobilityBoundsTestCase : public TestCase
{
  public:
    /// @param mobility the model under test
    explicit MobilityBoundsTestCase(const std::string& mobility)
        : TestCase("--mobility=" + mobility + ": inside the area, at the UT height and speed"),
          m_mobility(mobility)
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t n = 20;
        const double speed = 15;
        const double tolerance = 1e-6;
        SplitTrainingScenario sc = RadioScenario("3gpp-umi", "none", m_mobility, speed);
        NodeContainer servers(2);
        NodeContainer devices(n);
        RadioEnvironmentHelper radio;
        radio.Install(sc, {{0, 0}, {500, 0}}, Around(n, 250, 0, 20, 400), servers, devices);
        radio.AssignStreams(1000);
        radio.AssignMobilityStreams(5000);
        const Box area = radio.GetDeploymentArea();
        NS_TEST_ASSERT_MSG_EQ(
            (area.xMin == -500 && area.xMax == 1000 && area.yMin == -500 && area.yMax == 500),
            true,
            "area: the servers' bounding box grown by the ISD");
        NS_TEST_EXPECT_MSG_EQ(Mobility(servers, 1)->GetPosition().z, 10.0, "BS height (UMi)");
        std::vector<Vector> start;
        for (uint32_t i = 0; i < n; ++i)
        {
            start.push_back(Mobility(devices, i)->GetPosition());
        }
        uint32_t outside = 0;
        std::vector<double> speeds;
        std::vector<double> farthest(n, 0);
        std::function<void()> sample = [&]() {
            for (uint32_t i = 0; i < n; ++i)
            {
                auto m = Mobility(devices, i);
                const Vector p = m->GetPosition();
                const bool inside = p.x >= area.xMin - tolerance && p.x <= area.xMax + tolerance &&
                                    p.y >= area.yMin - tolerance && p.y <= area.yMax + tolerance &&
                                    std::abs(p.z - 1.5) < 1e-9;
                outside += inside ? 0 : 1;
                speeds.push_back(m->GetVelocity().GetLength());
                farthest[i] = std::max(farthest[i], CalculateDistance(p, start[i]));
            }
            Simulator::Schedule(Seconds(0.5), sample);
        };
        Simulator::Schedule(Seconds(0.25), sample);
        Simulator::Stop(Seconds(600));
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ(outside, 0u, "samples outside the area or off the UT height");
        const double mean = Mean(speeds);
        const double minMoved = *std::min_element(farthest.begin(), farthest.end());
        if (m_mobility == "static")
        {
            NS_TEST_EXPECT_MSG_EQ(mean, 0.0, "static devices do not move");
            NS_TEST_EXPECT_MSG_EQ(minMoved, 0.0, "static devices stay put");
            return;
        }
        // (ns-3's random walk turns every metre: it drifts, slowly)
        NS_TEST_EXPECT_MSG_GT(minMoved, 20.0, "every device moved");
        NS_TEST_EXPECT_MSG_EQ_TOL(mean / speed,
                                  1.0,
                                  (m_mobility == "gauss-markov" ? 0.03 : 0.01),
                                  "mean speed " << mean << " m/s");
    }

    std::string m_mobility; //!< model under test
};

/// The paper's channel is untouched: log-distance at z = 0, 128.1 + 37.6 log10(d/km) dB.
class PaperChannelTestCase : public TestCase
{
  public:
    PaperChannelTestCase()
        : TestCase("--channel=log-distance: the paper's law, z = 0, no fading, no condition")
    {
    }

  private:
    void DoRun() override
    {
        NodeContainer servers(1);
        NodeContainer devices(1);
        RadioEnvironmentHelper radio;
        radio.Install(RadioScenario("log-distance", "none", "static", 1.4),
                      {{0, 0}},
                      {{100, 0}},
                      servers,
                      devices);
        NS_TEST_EXPECT_MSG_EQ(radio.AssignStreams(1000), int64_t{0}, "no random stream");
        NS_TEST_EXPECT_MSG_EQ(Mobility(servers, 0)->GetPosition().z, 0.0, "server at z = 0");
        NS_TEST_EXPECT_MSG_EQ(Mobility(devices, 0)->GetPosition().z, 0.0, "device at z = 0");
        NS_TEST_EXPECT_MSG_EQ(radio.GetFastFading(), nullptr, "no fading");
        NS_TEST_EXPECT_MSG_EQ(radio.GetChannelConditionModel(), nullptr, "no condition model");
        const double rx =
            radio.GetLargeScaleLoss()->CalcRxPower(0, Mobility(devices, 0), Mobility(servers, 0));
        NS_TEST_EXPECT_MSG_EQ_TOL(rx, -(128.1 + 37.6 * std::log10(0.1)), 1e-9, "loss at 100 m");
        Simulator::Destroy();
    }
};

/// Fixed streams: the same options give the same channel and movement, draw for draw.
class ReproducibleStreamsTestCase : public TestCase
{
  public:
    ReproducibleStreamsTestCase()
        : TestCase("3gpp-uma + jakes + gauss-markov: the same streams give the same samples")
    {
    }

  private:
    std::vector<double> RunOnce()
    {
        SplitTrainingScenario sc = RadioScenario("3gpp-uma", "jakes", "gauss-markov", 15);
        NodeContainer servers(2);
        NodeContainer devices(5);
        RadioEnvironmentHelper radio;
        radio.Install(sc, {{0, 0}, {500, 0}}, Around(5, 250, 0, 20, 200), servers, devices);
        radio.AssignStreams(1000);
        radio.AssignMobilityStreams(5000);
        std::vector<double> samples;
        for (uint32_t k = 1; k <= 10; ++k)
        {
            Simulator::Schedule(Seconds(7.3 * k), [&]() {
                for (uint32_t i = 0; i < devices.GetN(); ++i)
                {
                    auto a = Mobility(devices, i);
                    auto b = Mobility(servers, i % 2);
                    samples.push_back(radio.GetLargeScaleLoss()->CalcRxPower(0, a, b));
                    samples.push_back(radio.GetFastFading()->CalcRxPower(0, a, b));
                    samples.push_back(a->GetPosition().x);
                }
            });
        }
        Simulator::Stop(Seconds(80)); // the devices would walk forever
        Simulator::Run();
        Simulator::Destroy();
        return samples;
    }

    void DoRun() override
    {
        const auto a = RunOnce();
        const auto b = RunOnce();
        NS_TEST_ASSERT_MSG_EQ(a.size(), 150u, "samples taken");
        NS_TEST_EXPECT_MSG_EQ((a == b), true, "identical samples");
    }
};

/// Every bad radio option is one InputError naming the flag and what is allowed.
class BadRadioOptionsTestCase : public TestCase
{
  public:
    BadRadioOptionsTestCase()
        : TestCase("bad channel, fading, mobility, speed, height or shadowing options: one "
                   "clear error each")
    {
    }

  private:
    /// The message of the InputError the options raise ("" if none).
    static std::string ErrorOf(const std::function<void(SplitTrainingScenario&)>& change)
    {
        SplitTrainingScenario sc;
        change(sc);
        try
        {
            RadioEnvironmentHelper::Validate(sc);
        }
        catch (const InputError& e)
        {
            return e.what();
        }
        return "";
    }

    void Expect(const std::function<void(SplitTrainingScenario&)>& change,
                const std::vector<std::string>& pieces)
    {
        const std::string message = ErrorOf(change);
        for (const auto& piece : pieces)
        {
            NS_TEST_EXPECT_MSG_NE(message.find(piece),
                                  std::string::npos,
                                  "'" << piece << "' not in '" << message << "'");
        }
    }

    void DoRun() override
    {
        using Sc = SplitTrainingScenario;
        Expect([](Sc& s) { s.channel = "free-space"; }, {"--channel", "3gpp-uma", "3gpp-umi"});
        Expect([](Sc& s) { s.fading = "nakagami"; }, {"--fading=nakagami", "iid-rayleigh"});
        Expect([](Sc& s) { s.fading = "rician"; }, {"--fading", "none, jakes", "iid-rayleigh"});
        Expect([](Sc& s) { s.shadowingDb = 8; }, {"--shadowingDb", "--channel=3gpp-umi|3gpp-uma"});
        Expect([](Sc& s) { s.mobility = "levy"; }, {"--mobility", "gauss-markov"});
        Expect([](Sc& s) { s.speedMps = -1; }, {"--speed='-1'", ">= 0"});
        Expect([](Sc& s) { s.speedMps = std::nan(""); }, {"--speed"});
        Expect(
            [](Sc& s) {
                s.mobility = "random-waypoint";
                s.speedMps = 0;
            },
            {"--speed='0'", "--mobility=random-waypoint", "--mobility=static"});
        Expect(
            [](Sc& s) {
                s.fading = "jakes";
                s.speedMps = 0;
            },
            {"--speed='0'", "--fading=jakes"});
        Expect(
            [](Sc& s) {
                s.fading = "jakes";
                s.speedMps = 1e5;
            },
            {"--speed", "10 kHz"});
        Expect([](Sc& s) { s.frequencyHz = 1e8; }, {"--frequencyHz", "0.5e9, 100e9"});
        Expect([](Sc& s) { s.bsHeightM = 25; }, {"--bsHeightM", "3gpp-uma|3gpp-umi"});
        Expect(
            [](Sc& s) {
                s.channel = "3gpp-uma";
                s.utHeightM = 30;
            },
            {"--utHeightM='30'", "[1.5, 22.5]"});
        Expect(
            [](Sc& s) {
                s.channel = "3gpp-umi";
                s.utHeightM = 12;
            },
            {"--utHeightM='12'", "[1.5, 10)"});
        Expect(
            [](Sc& s) {
                s.channel = "3gpp-umi";
                s.bsHeightM = 1;
            },
            {"--bsHeightM='1'", "above the UT height"});
        // allowed: static devices need no speed; the defaults; a vehicular Jakes channel
        NS_TEST_EXPECT_MSG_EQ(ErrorOf([](Sc& s) { s.speedMps = 0; }), "", "static, speed 0");
        NS_TEST_EXPECT_MSG_EQ(ErrorOf([](Sc&) {}), "", "defaults");
        NS_TEST_EXPECT_MSG_EQ(ErrorOf([](Sc& s) {
                                  s.channel = "3gpp-uma";
                                  s.fading = "jakes";
                                  s.mobility = "gauss-markov";
                                  s.speedMps = 15;
                              }),
                              "",
                              "vehicular UMa");
    }
};

/**
 * Split training on the realistic radio environment runs to its end and writes its rounds
 * (devices may still fail rounds: the fdma link's rate is fixed per round).
 */
class RealisticRunTestCase : public TestCase
{
  public:
    RealisticRunTestCase()
        : TestCase("split training on 3gpp-umi + jakes + random-waypoint runs and writes rounds")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = edgellmtest::SmallScenario(4, 2, 3, 5);
        sc.channel = "3gpp-umi";
        sc.fading = "jakes";
        sc.mobility = "random-waypoint";
        const auto dir = std::filesystem::temp_directory_path() /
                         ("edge-llm-radio-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        SplitTrainingHelper helper;
        helper.Build(sc);
        SplitTrainingOutputHelper output;
        output.SetProgress(false);
        output.Open(dir.string());
        output.Connect(helper.GetCoordinator());
        NS_TEST_EXPECT_MSG_EQ(Mobility(helper.GetServerNodes(), 0)->GetPosition().z,
                              10.0,
                              "BS height");
        NS_TEST_EXPECT_MSG_EQ(Mobility(helper.GetDeviceNodes(), 0)->GetPosition().z,
                              1.5,
                              "UT height");
        const auto reports = helper.RunToEnd(Seconds(1e5));
        output.Close();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ(reports.size(), 3u, "every round ran");
        std::ifstream rounds(dir / "rounds.csv");
        uint32_t lines = 0;
        for (std::string line; std::getline(rounds, line);)
        {
            ++lines;
        }
        NS_TEST_EXPECT_MSG_EQ(lines, 4u, "rounds.csv: header and three rounds");
        std::filesystem::remove_all(dir);
    }
};

/// Suite of the radio environment.
class RadioEnvironmentTestSuite : public TestSuite
{
  public:
    RadioEnvironmentTestSuite()
        : TestSuite("edge-llm-radio-environment", UNIT)
    {
        AddTestCase(new FadingTimeCorrelationTestCase("jakes"), TestCase::QUICK);
        AddTestCase(new FadingTimeCorrelationTestCase("iid-rayleigh"), TestCase::QUICK);
        AddTestCase(new ShadowingSpaceCorrelationTestCase("3gpp-umi", 10, 4), TestCase::QUICK);
        AddTestCase(new ShadowingSpaceCorrelationTestCase("3gpp-uma", 37, 4), TestCase::QUICK);
        for (const char* mobility : {"static", "random-walk", "random-waypoint", "gauss-markov"})
        {
            AddTestCase(new MobilityBoundsTestCase(mobility), TestCase::QUICK);
        }
        AddTestCase(new PaperChannelTestCase, TestCase::QUICK);
        AddTestCase(new ReproducibleStreamsTestCase, TestCase::QUICK);
        AddTestCase(new BadRadioOptionsTestCase, TestCase::QUICK);
        AddTestCase(new RealisticRunTestCase, TestCase::QUICK);
    }
};

/// The suite's instance.
static RadioEnvironmentTestSuite g_radioEnvironmentTestSuite;
