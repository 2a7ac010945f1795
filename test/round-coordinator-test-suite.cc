/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the RoundCoordinator's planning rules: handover hysteresis (a device
 * walking across the cell edge changes server once, not every round), the automatic deadline
 * (a link 3x slower than planned still completes; progress keeps a device past the deadline;
 * a device that moves nothing is 'stalled', one whose link still receives transport blocks
 * is not, one the CSI shows out of reach sits out as 'out-of-coverage'), and devices that do not
 * want to move are planned with their true gains.
 */

#include "small-scenario.h"

#include "ns3/config.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/mobility-model.h"
#include "ns3/node.h"

#include <cmath>
#include <random>

using namespace ns3;
using edgellmtest::SmallScenario;

namespace
{

/// Device 0 walks from server 0 towards server 1, 3 m per round from 60 m before the midpoint,
/// with a position jitter of +-10 m per round (the "noise" of its gains).
class EdgeWalker
{
  public:
    EdgeWalker(Ptr<MobilityModel> device, Vector from, Vector to)
        : m_device(device),
          m_rng(7)
    {
        const double dx = to.x - from.x;
        const double dy = to.y - from.y;
        const double d = std::hypot(dx, dy);
        m_ux = dx / d;
        m_uy = dy / d;
        m_mid = Vector((from.x + to.x) / 2, (from.y + to.y) / 2, 0);
        Place(0);
    }

    /// RoundFinished: move for the next round.
    void RoundFinished(const RoundReport& report)
    {
        Place(report.round + 1);
    }

    /**
     * @param r round
     * @return signed distance of the walk's centre from the midpoint towards server 1, m
     */
    static double Centre(uint32_t r)
    {
        return -60.0 + 3.0 * r;
    }

  private:
    void Place(uint32_t round)
    {
        std::uniform_real_distribution<double> jitter(-10.0, 10.0);
        const double s = Centre(round) + jitter(m_rng);
        m_device->SetPosition(Vector(m_mid.x + s * m_ux, m_mid.y + s * m_uy, 0));
    }

    Ptr<MobilityModel> m_device;
    std::mt19937 m_rng;
    double m_ux{1};
    double m_uy{0};
    Vector m_mid;
};

Vector
PositionOf(Ptr<Node> node)
{
    return node->GetObject<MobilityModel>()->GetPosition();
}

} // namespace

/// A device walking slowly across the cell edge: with hysteresis it changes server once.
class HandoverHysteresisTestCase : public TestCase
{
  public:
    /**
     * @param hysteresisDb HandoverHysteresisDb
     */
    explicit HandoverHysteresisTestCase(double hysteresisDb)
        : TestCase(hysteresisDb > 0 ? "a device crossing the cell edge changes server once with "
                                      "3 dB hysteresis"
                                    : "without hysteresis the same walk flips between servers"),
          m_hysteresisDb(hysteresisDb)
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = SmallScenario(1, 2, 41, 3);
        sc.drop.layout = "line";
        sc.handoverHysteresisDb = m_hysteresisDb;
        // the jittered positions themselves, not a per-frame average of them: the test is about
        // how the coordinator reacts to a noisy gain, whatever smooths it
        sc.csi = "positions";
        SplitTrainingHelper helper;
        helper.Build(sc);
        EdgeWalker walker(helper.GetDeviceNodes().Get(0)->GetObject<MobilityModel>(),
                          PositionOf(helper.GetServerNodes().Get(0)),
                          PositionOf(helper.GetServerNodes().Get(1)));
        helper.GetCoordinator()->TraceConnectWithoutContext(
            "RoundFinished",
            MakeCallback(&EdgeWalker::RoundFinished, &walker));
        const auto reports = helper.RunToEnd(Seconds(1e6));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 41u, "every round ran");
        uint32_t changes = 0;
        for (size_t r = 0; r < reports.size(); ++r)
        {
            const auto& d = reports[r].devices[0];
            NS_TEST_EXPECT_MSG_EQ(d.status, "done", "round " << r);
            if (r > 0 && d.allocation.server != reports[r - 1].devices[0].allocation.server)
            {
                ++changes;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(reports.front().devices[0].allocation.server, 0u, "starts on 0");
        NS_TEST_EXPECT_MSG_EQ(reports.back().devices[0].allocation.server, 1u, "ends on 1");
        std::cout << "hysteresis " << m_hysteresisDb << " dB: " << changes
                  << " server changes in 41 rounds\n";
        if (m_hysteresisDb > 0)
        {
            NS_TEST_EXPECT_MSG_EQ(changes, 1u, "one handover");
        }
        else
        {
            NS_TEST_EXPECT_MSG_GT(changes, 2u, "flips back and forth near the edge");
        }
        Simulator::Destroy();
    }

    double m_hysteresisDb; //!< margin under test
};

