/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the paper's allocator (FpAllocator): registration and attributes, feasible
 * integer allocations, rounding, agreement with exhaustive enumeration on tiny instances, and
 * the MAKESPAN outer loop.
 */
#include "ns3/association-solver.h"
#include "ns3/boolean.h"
#include "ns3/fp-allocator.h"
#include "ns3/fp-resource-solver.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-cost-model.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

RoundState
Instance(uint32_t users,
         uint32_t servers,
         const std::string& preset,
         uint64_t seed,
         ObjectiveMode mode = ObjectiveMode::DELAY_AWARE,
         double rminBps = 0,
         DelayAggregate delay = DelayAggregate::SUM)
{
    GeneratorOptions g;
    g.users = users;
    g.servers = servers;
    g.preset = preset;
    g.seed = seed;
    g.objective.mode = mode;
    g.objective.minRateBps = rminBps;
    g.objective.delay = delay;
    return RoundStateGenerator::Generate(g);
}

/// Best objective over every association and every integer alpha (continuous variables
/// re-solved by block 1 with alpha fixed).
double
Exhaustive(const RoundState& s)
{
    SplitCostModel model(s);
    FpResourceSolver solver(model);
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    double best = std::numeric_limits<double>::infinity();
    std::vector<uint32_t> server(N, 0);
    for (;;)
    {
        std::vector<double> alpha(N, s.MinAlpha());
        for (;;)
        {
            FpResourceOptions o;
            o.optimizeAlpha = false;
            const FpResourceResult r = solver.Solve(solver.InitialPoint(server, alpha), o);
            const Allocation a = FpAllocator::ToAllocation(r.point);
            if (model.Violations(a).empty())
            {
                best = std::min(best, model.Objective(a));
            }
            uint32_t n = 0;
            while (n < N && alpha[n] == s.MaxAlpha(n))
            {
                alpha[n] = s.MinAlpha();
                ++n;
            }
            if (n == N)
            {
                break;
            }
            alpha[n] += 1;
        }
        uint32_t n = 0;
        while (n < N && server[n] == M - 1)
        {
            server[n] = 0;
            ++n;
        }
        if (n == N)
        {
            break;
        }
        ++server[n];
    }
    return best;
}

} // namespace

TEST(FpAllocator, RegisteredWithAttributes)
{
    Ptr<SplitAllocator> a = SplitAllocator::CreateByName("fp");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->GetInstanceTypeId().GetName(), "ns3::FpAllocator");
    // the association step's default is the paper's block 2: CCCP on the GLPK LP (class doc)
    BooleanValue lp;
    a->GetAttribute("AssociationLp", lp);
    EXPECT_TRUE(lp.Get());
    for (const char* attr : {"MaxOuterIterations",
                             "MaxFpIterations",
                             "RelTolerance",
                             "CccpStarts",
                             "PenaltyRho",
                             "Seed",
                             "MakespanIterations",
                             "BestGainStart",
                             "AssociationLp",
                             "CandidateServers",
                             "PenaltyValues",
                             "StartProbeIterations",
                             "SearchFromCurrent",
                             "ResolveTrials",
                             "ResolveMaxUsers"})
    {
        TypeId::AttributeInformation info;
        EXPECT_TRUE(a->GetInstanceTypeId().LookupAttributeByName(attr, &info)) << attr;
    }
}

TEST(FpAllocator, FeasibleIntegerAllocationsOnRandomInstances)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 3; ++seed)
        {
            for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
            {
                const double rmin = mode == ObjectiveMode::PAPER ? 1e5 : 0;
                const RoundState s = Instance(20, 4, preset, seed, mode, rmin);
                SplitCostModel model(s);
                Ptr<SplitAllocator> fp = SplitAllocator::CreateByName("fp");
                const Allocation a = fp->Allocate(s);
                const auto v = model.Violations(a);
                EXPECT_TRUE(v.empty())
                    << preset << " seed " << seed << ": " << (v.empty() ? "" : v.front());
                ASSERT_EQ(a.users.size(), s.NumUsers());
                for (uint32_t n = 0; n < s.NumUsers(); ++n)
                {
                    EXPECT_LT(a.users[n].server, s.NumServers());
                    EXPECT_GE(a.users[n].alpha, s.MinAlpha());
                    EXPECT_LE(a.users[n].alpha, s.MaxAlpha(n));
                }
                EXPECT_EQ(a.iterations, a.objectiveHistory.size());
                EXPECT_GE(a.iterations, 1u);
                // the returned allocation is the best candidate evaluated
                const double obj = model.Objective(a);
                EXPECT_LE(obj,
                          *std::min_element(a.objectiveHistory.begin(), a.objectiveHistory.end()) *
                              (1 + 1e-12));
                EXPECT_LE(a.stationarity, 1e-6);
                // beats the naive start: greedy association, equal shares, p_max, mid alpha
                AssociationSolver as(model);
                FpResourceSolver solver(model);
                const RelaxedPoint naive = solver.InitialPoint(as.Greedy());
                std::vector<double> mid(s.NumUsers(), std::round(naive.alpha[0]));
                const Allocation na =
                    FpAllocator::ToAllocation(solver.InitialPoint(as.Greedy(), mid));
                if (model.Violations(na).empty())
                {
                    EXPECT_LT(obj, model.Objective(na));
                }
            }
        }
    }
}

