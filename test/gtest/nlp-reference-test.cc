/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the NLP reference allocator (IPOPT on the relaxed block-1 problem) and of the
 * derivative primitive SplitCostModel::UserTermsGradient it uses; comparison of the paper's
 * block 1 (FpResourceSolver) and FpAllocator with this reference.
 */
#include "ns3/association-solver.h"
#include "ns3/boolean.h"
#include "ns3/fp-resource-solver.h"
#include "ns3/nlp-reference-allocator.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-cost-model.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// A generated instance.
RoundState
Instance(uint32_t users,
         uint32_t servers,
         const std::string& preset,
         uint64_t seed,
         ObjectiveSettings objective = {})
{
    GeneratorOptions o;
    o.users = users;
    o.servers = servers;
    o.preset = preset;
    o.seed = seed;
    o.objective = objective;
    return RoundStateGenerator::Generate(o);
}

/// Equal shares per server, p_max, f_max, the same alpha for everyone.
Allocation
SimpleAllocation(const RoundState& s, const std::vector<uint32_t>& server, uint32_t alpha)
{
    std::vector<uint32_t> count(s.NumServers(), 0);
    for (uint32_t m : server)
    {
        ++count[m];
    }
    Allocation a;
    a.users.resize(s.NumUsers());
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = server[n];
        u.alpha = std::min(alpha, s.MaxAlpha(n));
        u.powerW = s.users[n].pMaxW;
        u.bandwidthHz = s.servers[server[n]].bandwidthHz / count[server[n]];
        u.freqHz = s.users[n].fMaxHz;
        u.edgeFreqHz = s.servers[server[n]].fMaxHz / count[server[n]];
    }
    return a;
}

/// Checks feasibility and that the NLP beats every simple allocation (alpha min, mid, max).
void
ExpectFeasibleAndBetterThanSimple(const RoundState& s)
{
    SplitCostModel model(s);
    Ptr<SplitAllocator> nlp = SplitAllocator::CreateByName("nlp-ipopt");
    const Allocation a = nlp->Allocate(s);
    const auto violations = model.Violations(a);
    EXPECT_TRUE(violations.empty()) << (violations.empty() ? "" : violations.front());
    EXPECT_GT(a.iterations, 0u);
    EXPECT_FALSE(a.objectiveHistory.empty());
    const double obj = model.Objective(a);
    ASSERT_TRUE(std::isfinite(obj));
    const std::vector<uint32_t> greedy = AssociationSolver(model).Greedy();
    for (uint32_t alpha : {s.MinAlpha(), (s.MinAlpha() + s.layers - 1) / 2, s.layers - 1})
    {
        const Allocation simple = SimpleAllocation(s, greedy, alpha);
        ASSERT_TRUE(model.Violations(simple).empty()) << "simple allocation must be feasible";
        EXPECT_LE(obj, model.Objective(simple) * (1 + 1e-9)) << "alpha " << alpha;
    }
}

} // namespace

// ---- the derivative primitive of the cost model ------------------------------------------------

TEST(NlpReferenceGradient, MatchesCentralDifferences)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        const RoundState s = Instance(3, 2, preset, 7);
        SplitCostModel model(s);
        const uint32_t n = 1;
        const uint32_t m = 1;
        double x[5] = {10.3, 0.7 * s.users[n].pMaxW, 3e6, 0.8 * s.users[n].fMaxHz, 0.4e9};
        const CostTermsGradient g = model.UserTermsGradient(n, m, x[0], x[1], x[2], x[3], x[4]);
        const CostTerms* analytic[5] = {&g.dAlpha, &g.dP, &g.dB, &g.dF, &g.dFe};
        for (int j = 0; j < 5; ++j)
        {
            const double h = 1e-5 * x[j];
            double xp[5];
            double xm[5];
            std::copy(x, x + 5, xp);
            std::copy(x, x + 5, xm);
            xp[j] += h;
            xm[j] -= h;
            const CostTerms tp = model.UserTerms(n, m, xp[0], xp[1], xp[2], xp[3], xp[4]);
            const CostTerms tm = model.UserTerms(n, m, xm[0], xm[1], xm[2], xm[3], xm[4]);
            auto check = [&](const char* field, double plus, double minus, double d) {
                const double fd = (plus - minus) / (2 * h);
                EXPECT_NEAR(d, fd, 1e-6 * std::max(std::abs(fd), std::abs(plus) / x[j]) + 1e-300)
                    << preset << " d" << field << "/dx" << j;
            };
            const CostTerms& d = *analytic[j];
            check("deviceDelay", tp.deviceDelayS, tm.deviceDelayS, d.deviceDelayS);
            check("edgeDelay", tp.edgeDelayS, tm.edgeDelayS, d.edgeDelayS);
            check("uplinkDelay", tp.uplinkDelayS, tm.uplinkDelayS, d.uplinkDelayS);
            check("downlinkDelay", tp.downlinkDelayS, tm.downlinkDelayS, d.downlinkDelayS);
            check("deviceEnergy", tp.deviceEnergyJ, tm.deviceEnergyJ, d.deviceEnergyJ);
            check("edgeEnergy", tp.edgeEnergyJ, tm.edgeEnergyJ, d.edgeEnergyJ);
            check("txEnergy", tp.txEnergyJ, tm.txEnergyJ, d.txEnergyJ);
            check("stability", tp.stability, tm.stability, d.stability);
        }
    }
}

