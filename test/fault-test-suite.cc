/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of injected faults (FaultSchedule): the flag syntax and its errors, a server
 * that fails and recovers, a link outage, devices that leave and join, frame errors on both
 * tiers. Every run checks that training continues and that the batteries' books close. Also the
 * endurance regression test (sockets of finished rounds released).
 */

#include "small-scenario.h"

#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/node-list.h"
#include "ns3/object-vector.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/tcp-l4-protocol.h"

#include <algorithm>
#include <cmath>
#include <functional>

using namespace ns3;

namespace
{

/// Runs a built scenario to its end (safety net: 1e6 s of simulated time).
std::vector<RoundReport>
RunToEnd(SplitTrainingHelper& helper)
{
    return helper.RunToEnd(Seconds(1e6));
}

/**
 * Build and run a scenario (RNG seed 1, run 1: the same drop and the same events every time).
 * @param sc the scenario
 * @param check called with the helper and the reports before Simulator::Destroy
 * @return the reports
 */
std::vector<RoundReport>
RunScenario(
    const SplitTrainingScenario& sc,
    const std::function<void(SplitTrainingHelper&, const std::vector<RoundReport>&)>& check = {})
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    SplitTrainingHelper helper;
    helper.Build(sc);
    auto reports = RunToEnd(helper);
    if (check)
    {
        check(helper, reports);
    }
    Simulator::Destroy();
    return reports;
}

/// The status of a device in a round.
std::string
Status(const RoundReport& r, uint32_t user)
{
    for (const auto& d : r.devices)
    {
        if (d.user == user)
        {
            return d.status;
        }
    }
    return "?";
}

/// A device's record in a round.
const DeviceRoundRecord&
Record(const RoundReport& r, uint32_t user)
{
    return *std::find_if(r.devices.begin(), r.devices.end(), [user](const DeviceRoundRecord& d) {
        return d.user == user;
    });
}

/// @return true if `text` throws an InputError naming `flag` from `parse`
bool
Rejects(const std::function<void(FaultSchedule&)>& parse, const std::string& flag)
{
    FaultSchedule f;
    try
    {
        parse(f);
        f.Validate(4, 2);
    }
    catch (const InputError& e)
    {
        return std::string(e.what()).find(flag) != std::string::npos;
    }
    return false;
}

} // namespace

/**
 * A fault judged against a clean run: DoRun runs the scenario without faults (every round must
 * complete) and hands it to DoFaultRuns, which runs it again with faults.
 */
class AgainstCleanRunTestCase : public TestCase
{
  protected:
    /**
     * @param name test name
     * @param base the scenario without faults
     */
    AgainstCleanRunTestCase(const std::string& name, const SplitTrainingScenario& base)
        : TestCase(name),
          m_base(base)
    {
    }

    /**
     * @param base the scenario without faults
     * @param clean its reports, one per round
     */
    virtual void DoFaultRuns(const SplitTrainingScenario& base,
                             const std::vector<RoundReport>& clean) = 0;

  private:
    void DoRun() override
    {
        const auto clean = RunScenario(m_base);
        NS_TEST_ASSERT_MSG_EQ(clean.size(), m_base.rounds, "the clean run completes every round");
        DoFaultRuns(m_base, clean);
    }

    SplitTrainingScenario m_base; //!< the scenario without faults
};

/**
 * The batteries' books close (drained = compute + radio energy, 1e-9 relative), whatever
 * faults hit the run.
 */
#define CHECK_BOOKS(helper)                                                                        \
    for (const auto& dev : (helper).GetDevices())                                                  \
    {                                                                                              \
        dev.battery->UpdateEnergySource();                                                         \
        const double drained =                                                                     \
            dev.battery->GetInitialEnergy() - dev.battery->GetRemainingEnergy();                   \
        const double models =                                                                      \
            dev.compute->GetTotalEnergyConsumption() + dev.radio->GetTotalEnergyConsumption();     \
        NS_TEST_EXPECT_MSG_EQ_TOL(drained,                                                         \
                                  models,                                                          \
                                  std::max(1e-9 * models, 1e-12),                                  \
                                  "books: drained " << drained << " J, models " << models          \
                                                    << " J");                                      \
    }

/// The flag syntax: what parses, and one clear error naming the flag for everything else.
class FaultSyntaxTestCase : public TestCase
{
  public:
    FaultSyntaxTestCase()
        : TestCase("fault flags: syntax parsed, bad values rejected naming the flag")
    {
    }