TEST(FpAllocator, RoundingPicksTheBetterNeighbourAndResolves)
{
    const RoundState s = Instance(10, 2, "realistic", 4);
    SplitCostModel model(s);
    FpResourceSolver solver(model);
    RelaxedPoint x = solver.InitialPoint(std::vector<uint32_t>(s.NumUsers(), 0));
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        x.alpha[n] = 2.0 + 0.37 * n; // fractional values
    }
    FpResourceOptions o;
    const FpAllocator::Candidate c = FpAllocator::RoundAndResolve(solver, x, o);
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        const uint32_t a = c.allocation.users[n].alpha;
        EXPECT_TRUE(a == std::floor(x.alpha[n]) || a == std::ceil(x.alpha[n])) << n;
        // the chosen neighbour is the cheaper one at the relaxed point's resources
        auto cost = [&](double al) {
            return model.UserObjective(n,
                                       model.UserTerms(n,
                                                       0,
                                                       al,
                                                       x.powerW[n],
                                                       x.bandwidthHz[n],
                                                       x.freqHz[n],
                                                       x.edgeFreqHz[n]));
        };
        const double other =
            a == std::floor(x.alpha[n]) ? std::ceil(x.alpha[n]) : std::floor(x.alpha[n]);
        EXPECT_LE(cost(a), cost(other)) << n;
    }
    EXPECT_TRUE(c.feasible);
    EXPECT_LE(c.stationarity, 1e-6);
    // re-solving lowered the objective below the rounded point with the old resources
    RelaxedPoint rounded = x;
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        rounded.alpha[n] = c.allocation.users[n].alpha;
    }
    EXPECT_LT(c.objective, model.Objective(FpAllocator::ToAllocation(rounded)));
}

TEST(FpAllocator, WithinHalfAPercentOfExhaustiveOnTinyInstances)
{
    // 3 users x 2 servers, alpha in {1, ..., 4}: 40 seeds per preset against enumeration of
    // every association and every integer alpha. Seed 17 (realistic) needs the
    // swap-with-resolve step: without it FP stops 0.6-0.7 % above the optimum (users 0 and 1
    // on each other's server; the swap only pays after block 1 re-solves the resources).
    for (const std::string preset : {"paper", "realistic"})
    {
        uint32_t exact = 0;
        uint32_t cases = 0;
        double worst = 0;
        for (uint64_t seed = 1; seed <= 40; ++seed)
        {
            RoundState s = Instance(3, 2, preset, seed);
            s.layers = 5; // alpha in {1, ..., 4}
            // a stability weight that makes the split matter
            s.objective.wStability = preset == "paper" ? 1e5 : 1e3;
            s.Validate();
            SplitCostModel model(s);
            const double best = Exhaustive(s);
            const Allocation a = SplitAllocator::CreateByName("fp")->Allocate(s);
            const double obj = model.Objective(a);
            EXPECT_GE(obj, best * (1 - 1e-9)) << "below the exhaustive optimum? seed " << seed;
            EXPECT_LE(obj, best * 1.005) << preset << " seed " << seed;
            worst = std::max(worst, obj / best - 1);
            exact += obj <= best * (1 + 1e-6);
            ++cases;
        }
        RecordProperty(preset + "_worst_gap_ppm", static_cast<int>(1e6 * worst));
        EXPECT_GE(exact, cases * 9 / 10)
            << preset << ": FP matched the exhaustive optimum in " << exact << " of " << cases;
    }
}

TEST(FpAllocator, SwapWithResolveClosesTheSeed17Gap)
{
    // The instance the step was added for: without it FP ends > 0.5 % above the optimum.
    RoundState s = Instance(3, 2, "realistic", 17);
    s.layers = 5;
    s.objective.wStability = 1e3;
    s.Validate();
    SplitCostModel model(s);
    const double best = Exhaustive(s);
    Ptr<SplitAllocator> off = SplitAllocator::CreateByName("fp");
    off->SetAttribute("ResolveTrials", UintegerValue(0));
    const double without = model.Objective(off->Allocate(s));
    const double with = model.Objective(SplitAllocator::CreateByName("fp")->Allocate(s));
    EXPECT_GT(without, best * 1.005) << "the instance no longer needs the step";
    EXPECT_LE(with, best * (1 + 1e-6));
}

