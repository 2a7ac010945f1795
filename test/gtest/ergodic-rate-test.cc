/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the ergodic (Rayleigh-fading) rate model of SplitCostModel: the closed form
 * against a Monte-Carlo average and against 50-digit arithmetic on both sides of the series
 * switch, the rate's derivatives against finite differences, p_min, the downlink, and the
 * snapshot model left as it was.
 */
#include "ns3/split-cost-model.h"

#include <boost/math/special_functions/expint.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace ns3;

namespace
{

using Big = boost::multiprecision::cpp_bin_float_50;

/// F, F', F'', F - x F' in 50-digit arithmetic through e^t E_n(t) (no cancellation at 50 digits).
ErgodicLogTerms
Reference(double x)
{
    const Big t = Big(1) / Big(x);
    const Big et = exp(t);
    const Big g1 = et * boost::math::expint(1, t);
    const Big g2 = et * boost::math::expint(2, t);
    const Big g3 = et * boost::math::expint(3, t);
    ErgodicLogTerms r;
    r.value = static_cast<double>(g1);
    r.d1 = static_cast<double>(t * g2);
    r.d2 = static_cast<double>(-2 * t * t * (g2 - g3));
    r.valueMinusXd1 = static_cast<double>(g1 - g2);
    return r;
}

double
RelErr(double a, double b)
{
    return std::abs(a - b) / std::abs(b);
}

/// One user, one server; gain chosen so that p = 1 W on b = 1 MHz has mean SNR snr.
RoundState
OneLink(double snr, RateModel model)
{
    RoundState s;
    s.layers = 8;
    s.noisePsdWPerHz = 1e-18;
    s.objective.rateModel = model;
    ServerState srv;
    srv.bandwidthHz = 10e6;
    srv.txPowerW = 10;
    s.servers.push_back(srv);
    UserState u;
    u.flopsPerLayer = 1e12;
    u.payloadBits = 8e6;
    u.downlinkBits = 8e6;
    u.gain = {snr * s.noisePsdWPerHz * 1e6};
    s.users.push_back(u);
    return s;
}

} // namespace

// E[log2(1 + rho H)] by 10^6 draws of H ~ Exp(1) against the closed form, rho -10 … 40 dB.
TEST(ErgodicRate, ClosedFormMatchesMonteCarlo)
{
    std::mt19937_64 rng(20240917);
    std::exponential_distribution<double> h(1.0);
    constexpr int kDraws = 1000000;
    double worst = 0;
    for (int db = -10; db <= 40; db += 5)
    {
        const double rho = std::pow(10.0, db / 10.0);
        double sum = 0;
        for (int i = 0; i < kDraws; ++i)
        {
            sum += std::log2(1.0 + rho * h(rng));
        }
        const double mc = sum / kDraws;
        const double closed = ErgodicLogValue(rho) / std::log(2.0);
        const double err = RelErr(closed, mc);
        worst = std::max(worst, err);
        EXPECT_LT(err, 0.005) << db << " dB: closed form " << closed << ", Monte Carlo " << mc;
        // Jensen: below the snapshot rate of the same mean SNR
        EXPECT_LT(closed, std::log2(1.0 + rho)) << db << " dB";
    }
    RecordProperty("worst_relative_error", std::to_string(worst));
    std::cout << "ergodic vs Monte Carlo (1e6 draws, -10…40 dB): worst relative error " << worst
              << "\n";
}

// Both branches (asymptotic series below -17 dB, Boost.Math's expint above) against 50 digits,
// from -60 dB to +60 dB and right at the switch.
TEST(ErgodicRate, BothBranchesMatch50DigitReference)
{
    std::vector<double> xs;
    for (int db = -60; db <= 60; db += 3)
    {
        xs.push_back(std::pow(10.0, db / 10.0));
    }
    const double sw = 1.0 / kErgodicSeriesSwitch;
    for (double f : {0.5, 0.999, 0.999999, 1.000001, 1.001, 2.0})
    {
        xs.push_back(sw * f);
    }
    double worst[4] = {0, 0, 0, 0};
    for (double x : xs)
    {
        const ErgodicLogTerms e = ErgodicLog(x);
        const ErgodicLogTerms r = Reference(x);
        const double err[4] = {RelErr(e.value, r.value),
                               RelErr(e.d1, r.d1),
                               RelErr(e.d2, r.d2),
                               RelErr(e.valueMinusXd1, r.valueMinusXd1)};
        for (int i = 0; i < 4; ++i)
        {
            worst[i] = std::max(worst[i], err[i]);
        }
        EXPECT_LT(err[0], 1e-14) << "F at x = " << x;
        EXPECT_LT(err[1], 1e-14) << "F' at x = " << x;
        EXPECT_LT(err[2], 1e-12) << "F'' at x = " << x;
        EXPECT_LT(err[3], 1e-12) << "F - x F' at x = " << x;
        EXPECT_EQ(ErgodicLogValue(x), e.value) << "the value-only path agrees at x = " << x;
    }
    std::cout << "ergodic terms vs 50 digits (-60…60 dB): worst relative errors F " << worst[0]
              << ", F' " << worst[1] << ", F'' " << worst[2] << ", F - xF' " << worst[3] << "\n";
    // limits: F ~ x at low SNR, F ~ ln x - gamma at high SNR
    EXPECT_NEAR(ErgodicLogValue(1e-12) / 1e-12, 1.0, 1e-11);
    EXPECT_NEAR(ErgodicLogValue(1e12), std::log(1e12) - 0.57721566490153286, 1e-10);
    EXPECT_EQ(ErgodicLogValue(0.0), 0.0);
}