TEST(NlpReferenceGradient, HessianMatchesDifferencesOfTheGradient)
{
    for (const std::string preset : {"paper", "realistic"})
    {
        const RoundState s = Instance(3, 2, preset, 8);
        SplitCostModel model(s);
        const uint32_t n = 2;
        const uint32_t m = 0;
        const double x[5] = {7.6, 0.3 * s.users[n].pMaxW, 2e6, 0.6 * s.users[n].fMaxHz, 0.7e9};
        const CostTermsHessian h = model.UserTermsHessian(n, m, x[0], x[1], x[2], x[3], x[4]);
        auto grad = [&](int j, double sign) {
            double y[5];
            std::copy(x, x + 5, y);
            y[j] += sign * 1e-5 * x[j];
            return model.UserTermsGradient(n, m, y[0], y[1], y[2], y[3], y[4]);
        };
        // column j of the Hessian = d(gradient)/dx_j; pick the gradient member of variable i
        auto member = [](const CostTermsGradient& g, int i) -> const CostTerms& {
            const CostTerms* parts[5] = {&g.dAlpha, &g.dP, &g.dB, &g.dF, &g.dFe};
            return *parts[i];
        };
        // every (i, j) pair, by the lower-triangle index [max][min]; zero where the struct has
        // no member
        const CostTerms zero{};
        const CostTerms* table[5][5] = {{&h.alphaAlpha, &zero, &zero, &zero, &zero},
                                        {&zero, &h.pp, &zero, &zero, &zero},
                                        {&zero, &h.pb, &h.bb, &zero, &zero},
                                        {&h.alphaF, &zero, &zero, &h.ff, &zero},
                                        {&h.alphaFe, &zero, &zero, &zero, &h.feFe}};
        auto entry = [&table](int i, int j) -> const CostTerms& {
            return *table[std::max(i, j)][std::min(i, j)];
        };
        for (int j = 0; j < 5; ++j)
        {
            const CostTermsGradient gp = grad(j, 1);
            const CostTermsGradient gm = grad(j, -1);
            const double step = 2e-5 * x[j];
            for (int i = 0; i < 5; ++i)
            {
                const CostTerms& p = member(gp, i);
                const CostTerms& q = member(gm, i);
                const CostTerms& e = entry(i, j);
                auto check = [&](const char* f, double vp, double vq, double an) {
                    const double fd = (vp - vq) / step;
                    const double scale = std::max(std::abs(vp), std::abs(vq)) / x[j];
                    EXPECT_NEAR(an, fd, 1e-5 * std::max(std::abs(fd), scale) + 1e-300)
                        << preset << " d2 " << f << " / dx" << i << " dx" << j;
                };
                check("deviceDelay", p.deviceDelayS, q.deviceDelayS, e.deviceDelayS);
                check("edgeDelay", p.edgeDelayS, q.edgeDelayS, e.edgeDelayS);
                check("uplinkDelay", p.uplinkDelayS, q.uplinkDelayS, e.uplinkDelayS);
                check("downlinkDelay", p.downlinkDelayS, q.downlinkDelayS, e.downlinkDelayS);
                check("deviceEnergy", p.deviceEnergyJ, q.deviceEnergyJ, e.deviceEnergyJ);
                check("edgeEnergy", p.edgeEnergyJ, q.edgeEnergyJ, e.edgeEnergyJ);
                check("txEnergy", p.txEnergyJ, q.txEnergyJ, e.txEnergyJ);
                check("stability", p.stability, q.stability, e.stability);
            }
        }
    }
}

