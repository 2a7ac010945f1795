/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of block 1 (FpResourceSolver): the closed-form device frequency, the quadratic
 * transform identity, monotone objective on random instances, the KKT residual at the end,
 * agreement with a brute-force search on tiny instances, binding capacities, the rate floor of
 * PAPER mode, and per-user delay weights.
 */
#include "ns3/fp-resource-solver.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-cost-model.h"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Every user on its highest-gain server.
std::vector<uint32_t>
BestGain(const RoundState& s)
{
    std::vector<uint32_t> server(s.NumUsers());
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        const auto& g = s.users[n].gain;
        server[n] = static_cast<uint32_t>(std::max_element(g.begin(), g.end()) - g.begin());
    }
    return server;
}

RoundState
Instance(uint32_t users,
         uint32_t servers,
         const std::string& preset,
         uint64_t seed,
         ObjectiveMode mode,
         double rminBps = 0)
{
    GeneratorOptions g;
    g.users = users;
    g.servers = servers;
    g.preset = preset;
    g.seed = seed;
    g.objective.mode = mode;
    g.objective.minRateBps = rminBps;
    return RoundStateGenerator::Generate(g);
}

/// One hand-built user on one server (values of the paper preset's order of magnitude).
RoundState
TinyState(ObjectiveMode mode, double rminBps, uint32_t users = 1)
{
    RoundState s;
    s.layers = 8;
    s.noisePsdWPerHz = 4e-20;
    s.objective.mode = mode;
    s.objective.minRateBps = rminBps;
    ServerState srv;
    srv.bandwidthHz = 10e6;
    srv.fMaxHz = 1.5e9;
    srv.cores = 2560;
    srv.flopsPerCycle = 1;
    srv.kappa = 1e-28;
    srv.txPowerW = 10;
    s.servers.push_back(srv);
    for (uint32_t n = 0; n < users; ++n)
    {
        UserState u;
        u.flopsPerLayer = 2e11 * (1 + 0.3 * n);
        u.payloadBits = 4e7 * (1 + 0.5 * n);
        u.downlinkBits = 4e7 * (1 + 0.5 * n);
        u.cores = 4;
        u.flopsPerCycle = 1;
        u.fMaxHz = 8e8;
        u.kappa = 1e-28;
        u.pMaxW = 1.5;
        u.lipschitz = 1;
        u.datasetSize = 1000;
        u.gain = {2e-11 / (1 + 2.0 * n)};
        s.users.push_back(u);
    }
    s.Validate();
    return s;
}

/// Weighted objective of one user at real alpha through the cost model.
double
UserCost(const SplitCostModel& model,
         uint32_t n,
         double alpha,
         double p,
         double b,
         double f,
         double fe)
{
    return model.UserObjective(n, model.UserTerms(n, 0, alpha, p, b, f, fe));
}

/// Brent on a log scale: minimum of fn over [lo, hi].
template <typename F>
std::pair<double, double>
BrentLog(F fn, double lo, double hi)
{
    auto r = boost::math::tools::brent_find_minima([&](double t) { return fn(std::exp(t)); },
                                                   std::log(lo),
                                                   std::log(hi),
                                                   52);
    return {std::exp(r.first), r.second};
}

/// Brute-force minimum over p of the user's cost for fixed b (Brent plus a grid).
double
BestOverPower(const SplitCostModel& model, uint32_t n, double alpha, double b, double f, double fe)
{
    const UserState& u = model.GetState().users[n];
    const double lo = std::max(model.MinPowerW(n, 0, b), 1e-9 * u.pMaxW);
    if (lo >= u.pMaxW)
    {
        return UserCost(model, n, alpha, u.pMaxW, b, f, fe);
    }
    auto cost = [&](double p) { return UserCost(model, n, alpha, p, b, f, fe); };
    double best = std::min(cost(lo), cost(u.pMaxW));
    best = std::min(best, BrentLog(cost, lo, u.pMaxW).second);
    return best;
}

} // namespace

