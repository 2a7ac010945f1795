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
                          "(current, greedy, LP relaxation, random…); the best result is kept.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&FpAllocator::m_cccpStarts),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("AssociationLp",
                          "Run the paper's CCCP on the association LP (GLPK; CccpStarts starts x "
                          "5 rho values, then the true-cost search from its result and from the "
                          "current association). false (default): only the true-cost search "
                          "from the current association (AssociationSolver::TrueCostSearch).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&FpAllocator::m_associationLp),
                          MakeBooleanChecker())
            .AddAttribute("CandidateServers",
                          "True-cost search of the association step: moves and swaps only onto "
                          "each user's this many highest-gain servers (0: all servers).",
                          UintegerValue(4),
                          MakeUintegerAccessor(&FpAllocator::m_candidateServers),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("PenaltyRho",
                          "AssociationLp only: exact penalty rho of the CCCP association step, in "
                          "the unit of the objective; 0 tries 5 values from the association costs.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FpAllocator::m_penaltyRho),
                          MakeDoubleChecker<double>(0.0))
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
      m_cccpStarts(4),
      m_penaltyRho(0.0),
      m_seed(1),
      m_makespanIterations(20),
      m_bestGainStart(true),
      m_associationLp(false),
      m_candidateServers(4)
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
    const FpResourceResult res = solver.Solve(r, o);
    Candidate c;
    c.allocation = ToAllocation(res.point);
    c.objective = model.Objective(c.allocation);
    c.feasible = res.feasible && model.Violations(c.allocation).empty();
    c.stationarity = res.stationarity;
    c.fpIterations = res.iterations;
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

    FpResourceResult r = fp.Solve(fp.InitialPoint(as.Greedy()), ro);
    if (m_bestGainStart)
    {
        // second start: every user on its highest-gain server (the paper's "greedy (highest
        // rate)" association without a room limit); the alternation continues from the
        // start with the lower relaxed objective
        const RoundState& st = model.GetState();
        std::vector<uint32_t> server(st.NumUsers(), 0);
        for (uint32_t n = 0; n < st.NumUsers(); ++n)
        {
            const auto& g = st.users[n].gain;
            server[n] = static_cast<uint32_t>(std::max_element(g.begin(), g.end()) - g.begin());
        }
        if (server != r.point.server)
        {
            FpResourceResult r2 = fp.Solve(fp.InitialPoint(server), ro);
            NS_LOG_LOGIC("greedy start: " << r.objectiveHistory.back() << ", highest-gain start: "
                                          << r2.objectiveHistory.back());
            if (r2.objectiveHistory.back() < r.objectiveHistory.back())
            {
                r = std::move(r2);
            }
        }
    }
    RelaxedPoint x = r.point;
    double k = r.objectiveHistory.back();
    auto consider = [&](const RelaxedPoint& p) {
        const Candidate c = RoundAndResolve(fp, p, ro);
        stage.history.push_back(c.objective);
        ++stage.candidates;
        Keep(stage.best, c);
        NS_LOG_LOGIC("candidate " << stage.candidates << ": objective " << c.objective
                                  << (c.feasible ? "" : " (infeasible)"));
    };
    consider(x);
    for (uint32_t outer = 1; outer <= m_maxOuterIterations; ++outer)
    {
        const Allocation a = ToAllocation(x);
        CccpOptions co;
        co.penalty = m_penaltyRho;
        co.starts = m_cccpStarts;
        co.seed = m_seed + outer;
        co.lp = m_associationLp;
        co.candidateServers = m_candidateServers;
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
        consider(x);
    }
    stage.relaxed = x;
    return stage;
}

Allocation
FpAllocator::DoAllocate(const RoundState& state)
{
    NS_LOG_FUNCTION(this << state.NumUsers() << state.NumServers());
    const SplitCostModel model(state);
    const uint32_t N = state.NumUsers();
    Stage stage;
    if (state.objective.delay == DelayAggregate::SUM)
    {
        stage = Alternate(model, {});
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
            const Candidate c = RoundAndResolve(fp, x, ro);
            stage.history.push_back(c.objective);
            ++stage.candidates;
            Keep(stage.best, c);
            last = c.allocation;
        }
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