  private:
    void DoRun() override
    {
        FaultSchedule f;
        f.ParseServerFailures("1@30-60,0@5s", "--serverFailure");
        f.ParseOutages("3@10s-15.5s", "--outage");
        f.ParseLeaves("2@40", "--leave");
        f.ParseJoins("1@round3", "--join");
        f.Validate(4, 2);
        NS_TEST_ASSERT_MSG_EQ(f.serverFailures.size(), 2u, "two failures");
        NS_TEST_EXPECT_MSG_EQ(f.serverFailures[0].server, 1u, "server");
        NS_TEST_EXPECT_MSG_EQ(f.serverFailures[0].atS, 30.0, "at");
        NS_TEST_EXPECT_MSG_EQ(f.serverFailures[0].recoverS, 60.0, "recovers");
        NS_TEST_EXPECT_MSG_EQ(std::isinf(f.serverFailures[1].recoverS), true, "never recovers");
        NS_TEST_EXPECT_MSG_EQ(f.outages.at(0).toS, 15.5, "outage end");
        NS_TEST_EXPECT_MSG_EQ(f.leaves.at(0).user, 2u, "leave");
        NS_TEST_EXPECT_MSG_EQ(f.joins.at(0).round, 3u, "join round");
        NS_TEST_EXPECT_MSG_EQ(f.Empty(), false, "not empty");
        NS_TEST_EXPECT_MSG_EQ(FaultSchedule{}.Empty(), true, "empty");

        const std::string sf = "--serverFailure";
        for (const std::string bad : {"1",
                                      "x@1",
                                      "1@",
                                      "1@-5",
                                      "1@60-30",
                                      "1@30-30",
                                      "1@nan",
                                      "1@inf",
                                      "1@1@2",
                                      "1@5,",
                                      "-1@5",
                                      "2@5",
                                      "1@5x",
                                      "1@0x10"})
        {
            NS_TEST_EXPECT_MSG_EQ(
                Rejects([&](FaultSchedule& s) { s.ParseServerFailures(bad, sf); }, sf),
                true,
                "--serverFailure=" << bad);
        }
        for (const std::string bad : {"3@10", "3@15-10", "4@1-2", "a@1-2"})
        {
            NS_TEST_EXPECT_MSG_EQ(
                Rejects([&](FaultSchedule& s) { s.ParseOutages(bad, "--outage"); }, "--outage"),
                true,
                "--outage=" << bad);
        }
        for (const std::string bad : {"2@", "2@-1", "4@3", "1@3,1@4"})
        {
            NS_TEST_EXPECT_MSG_EQ(
                Rejects([&](FaultSchedule& s) { s.ParseLeaves(bad, "--leave"); }, "--leave"),
                true,
                "--leave=" << bad);
        }
        for (const std::string bad : {"1@3", "1@round0", "1@round", "1@roundx", "4@round1"})
        {
            NS_TEST_EXPECT_MSG_EQ(
                Rejects([&](FaultSchedule& s) { s.ParseJoins(bad, "--join"); }, "--join"),
                true,
                "--join=" << bad);
        }
        for (double bad : {-0.1, 1.0, std::nan("")})
        {
            NS_TEST_EXPECT_MSG_EQ(
                Rejects([&](FaultSchedule& s) { s.frameErrorRate = bad; }, "--frameErrorRate"),
                true,
                "--frameErrorRate=" << bad);
        }
    }
};

/**
 * A server fails in the middle of round 1: the devices waiting for it end `server-failed`,
 * the others finish; while it is down no device is planned on it and everyone trains; after
 * it recovers every device trains again. Books close.
 */
class ServerFailureTestCase : public AgainstCleanRunTestCase
{
  public:
    ServerFailureTestCase()
        : AgainstCleanRunTestCase(
              "a server fails mid-round and recovers: its devices fail that round only",
              edgellmtest::SmallScenario(4, 2, 5, 7))
    {
    }