TEST(FpResourceSolver, DeviceFrequencyIsTheClosedForm)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        RoundState s = Instance(12, 3, preset, 5, ObjectiveMode::DELAY_AWARE);
        // make the interior optimum appear for some users: large kappa caps it below f_max
        for (uint32_t n = 0; n < s.NumUsers(); n += 2)
        {
            s.users[n].kappa *= 1e3;
        }
        SplitCostModel model(s);
        FpResourceSolver solver(model);
        const FpResourceResult r = solver.Solve(solver.InitialPoint(BestGain(s)), {});
        uint32_t interior = 0;
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const double oracle = SplitCostModel::OptimalDeviceFrequency(s.users[n], s.objective);
            EXPECT_NEAR(r.point.freqHz[n], oracle, 1e-12 * oracle) << preset << " user " << n;
            interior += oracle < s.users[n].fMaxHz;
        }
        EXPECT_GT(interior, 0u) << "no user with an interior frequency optimum: weak test";
    }
}

TEST(FpResourceSolver, QuadraticTransformIdentity)
{
    // a c = min_y (a^2 y + c^2/(4y)), attained at y = c/(2a), larger elsewhere
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> logU(-8, 8);
    for (int i = 0; i < 200; ++i)
    {
        const double a = std::exp(logU(rng));
        const double c = std::exp(logU(rng));
        auto s = [&](double y) { return a * a * y + c * c / (4 * y); };
        const double yStar = c / (2 * a);
        EXPECT_NEAR(s(yStar), a * c, 1e-13 * a * c);
        for (double factor : {0.5, 0.9, 0.999, 1.001, 1.1, 3.0})
        {
            EXPECT_GE(s(yStar * factor), a * c * (1 - 1e-15));
        }
        EXPECT_GT(s(yStar * 1.1), a * c * (1 + 1e-4));
        // and a numerical minimisation over y finds the same value
        auto m = boost::math::tools::brent_find_minima([&](double t) { return s(std::exp(t)); },
                                                       std::log(yStar) - 10,
                                                       std::log(yStar) + 10,
                                                       52);
        EXPECT_NEAR(m.second, a * c, 1e-12 * a * c);
        EXPECT_NEAR(std::exp(m.first), yStar, 1e-5 * yStar);
    }
}

TEST(FpResourceSolver, ObjectiveNonIncreasingOnRandomInstances)
{
    uint32_t runs = 0;
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 6; ++seed)
        {
            for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
            {
                const double rmin = mode == ObjectiveMode::PAPER ? 1e5 : 0;
                const RoundState s = Instance(8 + 3 * seed, 1 + seed % 4, preset, seed, mode, rmin);
                SplitCostModel model(s);
                FpResourceSolver solver(model);
                const RelaxedPoint x0 = solver.InitialPoint(BestGain(s));
                for (int variant = 0; variant < 4; ++variant)
                {
                    FpResourceOptions o;
                    o.optimizeAlpha = variant % 2 == 0;
                    // variant 2/3: the paper's plain FP (no acceleration, no exact p-step)
                    o.accelerate = variant < 2;
                    o.exactPowerStep = variant < 2;
                    o.maxIterations = variant < 2 ? 100 : 30;
                    const FpResourceResult r = solver.Solve(x0, o);
                    ASSERT_FALSE(r.objectiveHistory.empty());
                    double prev = r.initialObjective;
                    for (double k : r.objectiveHistory)
                    {
                        EXPECT_LE(k, prev * (1 + 1e-13))
                            << preset << " seed " << seed << " variant " << variant;
                        prev = k;
                    }
                    EXPECT_LT(r.objectiveHistory.back(), r.initialObjective);
                    // a step that raised K (and was undone) may only be rounding-level
                    EXPECT_LE(r.maxRejectedRise, 1e-12);
                    // the reported history is the cost model's objective at the final point
                    EXPECT_NEAR(solver.RelaxedObjective(r.point),
                                r.objectiveHistory.back(),
                                1e-12 * r.objectiveHistory.back());
                    ++runs;
                }
            }
        }
    }
    EXPECT_EQ(runs, 96u);
}

TEST(FpResourceSolver, StationarityResidualAtConvergence)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 4; ++seed)
        {
            for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
            {
                const double rmin = mode == ObjectiveMode::PAPER ? 1e5 : 0;
                const RoundState s = Instance(20, 4, preset, seed, mode, rmin);
                SplitCostModel model(s);
                FpResourceSolver solver(model);
                const RelaxedPoint x0 = solver.InitialPoint(BestGain(s));
                // the residual sees that the equal-share start is not a KKT point
                EXPECT_GT(solver.Stationarity(x0, false), 1e-3);
                for (bool optAlpha : {true, false})
                {
                    FpResourceOptions o;
                    o.optimizeAlpha = optAlpha;
                    const FpResourceResult r = solver.Solve(x0, o);
                    EXPECT_TRUE(r.converged) << preset << " seed " << seed;
                    EXPECT_TRUE(r.feasible);
                    EXPECT_LE(r.stationarity, 1e-6)
                        << preset << " seed " << seed << " alpha " << optAlpha;
                    EXPECT_NEAR(r.stationarity, solver.Stationarity(r.point, !optAlpha), 1e-15);
                }
            }
        }
    }
}

