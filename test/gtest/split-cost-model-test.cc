/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of SplitCostModel: every term against a hand computation, the objective's modes
 * and aggregates, and one test per kind of constraint violation.
 */
#include "ns3/split-cost-model.h"

#include <cmath>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

/// Two users, two servers, numbers easy to follow by hand.
RoundState
TinyState()
{
    RoundState s;
    s.layers = 4;
    s.noisePsdWPerHz = 1e-12;
    for (int i = 0; i < 2; ++i)
    {
        ServerState srv;
        srv.bandwidthHz = 10e6;
        srv.fMaxHz = 2e9;
        srv.cores = 100;
        srv.flopsPerCycle = 2;
        srv.kappa = 1e-27;
        srv.txPowerW = 10;
        s.servers.push_back(srv);
    }
    for (int i = 0; i < 2; ++i)
    {
        UserState u;
        u.flopsPerLayer = 1e12;
        u.payloadBits = 8e6;
        u.downlinkBits = 4e6;
        u.cores = 4;
        u.flopsPerCycle = 1;
        u.fMaxHz = 1e9;
        u.kappa = 1e-27;
        u.pMaxW = 1;
        u.lipschitz = 2;
        u.datasetSize = 100;
        u.gain = {1e-5, 1e-6};
        s.users.push_back(u);
    }
    return s;
}

UserAllocation
Ok(uint32_t server)
{
    UserAllocation a;
    a.server = server;
    a.alpha = 1;
    a.powerW = 0.5;
    a.bandwidthHz = 5e6;
    a.freqHz = 5e8;
    a.edgeFreqHz = 1e9;
    return a;
}

Allocation
Feasible()
{
    Allocation a;
    a.users = {Ok(0), Ok(0)};
    return a;
}

/// Expects exactly one violation containing every fragment.
void
ExpectOneViolation(const SplitCostModel& m,
                   const Allocation& a,
                   std::initializer_list<std::string> f)
{
    auto v = m.Violations(a);
    ASSERT_EQ(v.size(), 1u) << (v.empty() ? "none" : v.front());
    for (const auto& frag : f)
    {
        EXPECT_NE(v.front().find(frag), std::string::npos) << v.front() << " lacks " << frag;
    }
}

} // namespace

TEST(SplitCostModel, TermsMatchHandComputation)
{
    RoundState s = TinyState();
    SplitCostModel m(s);
    const CostTerms t = m.UserTerms(0, Ok(0));
    // device: 1 layer x 1e12 FLOP / (4 cores x 1 FLOP/cycle) = 2.5e11 cycles at 5e8 Hz
    EXPECT_DOUBLE_EQ(t.deviceDelayS, 500.0);
    EXPECT_DOUBLE_EQ(t.deviceEnergyJ, 1e-27 * 25e16 * 2.5e11);
    // edge: 3 layers x 1e12 / (100 x 2) = 1.5e10 cycles at 1e9 Hz
    EXPECT_DOUBLE_EQ(t.edgeDelayS, 15.0);
    EXPECT_DOUBLE_EQ(t.edgeEnergyJ, 1e-27 * 1e18 * 1.5e10);
    // uplink: SNR = 1e-5 x 0.5 / (1e-12 x 5e6) = 1, so r = 5e6 x log2(2) = 5 Mbit/s
    const double r = 5e6;
    EXPECT_DOUBLE_EQ(t.uplinkDelayS, 8e6 / r);
    EXPECT_DOUBLE_EQ(t.txEnergyJ, 0.5 * 8e6 / r);
    // downlink at the server's PSD: SNR = 1e-5 x 10 / (10e6 x 1e-12) = 10, independent of b
    EXPECT_DOUBLE_EQ(t.downlinkDelayS, 4e6 / (5e6 * std::log2(11.0)));
    // stability 2 L^2 / (k (1 - alpha/Upsilon)) = 8 / (100 x 0.75)
    EXPECT_DOUBLE_EQ(t.stability, 8.0 / 75.0);
}

