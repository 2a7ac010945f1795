/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the Wi-Fi prediction: the round the allocator sees on the `wifi` tier
 * carries the tier's airtime pricing and the radios' idle power; the predicted listening energy
 * is that idle power x the time the radio is predicted to listen; and on a single measured cell
 * the cost model's contention-aware (airtime-share) rates predict the round's makespan within a
 * documented tolerance.
 */

#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"

#include <algorithm>
#include <cmath>

using namespace ns3;

namespace
{

/// One cell: 1 AP, `users` devices close enough for every link, GPT-2 payloads.
SplitTrainingScenario
OneCell(uint32_t users)
{
    SplitTrainingScenario sc;
    sc.drop.users = users;
    sc.drop.servers = 1;
    sc.drop.preset = "realistic";
    sc.drop.model = "gpt2-124m";
    sc.drop.batch = 1;
    sc.drop.seqLen = 512;
    sc.drop.layout = "hex";
    sc.drop.interSiteDistanceM = 100;
    sc.drop.seed = 5;
    sc.allocator = "fp";
    sc.tier = "wifi";
    sc.rounds = 1;
    return sc;
}

/// @return an object's double attribute
double
GetDouble(Ptr<Object> object, const std::string& name)
{
    DoubleValue v;
    object->GetAttribute(name, v);
    return v.Get();
}

/**
 * The single measured cell: the prediction carries the tier's idle power and the airtime
 * pricing, and the measured makespan is within kMakespanTolerance of the predicted one.
 */
class WifiSingleCellPredictionTestCase : public TestCase
{
  public:
    /// Relative tolerance of the measured against the predicted makespan (doc: Wi-Fi
    /// prediction): the MCS steps around the smooth rate, TCP's start and the MAC's collisions.
    static constexpr double kMakespanTolerance = 0.25;

    WifiSingleCellPredictionTestCase()
        : TestCase("wifi prediction: idle power x listening time; single-cell makespan")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        helper.Build(OneCell(3));
        Ptr<WifiTier> tier = helper.GetTierHelper<WifiTierHelper>().GetTier();
        NS_TEST_ASSERT_MSG_GT(tier->GetSnrGap(), 1.0, "the MCS table is below Shannon");
        NS_TEST_ASSERT_MSG_EQ_TOL(tier->GetMaxPhyRateBps(),
                                  143.4e6,
                                  0.1e6,
                                  "HE MCS 11, 20 MHz, 800 ns GI, 1 stream");
        auto reports = helper.RunToEnd(Seconds(1e4));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "the round ran");
        const RoundReport& r = reports[0];
        double predictedMakespan = 0;
        for (const auto& d : r.devices)
        {
            predictedMakespan = std::max(predictedMakespan, d.predictedDelayS);
        }
        for (const auto& d : r.devices)
        {
            NS_TEST_EXPECT_MSG_EQ(d.status, "done", "device " << d.user);
            const auto& dev = helper.GetDevices()[d.user];
            auto radio = DynamicCast<WifiTierRadioEnergyModel>(dev.radio);
            NS_TEST_ASSERT_MSG_NE(radio, nullptr, "the Wi-Fi tier's radio energy");
            const double idleW =
                dev.battery->GetSupplyVoltage() * GetDouble(radio->GetModels()[0], "IdleCurrentA");
            NS_TEST_EXPECT_MSG_GT(idleW, 0.0, "the radio idles at a positive power");
            // an offloading device listens from the round start to the predicted round end
            NS_TEST_EXPECT_MSG_EQ_TOL(d.predictedListenEnergyJ,
                                      idleW * predictedMakespan,
                                      1e-12 * idleW * predictedMakespan,
                                      "device " << d.user << ": idle power x listening time");
            NS_TEST_EXPECT_MSG_EQ_TOL(d.predictedEnergyJ,
                                      d.predicted.deviceEnergyJ + d.predicted.txEnergyJ +
                                          d.predictedListenEnergyJ,
                                      1e-12 * d.predictedEnergyJ,
                                      "device " << d.user << ": the energy holds the listening");
        }
        const double measured = r.endS - r.startS;
        NS_TEST_EXPECT_MSG_EQ_TOL(measured / predictedMakespan,
                                  1.0,
                                  kMakespanTolerance,
                                  "measured makespan " << measured << " s, predicted "
                                                       << predictedMakespan << " s");
        Simulator::Destroy();
    }
};

/// Suite of the Wi-Fi prediction.
class WifiPredictionTestSuite : public TestSuite
{
  public:
    WifiPredictionTestSuite()
        : TestSuite("edge-llm-wifi-prediction", SYSTEM)
    {
        AddTestCase(new WifiSingleCellPredictionTestCase, TestCase::QUICK);
    }
};

/// Static instance of the suite.
static WifiPredictionTestSuite g_wifiPredictionTestSuite;

} // namespace