TEST(FpResourceSolver, AlphaFixedMatchesBruteForceOneUser)
{
    for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
    {
        const double rmin = mode == ObjectiveMode::PAPER ? 2e6 : 0;
        const RoundState s = TinyState(mode, rmin);
        SplitCostModel model(s);
        FpResourceSolver solver(model);
        const double bMax = s.servers[0].bandwidthHz;
        const double fMax = s.servers[0].fMaxHz;
        for (double alpha : {1.0, 3.0, 7.0})
        {
            FpResourceOptions o;
            o.optimizeAlpha = false;
            const FpResourceResult r = solver.Solve(solver.InitialPoint({0}, {alpha}), o);
            const RelaxedPoint& x = r.point;
            EXPECT_EQ(x.alpha[0], alpha);
            const double fp = solver.RelaxedObjective(x);
            // brute force: f and fe separate (1-D each), b and p nested
            const double f =
                BrentLog([&](double v) { return UserCost(model, 0, alpha, 1, bMax, v, fMax); },
                         1e6,
                         s.users[0].fMaxHz)
                    .first;
            const double fStar = std::min(f, s.users[0].fMaxHz);
            const double fe =
                BrentLog([&](double v) { return UserCost(model, 0, alpha, 1, bMax, fStar, v); },
                         1e6,
                         fMax)
                    .first;
            double brute =
                BrentLog([&](double b) { return BestOverPower(model, 0, alpha, b, fStar, fe); },
                         1e-3 * bMax,
                         bMax)
                    .second;
            // the bounds themselves (optimum at b = b_max, fe = f_max is typical)
            brute = std::min(brute, BestOverPower(model, 0, alpha, bMax, fStar, fe));
            brute = std::min(brute, BestOverPower(model, 0, alpha, bMax, fStar, fMax));
            EXPECT_NEAR(fp, brute, 1e-6 * brute) << "alpha " << alpha;
            EXPECT_LE(fp, brute * (1 + 1e-9)) << "FP above the brute-force minimum";
            Allocation a;
            a.users.push_back({0,
                               static_cast<uint32_t>(alpha),
                               x.powerW[0],
                               x.bandwidthHz[0],
                               x.freqHz[0],
                               x.edgeFreqHz[0]});
            EXPECT_TRUE(model.Violations(a).empty());
            EXPECT_LE(r.stationarity, 1e-6);
        }
    }
}