  private:
    void DoFaultRuns(const SplitTrainingScenario& base,
                     const std::vector<RoundReport>& clean) override
    {
        // the busier server of round 1 fails a tenth into the round (every device is still
        // waiting for its gradient then), and recovers after round 3
        std::vector<uint32_t> load(2, 0);
        for (const auto& d : clean[1].devices)
        {
            NS_TEST_ASSERT_MSG_EQ(d.status, "done", "clean run");
            if (d.allocation.server != UserAllocation::kNoServer)
            {
                ++load[d.allocation.server];
            }
        }
        const uint32_t failed = load[1] > load[0] ? 1 : 0;
        NS_TEST_ASSERT_MSG_GT(load[failed], 0u, "the failing server serves someone");
        SplitTrainingScenario sc = base;
        FaultSchedule::ServerFailure f;
        f.server = failed;
        f.atS = clean[1].startS + 0.1 * (clean[1].endS - clean[1].startS);
        // first without recovery, to learn when round 3 runs in the faulted run; then it
        // recovers during round 3 (and serves again from round 4)
        sc.faults.serverFailures.push_back(f);
        const auto noRecovery = RunScenario(sc);
        NS_TEST_ASSERT_MSG_EQ(noRecovery.size(), 5u, "5 rounds without recovery");
        sc.faults.serverFailures[0].recoverS =
            0.5 * (noRecovery[3].startS + noRecovery[3].endS); // during round 3
        const auto reports = RunScenario(sc, [this](SplitTrainingHelper& helper, const auto&) {
            CHECK_BOOKS(helper);
        });
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 5u, "training continues: 5 rounds");
        for (uint32_t r = 0; r < 5; ++r)
        {
            for (const auto& d : reports[r].devices)
            {
                const bool onFailed = d.allocation.server == failed;
                if (r == 1 && onFailed)
                {
                    NS_TEST_EXPECT_MSG_EQ(d.status, "server-failed", "device " << d.user);
                    NS_TEST_EXPECT_MSG_EQ(std::isnan(d.delayS), true, "no delay measured");
                    continue;
                }
                NS_TEST_EXPECT_MSG_EQ(d.status,
                                      "done",
                                      "round " << r << " device " << d.user << " trains");
                if (r == 2 || r == 3)
                {
                    NS_TEST_EXPECT_MSG_EQ(onFailed,
                                          false,
                                          "round " << r << ": nobody on the failed server");
                }
            }
        }
        // the same decision as without the fault before it
        for (uint32_t n = 0; n < 4; ++n)
        {
            NS_TEST_EXPECT_MSG_EQ(Record(reports[0], n).allocation.server,
                                  Record(clean[0], n).allocation.server,
                                  "round 0 unchanged");
        }
    }
};

/**
 * Every server is down for a round: the devices sit it out (`no-server`) and train again
 * after the recovery.
 */
class AllServersDownTestCase : public TestCase
{
  public:
    AllServersDownTestCase()
        : TestCase("the only server is down at a round's start: no-server, then training resumes")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = edgellmtest::SmallScenario(2, 1, 3, 5);
        sc.faults.serverFailures.push_back({0, 0.0, 0.15}); // down at the first round's start
        const auto reports = RunScenario(sc, [this](SplitTrainingHelper& helper, const auto&) {
            CHECK_BOOKS(helper);
        });
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 3u, "3 rounds");
        for (uint32_t n = 0; n < 2; ++n)
        {
            NS_TEST_EXPECT_MSG_EQ(Status(reports[0], n), "no-server", "round 0");
            NS_TEST_EXPECT_MSG_EQ(Status(reports[1], n), "done", "round 1");
            NS_TEST_EXPECT_MSG_EQ(Status(reports[2], n), "done", "round 2");
        }
    }
};

/**
 * Link outages: a short one inside a round is survived (`done`, outage_s > 0, the round
 * longer than without it); one that outlasts the hard deadline ends the round `outage`.
 */
class OutageTestCase : public AgainstCleanRunTestCase
{
  public:
    OutageTestCase()
        : AgainstCleanRunTestCase("a link outage: survived (done, outage_s) or fatal (outage)",
                                  edgellmtest::SmallScenario(3, 1, 3, 11))
    {
    }

