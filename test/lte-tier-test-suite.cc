/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the `lte` channel tier (first milestone): a training round completes on
 * ns-3's LTE/EPC with every device done, the allocator's p_n is the UE's uplink power, the UE's
 * radio energy is its uplink power over its PUSCH airtime, the band maps to LTE resource
 * blocks, and bad tier attributes are one clear error.
 */

#include "equal-share-allocation.h"
#include "lte-scheduler-reference.h"
#include "small-scenario.h"

#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/lte-module.h"

#include <cmath>
#include <map>
#include <string>

using namespace ns3;

namespace
{

/// Uplink airtime book of one UE: power x duration of every PUSCH (data) frame it sent.
struct AirtimeBook
{
    Ptr<LteUePhy> phy;  //!< the UE's PHY (its power)
    double startS{-1};  //!< start of the frame on the air
    double powerW{0};   //!< its power
    double energyJ{0};  //!< sum of power x airtime
    uint64_t frames{0}; //!< frames sent

    /// A frame starts.
    void Start(Ptr<const PacketBurst> burst)
    {
        if (!burst)
        {
            return; // control only (ideal PUCCH)
        }
        startS = Simulator::Now().GetSeconds();
        powerW = std::pow(10.0, phy->GetTxPower() / 10.0) / 1e3;
    }

    /// A frame ends.
    void End(Ptr<const PacketBurst>)
    {
        if (startS >= 0)
        {
            energyJ += powerW * (Simulator::Now().GetSeconds() - startS);
            ++frames;
            startS = -1;
        }
    }
};

/**
 * A deterministic allocator that moves every device to the next server each round (user n on
 * server (n + round) mod M): alpha_min, full power, equal shares.
 */
class LteRotatingTestAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::EdgeLlmLteRotatingTestAllocator")
                                .SetParent<SplitAllocator>()
                                .SetGroupName("EdgeLlm")
                                .AddConstructor<LteRotatingTestAllocator>();
        return tid;
    }

  private:
    Allocation DoAllocate(const RoundState& s) override
    {
        const Allocation a = edgellmtest::EqualShareAllocation(
            s,
            "lte-rotating-test",
            [this, &s](uint32_t n) { return (n + m_round) % s.NumServers(); },
            [&s](uint32_t n) { return s.users[n].pMaxW; });
        ++m_round;
        return a;
    }

    uint32_t m_round{0}; //!< calls so far
};

NS_OBJECT_ENSURE_REGISTERED(LteRotatingTestAllocator);

/// A small scenario on the lte tier.
SplitTrainingScenario
LteScenario(uint32_t users, uint32_t servers, uint32_t rounds, uint64_t seed)
{
    SplitTrainingScenario sc = edgellmtest::SmallScenario(users, servers, rounds, seed);
    sc.tier = "lte";
    return sc;
}

/// One round on LTE: every device done, p_n applied, radio energy = p x PUSCH airtime.
class LteRoundTestCase : public TestCase
{
  public:
    LteRoundTestCase()
        : TestCase("lte: a round completes; p_n is the UE power; radio energy from airtime")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        // P_cmax below the devices' p_max (23 dBm, where the UEs start): the UE power after
        // Apply differs from the initial one
        helper.SetTierAttribute("MaxTxPowerDbm", DoubleValue(17));
        helper.Build(LteScenario(3, 2, 1, 5));
        LteTierHelper& lte = helper.GetTierHelper<LteTierHelper>();
        NS_TEST_ASSERT_MSG_NE(lte.GetTier(), nullptr, "the lte tier was built");
        const NetDeviceContainer ues = lte.GetUserNetDevices();
        NS_TEST_ASSERT_MSG_EQ(ues.GetN(), 3u, "a UE per device");
        std::vector<AirtimeBook> books(ues.GetN());
        for (uint32_t n = 0; n < ues.GetN(); ++n)
        {
            books[n].phy = DynamicCast<LteUeNetDevice>(ues.Get(n))->GetPhy();
            Ptr<LteSpectrumPhy> ul = books[n].phy->GetUlSpectrumPhy();
            ul->TraceConnectWithoutContext("TxStart", MakeCallback(&AirtimeBook::Start, &books[n]));
            ul->TraceConnectWithoutContext("TxEnd", MakeCallback(&AirtimeBook::End, &books[n]));
        }
        const auto reports = helper.RunToEnd(Seconds(1e4));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "the round ran");
        for (const auto& d : reports[0].devices)
        {
            NS_TEST_EXPECT_MSG_EQ(d.status, "done", "device " << d.user << " trained on LTE");
            if (d.allocation.server == UserAllocation::kNoServer)
            {
                continue;
            }
            const double expectDbm = lte.GetTier()->ClampTxPowerDbm(d.allocation.powerW);
            NS_TEST_EXPECT_MSG_LT(expectDbm, 17.0 + 1e-12, "clamped to MaxTxPowerDbm");
            NS_TEST_EXPECT_MSG_EQ_TOL(books[d.user].phy->GetTxPower(),
                                      expectDbm,
                                      1e-9,
                                      "the UE transmits at the allocator's p_n");
            NS_TEST_EXPECT_MSG_GT(books[d.user].frames, 0u, "the UE sent PUSCH frames");
            const double radioJ = helper.GetDevices()[d.user].radio->GetTotalEnergyConsumption();
            NS_TEST_EXPECT_MSG_EQ_TOL(radioJ,
                                      books[d.user].energyJ,
                                      1e-9 + 1e-9 * books[d.user].energyJ,
                                      "radio energy = p x PUSCH airtime");
        }
        Simulator::Destroy();
    }
};