TEST(FpResourceSolver, AlphaFixedMatchesBruteForceTwoUsersSharing)
{
    // two users share one server: brute force over the bandwidth split b1 (b2 = B - b1), the
    // GPU split, and each user's power; FP must reach the same optimum
    for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
    {
        const double rmin = mode == ObjectiveMode::PAPER ? 1e6 : 0;
        RoundState s = TinyState(mode, rmin, 2);
        s.servers[0].fMaxHz = 4e8; // GPU capacity binds
        SplitCostModel model(s);
        FpResourceSolver solver(model);
        const double B = s.servers[0].bandwidthHz;
        const double F = s.servers[0].fMaxHz;
        const std::vector<double> alpha = {2.0, 5.0};
        FpResourceOptions o;
        o.optimizeAlpha = false;
        const FpResourceResult r = solver.Solve(solver.InitialPoint({0, 0}, alpha), o);
        const double fp = solver.RelaxedObjective(r.point);
        const double f0 = SplitCostModel::OptimalDeviceFrequency(s.users[0], s.objective);
        const double f1 = SplitCostModel::OptimalDeviceFrequency(s.users[1], s.objective);
        // GPU split (separable from the bandwidth part)
        auto gpu = [&](double share) {
            const CostTerms t0 = model.UserTerms(0, 0, alpha[0], 1, B / 2, f0, share * F);
            const CostTerms t1 = model.UserTerms(1, 0, alpha[1], 1, B / 2, f1, (1 - share) * F);
            const ObjectiveSettings& ob = s.objective;
            return ob.wTime * (t0.edgeDelayS + t1.edgeDelayS) +
                   ob.wEnergy * (t0.edgeEnergyJ + t1.edgeEnergyJ);
        };
        const double share = boost::math::tools::brent_find_minima(gpu, 1e-6, 1 - 1e-6, 52).first;
        auto band = [&](double b1) {
            return BestOverPower(model, 0, alpha[0], b1, f0, share * F) +
                   BestOverPower(model, 1, alpha[1], B - b1, f1, (1 - share) * F);
        };
        // feasible b1 range under the rate floor
        double lo = 1e-4 * B;
        double hi = B - 1e-4 * B;
        auto bruteB = boost::math::tools::brent_find_minima(band, lo, hi, 52);
        const double brute = bruteB.second;
        EXPECT_NEAR(fp, brute, 1e-6 * brute);
        EXPECT_LE(fp, brute * (1 + 1e-9));
        EXPECT_NEAR(r.point.bandwidthHz[0], bruteB.first, 1e-3 * B);
        EXPECT_NEAR(r.point.edgeFreqHz[0], share * F, 1e-4 * F);
        // both capacities bind
        EXPECT_NEAR(r.point.bandwidthHz[0] + r.point.bandwidthHz[1], B, 1e-9 * B);
        EXPECT_NEAR(r.point.edgeFreqHz[0] + r.point.edgeFreqHz[1], F, 1e-9 * F);
        EXPECT_GT(r.bandwidthPrice[0], 0);
        EXPECT_GT(r.gpuPrice[0], 0);
        EXPECT_LE(r.stationarity, 1e-6);
        if (mode == ObjectiveMode::PAPER)
        {
            // the rate floor is active for both users (energy grows with p)
            for (uint32_t n = 0; n < 2; ++n)
            {
                const double rate =
                    model.UplinkRateBps(n, 0, r.point.powerW[n], r.point.bandwidthHz[n]);
                EXPECT_NEAR(rate, rmin, 1e-6 * rmin);
            }
        }
    }
}

TEST(FpResourceSolver, CapacitiesBindAndConstraintsHold)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 4; ++seed)
        {
            const RoundState s = Instance(30, 5, preset, seed, ObjectiveMode::DELAY_AWARE);
            SplitCostModel model(s);
            FpResourceSolver solver(model);
            const FpResourceResult r = solver.Solve(solver.InitialPoint(BestGain(s)), {});
            const RelaxedPoint& x = r.point;
            std::vector<double> band(s.NumServers(), 0.0);
            std::vector<double> gpu(s.NumServers(), 0.0);
            std::vector<uint32_t> count(s.NumServers(), 0);
            for (uint32_t n = 0; n < s.NumUsers(); ++n)
            {
                band[x.server[n]] += x.bandwidthHz[n];
                gpu[x.server[n]] += x.edgeFreqHz[n];
                ++count[x.server[n]];
                EXPECT_GE(x.alpha[n], s.MinAlpha());
                EXPECT_LE(x.alpha[n], s.MaxAlpha(n));
                EXPECT_GT(x.powerW[n], 0);
                EXPECT_LE(x.powerW[n], s.users[n].pMaxW);
            }
            for (uint32_t m = 0; m < s.NumServers(); ++m)
            {
                if (count[m] == 0)
                {
                    continue;
                }
                // more bandwidth always helps: its sum binds
                EXPECT_NEAR(band[m], s.servers[m].bandwidthHz, 1e-9 * s.servers[m].bandwidthHz);
                EXPECT_GT(r.bandwidthPrice[m], 0);
                // the GPU sum binds exactly when its price is positive
                if (r.gpuPrice[m] > 0)
                {
                    EXPECT_NEAR(gpu[m], s.servers[m].fMaxHz, 1e-9 * s.servers[m].fMaxHz);
                }
                else
                {
                    EXPECT_LE(gpu[m], s.servers[m].fMaxHz * (1 + 1e-12));
                }
            }
            // the integer version (alpha rounded) of a fixed-alpha solve is feasible
            FpResourceOptions o;
            o.optimizeAlpha = false;
            RelaxedPoint xi = x;
            for (double& a : xi.alpha)
            {
                a = std::round(a);
            }
            const FpResourceResult ri = solver.Solve(xi, o);
            Allocation a;
            for (uint32_t n = 0; n < s.NumUsers(); ++n)
            {
                a.users.push_back({ri.point.server[n],
                                   static_cast<uint32_t>(ri.point.alpha[n]),
                                   ri.point.powerW[n],
                                   ri.point.bandwidthHz[n],
                                   ri.point.freqHz[n],
                                   ri.point.edgeFreqHz[n]});
            }
            const auto v = model.Violations(a);
            EXPECT_TRUE(v.empty()) << (v.empty() ? "" : v.front());
        }
    }
}