TEST(ErgodicRate, InverseIsTheSmallestSnrReachingTheTarget)
{
    for (double y : {1e-9, 1e-4, 0.01, 0.3, 1.0, 4.0, 15.0, 40.0})
    {
        const double x = ErgodicLogInverse(y);
        EXPECT_GE(ErgodicLogValue(x), y) << y;
        EXPECT_LT(RelErr(ErgodicLogValue(x), y), 1e-13) << y;
    }
    EXPECT_EQ(ErgodicLogInverse(0.0), 0.0);
    EXPECT_TRUE(std::isinf(ErgodicLogInverse(1e4)));
}

// r(p, b) and its five derivatives against central differences, -15 … 35 dB.
TEST(ErgodicRate, DerivativesMatchFiniteDifferences)
{
    for (double db : {-15.0, -5.0, 5.0, 15.0, 35.0})
    {
        RoundState s = OneLink(std::pow(10.0, db / 10.0), RateModel::ERGODIC);
        SplitCostModel m(s);
        const double p = 1.0;
        const double b = 1e6;
        const RateDerivatives d = m.UplinkRate(0, 0, p, b);
        EXPECT_DOUBLE_EQ(d.r, m.UplinkRateBps(0, 0, p, b));
        const double hp = 1e-4 * p;
        const double hb = 1e-4 * b;
        auto r = [&](double pp, double bb) { return m.UplinkRateBps(0, 0, pp, bb); };
        auto dp = [&](double pp, double bb) { return m.UplinkRate(0, 0, pp, bb).dp; };
        auto dbFn = [&](double pp, double bb) { return m.UplinkRate(0, 0, pp, bb).db; };
        EXPECT_LT(RelErr(d.dp, (r(p + hp, b) - r(p - hp, b)) / (2 * hp)), 1e-7) << db << " dB";
        EXPECT_LT(RelErr(d.db, (r(p, b + hb) - r(p, b - hb)) / (2 * hb)), 1e-6) << db << " dB";
        EXPECT_LT(RelErr(d.dpp, (dp(p + hp, b) - dp(p - hp, b)) / (2 * hp)), 1e-6) << db << " dB";
        EXPECT_LT(RelErr(d.dbb, (dbFn(p, b + hb) - dbFn(p, b - hb)) / (2 * hb)), 1e-6)
            << db << " dB";
        EXPECT_LT(RelErr(d.dpb, (dp(p, b + hb) - dp(p, b - hb)) / (2 * hb)), 1e-6) << db << " dB";
        // concave in (p, b): r_pp <= 0, r_bb <= 0, r_pp r_bb - r_pb^2 ~ 0 (homogeneous of
        // degree 1, so the Hessian is singular)
        EXPECT_LT(d.dpp, 0);
        EXPECT_LT(d.dbb, 0);
        EXPECT_NEAR(d.dpp * d.dbb / (d.dpb * d.dpb), 1.0, 1e-9);
    }
}

TEST(ErgodicRate, MinPowerReachesTheRateFloor)
{
    for (double db : {-10.0, 0.0, 20.0})
    {
        RoundState s = OneLink(std::pow(10.0, db / 10.0), RateModel::ERGODIC);
        s.objective.minRateBps = 2e6;
        SplitCostModel m(s);
        for (double b : {2e5, 1e6, 5e6})
        {
            const double p = m.MinPowerW(0, 0, b);
            EXPECT_LT(RelErr(m.UplinkRateBps(0, 0, p, b), 2e6), 1e-12) << db << " dB, b " << b;
            // fading costs power: more than the snapshot model needs
            s.objective.rateModel = RateModel::SNAPSHOT;
            EXPECT_GT(p, m.MinPowerW(0, 0, b));
            s.objective.rateModel = RateModel::ERGODIC;
        }
    }
}

TEST(ErgodicRate, DownlinkUsesTheSameModel)
{
    RoundState s = OneLink(10.0, RateModel::ERGODIC);
    SplitCostModel m(s);
    const double rho = s.users[0].gain[0] * 10.0 / (10e6 * s.noisePsdWPerHz);
    EXPECT_DOUBLE_EQ(m.DownlinkSpectralEfficiency(0, 0), ErgodicLogValue(rho) / std::log(2.0));
    EXPECT_DOUBLE_EQ(m.DownlinkRateBps(0, 0, 2e6), 2e6 * ErgodicLogValue(rho) / std::log(2.0));
    EXPECT_DOUBLE_EQ(m.DownlinkRateBps(0, 0, 2e6, 2.0),
                     2e6 * ErgodicLogValue(rho / 2.0) / std::log(2.0));
    // a model switched after construction is not served from the cache
    s.objective.rateModel = RateModel::SNAPSHOT;
    EXPECT_DOUBLE_EQ(m.DownlinkSpectralEfficiency(0, 0), std::log2(1.0 + rho));
}

// The snapshot model is the paper's formula, unchanged (bit for bit).
TEST(ErgodicRate, SnapshotUnchanged)
{
    RoundState s = OneLink(7.0, RateModel::SNAPSHOT);
    s.objective.minRateBps = 3e6;
    SplitCostModel m(s);
    const double gamma = s.users[0].gain[0] / s.noisePsdWPerHz;
    const double x = gamma * 0.5 / 2e6;
    EXPECT_EQ(m.UplinkRateBps(0, 0, 0.5, 2e6), 2e6 * std::log2(1.0 + x));
    EXPECT_EQ(m.UplinkRate(0, 0, 0.5, 2e6).r, 2e6 * (std::log1p(x) / 0.69314718055994530942));
    EXPECT_EQ(m.MinPowerW(0, 0, 2e6),
              s.noisePsdWPerHz * 2e6 / s.users[0].gain[0] *
                  std::expm1(3e6 / 2e6 * 0.69314718055994530942));
}