/// A UE far out of every cell sits the round out; the others train.
class LteCoverageTestCase : public TestCase
{
  public:
    LteCoverageTestCase()
        : TestCase("lte: a UE out of coverage fails cleanly, the round goes on")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        helper.Build(LteScenario(3, 2, 1, 5));
        LteTierHelper& lte = helper.GetTierHelper<LteTierHelper>();
        // 1,000 km away: CQI 0 at every eNB
        lte.GetUserNetDevices().Get(2)->GetNode()->GetObject<MobilityModel>()->SetPosition(
            Vector(1e6, 0, 1.5));
        const auto reports = helper.RunToEnd(Seconds(1e4));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "the round ran");
        for (const auto& d : reports[0].devices)
        {
            const std::string expect = d.user == 2 ? "out-of-coverage" : "done";
            NS_TEST_EXPECT_MSG_EQ(d.status, expect, "device " << d.user);
        }
        Simulator::Destroy();
    }
};

/// The RB share of a user is b_n over its server's band, given to its cell's scheduler.
class LteSharesAppliedTestCase : public TestCase
{
  public:
    LteSharesAppliedTestCase()
        : TestCase("lte: the allocator's b_n is the UE's RB share in its eNB's scheduler")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        helper.Build(LteScenario(3, 2, 1, 5));
        LteTierHelper& lte = helper.GetTierHelper<LteTierHelper>();
        Ptr<LteTier> tier = lte.GetTier();
        NS_TEST_EXPECT_MSG_EQ(tier->EnforcesBandwidth(), true, "shares are enforced");
        const auto reports = helper.RunToEnd(Seconds(1e4));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "the round ran");
        for (const auto& d : reports[0].devices)
        {
            if (d.allocation.server == UserAllocation::kNoServer)
            {
                continue;
            }
            auto ue = DynamicCast<LteUeNetDevice>(lte.GetUserNetDevices().Get(d.user));
            const auto shares = tier->GetScheduler(d.user)->GetShares(ue->GetRrc()->GetRnti());
            const double expect =
                std::max(0.01,
                         d.allocation.bandwidthHz / tier->GetServerBandHz(d.allocation.server));
            NS_TEST_EXPECT_MSG_EQ_TOL(shares.first, expect, 1e-12, "uplink share " << d.user);
            NS_TEST_EXPECT_MSG_EQ_TOL(shares.second, expect, 1e-12, "downlink share " << d.user);
            NS_TEST_EXPECT_MSG_GT(
                tier->GetScheduler(d.user)->GetUlRbsGranted(ue->GetRrc()->GetRnti()),
                0u,
                "uplink RBs granted to " << d.user);
        }
        Simulator::Destroy();
    }
};

/// What the handover test sees: per round and user, the cell and the share after a handover.
struct HandoverBook
{
    Ptr<LteTier> tier;                                     //!< the tier
    NetDeviceContainer ues;                                //!< the UEs
    int round{-1};                                         //!< current round
    std::map<std::pair<int, uint32_t>, uint32_t> movedTo;  //!< (round, user) -> server
    std::map<std::pair<int, uint32_t>, double> shareAfter; //!< (round, user) -> UL share
    std::vector<std::vector<uint32_t>> serving;            //!< per round end, per user
    std::vector<std::vector<uint64_t>> rbs;                //!< UL RBs in the serving cell

    /// A round starts.
    void RoundStarted(uint32_t, const Allocation&)
    {
        ++round;
    }

    /// A handover ended: sample the new cell's share once the tier re-applied it.
    void Handover(uint32_t user, uint32_t, uint32_t to, bool ok)
    {
        if (ok)
        {
            movedTo[{round, user}] = to;
            Simulator::Schedule(MilliSeconds(1), &HandoverBook::SampleShare, this, round, user);
        }
    }

