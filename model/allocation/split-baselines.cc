/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-baselines.h"

#include "association-solver.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSplitBaselines");

// ---- BaselineTools -----------------------------------------------------------------------------

std::vector<uint32_t>
BaselineTools::AlphaRange(const RoundState& state, uint32_t n)
{
    std::vector<uint32_t> range;
    for (uint32_t a = state.MinAlpha(); a <= state.MaxAlpha(n); ++a)
    {
        range.push_back(a);
    }
    return range;
}

Allocation
BaselineTools::FromRelaxed(const RelaxedPoint& x, const std::vector<uint32_t>& alpha)
{
    Allocation a;
    a.users.resize(x.server.size());
    for (size_t n = 0; n < x.server.size(); ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = x.server[n];
        u.alpha = alpha[n];
        u.freqHz = x.freqHz[n];
        if (u.server != UserAllocation::kNoServer)
        {
            u.powerW = x.powerW[n];
            u.bandwidthHz = x.bandwidthHz[n];
            u.edgeFreqHz = x.edgeFreqHz[n];
        }
    }
    return a;
}

Allocation
BaselineTools::SolveResources(const SplitCostModel& model,
                              const std::vector<uint32_t>& server,
                              const std::vector<uint32_t>& alpha,
                              FpResourceResult* result)
{
    FpResourceSolver solver(model);
    const std::vector<double> alphaReal(alpha.begin(), alpha.end());
    FpResourceOptions opt;
    opt.optimizeAlpha = false;
    FpResourceResult res = solver.Solve(solver.InitialPoint(server, alphaReal), opt);
    Allocation a = FromRelaxed(res.point, alpha);
    a.iterations = res.iterations;
    a.stationarity = res.stationarity;
    if (result != nullptr)
    {
        *result = std::move(res);
    }
    return a;
}

uint32_t
BaselineTools::ChooseAlpha(const SplitCostModel& model,
                           Allocation& a,
                           const std::vector<std::vector<uint32_t>>& candidates)
{
    const RoundState& s = model.GetState();
    const ObjectiveSettings& o = s.objective;
    const uint32_t N = static_cast<uint32_t>(a.users.size());
    // Per-user parts of the objective: weighted energy + stability, and the objective delay.
    std::vector<double> rest(N);
    std::vector<double> delay(N);
    auto parts = [&](uint32_t n, const UserAllocation& u, double& r, double& d) {
        const CostTerms t = model.UserTerms(n, u);
        d = model.ObjectiveDelayS(n, t);
        r = o.wEnergy * t.TotalEnergyJ() + o.wStability * t.stability;
    };
    for (uint32_t n = 0; n < N; ++n)
    {
        parts(n, a.users[n], rest[n], delay[n]);
    }
    const bool makespan = o.delay == DelayAggregate::MAKESPAN;
    uint32_t changed = 0;
    for (uint32_t pass = 0; pass < 50; ++pass)
    {
        bool any = false;
        for (uint32_t n = 0; n < N; ++n)
        {
            double othersMax = 0;
            if (makespan)
            {
                for (uint32_t k = 0; k < N; ++k)
                {
                    if (k != n)
                    {
                        othersMax = std::max(othersMax, delay[k]);
                    }
                }
            }
            // Only user n's contribution varies: compare rest_n + w_t (delay_n or the max).
            auto score = [&](double r, double d) {
                return r + o.wTime * (makespan ? std::max(othersMax, d) : d);
            };
            double best = score(rest[n], delay[n]);
            UserAllocation trial = a.users[n];
            uint32_t bestAlpha = a.users[n].alpha;
            double bestRest = rest[n];
            double bestDelay = delay[n];
            for (uint32_t cand : candidates[n])
            {
                if (cand == a.users[n].alpha)
                {
                    continue;
                }
                trial.alpha = cand;
                double r;
                double d;
                parts(n, trial, r, d);
                const double sc = score(r, d);
                if (sc < best - 1e-12 * std::abs(best))
                {
                    best = sc;
                    bestAlpha = cand;
                    bestRest = r;
                    bestDelay = d;
                }
            }
            if (bestAlpha != a.users[n].alpha)
            {
                a.users[n].alpha = bestAlpha;
                rest[n] = bestRest;
                delay[n] = bestDelay;
                ++changed;
                any = true;
            }
        }
        if (!any)
        {
            break;
        }
    }
    return changed;
}