  private:
    void DoFaultRuns(const SplitTrainingScenario& base,
                     const std::vector<RoundReport>& clean) override
    {
        const RoundReport& r1 = clean[1];
        const DeviceRoundRecord& d0 = Record(r1, 0);
        NS_TEST_ASSERT_MSG_EQ(d0.status, "done", "clean run");
        // survived: 2 s down right when the uplink starts
        const double upStart = r1.startS + d0.deviceComputeS / 3;
        SplitTrainingScenario sc = base;
        sc.faults.outages.push_back({0, upStart, upStart + 2});
        const auto survived = RunScenario(sc, [this](SplitTrainingHelper& helper, const auto&) {
            CHECK_BOOKS(helper);
        });
        NS_TEST_ASSERT_MSG_EQ(survived.size(), 3u, "3 rounds");
        const DeviceRoundRecord& s0 = Record(survived[1], 0);
        NS_TEST_EXPECT_MSG_EQ(s0.status, "done", "the round survives the outage");
        NS_TEST_EXPECT_MSG_EQ_TOL(s0.outageS, 2.0, 1e-6, "outage_s says so");
        NS_TEST_EXPECT_MSG_GT(s0.delayS, d0.delayS + 1.9, "and it cost time");
        NS_TEST_EXPECT_MSG_EQ(Record(survived[2], 0).status, "done", "next round");
        NS_TEST_EXPECT_MSG_EQ(Record(survived[2], 0).outageS, 0.0, "next round: no outage");
        for (uint32_t n = 1; n < 3; ++n)
        {
            NS_TEST_EXPECT_MSG_EQ(Record(survived[1], n).status, "done", "others train");
        }

        // fatal: down for longer than the hard deadline
        sc = base;
        sc.roundTimeout = Seconds(3 * r1.devices[0].delayS + 1);
        const auto withDeadline = RunScenario(sc);
        const double start1 = withDeadline[1].startS;
        sc.faults.outages.push_back({0, start1 + 0.01, start1 + 1000});
        const auto fatal = RunScenario(sc, [this](SplitTrainingHelper& helper, const auto&) {
            CHECK_BOOKS(helper);
        });
        NS_TEST_ASSERT_MSG_EQ(fatal.size(), 3u, "training continues");
        NS_TEST_EXPECT_MSG_EQ(Record(fatal[1], 0).status, "outage", "the outage ended it");
        NS_TEST_EXPECT_MSG_GT(Record(fatal[1], 0).outageS, 0.0, "outage time");
        NS_TEST_EXPECT_MSG_EQ(Record(fatal[1], 1).status, "done", "others train");
        NS_TEST_EXPECT_MSG_EQ(Record(fatal[2], 0).status, "outage", "still down in round 2");
        NS_TEST_EXPECT_MSG_EQ(Record(fatal[2], 1).status, "done", "others train");
    }
};

/**
 * A device leaves mid-round (`departed`, then `left`), another joins before round 2
 * (`not-joined` before): the rest train, books close.
 */
class LeaveJoinTestCase : public AgainstCleanRunTestCase
{
  public:
    LeaveJoinTestCase()
        : AgainstCleanRunTestCase("a device leaves mid-round, another joins between rounds",
                                  edgellmtest::SmallScenario(4, 2, 4, 3))
    {
    }

  private:
    void DoFaultRuns(const SplitTrainingScenario& base,
                     const std::vector<RoundReport>& clean) override
    {
        SplitTrainingScenario sc = base;
        const double mid = 0.5 * (clean[1].startS + clean[1].endS);
        sc.faults.leaves.push_back({1, mid});
        sc.faults.joins.push_back({3, 2});
        const auto reports = RunScenario(sc, [this](SplitTrainingHelper& helper, const auto&) {
            CHECK_BOOKS(helper);
        });
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 4u, "4 rounds");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[0], 1), "done", "round 0");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[1], 1), "departed", "leaves in round 1");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[2], 1), "left", "gone");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[3], 1), "left", "gone");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[0], 3), "not-joined", "not yet");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[1], 3), "not-joined", "not yet");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[2], 3), "done", "joined in round 2");
        NS_TEST_EXPECT_MSG_EQ(Status(reports[3], 3), "done", "trains on");
        for (uint32_t r = 0; r < 4; ++r)
        {
            NS_TEST_EXPECT_MSG_EQ(Status(reports[r], 0), "done", "device 0 round " << r);
            NS_TEST_EXPECT_MSG_EQ(Status(reports[r], 2), "done", "device 2 round " << r);
        }
        // the joiner spent nothing before it joined, and trained after
        NS_TEST_EXPECT_MSG_EQ(Record(reports[1], 3).batteryJ, sc.batteryJ, "idle before joining");
        NS_TEST_EXPECT_MSG_LT(Record(reports[2], 3).batteryJ, sc.batteryJ, "trains after");
        // the leaver spends nothing after it left
        NS_TEST_EXPECT_MSG_EQ(Record(reports[3], 1).batteryJ,
                              Record(reports[2], 1).batteryJ,
                              "nothing drawn after leaving");
    }
};

/**
 * A frame error rate on a tier: frames are lost (fdma: counted as ARQ retransmissions), every
 * device still trains every round, and the rounds take longer than without errors.
 */