/// Static devices do not want to move: with hysteresis they are planned exactly as without.
class HysteresisKeepsTrueGainsTestCase : public TestCase
{
  public:
    HysteresisKeepsTrueGainsTestCase()
        : TestCase("devices that stay are planned with their true gains")
    {
    }

  private:
    std::vector<RoundReport> Run(double hysteresisDb)
    {
        SplitTrainingScenario sc = SmallScenario(6, 2, 2, 11);
        sc.handoverHysteresisDb = hysteresisDb;
        SplitTrainingHelper helper;
        helper.Build(sc);
        auto reports = helper.RunToEnd(Seconds(1e6));
        Simulator::Destroy();
        return reports;
    }

    void DoRun() override
    {
        const auto with = Run(3);
        const auto without = Run(0);
        NS_TEST_ASSERT_MSG_EQ(with.size(), 2u, "two rounds");
        NS_TEST_ASSERT_MSG_EQ(without.size(), 2u, "two rounds");
        for (uint32_t n = 0; n < 6; ++n)
        {
            const UserAllocation& a = with[1].devices[n].allocation;
            const UserAllocation& b = without[1].devices[n].allocation;
            NS_TEST_EXPECT_MSG_EQ(a.server, b.server, "device " << n);
            NS_TEST_EXPECT_MSG_EQ(a.powerW, b.powerW, "device " << n);
            NS_TEST_EXPECT_MSG_EQ(a.bandwidthHz, b.bandwidthHz, "device " << n);
        }
        NS_TEST_EXPECT_MSG_EQ(with[1].predictedObjective,
                              without[1].predictedObjective,
                              "the same plan");
    }
};

/// A link 3x slower than planned completes under the automatic deadline; a device still
/// moving bytes is not failed even once the deadline has passed.
class SlowLinkTestCase : public TestCase
{
  public:
    /**
     * @param floorBps FloorThroughputBps (huge: the deadline passes while the device uploads)
     */
    explicit SlowLinkTestCase(double floorBps)
        : TestCase(floorBps > 1e9 ? "a device still moving bytes outlives the automatic deadline"
                                  : "a link 3x slower than planned completes under the automatic "
                                    "deadline"),
          m_floorBps(floorBps)
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = SmallScenario(1, 1, 2, 5);
        sc.allocator = "fixed-split"; // p_max and the whole band: the SNR below is the link's
        // an SNR margin m with log2(1 + S/m) = log2(1 + S) / 3: the link runs at a third of the
        // planned rate
        const RoundState base = SplitTrainingHelper::PlannedState(sc);
        const double snr = base.users[0].pMaxW * base.users[0].gain[0] /
                           (base.noisePsdWPerHz * base.servers[0].bandwidthHz);
        const double margin = snr / (std::cbrt(1.0 + snr) - 1.0);
        sc.rateMarginDb = 10.0 * std::log10(margin);
        sc.linkAdaptation = "fixed"; // an adaptive link would soon run at the capacity again
        SplitTrainingHelper helper;
        helper.Build(sc);
        helper.GetCoordinator()->SetAttribute("FloorThroughputBps", DoubleValue(m_floorBps));
        const auto reports = helper.RunToEnd(Seconds(1e6));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 2u, "both rounds ran");
        for (const auto& r : reports)
        {
            const auto& d = r.devices[0];
            NS_TEST_EXPECT_MSG_EQ(d.status, "done", "round " << r.round);
            NS_TEST_EXPECT_MSG_EQ_TOL(d.uplinkS / d.predicted.uplinkDelayS,
                                      3.0,
                                      0.1,
                                      "the uplink is 3x slower than planned");
            std::cout << "floor " << m_floorBps << " bit/s, round " << r.round << ": uplink "
                      << d.uplinkS << " s (planned " << d.predicted.uplinkDelayS << " s), round "
                      << r.endS - r.startS << " s, deadline " << r.deadlineS << " s\n";
            if (m_floorBps > 1e9 && r.round == 0)
            {
                NS_TEST_EXPECT_MSG_GT(r.endS - r.startS,
                                      r.deadlineS,
                                      "finished after the deadline, thanks to its progress");
            }
        }
        // from the second round on the floor is the goodput the network showed
        NS_TEST_EXPECT_MSG_GT(reports[1].deadlineS,
                              reports[1].devices[0].delayS,
                              "the measured floor covers the slow link");
        Simulator::Destroy();
    }

    double m_floorBps; //!< FloorThroughputBps
};