TEST(FpResourceSolver, GpuPriceZeroWhenCapacityIsSlack)
{
    RoundState s = TinyState(ObjectiveMode::DELAY_AWARE, 0, 2);
    s.servers[0].fMaxHz = 1e12; // far above both users' unconstrained optimum
    s.servers[0].kappa = 1e-26;
    SplitCostModel model(s);
    FpResourceSolver solver(model);
    const FpResourceResult r = solver.Solve(solver.InitialPoint({0, 0}), {});
    EXPECT_EQ(r.gpuPrice[0], 0.0);
    const double sum = r.point.edgeFreqHz[0] + r.point.edgeFreqHz[1];
    EXPECT_LT(sum, 0.5 * s.servers[0].fMaxHz);
    // each share minimises B(fe) on its own: the derivative of the edge cost vanishes
    for (uint32_t n = 0; n < 2; ++n)
    {
        const double fe = r.point.edgeFreqHz[n];
        const double h = 1e-4 * fe;
        const double d =
            (model.EdgeLayerCost(n, 0, fe + h) - model.EdgeLayerCost(n, 0, fe - h)) / (2 * h);
        EXPECT_LT(std::abs(d) * fe / model.EdgeLayerCost(n, 0, fe), 1e-6);
    }
    EXPECT_LE(r.stationarity, 1e-6);
}

TEST(FpResourceSolver, PaperModeRespectsMinimumRate)
{
    for (uint64_t seed = 1; seed <= 4; ++seed)
    {
        const double rmin = 2e5;
        const RoundState s = Instance(25, 3, "paper", seed, ObjectiveMode::PAPER, rmin);
        SplitCostModel model(s);
        FpResourceSolver solver(model);
        const FpResourceResult r = solver.Solve(solver.InitialPoint(BestGain(s)), {});
        ASSERT_TRUE(r.feasible);
        uint32_t atFloor = 0;
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const double rate = model.UplinkRateBps(n,
                                                    r.point.server[n],
                                                    r.point.powerW[n],
                                                    r.point.bandwidthHz[n]);
            EXPECT_GE(rate, rmin * (1 - 1e-9)) << "seed " << seed << " user " << n;
            // transmit energy grows with p in PAPER mode: the floor is where p settles
            atFloor += rate <= rmin * (1 + 1e-6);
        }
        EXPECT_EQ(atFloor, s.NumUsers()) << "PAPER mode: every user at r_min";
        EXPECT_LE(r.stationarity, 1e-6);
    }
}

TEST(FpResourceSolver, UnreachableMinimumRateIsReportedNotFatal)
{
    const RoundState s = TinyState(ObjectiveMode::PAPER, 1e12, 2); // 1 Tbit/s
    SplitCostModel model(s);
    FpResourceSolver solver(model);
    const FpResourceResult r = solver.Solve(solver.InitialPoint({0, 0}), {});
    EXPECT_FALSE(r.feasible);
    EXPECT_TRUE(std::isfinite(r.objectiveHistory.back()));
    for (uint32_t n = 0; n < 2; ++n)
    {
        EXPECT_DOUBLE_EQ(r.point.powerW[n], s.users[n].pMaxW); // best effort: full power
    }
}