Allocation
BaselineTools::OptimiseForAssociation(const SplitCostModel& model,
                                      const std::vector<uint32_t>& server,
                                      std::vector<double>* history,
                                      uint32_t* iterations)
{
    const RoundState& s = model.GetState();
    const uint32_t N = s.NumUsers();
    FpResourceSolver solver(model);
    FpResourceOptions relaxedOpt;
    relaxedOpt.optimizeAlpha = true;
    const FpResourceResult relaxed = solver.Solve(solver.InitialPoint(server), relaxedOpt);
    // Round: floor or ceiling per user, priced by the cost model with the relaxed resources.
    std::vector<uint32_t> alpha(N);
    std::vector<std::vector<uint32_t>> candidates(N);
    for (uint32_t n = 0; n < N; ++n)
    {
        const double lo = s.MinAlpha();
        const double hi = s.MaxAlpha(n);
        const double x = std::clamp(relaxed.point.alpha[n], lo, hi);
        const auto fl = static_cast<uint32_t>(std::floor(x + 1e-9));
        const auto ce = static_cast<uint32_t>(std::min(hi, std::ceil(x - 1e-9)));
        alpha[n] = std::max<uint32_t>(static_cast<uint32_t>(lo), std::min(fl, ce));
        candidates[n] = {alpha[n]};
        if (ce != alpha[n])
        {
            candidates[n].push_back(ce);
        }
    }
    Allocation rounded = FromRelaxed(relaxed.point, alpha);
    ChooseAlpha(model, rounded, candidates);
    for (uint32_t n = 0; n < N; ++n)
    {
        alpha[n] = rounded.users[n].alpha;
    }
    FpResourceResult fixedRes;
    Allocation a = SolveResources(model, server, alpha, &fixedRes);
    if (history != nullptr)
    {
        *history = relaxed.objectiveHistory;
        history->push_back(model.Objective(a));
    }
    if (iterations != nullptr)
    {
        *iterations = relaxed.iterations + fixedRes.iterations;
    }
    return a;
}

double
BaselineTools::Unit(std::mt19937_64& rng)
{
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// ---- EdgeOnlyAllocator -------------------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(EdgeOnlyAllocator);
static const bool g_edgeOnlyRegistered =
    (SplitAllocator::RegisterShortName("edge-only", "ns3::EdgeOnlyAllocator"), true);

TypeId
EdgeOnlyAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EdgeOnlyAllocator")
                            .SetParent<SplitAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<EdgeOnlyAllocator>();
    return tid;
}

Allocation
EdgeOnlyAllocator::DoAllocate(const RoundState& state)
{
    RoundState zero = state; // alpha = 0 lies outside [alpha_min, …] of the original round
    zero.objective.minDeviceLayers = 0;
    SplitCostModel model(zero);
    AssociationSolver assoc(model);
    const std::vector<uint32_t> server = assoc.Greedy();
    FpResourceResult res;
    Allocation a = BaselineTools::SolveResources(model,
                                                 server,
                                                 std::vector<uint32_t>(state.NumUsers(), 0),
                                                 &res);
    a.objectiveHistory = res.objectiveHistory;
    return a;
}

// ---- LocalOnlyAllocator ------------------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(LocalOnlyAllocator);
static const bool g_localOnlyRegistered =
    (SplitAllocator::RegisterShortName("local-only", "ns3::LocalOnlyAllocator"), true);

TypeId
LocalOnlyAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LocalOnlyAllocator")
                            .SetParent<SplitAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<LocalOnlyAllocator>();
    return tid;
}

Allocation
LocalOnlyAllocator::DoAllocate(const RoundState& state)
{
    Allocation a;
    a.users.resize(state.NumUsers());
    for (uint32_t n = 0; n < state.NumUsers(); ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = UserAllocation::kNoServer;
        u.alpha = state.layers;
        u.freqHz = SplitCostModel::OptimalDeviceFrequency(state.users[n], state.objective);
    }
    return a;
}

