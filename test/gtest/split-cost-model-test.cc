/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of SplitCostModel: every term against a hand computation, the objective's modes
 * and aggregates, one test per kind of constraint violation, rates at tiny SNR and the check
 * that every gain gives a usable link.
 */
#include "ns3/input-error.h"
#include "ns3/split-cost-model.h"

#include <cmath>
#include <cstdlib>
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
    // with omega_s > 0 the objective is +inf: reported, once per user, never "feasible"
    EXPECT_TRUE(std::isinf(m.Objective(all)));
    const auto v = m.Violations(all);
    ASSERT_EQ(v.size(), 2u);
    for (const auto& line : v)
    {
        EXPECT_NE(line.find("stability = inf"), std::string::npos) << line;
        EXPECT_NE(line.find("w_stability = 0"), std::string::npos) << line;
    }
    // with omega_s = 0 the stability term does not count (0 * inf was NaN): finite, feasible
    RoundState s0 = s;
    s0.objective.wStability = 0;
    const SplitCostModel m0(s0);
    EXPECT_TRUE(std::isfinite(m0.Objective(all)));
    EXPECT_DOUBLE_EQ(
        m0.Objective(all),
        2 * (t.deviceDelayS * s0.objective.wTime + t.deviceEnergyJ * s0.objective.wEnergy));
    EXPECT_TRUE(m0.Violations(all).empty());
    // ... unless the device cannot hold every layer
    s0.users[1].maxDeviceLayers = 2;
    ExpectOneViolation(SplitCostModel(s0),
                       all,
                       {"user 1", "all 4 layers", "max_device_layers = 2"});
}

TEST(SplitCostModel, RatesStayExactAtTinySnr)
{
    // log2(1 + snr) rounded 1 + snr to 1 below snr = 1.1e-16: a rate of exactly 0 (and an
    // infinite transfer time) on a link the formula gives a positive rate
    RoundState s = TinyState();
    s.users[0].gain = {1e-31, 1e-6};
    SplitCostModel m(s);
    const double b = 1e7;
    const double snr = 1e-31 * 1.0 / (s.noisePsdWPerHz * b); // 1e-26
    EXPECT_NEAR(m.UplinkRateBps(0, 0, 1.0, b), b * snr / std::log(2.0), 1e-12 * b * snr);
    const double downSnr = 1e-31 * 10 / (10e6 * s.noisePsdWPerHz);
    EXPECT_NEAR(m.DownlinkRateBps(0, 0, b), b * downSnr / std::log(2.0), 1e-12 * b * downSnr);
    EXPECT_TRUE(std::isfinite(m.UserTerms(0, Ok(0)).uplinkDelayS));
    // and unchanged at ordinary SNR
    EXPECT_NEAR(m.UplinkRateBps(0, 1, 0.5, 5e6),
                5e6 * std::log2(1 + 1e-6 * 0.5 / (1e-12 * 5e6)),
                1e-14 * 5e6);
}

TEST(SplitCostModel, DownlinkRatesFollowTheRateModelAtEveryCall)
{
    // No per-(user, server) rate table: the downlink spectral efficiency is
    // log2(1 + g P/(B sigma^2)) (log1p) for every pair, and follows a change of the rate model
    RoundState s = TinyState();
    s.users[1].gain = {1e-9, 1e-6};
    const SplitCostModel m(s);
    auto expected = [&s](uint32_t n, uint32_t k) {
        const ServerState& srv = s.servers[k];
        const double snr = s.users[n].gain[k] * srv.txPowerW / (srv.bandwidthHz * s.noisePsdWPerHz);
        return std::log1p(snr) / std::log(2.0);
    };
    for (uint32_t n = 0; n < 2; ++n)
    {
        for (uint32_t k = 0; k < 2; ++k)
        {
            EXPECT_NEAR(m.DownlinkSpectralEfficiency(n, k), expected(n, k), 1e-14 * expected(n, k));
        }
    }
    EXPECT_NEAR(m.DownlinkRateBps(1, 0, 2e6), 2e6 * expected(1, 0), 1e-14 * 2e6 * expected(1, 0));
    s.objective.rateModel = RateModel::ERGODIC;
    const double rho = 1e-9 * 10 / (10e6 * s.noisePsdWPerHz);
    const double ergodic = ErgodicLogValue(rho) / std::log(2.0);
    EXPECT_NEAR(m.DownlinkSpectralEfficiency(1, 0), ergodic, 1e-14 * ergodic);
    EXPECT_LT(ergodic, expected(1, 0)) << "Jensen: fading lowers the mean rate";
}