TEST(FpResourceSolver, UniformDelayWeightEqualsScaledTimeWeight)
{
    // w_n = c for every user is the SUM problem with omega_t multiplied by c
    const double c = 3.5;
    RoundState s = Instance(15, 3, "realistic", 3, ObjectiveMode::DELAY_AWARE);
    RoundState s2 = s;
    s2.objective.wTime *= c;
    SplitCostModel model(s);
    SplitCostModel model2(s2);
    FpResourceSolver solver(model);
    FpResourceSolver solver2(model2);
    FpResourceOptions o;
    o.delayWeights.assign(s.NumUsers(), c);
    const FpResourceResult r = solver.Solve(solver.InitialPoint(BestGain(s)), o);
    const FpResourceResult r2 = solver2.Solve(solver2.InitialPoint(BestGain(s)), {});
    EXPECT_NEAR(r.objectiveHistory.back(),
                r2.objectiveHistory.back(),
                1e-9 * r2.objectiveHistory.back());
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        EXPECT_NEAR(r.point.bandwidthHz[n],
                    r2.point.bandwidthHz[n],
                    1e-4 * r2.point.bandwidthHz[n]);
        EXPECT_NEAR(r.point.alpha[n], r2.point.alpha[n], 1e-4 * r2.point.alpha[n]);
    }
    // and a non-uniform weight moves bandwidth toward the heavier user
    o.delayWeights.assign(s.NumUsers(), 1.0);
    const FpResourceResult base = solver.Solve(solver.InitialPoint(BestGain(s)), o);
    o.delayWeights[0] = 10.0;
    const FpResourceResult heavy = solver.Solve(solver.InitialPoint(BestGain(s)), o);
    EXPECT_GT(heavy.point.bandwidthHz[0], base.point.bandwidthHz[0] * 1.01);
}

TEST(FpResourceSolver, RelaxedAlphaFindsInteriorOptimum)
{
    // Edge layers made costlier than device layers (slow servers) push alpha up, a stability
    // weight pushes it down: alpha's optimum is interior, where A - B + omega_s Stab' = 0.
    RoundState s = Instance(6, 2, "realistic", 2, ObjectiveMode::DELAY_AWARE);
    for (auto& srv : s.servers)
    {
        srv.flopsPerCycle *= 1e-3;
    }
    {
        SplitCostModel m0(s);
        const uint32_t m = BestGain(s)[0];
        const double f = SplitCostModel::OptimalDeviceFrequency(s.users[0], s.objective);
        const double a = m0.DeviceLayerCost(0, f);
        const double b = m0.EdgeLayerCost(0, m, s.servers[m].fMaxHz / 3);
        ASSERT_GT(b, a);
        const double stab0 = m0.Stability(0, 0);
        const double half = 0.5 * s.layers;
        // Stab'(alpha) = stab0 Upsilon / (Upsilon - alpha)^2
        s.objective.wStability =
            (b - a) * (s.layers - half) * (s.layers - half) / (stab0 * s.layers);
    }
    SplitCostModel model(s);
    FpResourceSolver solver(model);
    const FpResourceResult r = solver.Solve(solver.InitialPoint(BestGain(s)), {});
    uint32_t interior = 0;
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        interior +=
            r.point.alpha[n] > s.MinAlpha() + 1e-3 && r.point.alpha[n] < s.MaxAlpha(n) - 1e-3;
    }
    EXPECT_GT(interior, 0u);
    EXPECT_LE(r.stationarity, 1e-6);
    EXPECT_TRUE(r.converged);
}

TEST(FpResourceSolver, DegenerateWeightsStayFiniteAndConverge)
{
    // omega_e = 0 in PAPER mode: (p, b) do not enter the objective at all (the p-Newton once
    // divided 0 by 0); omega_t = 0: the optima of f, f^E and p sit at their floors
    struct Case
    {
        double wt;
        double we;
        ObjectiveMode mode;
        double rmin;
    };

    for (const Case c : {Case{1, 0, ObjectiveMode::PAPER, 1e5},
                         Case{1, 0, ObjectiveMode::DELAY_AWARE, 0},
                         Case{0, 1, ObjectiveMode::DELAY_AWARE, 0},
                         Case{0, 1, ObjectiveMode::PAPER, 1e5}})
    {
        for (const std::string preset : {"paper", "realistic"})
        {
            RoundState s = Instance(12, 3, preset, 3, c.mode, c.rmin);
            s.objective.wTime = c.wt;
            s.objective.wEnergy = c.we;
            SplitCostModel model(s);
            FpResourceSolver solver(model);
            const FpResourceResult r = solver.Solve(solver.InitialPoint(BestGain(s)), {});
            EXPECT_TRUE(std::isfinite(r.objectiveHistory.back())) << preset << " wt " << c.wt;
            EXPECT_EQ(r.rejectedSteps, 0u) << preset << " wt " << c.wt;
            EXPECT_TRUE(r.converged);
            EXPECT_LE(r.stationarity, 1e-6) << preset << " wt " << c.wt << " we " << c.we;
            EXPECT_LT(r.objectiveHistory.back(), r.initialObjective);
        }
    }
}