// ---- the allocator -----------------------------------------------------------------------------

TEST(NlpReference, RegisteredUnderShortName)
{
    Ptr<SplitAllocator> a = SplitAllocator::CreateByName("nlp-ipopt");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->GetInstanceTypeId().GetName(), "ns3::NlpReferenceAllocator");
}

TEST(NlpReference, FeasibleAndBeatsEqualSharesPaper)
{
    for (uint64_t seed : {1, 2, 3})
    {
        ExpectFeasibleAndBetterThanSimple(Instance(8, 2, "paper", seed));
    }
}

TEST(NlpReference, FeasibleAndBeatsEqualSharesRealistic)
{
    for (uint64_t seed : {1, 2, 3})
    {
        ExpectFeasibleAndBetterThanSimple(Instance(8, 2, "realistic", seed));
    }
}

TEST(NlpReference, FeasibleAndBeatsEqualSharesPaperModeWithMinRate)
{
    ObjectiveSettings o;
    o.mode = ObjectiveMode::PAPER;
    for (uint64_t seed : {4, 5})
    {
        RoundState s = Instance(8, 2, "paper", seed, o);
        SplitCostModel model(s);
        // r_min: half the lowest rate of the equal-share, p_max allocation (so it is feasible)
        const Allocation simple = SimpleAllocation(s, AssociationSolver(model).Greedy(), 1);
        double lowest = INFINITY;
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const UserAllocation& u = simple.users[n];
            lowest = std::min(lowest, model.UplinkRateBps(n, u.server, u.powerW, u.bandwidthHz));
        }
        s.objective.minRateBps = 0.5 * lowest;
        ExpectFeasibleAndBetterThanSimple(s);
        // the paper objective drives p down (doc/edge-llm.rst, model choice 1), so every user sits
        // on r_min
        const Allocation a = SplitAllocator::CreateByName("nlp-ipopt")->Allocate(s);
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const double r = model.UplinkRateBps(n,
                                                 a.users[n].server,
                                                 a.users[n].powerW,
                                                 a.users[n].bandwidthHz);
            EXPECT_NEAR(r, s.objective.minRateBps, 1e-4 * s.objective.minRateBps)
                << "seed " << seed << " user " << n;
        }
    }
}

TEST(NlpReference, FeasibleAndBeatsEqualSharesMakespan)
{
    ObjectiveSettings o;
    o.delay = DelayAggregate::MAKESPAN;
    for (const std::string preset : {"paper", "realistic"})
    {
        ExpectFeasibleAndBetterThanSimple(Instance(8, 2, preset, 11, o));
    }
}

TEST(NlpReference, DeviceFrequencyMatchesClosedForm)
{
    // doc/edge-llm.rst, model choice 5: with a SUM aggregate f_n minimises alpha A(f) alone
    for (const std::string preset : {"paper", "realistic"})
    {
        const RoundState s = Instance(6, 2, preset, 21);
        const Allocation a = SplitAllocator::CreateByName("nlp-ipopt")->Allocate(s);
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const double f = SplitCostModel::OptimalDeviceFrequency(s.users[n], s.objective);
            EXPECT_NEAR(a.users[n].freqHz, f, 1e-4 * f) << preset << " user " << n;
        }
    }
}

TEST(NlpReference, RelaxedObjectiveBoundsTheRoundedOne)
{
    // The alpha-fixed re-solve is a feasible point of the relaxed problem: the relaxed optimum
    // can only be lower (up to the solver's tolerance).
    for (const std::string preset : {"paper", "realistic"})
    {
        const RoundState s = Instance(10, 3, preset, 5);
        SplitCostModel model(s);
        Ptr<NlpReferenceAllocator> nlp = CreateObject<NlpReferenceAllocator>();
        const auto greedy = AssociationSolver(model).Greedy();
        const NlpReferenceResult relaxed = nlp->SolveRelaxed(s, greedy);
        EXPECT_TRUE(relaxed.success) << relaxed.status;
        EXPECT_TRUE(relaxed.usedIpoptPoint);
        const Allocation a = nlp->Allocate(s);
        EXPECT_LE(relaxed.objective, model.Objective(a) * (1 + 1e-7)) << preset;
        // and the relaxed optimum improves on its own start
        const RelaxedPoint x0 = NlpReferenceAllocator::EqualSharePoint(model, greedy);
        EXPECT_LT(relaxed.objective, NlpReferenceAllocator::RelaxedObjective(model, x0));
    }
}