TEST(SplitCostModel, CandidateGainsAreTheStrongestServersAndTheRoundsValues)
{
    // each user's candidate list holds its k highest-gain servers, best first (ties: lower
    // index); Gain(n, m) answers the round's value on and off the list, for any k
    RoundState s = TinyState();
    s.servers.resize(5, s.servers[0]);
    s.users[0].gain = {1e-7, 3e-6, 2e-8, 3e-6, 5e-6};
    s.users[1].gain = {4e-6, 1e-9, 2e-6, 1e-8, 1e-7};
    uint32_t top[3];
    ASSERT_EQ(TopServersByGain(s.users[0].gain, 3, top), 3u);
    EXPECT_EQ(top[0], 4u);
    EXPECT_EQ(top[1], 1u);
    EXPECT_EQ(top[2], 3u);
    ASSERT_EQ(TopServersByGain(s.users[1].gain, 1, top), 1u);
    EXPECT_EQ(top[0], 0u) << "the best server is always on the list";
    uint32_t all[9];
    EXPECT_EQ(TopServersByGain(s.users[1].gain, 9, all), 5u) << "k above M: every server";
    EXPECT_EQ(all[4], 1u) << "the weakest last";
    for (uint32_t k : {0u, 1u, 2u, 4u, 5u, 8u})
    {
        const SplitCostModel m(s, k);
        for (uint32_t n = 0; n < 2; ++n)
        {
            for (uint32_t j = 0; j < 5; ++j)
            {
                EXPECT_EQ(m.Gain(n, j), s.users[n].gain[j]) << "k " << k << " pair " << n << j;
            }
        }
    }
}

TEST(SplitCostModelValidateLinks, AcceptsWeakLinksRejectsUnusableOnes)
{
    RoundState s = TinyState();
    s.users[1].gain[0] = 1e-40; // transfers take ~1e35 s: absurd, but a finite cost
    EXPECT_NO_THROW(s.Validate("t.json"));
    auto message = [](const RoundState& st) -> std::string {
        try
        {
            st.Validate("t.json");
        }
        catch (const InputError& e)
        {
            return e.what();
        }
        return "";
    };
    for (double g : {1e-320, 1e-200, 1e-110})
    {
        s.users[1].gain[0] = g;
        const std::string e = message(s);
        for (const char* piece : {"t.json: users[1].gain[0] = ", "servers[0]", "gain >= "})
        {
            EXPECT_NE(e.find(piece), std::string::npos) << g << ": " << e;
        }
        // the smallest gain the message names is the boundary
        const size_t at = e.find("gain >= ");
        ASSERT_NE(at, std::string::npos);
        const double minGain = std::strtod(e.c_str() + at + 8, nullptr);
        ASSERT_GT(minGain, g);
        s.users[1].gain[0] = minGain * 1.001;
        EXPECT_NO_THROW(s.Validate("t.json")) << minGain;
        s.users[1].gain[0] = minGain * 0.99;
        EXPECT_THROW(s.Validate("t.json"), InputError) << minGain;
    }
    // a payload no gain can carry over the band names the payload
    s = TinyState();
    s.users[0].payloadBits = 1e300;
    const std::string e = message(s);
    EXPECT_NE(e.find("users[0].payload_bits = 1e+300 cannot be sent over servers[0]"),
              std::string::npos)
        << e;
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