/// A device whose link died moves nothing: 'stalled' soon after the automatic deadline.
class StalledDeviceTestCase : public TestCase
{
  public:
    StalledDeviceTestCase()
        : TestCase("a device out of range is 'stalled' after the automatic deadline, then "
                   "'out-of-coverage'")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = SmallScenario(3, 1, 2, 13);
        SplitTrainingHelper helper;
        helper.Build(sc);
        auto mobility = helper.GetDeviceNodes().Get(2)->GetObject<MobilityModel>();
        Simulator::Schedule(Seconds(0.2),
                            [mobility]() { mobility->SetPosition(Vector(2e6, 0, 0)); });
        const auto reports = helper.RunToEnd(Seconds(1e6));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 2u, "both rounds ended");
        const RoundReport& r = reports[0];
        NS_TEST_EXPECT_MSG_EQ(r.devices[2].status, "stalled", "moved away during round 0");
        NS_TEST_EXPECT_MSG_EQ(r.devices[0].status, "done", "the others finish");
        NS_TEST_EXPECT_MSG_EQ(r.devices[1].status, "done", "the others finish");
        // sampled from D - 10 s on, every 10 s: failed at the first sample from D on
        NS_TEST_EXPECT_MSG_GT_OR_EQ(r.endS - r.startS,
                                    r.deadlineS - 1e-6,
                                    "not before the deadline (ns time grid)");
        NS_TEST_EXPECT_MSG_LT(r.endS - r.startS, r.deadlineS + 10.001, "one window after");
        std::cout << "stalled device: deadline " << r.deadlineS << " s, round ended after "
                  << r.endS - r.startS << " s\n";
        // round 1: its CSI shows no link; it sits out instead of taking the others' band
        NS_TEST_EXPECT_MSG_EQ(reports[1].devices[2].status, "out-of-coverage", "round 1");
        NS_TEST_EXPECT_MSG_EQ(reports[1].devices[0].status, "done", "round 1");
        NS_TEST_EXPECT_MSG_EQ(reports[1].devices[1].status, "done", "round 1");
        Simulator::Destroy();
    }
};

/// A link slower per TCP segment than the StallWindow still moves transport blocks: it is not
/// 'stalled' (UMa at 500 m: a device in a deep shadow crawled at tens of kbit/s, one 64 kB
/// segment took longer than the 10 s window, and it was failed with 93 % of its upload in).
class SlowSegmentsTestCase : public TestCase
{
  public:
    SlowSegmentsTestCase()
        : TestCase("a link that takes longer than the StallWindow per TCP segment but keeps "
                   "receiving transport blocks is not 'stalled'")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = SmallScenario(1, 1, 1, 5);
        sc.allocator = "fixed-split"; // p_max and the whole band: the rate below is the link's
        sc.fading = "jakes";          // adaptive links cut frames into 1 ms transport blocks
        sc.linkAdaptation = "adaptive";
        const RoundState base = SplitTrainingHelper::PlannedState(sc);
        const double snr = base.users[0].pMaxW * base.users[0].gain[0] /
                           (base.noisePsdWPerHz * base.servers[0].bandwidthHz);
        const double rateBps = SplitCostModel::ShannonRateBps(base.servers[0].bandwidthHz, snr);
        // a third of one 64 kB segment's airtime: whole segments arrive less often than that
        const double windowS = 64e3 * 8 / rateBps / 3;
        SplitTrainingHelper helper;
        helper.Build(sc);
        // the deadline passes at once: from then on only progress keeps the device in
        helper.GetCoordinator()->SetAttribute("FloorThroughputBps", DoubleValue(1e15));
        helper.GetCoordinator()->SetAttribute("StallWindow", TimeValue(Seconds(windowS)));
        const auto reports = helper.RunToEnd(Seconds(1e6));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "the round ran");
        const RoundReport& r = reports[0];
        NS_TEST_EXPECT_MSG_EQ(r.devices[0].status, "done", "window " << windowS << " s");
        NS_TEST_EXPECT_MSG_GT(r.endS - r.startS, r.deadlineS + 10 * windowS, "many samples");
        std::cout << "segment airtime " << 3 * windowS << " s, window " << windowS
                  << " s: deadline " << r.deadlineS << " s, round " << r.endS - r.startS << " s, "
                  << r.devices[0].status << "\n";
        Simulator::Destroy();
    }
};