TEST(NlpReference, LimitedMemoryHessianAgreesWithExact)
{
    // the quasi-Newton mode reaches the same relaxed optimum, only in more iterations
    const RoundState s = Instance(6, 2, "realistic", 13);
    SplitCostModel model(s);
    const auto greedy = AssociationSolver(model).Greedy();
    Ptr<NlpReferenceAllocator> exact = CreateObject<NlpReferenceAllocator>();
    Ptr<NlpReferenceAllocator> lbfgs = CreateObject<NlpReferenceAllocator>();
    lbfgs->SetAttribute("ExactHessian", BooleanValue(false));
    const NlpReferenceResult e = exact->SolveRelaxed(s, greedy);
    const NlpReferenceResult l = lbfgs->SolveRelaxed(s, greedy);
    EXPECT_TRUE(e.success) << e.status;
    EXPECT_NEAR(l.objective, e.objective, 1e-5 * e.objective) << l.status;
    EXPECT_GT(l.iterations, e.iterations);
}

TEST(NlpReference, IterationLimitKeepsAFeasiblePoint)
{
    // A solve stopped after 2 iterations is not a success but must still return a feasible,
    // finite allocation (never crash).
    const RoundState s = Instance(8, 2, "paper", 9);
    SplitCostModel model(s);
    Ptr<SplitAllocator> nlp = SplitAllocator::CreateByName("nlp-ipopt");
    nlp->SetAttribute("MaxIterations", UintegerValue(2));
    const Allocation a = nlp->Allocate(s);
    EXPECT_TRUE(model.Violations(a).empty());
    EXPECT_TRUE(std::isfinite(model.Objective(a)));
    EXPECT_LE(a.iterations, 4u);
}

// ---- the paper's block 1 against the reference --------------------------------------------------

namespace
{

/// Relative gap of FP's block 1 to the NLP reference on the Greedy association (> 0: FP worse).
double
Block1Gap(const RoundState& s, const std::vector<double>& fixedAlpha, std::string* detail)
{
    SplitCostModel model(s);
    const auto greedy = AssociationSolver(model).Greedy();
    FpResourceSolver fp(model);
    FpResourceOptions options;
    options.optimizeAlpha = fixedAlpha.empty();
    const FpResourceResult f = fp.Solve(fp.InitialPoint(greedy, fixedAlpha), options);
    Ptr<NlpReferenceAllocator> nlp = CreateObject<NlpReferenceAllocator>();
    const NlpReferenceResult r = nlp->SolveRelaxed(s, greedy, fixedAlpha);
    EXPECT_TRUE(r.success) << r.status;
    const double fpObj = NlpReferenceAllocator::RelaxedObjective(model, f.point);
    // the FP point must be feasible for the relaxed problem too
    std::vector<double> band(s.NumServers(), 0.0);
    std::vector<double> freq(s.NumServers(), 0.0);
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        band[greedy[n]] += f.point.bandwidthHz[n];
        freq[greedy[n]] += f.point.edgeFreqHz[n];
        EXPECT_LE(f.point.powerW[n], s.users[n].pMaxW * (1 + 1e-9));
        EXPECT_LE(f.point.freqHz[n], s.users[n].fMaxHz * (1 + 1e-9));
        if (s.objective.minRateBps > 0)
        {
            EXPECT_GE(model.UplinkRateBps(n, greedy[n], f.point.powerW[n], f.point.bandwidthHz[n]),
                      s.objective.minRateBps * (1 - 1e-6));
        }
    }
    for (uint32_t m = 0; m < s.NumServers(); ++m)
    {
        EXPECT_LE(band[m], s.servers[m].bandwidthHz * (1 + 1e-9));
        EXPECT_LE(freq[m], s.servers[m].fMaxHz * (1 + 1e-9));
    }
    const double gap = fpObj / r.objective - 1;
    std::ostringstream os;
    os << "FP " << fpObj << " (" << f.iterations << " it) vs NLP " << r.objective << " ("
       << r.iterations << " it): gap " << gap;
    *detail = os.str();
    std::printf("[ info     ] %s\n", detail->c_str());
    return gap;
}

} // namespace