    /// The UE's share in its serving cell's scheduler, at its current RNTI.
    void SampleShare(int r, uint32_t user)
    {
        const uint16_t rnti = DynamicCast<LteUeNetDevice>(ues.Get(user))->GetRrc()->GetRnti();
        Ptr<EdgeLlmShareFfMacScheduler> s = tier->GetScheduler(user);
        shareAfter[{r, user}] = s ? s->GetShares(rnti).first : -2;
    }

    /// A round ends: where each UE is and the uplink RBs its cell granted it.
    void RoundEnded(const RoundReport&)
    {
        serving.emplace_back();
        rbs.emplace_back();
        for (uint32_t n = 0; n < ues.GetN(); ++n)
        {
            serving.back().push_back(tier->GetServingServer(n));
            const uint16_t rnti = DynamicCast<LteUeNetDevice>(ues.Get(n))->GetRrc()->GetRnti();
            Ptr<EdgeLlmShareFfMacScheduler> s = tier->GetScheduler(n);
            rbs.back().push_back(s ? s->GetUlRbsGranted(rnti) : 0);
        }
    }
};

/**
 * Handover on (a carrier per cell): a UE the allocator moves to another server is handed over
 * to that server's cell, its share follows it to its new RNTI there, and no round hangs.
 * (Known: a UE handed over into cell 1 stops getting data about 0.5 s later and ends the round
 * "stalled"; doc, "Channel tier lte".)
 */
class LteHandoverTestCase : public TestCase
{
  public:
    LteHandoverTestCase()
        : TestCase("lte: a UE moved to another server is handed over to its cell with its share")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        helper.SetTierAttribute("Handover", BooleanValue(true));
        helper.SetTierAttribute("SeparateCarriers", BooleanValue(true));
        SplitTrainingScenario sc = LteScenario(3, 2, 2, 5);
        sc.allocator = "ns3::EdgeLlmLteRotatingTestAllocator";
        sc.handoverHysteresisDb = 0; // the allocator counts its calls as rounds: no re-planning
        helper.Build(sc);
        LteTierHelper& lte = helper.GetTierHelper<LteTierHelper>();
        HandoverBook book;
        book.tier = lte.GetTier();
        book.ues = lte.GetUserNetDevices();
        auto coordinator = helper.GetCoordinator();
        coordinator->TraceConnectWithoutContext("RoundStarted",
                                                MakeCallback(&HandoverBook::RoundStarted, &book));
        coordinator->TraceConnectWithoutContext("RoundFinished",
                                                MakeCallback(&HandoverBook::RoundEnded, &book));
        book.tier->TraceConnectWithoutContext("Handover",
                                              MakeCallback(&HandoverBook::Handover, &book));
        std::vector<uint32_t> firstCell;
        for (uint32_t n = 0; n < 3; ++n)
        {
            firstCell.push_back(book.tier->GetServingServer(n));
        }
        const auto reports = helper.RunToEnd(Seconds(1e4));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 2u, "both rounds ran (none hung)");
        NS_TEST_ASSERT_MSG_EQ(book.serving.size(), 2u, "both rounds recorded");
        uint32_t moves = 0;
        for (uint32_t r = 0; r < 2; ++r)
        {
            for (const auto& d : reports[r].devices)
            {
                NS_TEST_EXPECT_MSG_EQ((d.status == "done" || d.status == "stalled"),
                                      true,
                                      "round " << r << " device " << d.user << ": " << d.status);
                NS_TEST_EXPECT_MSG_EQ(book.serving[r][d.user],
                                      d.allocation.server,
                                      "round " << r << ": UE " << d.user
                                               << " in its server's cell");
                NS_TEST_EXPECT_MSG_GT(book.rbs[r][d.user],
                                      0u,
                                      "round " << r << ": UL RBs granted in that cell " << d.user);
                const uint32_t before = r == 0 ? firstCell[d.user] : book.serving[0][d.user];
                if (before == d.allocation.server)
                {
                    continue;
                }
                ++moves;
                const auto key = std::make_pair(int(r), d.user);
                NS_TEST_EXPECT_MSG_EQ(book.movedTo.count(key), 1u, "handed over " << d.user);
                const double expect = std::max(0.01,
                                               d.allocation.bandwidthHz /
                                                   book.tier->GetServerBandHz(d.allocation.server));
                NS_TEST_EXPECT_MSG_EQ_TOL(book.shareAfter[key],
                                          expect,
                                          1e-12,
                                          "round " << r << ": share in the new cell " << d.user);
            }
        }
        NS_TEST_EXPECT_MSG_GT(moves, 2u, "every UE changed server in round 2");
        NS_TEST_EXPECT_MSG_EQ(book.tier->GetHandoversCompleted(), moves, "one handover a move");
        NS_TEST_EXPECT_MSG_EQ(book.tier->GetHandoversFailed(), 0u, "no handover failed");
        Simulator::Destroy();
    }
};