// ---- FixedSplitAllocator -----------------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(FixedSplitAllocator);
static const bool g_fixedSplitRegistered =
    (SplitAllocator::RegisterShortName("fixed-split", "ns3::FixedSplitAllocator"), true);

TypeId
FixedSplitAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FixedSplitAllocator")
                            .SetParent<SplitAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<FixedSplitAllocator>()
                            .AddAttribute("FixedSplitLayer",
                                          "Layers every device trains (0: Upsilon/2); clamped to "
                                          "[alpha_min, alpha_max(n)] per user.",
                                          UintegerValue(0),
                                          MakeUintegerAccessor(&FixedSplitAllocator::m_layer),
                                          MakeUintegerChecker<uint32_t>());
    return tid;
}

Allocation
FixedSplitAllocator::DoAllocate(const RoundState& state)
{
    SplitCostModel model(state);
    AssociationSolver assoc(model);
    const std::vector<uint32_t> server = assoc.Greedy();
    const uint32_t k = m_layer > 0 ? m_layer : state.layers / 2;
    Allocation a;
    a.users.resize(state.NumUsers());
    for (uint32_t n = 0; n < state.NumUsers(); ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = server[n];
        u.alpha = std::clamp(k, state.MinAlpha(), state.MaxAlpha(n));
        u.powerW = state.users[n].pMaxW;
        u.freqHz = state.users[n].fMaxHz;
    }
    assoc.Renormalise(a); // zero shares -> equal shares
    return a;
}

// ---- AlternatingOptimizationAllocator ----------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(AlternatingOptimizationAllocator);
static const bool g_alternatingRegistered =
    (SplitAllocator::RegisterShortName("alternating", "ns3::AlternatingOptimizationAllocator"),
     true);

TypeId
AlternatingOptimizationAllocator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AlternatingOptimizationAllocator")
            .SetParent<SplitAllocator>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<AlternatingOptimizationAllocator>()
            .AddAttribute("MaxIterations",
                          "Rounds of (resources for fixed alpha, best alpha for fixed "
                          "resources).",
                          UintegerValue(20),
                          MakeUintegerAccessor(&AlternatingOptimizationAllocator::m_maxIterations),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

Allocation
AlternatingOptimizationAllocator::DoAllocate(const RoundState& state)
{
    SplitCostModel model(state);
    AssociationSolver assoc(model);
    const uint32_t N = state.NumUsers();
    const std::vector<uint32_t> server = assoc.Greedy();
    std::vector<uint32_t> alpha(N);
    std::vector<std::vector<uint32_t>> range(N);
    for (uint32_t n = 0; n < N; ++n)
    {
        alpha[n] = (state.MinAlpha() + state.MaxAlpha(n)) / 2;
        range[n] = BaselineTools::AlphaRange(state, n);
    }
    Allocation best;
    double bestObj = std::numeric_limits<double>::infinity();
    std::vector<double> history;
    uint32_t it = 0;
    while (it < m_maxIterations)
    {
        ++it;
        Allocation a = BaselineTools::SolveResources(model, server, alpha);
        const double obj = model.Objective(a);
        history.push_back(obj);
        if (obj < bestObj)
        {
            bestObj = obj;
            best = a;
        }
        const uint32_t changed = BaselineTools::ChooseAlpha(model, a, range);
        NS_LOG_LOGIC("alternating iteration " << it << ": objective " << obj << ", " << changed
                                              << " alpha changed");
        if (changed == 0)
        {
            break;
        }
        for (uint32_t n = 0; n < N; ++n)
        {
            alpha[n] = a.users[n].alpha;
        }
    }
    best.iterations = it;
    best.objectiveHistory = history;
    return best;
}

// ---- RandomizedAllocator -----------------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(RandomizedAllocator);

TypeId
RandomizedAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RandomizedAllocator")
                            .SetParent<SplitAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddAttribute("Seed",
                                          "Seed of the allocator's std::mt19937_64 (same seed: "
                                          "same sequence of decisions).",
                                          UintegerValue(1),
                                          MakeUintegerAccessor(&RandomizedAllocator::m_seed),
                                          MakeUintegerChecker<uint64_t>());
    return tid;
}