class FrameErrorRateTestCase : public TestCase
{
  public:
    /** @param tier fdma or wifi */
    explicit FrameErrorRateTestCase(const std::string& tier)
        : TestCase("frame error rate 0.05 on " + tier + ": retried below TCP, training continues"),
          m_tier(tier)
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = edgellmtest::SmallScenario(2, 1, 2, 13);
        sc.tier = m_tier;
        uint64_t cleanRetx = 0;
        const auto clean = RunScenario(sc, [&cleanRetx](SplitTrainingHelper& helper, const auto&) {
            cleanRetx = Retransmissions(helper);
        });
        sc.faults.frameErrorRate = 0.05;
        uint64_t retx = 0;
        const auto lossy = RunScenario(sc, [this, &retx](SplitTrainingHelper& helper, const auto&) {
            retx = Retransmissions(helper);
            CHECK_BOOKS(helper);
        });
        NS_TEST_ASSERT_MSG_EQ(lossy.size(), 2u, "2 rounds");
        double cleanSum = 0;
        double lossySum = 0;
        for (uint32_t r = 0; r < 2; ++r)
        {
            for (uint32_t n = 0; n < 2; ++n)
            {
                NS_TEST_EXPECT_MSG_EQ(Status(lossy[r], n), "done", "round " << r);
                cleanSum += Record(clean[r], n).delayS;
                lossySum += Record(lossy[r], n).delayS;
            }
        }
        NS_TEST_EXPECT_MSG_GT(lossySum, cleanSum, "lost frames cost time");
        if (m_tier == "fdma")
        {
            NS_TEST_EXPECT_MSG_GT(retx, cleanRetx + 10, "the ARQ retried lost frames");
        }
    }

    /// @return ARQ retransmissions of every fdma device (0 on wifi)
    static uint64_t Retransmissions(SplitTrainingHelper& /* helper */)
    {
        uint64_t total = 0;
        for (NodeList::Iterator node = NodeList::Begin(); node != NodeList::End(); ++node)
        {
            for (uint32_t i = 0; i < (*node)->GetNDevices(); ++i)
            {
                if (auto dev = DynamicCast<FdmaNetDevice>((*node)->GetDevice(i)))
                {
                    total += dev->GetTxCounters().retransmissions;
                }
            }
        }
        return total;
    }

    std::string m_tier; //!< tier
};

/**
 * Endurance regression: a device's connection of a finished round is released within a few
 * seconds. ns-3's default TIME_WAIT (2 x 120 s) kept every round's socket alive for 240 s, so
 * memory grew with devices x rounds (8.7 KiB per device and round, measured with 1,000 devices).
 */
class SocketsReleasedTestCase : public TestCase
{
  public:
    SocketsReleasedTestCase()
        : TestCase("endurance: finished rounds' TCP sockets are released (no 240 s TIME_WAIT)")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        SplitTrainingHelper helper;
        helper.Build(edgellmtest::SmallScenario(3, 1, 6, 5));
        const auto reports = RunToEnd(helper);
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 6u, "6 rounds");
        NS_TEST_ASSERT_MSG_LT(reports.back().endS, 10.0, "short rounds (all within 240 s)");
        Simulator::Stop(Seconds(5)); // past any 2 x MSL of a few seconds
        Simulator::Run();
        for (NodeList::Iterator node = NodeList::Begin(); node != NodeList::End(); ++node)
        {
            Ptr<TcpL4Protocol> tcp = (*node)->GetObject<TcpL4Protocol>();
            if (!tcp)
            {
                continue;
            }
            ObjectVectorValue sockets;
            tcp->GetAttribute("SocketList", sockets);
            // a server keeps its listening socket; a device keeps nothing
            NS_TEST_EXPECT_MSG_LT_OR_EQ(sockets.GetN(),
                                        1u,
                                        "node " << (*node)->GetId() << " holds " << sockets.GetN()
                                                << " TCP sockets 5 s after the last round");
        }
        Simulator::Destroy();
    }
};

/// The fault-injection suite.
class FaultTestSuite : public TestSuite
{
  public:
    FaultTestSuite()
        : TestSuite("edge-llm-faults", SYSTEM)
    {
        AddTestCase(new FaultSyntaxTestCase, TestCase::QUICK);
        AddTestCase(new ServerFailureTestCase, TestCase::QUICK);
        AddTestCase(new AllServersDownTestCase, TestCase::QUICK);
        AddTestCase(new OutageTestCase, TestCase::QUICK);
        AddTestCase(new LeaveJoinTestCase, TestCase::QUICK);
        AddTestCase(new FrameErrorRateTestCase("fdma"), TestCase::QUICK);
        AddTestCase(new FrameErrorRateTestCase("wifi"), TestCase::QUICK);
        AddTestCase(new SocketsReleasedTestCase, TestCase::QUICK);
    }
};

/// Static instance that registers the suite.
static FaultTestSuite g_faultTestSuite;