/**
 * By default (Handover false) the association changes between rounds without radio re-association:
 * a UE stays in its first cell and reaches the allocated server through the core, in every round.
 */
class LteCoreRoutedTestCase : public TestCase
{
  public:
    LteCoreRoutedTestCase()
        : TestCase("lte: a UE keeps its cell and reaches any allocated server through the core")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        SplitTrainingScenario sc = LteScenario(4, 2, 2, 5);
        sc.allocator = "random-association";
        helper.Build(sc);
        LteTierHelper& lte = helper.GetTierHelper<LteTierHelper>();
        std::vector<uint32_t> firstCell;
        for (uint32_t n = 0; n < 4; ++n)
        {
            firstCell.push_back(lte.GetTier()->GetServingServer(n));
        }
        const auto reports = helper.RunToEnd(Seconds(1e4));
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 2u, "both rounds ran");
        uint32_t elsewhere = 0;
        for (const auto& r : reports)
        {
            for (const auto& d : r.devices)
            {
                NS_TEST_EXPECT_MSG_EQ(d.status, "done", "device " << d.user);
                NS_TEST_EXPECT_MSG_EQ(lte.GetTier()->GetServingServer(d.user),
                                      firstCell[d.user],
                                      "no re-association");
                NS_TEST_EXPECT_MSG_GT(d.bytesUp, 0u, "payload reached the server");
                elsewhere += d.allocation.server != firstCell[d.user] ? 1 : 0;
            }
        }
        NS_TEST_EXPECT_MSG_GT(elsewhere, 0u, "some device trained on a server of another cell");
        Simulator::Destroy();
    }
};

/// The band maps to LTE bandwidths; bad attributes are one clear error.
class LteConfigTestCase : public TestCase
{
  public:
    LteConfigTestCase()
        : TestCase("lte: band to resource blocks; bad attribute values rejected")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(LteTierHelper::ResourceBlocksFor(20e6), 100, "20 MHz");
        NS_TEST_EXPECT_MSG_EQ(LteTierHelper::ResourceBlocksFor(10e6), 50, "10 MHz");
        NS_TEST_EXPECT_MSG_EQ(LteTierHelper::ResourceBlocksFor(5e6), 25, "5 MHz");
        NS_TEST_EXPECT_MSG_EQ(LteTierHelper::ResourceBlocksFor(1.4e6), 6, "1.4 MHz");
        NS_TEST_EXPECT_MSG_EQ(LteTierHelper::ResourceBlocksFor(1e6), 0, "too narrow");
        SplitTrainingHelper helper;
        helper.SetTierAttribute("MaxTxPowerDbm", DoubleValue(100));
        std::string message;
        try
        {
            helper.Build(LteScenario(2, 1, 1, 5));
        }
        catch (const InputError& e)
        {
            message = e.what();
        }
        NS_TEST_EXPECT_MSG_NE(message.find("tier attribute MaxTxPowerDbm"),
                              std::string::npos,
                              "one clear error: " << message);
        NS_TEST_EXPECT_MSG_NE(message.find("ns3::LteTier"), std::string::npos, message);
        Simulator::Destroy();
        SplitTrainingHelper other;
        other.SetTierAttribute("MinShare", DoubleValue(0));
        message.clear();
        try
        {
            other.Build(LteScenario(2, 1, 1, 5));
        }
        catch (const InputError& e)
        {
            message = e.what();
        }
        NS_TEST_EXPECT_MSG_NE(message.find("tier attribute MinShare"),
                              std::string::npos,
                              "one clear error: " << message);
        Simulator::Destroy();
    }
};

/// Suite of the lte tier.
class LteTierTestSuite : public TestSuite
{
  public:
    LteTierTestSuite()
        : TestSuite("edge-llm-lte-tier", UNIT)
    {
        AddTestCase(new LteConfigTestCase, TestCase::QUICK);
        AddTestCase(new LteRoundTestCase, TestCase::QUICK);
        AddTestCase(new LteSharesAppliedTestCase, TestCase::QUICK);
        AddTestCase(new LteCoverageTestCase, TestCase::QUICK);
        AddTestCase(new LteCoreRoutedTestCase, TestCase::QUICK);
        AddTestCase(new LteHandoverTestCase, TestCase::QUICK);
        AddTestCase(new edgellmtest::LteSchedulerReferenceTestCase, TestCase::QUICK);
        AddTestCase(new edgellmtest::LteSchedulerSharesTestCase, TestCase::QUICK);
    }
};

/// The suite's instance.
static LteTierTestSuite g_lteTierTestSuite;

} // namespace