TEST(SplitCostModel, ObjectiveModesAndAggregates)
{
    RoundState s = TinyState();
    Allocation a = Feasible();
    a.users[1].powerW = 0.1; // a slower second user
    SplitCostModel m(s);
    const CostTerms t0 = m.UserTerms(0, a.users[0]);
    const CostTerms t1 = m.UserTerms(1, a.users[1]);
    const double energy = t0.TotalEnergyJ() + t1.TotalEnergyJ();
    const double stab = t0.stability + t1.stability;
    // delay-aware sum (default): compute + transfers
    EXPECT_DOUBLE_EQ(m.Objective(a), t0.TotalDelayS() + t1.TotalDelayS() + energy + stab);
    // makespan
    s.objective.delay = DelayAggregate::MAKESPAN;
    EXPECT_DOUBLE_EQ(m.Objective(a), std::max(t0.TotalDelayS(), t1.TotalDelayS()) + energy + stab);
    // paper: compute delays only, weighted
    s.objective.delay = DelayAggregate::SUM;
    s.objective.mode = ObjectiveMode::PAPER;
    s.objective.wTime = 2;
    s.objective.wEnergy = 3;
    s.objective.wStability = 5;
    const double compute = t0.deviceDelayS + t0.edgeDelayS + t1.deviceDelayS + t1.edgeDelayS;
    EXPECT_DOUBLE_EQ(m.Objective(a), 2 * compute + 3 * energy + 5 * stab);
}

TEST(SplitCostModel, LocalOnlyHasNoTransferAndUnboundedStability)
{
    RoundState s = TinyState();
    SplitCostModel m(s);
    UserAllocation a = Ok(0);
    a.server = UserAllocation::kNoServer;
    a.alpha = 4;
    const CostTerms t = m.UserTerms(0, a);
    EXPECT_EQ(t.uplinkDelayS, 0.0);
    EXPECT_EQ(t.edgeDelayS, 0.0);
    EXPECT_TRUE(std::isinf(t.stability));
    Allocation all;
    all.users = {a, a};
    EXPECT_TRUE(m.Violations(all).empty());
}

TEST(SplitCostModel, ClosedFormFrequency)
{
    UserState u = TinyState().users[0];
    ObjectiveSettings o;
    o.wTime = 1;
    o.wEnergy = 1;
    u.kappa = 1e-27;
    u.fMaxHz = 1e12;
    EXPECT_NEAR(SplitCostModel::OptimalDeviceFrequency(u, o), std::cbrt(1.0 / 2e-27), 1.0);
    u.fMaxHz = 1e8;
    EXPECT_DOUBLE_EQ(SplitCostModel::OptimalDeviceFrequency(u, o), 1e8);
}

TEST(SplitCostModelViolations, FeasibleHasNone)
{
    RoundState s = TinyState();
    EXPECT_TRUE(SplitCostModel(s).Violations(Feasible()).empty());
}

TEST(SplitCostModelViolations, EachConstraint)
{
    RoundState s = TinyState();
    SplitCostModel m(s);
    auto with = [](auto change) {
        Allocation a = Feasible();
        change(a.users[0]);
        return a;
    };
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.freqHz = 2e9; }),
                       {"user 0", "device frequency"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.freqHz = 0; }),
                       {"user 0", "device frequency"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.alpha = 0; }),
                       {"alpha 0 below the minimum 1"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.alpha = 4; }),
                       {"alpha 4 above the maximum 3"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.powerW = 1.5; }),
                       {"power 1.5 W", "p_max"});
    ExpectOneViolation(m, with([](UserAllocation& u) { u.powerW = 0; }), {"power 0 W"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.edgeFreqHz = 0; }),
                       {"edge frequency share"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.server = 7; }),
                       {"server 7 does not exist"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.server = UserAllocation::kNoServer; }),
                       {"no server but alpha 1"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.bandwidthHz = 6e6; }),
                       {"server 0", "bandwidth", "b_max"});
    ExpectOneViolation(m,
                       with([](UserAllocation& u) { u.edgeFreqHz = 1.5e9; }),
                       {"server 0", "GPU frequency"});
    Allocation a = with([](UserAllocation& u) { u.bandwidthHz = 0; });
    auto v = m.Violations(a);
    ASSERT_FALSE(v.empty());
    EXPECT_NE(v.front().find("bandwidth 0 Hz is not positive"), std::string::npos);
}

TEST(SplitCostModelViolations, MinimumRateAndMemoryLimit)
{
    RoundState s = TinyState();
    s.objective.minRateBps = 1e9;
    SplitCostModel m(s);
    auto v = m.Violations(Feasible());
    ASSERT_EQ(v.size(), 2u);
    EXPECT_NE(v[0].find("below r_min"), std::string::npos);
    RoundState s2 = TinyState();
    s2.users[0].maxDeviceLayers = 1;
    Allocation a = Feasible();
    a.users[0].alpha = 2;
    ExpectOneViolation(SplitCostModel(s2), a, {"alpha 2 above the maximum 1", "memory"});
}

TEST(SplitCostModelViolations, WrongUserCount)
{
    RoundState s = TinyState();
    Allocation a = Feasible();
    a.users.pop_back();
    ExpectOneViolation(SplitCostModel(s), a, {"allocation has 1 users, the round 2"});
}