TEST(NlpReferenceVsFp, Block1WithinHalfPercentOnMediumInstances)
{
    double worst = -INFINITY;
    for (const std::string preset : {"paper", "realistic"})
    {
        for (auto [n, m] : {std::pair<uint32_t, uint32_t>{20, 4}, {50, 10}})
        {
            for (uint64_t seed : {1, 2, 3})
            {
                std::string detail;
                const double gap = Block1Gap(Instance(n, m, preset, seed), {}, &detail);
                worst = std::max(worst, gap);
                EXPECT_LE(gap, 0.005)
                    << preset << " N=" << n << " M=" << m << " seed " << seed << ": " << detail;
                // and the reference is one: FP does not beat it beyond the solvers' tolerances
                EXPECT_GE(gap, -1e-6)
                    << preset << " N=" << n << " M=" << m << " seed " << seed << ": " << detail;
            }
        }
    }
    RecordProperty("worst_gap", std::to_string(worst));
}

TEST(NlpReferenceVsFp, Block1WithinHalfPercentWithFixedInteriorAlpha)
{
    // the presets drive alpha to its minimum; fixed interior splits exercise the resource part
    // with every edge/device term active
    for (const std::string preset : {"paper", "realistic"})
    {
        const RoundState s = Instance(30, 6, preset, 17);
        std::vector<double> alpha(s.NumUsers());
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            alpha[n] = 1 + (7 * n) % std::max<uint32_t>(1, s.MaxAlpha(n));
        }
        std::string detail;
        const double gap = Block1Gap(s, alpha, &detail);
        EXPECT_LE(gap, 0.005) << preset << ": " << detail;
    }
}

TEST(NlpReferenceVsFp, Block1WithinHalfPercentWithActiveMinRate)
{
    ObjectiveSettings o;
    o.mode = ObjectiveMode::PAPER;
    for (uint64_t seed : {1, 2})
    {
        RoundState s = Instance(30, 6, "paper", seed, o);
        SplitCostModel model(s);
        const Allocation simple = SimpleAllocation(s, AssociationSolver(model).Greedy(), 1);
        double lowest = INFINITY;
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const UserAllocation& u = simple.users[n];
            lowest = std::min(lowest, model.UplinkRateBps(n, u.server, u.powerW, u.bandwidthHz));
        }
        s.objective.minRateBps = 0.5 * lowest;
        std::string detail;
        const double gap = Block1Gap(s, {}, &detail);
        EXPECT_LE(gap, 0.005) << "seed " << seed << ": " << detail;
    }
}

// ---- the full FP allocator against the reference on FP's own association ------------------------

namespace
{

/// Relative gap of FpAllocator to the NLP reference run on FP's association (> 0: FP worse).
double
FullGap(const RoundState& s, std::string* detail)
{
    SplitCostModel model(s);
    const Allocation f = SplitAllocator::CreateByName("fp")->Allocate(s);
    EXPECT_TRUE(model.Violations(f).empty());
    std::vector<uint32_t> server;
    for (const UserAllocation& u : f.users)
    {
        server.push_back(u.server);
    }
    const Allocation r = CreateObject<NlpReferenceAllocator>()->AllocateOnAssociation(s, server);
    EXPECT_TRUE(model.Violations(r).empty());
    const double gap = model.Objective(f) / model.Objective(r) - 1;
    std::ostringstream os;
    os << "FP " << model.Objective(f) << " vs NLP on FP's association " << model.Objective(r)
       << ": gap " << gap;
    *detail = os.str();
    std::printf("[ info     ] %s\n", detail->c_str());
    return gap;
}

/// Every medium instance of both presets with the given delay aggregate.
void
ExpectFullFpWithinHalfPercent(DelayAggregate aggregate)
{
    ObjectiveSettings o;
    o.delay = aggregate;
    for (const std::string preset : {"paper", "realistic"})
    {
        for (auto [n, m] : {std::pair<uint32_t, uint32_t>{20, 4}, {50, 10}})
        {
            for (uint64_t seed : {1, 2, 3})
            {
                std::string detail;
                const double gap = FullGap(Instance(n, m, preset, seed, o), &detail);
                EXPECT_LE(gap, 0.005)
                    << preset << " N=" << n << " M=" << m << " seed " << seed << ": " << detail;
            }
        }
    }
}

} // namespace

TEST(NlpReferenceVsFp, FullAllocatorWithinHalfPercentSum)
{
    ExpectFullFpWithinHalfPercent(DelayAggregate::SUM);
}

TEST(NlpReferenceVsFp, FullAllocatorWithinHalfPercentMakespan)
{
    // The NLP handles the makespan exactly (epigraph variable); FpAllocator through reweighted
    // sums. The 0.5 % target is the project's; this test reports where FP misses it.
    ExpectFullFpWithinHalfPercent(DelayAggregate::MAKESPAN);
}
