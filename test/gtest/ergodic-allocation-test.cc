/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The allocators under the ergodic rate model: FP against every baseline, against the NLP
 * reference (block 1 and the whole allocator) and against the exhaustive oracle, and FP's
 * gain from planning with the model it is judged by.
 */
#include "ns3/association-solver.h"
#include "ns3/fp-allocator.h"
#include "ns3/fp-resource-solver.h"
#include "ns3/nlp-reference-allocator.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-allocator.h"
#include "ns3/split-cost-model.h"

#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

RoundState
ErgodicInstance(uint32_t users, uint32_t servers, const std::string& preset, uint64_t seed)
{
    GeneratorOptions g;
    g.users = users;
    g.servers = servers;
    g.preset = preset;
    g.seed = seed;
    g.objective.rateModel = RateModel::ERGODIC;
    return RoundStateGenerator::Generate(g);
}

/// The allocators FP is compared with: every known one but FP itself, the references and
/// the two that are infeasible or unbounded by design (local-only, edge-only below alpha_min).
bool
IsBaseline(const std::string& name)
{
    return name != "fp" && name != "nlp-ipopt" && name != "exhaustive" && name != "local-only" &&
           name != "edge-only" && name != "external"; // external: a program (own tests)
}

} // namespace

TEST(ErgodicAllocation, FpNeverWorseThanAnyBaseline)
{
    double smallestMargin = INFINITY;
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed : {1, 2, 3})
        {
            const RoundState s = ErgodicInstance(20, 4, preset, seed);
            SplitCostModel model(s);
            const Allocation fp = SplitAllocator::CreateByName("fp")->Allocate(s);
            ASSERT_TRUE(model.Violations(fp).empty()) << model.Violations(fp).front();
            const double fpObj = model.Objective(fp);
            for (const auto& [name, type] : SplitAllocator::KnownAllocators())
            {
                if (!IsBaseline(name))
                {
                    continue;
                }
                Ptr<SplitAllocator> b = SplitAllocator::CreateByName(name);
                b->AssignStreams(static_cast<int64_t>(seed));
                const Allocation a = b->Allocate(s);
                const double obj = model.Objective(a);
                EXPECT_LE(fpObj, obj * (1 + 1e-9)) << preset << " seed " << seed << ": FP " << fpObj
                                                   << " vs " << name << " " << obj;
                smallestMargin = std::min(smallestMargin, obj / fpObj - 1);
            }
        }
    }
    std::printf("[ info     ] ergodic: smallest baseline/FP - 1 = %.3g\n", smallestMargin);
    RecordProperty("smallest_margin", std::to_string(smallestMargin));
}

TEST(ErgodicAllocation, FpBlock1MatchesTheNlpReference)
{
    double worst = -INFINITY;
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed : {1, 2, 3})
        {
            const RoundState s = ErgodicInstance(20, 4, preset, seed);
            SplitCostModel model(s);
            const auto greedy = AssociationSolver(model).Greedy();
            FpResourceSolver fp(model);
            const FpResourceResult f = fp.Solve(fp.InitialPoint(greedy), FpResourceOptions{});
            EXPECT_TRUE(f.converged) << preset << " seed " << seed;
            EXPECT_LT(f.stationarity, 1e-6) << preset << " seed " << seed;
            for (size_t i = 1; i < f.objectiveHistory.size(); ++i)
            {
                EXPECT_LE(f.objectiveHistory[i], f.objectiveHistory[i - 1]) << "monotone";
            }
            Ptr<NlpReferenceAllocator> nlp = CreateObject<NlpReferenceAllocator>();
            const NlpReferenceResult r = nlp->SolveRelaxed(s, greedy);
            EXPECT_TRUE(r.success) << r.status;
            const double gap =
                NlpReferenceAllocator::RelaxedObjective(model, f.point) / r.objective - 1;
            std::printf("[ info     ] ergodic %s seed %lu: FP block 1 %zu it, gap to IPOPT %.3g\n",
                        preset.c_str(),
                        static_cast<unsigned long>(seed),
                        static_cast<size_t>(f.iterations),
                        gap);
            worst = std::max(worst, gap);
            EXPECT_LE(gap, 1e-4) << preset << " seed " << seed;
            EXPECT_GE(gap, -1e-6) << preset << " seed " << seed;
        }
    }
    RecordProperty("worst_gap", std::to_string(worst));
}

TEST(ErgodicAllocation, FpWithinHalfAPercentOfNlpOnItsAssociation)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed : {1, 2})
        {
            const RoundState s = ErgodicInstance(20, 4, preset, seed);
            SplitCostModel model(s);
            const Allocation f = SplitAllocator::CreateByName("fp")->Allocate(s);
            std::vector<uint32_t> server;
            for (const UserAllocation& u : f.users)
            {
                server.push_back(u.server);
            }
            const Allocation r =
                CreateObject<NlpReferenceAllocator>()->AllocateOnAssociation(s, server);
            EXPECT_TRUE(model.Violations(r).empty());
            const double gap = model.Objective(f) / model.Objective(r) - 1;
            std::printf("[ info     ] ergodic %s seed %lu: FP vs NLP on FP's association %.3g\n",
                        preset.c_str(),
                        static_cast<unsigned long>(seed),
                        gap);
            EXPECT_LE(gap, 0.005) << preset << " seed " << seed;
        }
    }
}

TEST(ErgodicAllocation, FpWithinHalfAPercentOfExhaustiveOnTinyInstances)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        double worst = 0;
        for (uint64_t seed = 1; seed <= 10; ++seed)
        {
            RoundState s = ErgodicInstance(3, 2, preset, seed);
            s.layers = 5; // alpha in {1, ..., 4}
            s.objective.wStability = preset == "paper" ? 1e5 : 1e3;
            SplitCostModel model(s);
            const double best =
                model.Objective(SplitAllocator::CreateByName("exhaustive")->Allocate(s));
            const double obj = model.Objective(SplitAllocator::CreateByName("fp")->Allocate(s));
            EXPECT_LE(obj, best * 1.005) << preset << " seed " << seed;
            worst = std::max(worst, obj / best - 1);
        }
        std::printf("[ info     ] ergodic %s: FP vs exhaustive, worst gap %.3g\n",
                    preset.c_str(),
                    worst);
    }
}

// Judged by the ergodic model, FP planning with it is better than FP planning with the
// snapshot rate (which overrates every link by Jensen's gap).
TEST(ErgodicAllocation, PlanningWithTheErgodicModelPays)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed : {1, 2, 3})
        {
            const RoundState ergodic = ErgodicInstance(20, 4, preset, seed);
            RoundState snapshot = ergodic;
            snapshot.objective.rateModel = RateModel::SNAPSHOT;
            SplitCostModel judge(ergodic);
            const double planned =
                judge.Objective(SplitAllocator::CreateByName("fp")->Allocate(ergodic));
            const double naive =
                judge.Objective(SplitAllocator::CreateByName("fp")->Allocate(snapshot));
            EXPECT_LE(planned, naive * (1 + 1e-9)) << preset << " seed " << seed;
            std::printf("[ info     ] ergodic %s seed %lu: FP(ergodic) %.6g vs FP(snapshot) "
                        "%.6g judged ergodic (%.3g)\n",
                        preset.c_str(),
                        static_cast<unsigned long>(seed),
                        planned,
                        naive,
                        naive / planned - 1);
        }
    }
}