TEST(FpAllocator, MakespanLoopLowersTheMakespanObjective)
{
    uint32_t better = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed)
    {
        const RoundState mk = Instance(15,
                                       3,
                                       "realistic",
                                       seed,
                                       ObjectiveMode::DELAY_AWARE,
                                       0,
                                       DelayAggregate::MAKESPAN);
        RoundState sum = mk;
        sum.objective.delay = DelayAggregate::SUM;
        SplitCostModel mkModel(mk);
        const Allocation aSum = SplitAllocator::CreateByName("fp")->Allocate(sum);
        const Allocation aMk = SplitAllocator::CreateByName("fp")->Allocate(mk);
        EXPECT_TRUE(mkModel.Violations(aMk).empty());
        const double jSum = mkModel.Objective(aSum);
        const double jMk = mkModel.Objective(aMk);
        EXPECT_LE(jMk, jSum * (1 + 1e-9)) << "seed " << seed;
        better += jMk < jSum * (1 - 1e-3);
        // the weight updates ran and the best candidate is returned
        EXPECT_GT(aMk.iterations, 5u);
        EXPECT_LE(jMk,
                  *std::min_element(aMk.objectiveHistory.begin(), aMk.objectiveHistory.end()) *
                      (1 + 1e-12));
    }
    EXPECT_GT(better, 0u) << "the makespan loop never beat the SUM allocation";
}

TEST(FpAllocator, CandidateCccpMatchesTheFullCccpAndTheSearch)
{
    // The paper's CCCP as FpAllocator runs it (default AssociationLp = true: the GLPK LP
    // restricted to each user's 4 highest-gain servers, one rho, starts stopped once two agree,
    // then the true-cost search) against the full one (every server, 4 starts x 5 rho values)
    // and against the search alone (AssociationLp = false): within 0.1 % of both on random
    // instances, both aggregates.
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 3; ++seed)
        {
            for (DelayAggregate delay : {DelayAggregate::SUM, DelayAggregate::MAKESPAN})
            {
                const RoundState s =
                    Instance(30, 6, preset, seed, ObjectiveMode::DELAY_AWARE, 0, delay);
                SplitCostModel model(s);
                Ptr<SplitAllocator> lp = SplitAllocator::CreateByName("fp");
                lp->SetAttribute("AssociationLp", BooleanValue(true));
                Ptr<SplitAllocator> full = SplitAllocator::CreateByName("fp");
                full->SetAttribute("AssociationLp", BooleanValue(true));
                full->SetAttribute("CandidateServers", UintegerValue(0));
                full->SetAttribute("CccpStarts", UintegerValue(4));
                full->SetAttribute("PenaltyValues", UintegerValue(5));
                Ptr<SplitAllocator> search = SplitAllocator::CreateByName("fp");
                search->SetAttribute("AssociationLp", BooleanValue(false));
                const double lo = model.Objective(lp->Allocate(s));
                const double fo = model.Objective(full->Allocate(s));
                const double so = model.Objective(search->Allocate(s));
                EXPECT_LE(lo, fo * (1 + 1e-3)) << preset << " seed " << seed;
                EXPECT_LE(lo, so * (1 + 1e-3)) << preset << " seed " << seed;
                EXPECT_LE(so, lo * (1 + 1e-3)) << preset << " seed " << seed;
            }
        }
    }
}

TEST(FpAllocator, SearchOnlyWithinHalfAPercentOfExhaustive)
{
    // AssociationLp = false (the true-cost search without the LP) on the tiny instances of the
    // exhaustive comparison (20 seeds per preset): the same 0.5 % bound as the default (the
    // paper's CCCP, WithinHalfAPercentOfExhaustiveOnTinyInstances).
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 20; ++seed)
        {
            RoundState s = Instance(3, 2, preset, seed);
            s.layers = 5;
            s.objective.wStability = preset == "paper" ? 1e5 : 1e3;
            s.Validate();
            SplitCostModel model(s);
            Ptr<SplitAllocator> fp = SplitAllocator::CreateByName("fp");
            fp->SetAttribute("AssociationLp", BooleanValue(false));
            const double obj = model.Objective(fp->Allocate(s));
            EXPECT_LE(obj, Exhaustive(s) * 1.005) << preset << " seed " << seed;
        }
    }
}