/// The round's predictions use the round's rate model (the one cost model), and the fdma link,
/// whose rates the tier takes from that model, delivers them.
class ErgodicPredictionsTestCase : public TestCase
{
  public:
    ErgodicPredictionsTestCase()
        : TestCase("predictions follow the ergodic rate model; without fading they are met")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = SmallScenario(4, 2, 1, 11);
        sc.drop.objective.rateModel = RateModel::ERGODIC;
        // fixed links run at the planned (ergodic) rate; adaptive ones would climb to the
        // capacity of this fading-free channel and beat the prediction
        sc.linkAdaptation = "fixed";
        SplitTrainingHelper helper;
        helper.Build(sc);
        const auto reports = helper.RunToEnd(Seconds(1e6));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "one round");
        RoundState ergodic = helper.GetBaseState(); // the drop's gains = the static CSI
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(ergodic.objective.rateModel),
                              static_cast<int>(RateModel::ERGODIC),
                              "the scenario's rate model reaches the coordinator's state");
        RoundState snapshot = ergodic;
        snapshot.objective.rateModel = RateModel::SNAPSHOT;
        const SplitCostModel e(ergodic);
        const SplitCostModel s(snapshot);
        for (const auto& d : reports[0].devices)
        {
            NS_TEST_EXPECT_MSG_EQ(d.status, "done", "device " << d.user);
            const CostTerms te = e.UserTerms(d.user, d.allocation);
            const CostTerms ts = s.UserTerms(d.user, d.allocation);
            NS_TEST_EXPECT_MSG_EQ_TOL(d.predicted.uplinkDelayS / te.uplinkDelayS,
                                      1.0,
                                      1e-6,
                                      "ergodic prediction, device " << d.user);
            NS_TEST_EXPECT_MSG_EQ_TOL(d.predicted.downlinkDelayS / te.downlinkDelayS,
                                      1.0,
                                      1e-6,
                                      "ergodic downlink, device " << d.user);
            NS_TEST_EXPECT_MSG_GT(d.predicted.uplinkDelayS,
                                  1.01 * ts.uplinkDelayS,
                                  "slower than the snapshot rate, device " << d.user);
            NS_TEST_EXPECT_MSG_EQ_TOL(d.delayS / d.predictedDelayS,
                                      1.0,
                                      0.01,
                                      "measured as predicted, device " << d.user);
        }
        Simulator::Destroy();
    }
};

/// Suite of the coordinator's planning rules.
class RoundCoordinatorTestSuite : public TestSuite
{
  public:
    RoundCoordinatorTestSuite()
        : TestSuite("edge-llm-round-coordinator", SYSTEM)
    {
        AddTestCase(new HandoverHysteresisTestCase(3.0), TestCase::QUICK);
        AddTestCase(new HandoverHysteresisTestCase(0.0), TestCase::QUICK);
        AddTestCase(new HysteresisKeepsTrueGainsTestCase, TestCase::QUICK);
        AddTestCase(new SlowLinkTestCase(1e6), TestCase::QUICK);
        AddTestCase(new SlowLinkTestCase(1e12), TestCase::QUICK);
        AddTestCase(new StalledDeviceTestCase, TestCase::QUICK);
        AddTestCase(new SlowSegmentsTestCase, TestCase::QUICK);
        AddTestCase(new ErgodicPredictionsTestCase, TestCase::QUICK);
    }
};

static RoundCoordinatorTestSuite g_roundCoordinatorTestSuite;
