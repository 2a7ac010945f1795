/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fp-allocator.h"

#include "association-solver.h"
#include "split-cost-model.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFpAllocator");
NS_OBJECT_ENSURE_REGISTERED(FpAllocator);

namespace
{
const bool g_registered = (SplitAllocator::RegisterShortName("fp", "ns3::FpAllocator"), true);

/**
 * @param model cost model
 * @param n user
 * @param w delay weight
 * @param t terms
 * @return omega_t w delay + omega_e energy + omega_s stability
 */
double
WeightedCost(const SplitCostModel& model, uint32_t n, double w, const CostTerms& t)
{
    const ObjectiveSettings& o = model.GetState().objective;
    return o.wTime * w * model.ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
           o.wStability * t.stability;
}
} // namespace

TypeId
FpAllocator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FpAllocator")
            .SetParent<SplitAllocator>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FpAllocator>()
            .AddAttribute("MaxOuterIterations",
                          "Maximum number of block-1 <-> block-2 alternations (CCCP association "
                          "then fractional programming) after the first block-1 run.",
                          UintegerValue(10),
                          MakeUintegerAccessor(&FpAllocator::m_maxOuterIterations),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MaxFpIterations",
                          "Maximum number of FP iterations (auxiliaries <-> convex surrogate) "
                          "of each block-1 run.",
                          UintegerValue(100),
                          MakeUintegerAccessor(&FpAllocator::m_maxFpIterations),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("RelTolerance",
                          "Block 1 stops when an FP iteration lowers the relaxed objective by "
                          "less than this fraction (and the KKT residual is below 1e-6).",
                          DoubleValue(1e-7),
                          MakeDoubleAccessor(&FpAllocator::m_relTolerance),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("CccpStarts",
                          "AssociationLp only: starting points of the CCCP association step "
                          "(current, LP relaxation, greedy, random…; the remaining ones are "
                          "skipped once a start ends at the best association so far); the best "
                          "result is kept.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&FpAllocator::m_cccpStarts),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("AssociationLp",
                          "true (default): the paper's block 2, CCCP on the exact-penalty "
                          "association LP (GLPK; columns for each user's CandidateServers "
                          "servers, CccpStarts starts stopped once two agree, PenaltyValues rho "
                          "values), then the true-cost search from its result (and, "
                          "SearchFromCurrent, from the current association). false: only the "
                          "true-cost search from the current association "
                          "(AssociationSolver::TrueCostSearch), no LP.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FpAllocator::m_associationLp),
                          MakeBooleanChecker())
            .AddAttribute("CandidateServers",
                          "Association step: the LP's columns and the true-cost search's moves "
                          "and swaps only onto each user's this many highest-gain servers (and "
                          "its current one; 0: all servers).",
                          UintegerValue(4),
                          MakeUintegerAccessor(&FpAllocator::m_candidateServers),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("PenaltyRho",
                          "AssociationLp only: exact penalty rho of the CCCP association step, in "
                          "the unit of the objective; 0 tries 5 values from the association costs.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FpAllocator::m_penaltyRho),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("PenaltyValues",
                          "AssociationLp with PenaltyRho 0: how many automatic rho values every "
                          "CCCP start runs (1-5 of {0.01, 0.03, 0.1, 0.3, 1} x the cost scale; 1: "
                          "0.1, 2: 0.03 and 0.3, …).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FpAllocator::m_penaltyValues),
                          MakeUintegerChecker<uint32_t>(1, 5))
            .AddAttribute("StartProbeIterations",
                          "BestGainStart: both starts run this many FP iterations, then only the "
                          "one with the lower relaxed objective runs to convergence (0: both run "
                          "to convergence).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FpAllocator::m_startProbeIterations),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("SearchFromCurrent",
                          "AssociationLp: besides the true-cost search from CCCP's association, "
                          "also run it from the current association when CCCP moved away from it "
                          "(the better result is kept).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FpAllocator::m_searchFromCurrent),
                          MakeBooleanChecker())
            .AddAttribute("ResolveTrials",
                          "Swap-with-resolve after the alternation (instances of at most "
                          "ResolveMaxUsers users): this many single moves and pairwise swaps, the "
                          "most promising by the linear association cost, are re-solved by block "
                          "1; an improvement is kept and the step repeats (at most 5 times). 0: "
                          "off.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&FpAllocator::m_resolveTrials),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ResolveMaxUsers",
                          "Swap-with-resolve only on instances with at most this many users.",
                          UintegerValue(20),
                          MakeUintegerAccessor(&FpAllocator::m_resolveMaxUsers),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Seed",
                          "AssociationLp only: seed of the random CCCP starting points (outer step "
                          "k uses Seed + k).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FpAllocator::m_seed),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("MakespanIterations",
                          "MAKESPAN aggregate only: number of delay-weight updates (each one "
                          "block-1 run plus rounding) after the SUM-type alternation.",
                          UintegerValue(20),
                          MakeUintegerAccessor(&FpAllocator::m_makespanIterations),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("BestGainStart",
                          "Besides AssociationSolver::Greedy (room-limited), also run block 1 "
                          "from the association 'every user on its highest-gain server' and "
                          "continue the alternation from the better of the two.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FpAllocator::m_bestGainStart),
                          MakeBooleanChecker());
    return tid;
}

FpAllocator::FpAllocator()
    : m_maxOuterIterations(10),
      m_maxFpIterations(100),
      m_relTolerance(1e-7),
      m_cccpStarts(3),
      m_penaltyRho(0.0),
      m_seed(1),
      m_makespanIterations(20),
      m_bestGainStart(true),
      m_associationLp(true),
      m_candidateServers(4),
      m_penaltyValues(1),
      m_startProbeIterations(1),
      m_searchFromCurrent(true),
      m_resolveTrials(3),
      m_resolveMaxUsers(20)
{
}

FpAllocator::~FpAllocator() = default;

FpResourceOptions
FpAllocator::BlockOptions() const
{
    FpResourceOptions o;
    o.optimizeAlpha = true;
    o.maxIterations = m_maxFpIterations;
    o.relTolerance = m_relTolerance;
    return o;
}

Allocation
FpAllocator::ToAllocation(const RelaxedPoint& x)
{
    Allocation a;
    a.users.resize(x.server.size());
    for (size_t n = 0; n < x.server.size(); ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = x.server[n];
        u.alpha = static_cast<uint32_t>(std::llround(x.alpha[n]));
        u.powerW = x.powerW[n];
        u.bandwidthHz = x.bandwidthHz[n];
        u.freqHz = x.freqHz[n];
        u.edgeFreqHz = x.edgeFreqHz[n];
    }
    return a;
}

FpAllocator::Candidate
FpAllocator::RoundAndResolve(const FpResourceSolver& solver,
                             const RelaxedPoint& x,
                             const FpResourceOptions& options)
{
    return RoundAndResolve(solver, x, options, nullptr, nullptr);
}

FpAllocator::Candidate
FpAllocator::RoundAndResolve(const FpResourceSolver& solver,
                             const RelaxedPoint& x,
                             const FpResourceOptions& options,
                             const Candidate* incumbent,
                             const FpResourceResult* relaxed)
{
    const SplitCostModel& model = solver.Model();
    const RoundState& st = model.GetState();
    RelaxedPoint r = x;
    for (size_t n = 0; n < x.server.size(); ++n)
    {
        if (x.server[n] == UserAllocation::kNoServer)
        {
            continue;
        }
        const double w = options.delayWeights.empty() ? 1.0 : options.delayWeights[n];
        const double lo = std::max<double>(std::floor(x.alpha[n]), st.MinAlpha());
        const double hi = std::min<double>(std::ceil(x.alpha[n]), st.MaxAlpha(n));
        auto cost = [&](double a) {
            return WeightedCost(model,
                                n,
                                w,
                                model.UserTerms(n,
                                                x.server[n],
                                                a,
                                                x.powerW[n],
                                                x.bandwidthHz[n],
                                                x.freqHz[n],
                                                x.edgeFreqHz[n]));
        };
        r.alpha[n] = (hi > lo && cost(hi) < cost(lo)) ? hi : lo;
    }
    FpResourceOptions o = options;
    o.optimizeAlpha = false;
    Candidate c;
    bool feasible = true;
    // Rounding kept every alpha of a converged relaxed point: that point is already a KKT point
    // of the alpha-fixed problem (its conditions are a subset of the relaxed problem's), so the
    // re-solve is skipped when the alpha-fixed residual confirms it.
    bool resolved = false;
    if (relaxed != nullptr && relaxed->converged && r.alpha == x.alpha)
    {
        const double st = solver.Stationarity(x, true, options.delayWeights);
        if (st <= options.stationarityTolerance)
        {
            c.allocation = ToAllocation(x);
            c.stationarity = st;
            c.fpIterations = 0;
            feasible = relaxed->feasible;
            resolved = true;
        }
    }
    if (!resolved)
    {
        const FpResourceResult res = solver.Solve(r, o);
        c.allocation = ToAllocation(res.point);
        c.stationarity = res.stationarity;
        c.fpIterations = res.iterations;
        feasible = res.feasible;
    }
    c.objective = model.Objective(c.allocation);
    // Violations (string messages) only when the answer matters: a candidate that cannot beat
    // a feasible incumbent is not kept either way
    const bool hopeless = incumbent != nullptr && incumbent->feasible &&
                          !incumbent->allocation.users.empty() &&
                          !(c.objective < incumbent->objective);
    c.feasible = feasible && !hopeless && model.Violations(c.allocation).empty();
    return c;
}

void
FpAllocator::Keep(Candidate& best, const Candidate& c)
{
    const bool better = (c.feasible && !best.feasible) ||
                        (c.feasible == best.feasible && c.objective < best.objective) ||
                        best.allocation.users.empty();
    if (better)
    {
        best = c;
    }
}

FpAllocator::Stage
FpAllocator::Alternate(const SplitCostModel& model, const std::vector<double>& weights) const
{
    FpResourceSolver fp(model);
    AssociationSolver as(model);
    FpResourceOptions ro = BlockOptions();
    ro.delayWeights = weights;
    Stage stage;
    stage.best.objective = std::numeric_limits<double>::infinity();

    FpResourceResult r;
    const std::vector<uint32_t> greedy = as.Greedy();
    std::vector<uint32_t> highest;
    if (m_bestGainStart)
    {
        // second start: every user on its highest-gain server (the paper's "greedy (highest
        // rate)" association without a room limit)
        const RoundState& st = model.GetState();
        highest.resize(st.NumUsers());
        for (uint32_t n = 0; n < st.NumUsers(); ++n)
        {
            const auto& g = st.users[n].gain;
            highest[n] = static_cast<uint32_t>(std::max_element(g.begin(), g.end()) - g.begin());
        }
    }
    if (highest.empty() || highest == greedy || m_startProbeIterations == 0)
    {
        r = fp.Solve(fp.InitialPoint(greedy), ro);
        if (!highest.empty() && highest != greedy)
        {
            FpResourceResult r2 = fp.Solve(fp.InitialPoint(highest), ro);
            NS_LOG_LOGIC("greedy start: " << r.objectiveHistory.back() << ", highest-gain start: "
                                          << r2.objectiveHistory.back());
            if (r2.objectiveHistory.back() < r.objectiveHistory.back())
            {
                r = std::move(r2);
            }
        }
    }
    else
    {
        // both starts run StartProbeIterations FP iterations; the one with the lower relaxed
        // objective then runs to convergence (warm start), the other is dropped
        FpResourceOptions probe = ro;
        probe.maxIterations = m_startProbeIterations;
        probe.finalStationarity = false; // the probes' residuals are not used
        FpResourceResult r1 = fp.Solve(fp.InitialPoint(greedy), probe);
        FpResourceResult r2 = fp.Solve(fp.InitialPoint(highest), probe);
        NS_LOG_LOGIC("after " << m_startProbeIterations << " FP iterations: greedy start "
                              << r1.objectiveHistory.back() << ", highest-gain start "
                              << r2.objectiveHistory.back());
        FpResourceResult& win = r2.objectiveHistory.back() < r1.objectiveHistory.back() ? r2 : r1;
        if (win.converged)
        {
            r = std::move(win);
        }
        else
        {
            r = fp.Solve(win.point, ro);
        }
    }
    RelaxedPoint x = r.point;
    double k = r.objectiveHistory.back();
    auto consider = [&](const FpResourceResult& res) {
        const Candidate c = RoundAndResolve(fp, res.point, ro, &stage.best, &res);
        stage.history.push_back(c.objective);
        ++stage.candidates;
        Keep(stage.best, c);
        NS_LOG_LOGIC("candidate " << stage.candidates << ": objective " << c.objective
                                  << (c.feasible ? "" : " (infeasible)"));
    };
    consider(r);
    for (uint32_t outer = 1; outer <= m_maxOuterIterations; ++outer)
    {
        const Allocation a = ToAllocation(x);
        CccpOptions co;
        co.penalty = m_penaltyRho;
        co.starts = m_cccpStarts;
        co.seed = m_seed + outer;
        co.lp = m_associationLp;
        co.candidateServers = m_candidateServers;
        co.penaltyValues = m_penaltyValues;
        co.stopWhenStartsAgree = true;
        co.searchFromCurrent = m_searchFromCurrent;
        const CccpResult c = as.Cccp(a, co);
        if (c.server == x.server)
        {
            NS_LOG_LOGIC("outer " << outer << ": CCCP keeps the association");
            break;
        }
        const Allocation moved = as.Apply(a, c.server);
        RelaxedPoint x2 = x;
        for (size_t n = 0; n < x2.server.size(); ++n)
        {
            const UserAllocation& u = moved.users[n];
            x2.server[n] = u.server;
            x2.powerW[n] = u.powerW;
            x2.bandwidthHz[n] = u.bandwidthHz;
            x2.freqHz[n] = u.freqHz;
            x2.edgeFreqHz[n] = u.edgeFreqHz;
        }
        r = fp.Solve(x2, ro);
        const double k2 = r.objectiveHistory.back();
        NS_LOG_LOGIC("outer " << outer << ": relaxed objective " << k << " -> " << k2);
        if (!(k2 < k * (1 - 1e-12)))
        {
            break;
        }
        x = r.point;
        k = k2;
        consider(r);
    }
    stage.relaxed = x;
    return stage;
}

void
FpAllocator::SwapWithResolve(const SplitCostModel& model,
                             const std::vector<double>& weights,
                             Stage& stage) const
{
    if (stage.best.allocation.users.empty())
    {
        return;
    }
    FpResourceSolver fp(model);
    AssociationSolver as(model);
    FpResourceOptions ro = BlockOptions();
    ro.delayWeights = weights;
    // Swap-with-resolve: the association step prices a change with alpha, p, f fixed, so a
    // change that only pays once block 1 re-solves the resources is never made. On small
    // instances, re-solve the ResolveTrials most promising single moves and pairwise swaps
    // (ranked by the linear association cost of AssociationSolver::Costs at the best
    // candidate) with block 1; keep any that improves, and repeat from it.
    const uint32_t N = model.GetState().NumUsers();
    const uint32_t M = model.GetState().NumServers();
    for (uint32_t round = 0; m_resolveTrials > 0 && N <= m_resolveMaxUsers && M > 1 && round < 5;
         ++round)
    {
        const Allocation a = stage.best.allocation;
        const AssociationCosts ac = as.Costs(a);

        struct Change
        {
            double delta;
            uint32_t n1;
            uint32_t n2; // N: a move
            uint32_t m;  // move target
        };

        std::vector<Change> changes;
        for (uint32_t n = 0; n < N; ++n)
        {
            const uint32_t from = a.users[n].server;
            for (uint32_t m = 0; m < M; ++m)
            {
                if (m != from && ac.allowed[n][m])
                {
                    changes.push_back({ac.cost[n][m] - ac.cost[n][from], n, N, m});
                }
            }
            for (uint32_t n2 = n + 1; n2 < N; ++n2)
            {
                const uint32_t m2 = a.users[n2].server;
                if (m2 != from && ac.allowed[n][m2] && ac.allowed[n2][from])
                {
                    changes.push_back(
                        {ac.cost[n][m2] + ac.cost[n2][from] - ac.cost[n][from] - ac.cost[n2][m2],
                         n,
                         n2,
                         0});
                }
            }
        }
        const size_t k = std::min<size_t>(m_resolveTrials, changes.size());
        std::partial_sort(changes.begin(),
                          changes.begin() + k,
                          changes.end(),
                          [](const Change& x, const Change& y) { return x.delta < y.delta; });
        const double before = stage.best.objective;
        for (size_t i = 0; i < k; ++i)
        {
            std::vector<uint32_t> server(N);
            for (uint32_t n = 0; n < N; ++n)
            {
                server[n] = a.users[n].server;
            }
            const Change& ch = changes[i];
            if (ch.n2 == N)
            {
                server[ch.n1] = ch.m;
            }
            else
            {
                std::swap(server[ch.n1], server[ch.n2]);
            }
            const Allocation moved = as.Apply(a, server);
            RelaxedPoint x2;
            x2.server = server;
            for (const UserAllocation& u : moved.users)
            {
                x2.alpha.push_back(u.alpha);
                x2.powerW.push_back(u.powerW);
                x2.bandwidthHz.push_back(u.bandwidthHz);
                x2.freqHz.push_back(u.freqHz);
                x2.edgeFreqHz.push_back(u.edgeFreqHz);
            }
            const FpResourceResult rr = fp.Solve(x2, ro);
            const Candidate c = RoundAndResolve(fp, rr.point, ro, &stage.best, &rr);
            stage.history.push_back(c.objective);
            ++stage.candidates;
            Keep(stage.best, c);
            if (stage.best.objective < before * (1 - 1e-12))
            {
                NS_LOG_LOGIC("swap-with-resolve: change " << i << " lowers the objective to "
                                                          << stage.best.objective);
                break;
            }
        }
        if (!(stage.best.objective < before * (1 - 1e-12)))
        {
            break;
        }
    }
}

Allocation
FpAllocator::DoAllocate(const RoundState& state)
{
    NS_LOG_FUNCTION(this << state.NumUsers() << state.NumServers());
    // the gains of at least each user's association candidates side by side (SplitCostModel)
    const SplitCostModel model(
        state,
        std::max(SplitCostModel::kDefaultCandidateServers, m_candidateServers));
    const uint32_t N = state.NumUsers();
    Stage stage;
    if (state.objective.delay == DelayAggregate::SUM)
    {
        stage = Alternate(model, {});
        SwapWithResolve(model, {}, stage);
    }
    else
    {
        std::vector<double> w(N, 1.0 / N);
        stage = Alternate(model, w);
        FpResourceSolver fp(model);
        FpResourceOptions ro = BlockOptions();
        RelaxedPoint x = stage.relaxed;
        Allocation last = stage.best.allocation;
        for (uint32_t k = 1; k <= m_makespanIterations; ++k)
        {
            // multiplicative (mirror-ascent) step of the epigraph's dual toward the slowest users
            std::vector<double> d(N, 0.0);
            double dMax = 0;
            for (uint32_t n = 0; n < N; ++n)
            {
                d[n] = model.ObjectiveDelayS(n, model.UserTerms(n, last.users[n]));
                dMax = std::max(dMax, d[n]);
            }
            if (!(dMax > 0) || !std::isfinite(dMax))
            {
                break;
            }
            const double eta = 5.0 / std::sqrt(static_cast<double>(k));
            double sum = 0;
            for (uint32_t n = 0; n < N; ++n)
            {
                w[n] *= std::exp(eta * (d[n] / dMax - 1.0));
                sum += w[n];
            }
            for (double& v : w)
            {
                v /= sum;
            }
            ro.delayWeights = w;
            const FpResourceResult r = fp.Solve(x, ro);
            x = r.point;
            const Candidate c = RoundAndResolve(fp, x, ro, &stage.best, &r);
            stage.history.push_back(c.objective);
            ++stage.candidates;
            Keep(stage.best, c);
            last = c.allocation;
        }
        SwapWithResolve(model, w, stage);
    }
    Allocation a = stage.best.allocation;
    a.iterations = stage.candidates;
    a.objectiveHistory = stage.history;
    a.stationarity = stage.best.stationarity;
    if (!stage.best.feasible)
    {
        NS_LOG_WARN("FpAllocator: no feasible allocation found (r_min out of reach?); "
                    "returning the best infeasible one");
    }
    return a;
}

} // namespace ns3