int64_t
RandomizedAllocator::AssignStreams(int64_t stream)
{
    m_seed = static_cast<uint64_t>(stream);
    m_seeded = false;
    return 1;
}

std::mt19937_64&
RandomizedAllocator::Rng()
{
    if (!m_seeded)
    {
        m_rng.seed(m_seed);
        m_seeded = true;
    }
    return m_rng;
}

// ---- AlphaOnlyAllocator ------------------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(AlphaOnlyAllocator);
static const bool g_alphaOnlyRegistered =
    (SplitAllocator::RegisterShortName("alpha-only", "ns3::AlphaOnlyAllocator"), true);

TypeId
AlphaOnlyAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AlphaOnlyAllocator")
                            .SetParent<RandomizedAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<AlphaOnlyAllocator>();
    return tid;
}

Allocation
AlphaOnlyAllocator::DoAllocate(const RoundState& state)
{
    SplitCostModel model(state);
    AssociationSolver assoc(model);
    std::mt19937_64& rng = Rng();
    const uint32_t N = state.NumUsers();
    const std::vector<uint32_t> server = assoc.Greedy();
    Allocation a;
    a.users.resize(N);
    std::vector<std::vector<uint32_t>> range(N);
    // Flat Dirichlet weights for the shares: -log(U), U in (0, 1].
    for (uint32_t n = 0; n < N; ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = server[n];
        u.bandwidthHz = -std::log(1.0 - BaselineTools::Unit(rng));
        u.edgeFreqHz = -std::log(1.0 - BaselineTools::Unit(rng));
        range[n] = BaselineTools::AlphaRange(state, n);
        u.alpha = range[n][range[n].size() / 2];
    }
    assoc.Renormalise(a); // proportional: a random split of each server's capacities
    for (uint32_t n = 0; n < N; ++n)
    {
        UserAllocation& u = a.users[n];
        const UserState& us = state.users[n];
        const double pMin = std::min(model.MinPowerW(n, u.server, u.bandwidthHz), us.pMaxW);
        // U(p_min, p_max]; strictly positive also when p_min = 0
        u.powerW = us.pMaxW - (us.pMaxW - pMin) * BaselineTools::Unit(rng);
        u.freqHz = us.fMaxHz * (1.0 - 0.9 * BaselineTools::Unit(rng));
    }
    BaselineTools::ChooseAlpha(model, a, range);
    a.iterations = 1;
    a.objectiveHistory = {model.Objective(a)};
    return a;
}

// ---- ResourceOnlyAllocator ---------------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(ResourceOnlyAllocator);
static const bool g_resourceOnlyRegistered =
    (SplitAllocator::RegisterShortName("resource-only", "ns3::ResourceOnlyAllocator"), true);

TypeId
ResourceOnlyAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ResourceOnlyAllocator")
                            .SetParent<RandomizedAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<ResourceOnlyAllocator>();
    return tid;
}

Allocation
ResourceOnlyAllocator::DoAllocate(const RoundState& state)
{
    SplitCostModel model(state);
    AssociationSolver assoc(model);
    std::mt19937_64& rng = Rng();
    const uint32_t N = state.NumUsers();
    const std::vector<uint32_t> server = assoc.Greedy();
    std::vector<uint32_t> alpha(N);
    for (uint32_t n = 0; n < N; ++n)
    {
        const uint32_t lo = state.MinAlpha();
        const uint32_t span = state.MaxAlpha(n) - lo + 1;
        alpha[n] = lo + std::min(span - 1, static_cast<uint32_t>(BaselineTools::Unit(rng) * span));
    }
    FpResourceResult res;
    Allocation a = BaselineTools::SolveResources(model, server, alpha, &res);
    a.objectiveHistory = res.objectiveHistory;
    return a;
}

} // namespace ns3
