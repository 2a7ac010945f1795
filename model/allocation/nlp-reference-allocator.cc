/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nlp-reference-allocator.h"

#include "association-solver.h"
#include "nlp-split-problem-internal.h"
#include "split-cost-model.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <IpIpoptApplication.hpp>
#include <IpSolveStatistics.hpp>
#include <IpTNLP.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmNlpReferenceAllocator");
NS_OBJECT_ENSURE_REGISTERED(NlpReferenceAllocator);

static const bool g_nlpReferenceRegistered =
    (SplitAllocator::RegisterShortName("nlp-ipopt", "ns3::NlpReferenceAllocator"), true);

using nlpref::Project;
using nlpref::SplitNlp;
using nlpref::WithoutDelays;

namespace
{

/** @return readable name of an IPOPT application status */
std::string
StatusName(Ipopt::ApplicationReturnStatus s)
{
    switch (s)
    {
    case Ipopt::Solve_Succeeded:
        return "Solve_Succeeded";
    case Ipopt::Solved_To_Acceptable_Level:
        return "Solved_To_Acceptable_Level";
    case Ipopt::Infeasible_Problem_Detected:
        return "Infeasible_Problem_Detected";
    case Ipopt::Search_Direction_Becomes_Too_Small:
        return "Search_Direction_Becomes_Too_Small";
    case Ipopt::Diverging_Iterates:
        return "Diverging_Iterates";
    case Ipopt::User_Requested_Stop:
        return "User_Requested_Stop";
    case Ipopt::Feasible_Point_Found:
        return "Feasible_Point_Found";
    case Ipopt::Maximum_Iterations_Exceeded:
        return "Maximum_Iterations_Exceeded";
    case Ipopt::Restoration_Failed:
        return "Restoration_Failed";
    case Ipopt::Error_In_Step_Computation:
        return "Error_In_Step_Computation";
    case Ipopt::Maximum_CpuTime_Exceeded:
        return "Maximum_CpuTime_Exceeded";
    case Ipopt::Not_Enough_Degrees_Of_Freedom:
        return "Not_Enough_Degrees_Of_Freedom";
    case Ipopt::Invalid_Problem_Definition:
        return "Invalid_Problem_Definition";
    case Ipopt::Invalid_Option:
        return "Invalid_Option";
    case Ipopt::Invalid_Number_Detected:
        return "Invalid_Number_Detected";
    case Ipopt::Unrecoverable_Exception:
        return "Unrecoverable_Exception";
    case Ipopt::NonIpopt_Exception_Thrown:
        return "NonIpopt_Exception_Thrown";
    case Ipopt::Insufficient_Memory:
        return "Insufficient_Memory";
    case Ipopt::Internal_Error:
        return "Internal_Error";
    }
    return "status " + std::to_string(static_cast<int>(s));
}

/**
 * @param model cost model
 * @param x projected point
 * @return true if every user meets r_min (the other constraints hold after Project)
 */
bool
MeetsMinRate(const SplitCostModel& model, const RelaxedPoint& x)
{
    const double rmin = model.GetState().objective.minRateBps;
    if (rmin <= 0)
    {
        return true;
    }
    for (uint32_t n = 0; n < x.server.size(); ++n)
    {
        if (model.UplinkRateBps(n, x.server[n], x.powerW[n], x.bandwidthHz[n]) < rmin * (1 - 1e-9))
        {
            return false;
        }
    }
    return true;
}

} // namespace

TypeId
NlpReferenceAllocator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NlpReferenceAllocator")
            .SetParent<SplitAllocator>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<NlpReferenceAllocator>()
            .AddAttribute("MaxIterations",
                          "IPOPT iteration limit (max_iter) of each of the two solves (relaxed, "
                          "then alpha fixed).",
                          UintegerValue(3000),
                          MakeUintegerAccessor(&NlpReferenceAllocator::m_maxIterations),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("Tolerance",
                          "IPOPT convergence tolerance (tol) on the scaled problem (objective "
                          "divided by its value at the equal-share start, variables scaled to "
                          "O(1)).",
                          DoubleValue(1e-9),
                          MakeDoubleAccessor(&NlpReferenceAllocator::m_tolerance),
                          MakeDoubleChecker<double>(1e-14, 1.0))
            .AddAttribute("ExactHessian",
                          "true: IPOPT uses the exact Hessian of the Lagrangian (from "
                          "SplitCostModel::UserTermsHessian); false: its limited-memory "
                          "quasi-Newton approximation (converges far more slowly here).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&NlpReferenceAllocator::m_exactHessian),
                          MakeBooleanChecker());
    return tid;
}

NlpReferenceAllocator::NlpReferenceAllocator()
    : m_maxIterations(3000),
      m_tolerance(1e-9),
      m_exactHessian(true)
{
}

NlpReferenceAllocator::~NlpReferenceAllocator() = default;

double
NlpReferenceAllocator::RelaxedObjective(const SplitCostModel& model, const RelaxedPoint& x)
{
    const RoundState& st = model.GetState();
    double sum = 0;
    double delayMax = 0;
    for (uint32_t n = 0; n < x.server.size(); ++n)
    {
        const CostTerms t = RelaxedUserTerms(model, x, n);
        if (st.objective.delay == DelayAggregate::SUM)
        {
            sum += model.UserObjective(n, t);
        }
        else
        {
            sum += model.UserObjective(n, WithoutDelays(t));
            delayMax = std::max(delayMax, model.ObjectiveDelayS(n, t));
        }
    }
    return sum + st.objective.wTime * delayMax;
}

RelaxedPoint
NlpReferenceAllocator::EqualSharePoint(const SplitCostModel& model,
                                       const std::vector<uint32_t>& server,
                                       const std::vector<double>& alpha)
{
    const RoundState& st = model.GetState();
    const uint32_t nUsers = st.NumUsers();
    std::vector<uint32_t> count(st.NumServers(), 0);
    for (uint32_t m : server)
    {
        ++count[m];
    }
    RelaxedPoint x;
    x.server = server;
    x.alpha.resize(nUsers);
    x.powerW.resize(nUsers);
    x.bandwidthHz.resize(nUsers);
    x.freqHz.resize(nUsers);
    x.edgeFreqHz.resize(nUsers);
    for (uint32_t n = 0; n < nUsers; ++n)
    {
        const ServerState& s = st.servers[server[n]];
        const UserState& u = st.users[n];
        x.alpha[n] = alpha.empty() ? 0.5 * (st.MinAlpha() + st.MaxAlpha(n)) : alpha[n];
        x.bandwidthHz[n] = s.bandwidthHz / count[server[n]];
        x.edgeFreqHz[n] = s.fMaxHz / count[server[n]];
        x.powerW[n] = u.pMaxW;
        x.freqHz[n] = SplitCostModel::OptimalDeviceFrequency(u, st.objective);
    }
    return x;
}

NlpReferenceResult
NlpReferenceAllocator::SolveRelaxed(const RoundState& state,
                                    const std::vector<uint32_t>& server,
                                    const std::vector<double>& fixedAlpha,
                                    const RelaxedPoint& start) const
{
    NS_LOG_FUNCTION(this << state.NumUsers() << fixedAlpha.empty());
    const SplitCostModel model(state);
    NS_ASSERT_MSG(server.size() == state.NumUsers(), "one server per user expected");
    RelaxedPoint x0 = start.server.empty() ? EqualSharePoint(model, server, fixedAlpha) : start;
    x0.server = server;
    if (!fixedAlpha.empty())
    {
        x0.alpha = fixedAlpha;
    }
    Project(model, x0);

    NlpReferenceResult result;
    result.point = x0;
    result.objective = RelaxedObjective(model, x0);
    const bool startFeasible = MeetsMinRate(model, x0);

    Ipopt::SmartPtr<SplitNlp> nlp = new SplitNlp(model, x0, !fixedAlpha.empty(), m_exactHessian);
    Ipopt::ApplicationReturnStatus status = Ipopt::Internal_Error;
    try
    {
        Ipopt::SmartPtr<Ipopt::IpoptApplication> app = IpoptApplicationFactory();
        app->Options()->SetStringValue("sb", "yes");
        app->Options()->SetIntegerValue("print_level", 0);
        app->Options()->SetStringValue("hessian_approximation",
                                       m_exactHessian ? "exact" : "limited-memory");
        app->Options()->SetNumericValue("tol", m_tolerance);
        app->Options()->SetIntegerValue("max_iter", static_cast<int>(m_maxIterations));
        app->Options()->SetNumericValue("constr_viol_tol", 1e-9);
        app->Options()->SetStringValue("mu_strategy", "adaptive");
        status = app->Initialize();
        if (status == Ipopt::Solve_Succeeded)
        {
            status = app->OptimizeTNLP(Ipopt::SmartPtr<Ipopt::TNLP>(GetRawPtr(nlp)));
        }
        if (Ipopt::IsValid(app->Statistics()))
        {
            result.iterations = static_cast<uint32_t>(app->Statistics()->IterationCount());
        }
        else
        {
            result.iterations = static_cast<uint32_t>(std::max(0, nlp->LastIteration()));
        }
    }
    catch (const std::exception& e)
    {
        NS_LOG_WARN("IPOPT threw: " << e.what());
        status = Ipopt::NonIpopt_Exception_Thrown;
    }
    catch (...)
    {
        NS_LOG_WARN("IPOPT threw an exception that is not a std::exception");
        status = Ipopt::Unrecoverable_Exception;
    }
    result.status = StatusName(status);
    result.success =
        status == Ipopt::Solve_Succeeded || status == Ipopt::Solved_To_Acceptable_Level;
    result.objectiveHistory = nlp->History();
    result.dualInfeasibility = nlp->LastDualInfeasibility();

    if (nlp->HasFinalPoint())
    {
        const RelaxedPoint& xf = nlp->FinalPoint();
        const double objF = RelaxedObjective(model, xf);
        const bool feasF = MeetsMinRate(model, xf) && std::isfinite(objF);
        // IPOPT's point wins unless the start is feasible and better (or IPOPT's is infeasible)
        if (feasF && (!startFeasible || objF <= result.objective))
        {
            result.point = xf;
            result.objective = objF;
            result.usedIpoptPoint = true;
        }
        else if (!feasF && !startFeasible)
        {
            result.point = xf; // nothing feasible: report where IPOPT stopped
            result.objective = objF;
            result.usedIpoptPoint = true;
        }
    }
    if (!result.success)
    {
        NS_LOG_WARN("IPOPT ended with "
                    << result.status << " after " << result.iterations
                    << " iterations; keeping the "
                    << (result.usedIpoptPoint ? "projected final iterate" : "starting point")
                    << " (objective " << result.objective << ")");
    }
    NS_LOG_DEBUG("IPOPT " << result.status << ", " << result.iterations << " iterations, objective "
                          << result.objective);
    return result;
}

Allocation
NlpReferenceAllocator::DoAllocate(const RoundState& state)
{
    NS_LOG_FUNCTION(this);
    const SplitCostModel model(state);
    return AllocateOnAssociation(state, AssociationSolver(model).Greedy());
}

Allocation
NlpReferenceAllocator::AllocateOnAssociation(const RoundState& state,
                                             const std::vector<uint32_t>& server) const
{
    NS_LOG_FUNCTION(this);
    const SplitCostModel model(state);
    const bool makespan = state.objective.delay == DelayAggregate::MAKESPAN;
    const double wTime = state.objective.wTime;

    // 1. relaxed problem
    const NlpReferenceResult relaxed = SolveRelaxed(state, server);
    const RelaxedPoint& xr = relaxed.point;
    double tauRelaxed = 0;
    for (uint32_t n = 0; n < state.NumUsers(); ++n)
    {
        tauRelaxed = std::max(tauRelaxed,
                              model.ObjectiveDelayS(n,
                                                    model.UserTerms(n,
                                                                    server[n],
                                                                    xr.alpha[n],
                                                                    xr.powerW[n],
                                                                    xr.bandwidthHz[n],
                                                                    xr.freqHz[n],
                                                                    xr.edgeFreqHz[n])));
    }

    // 2. round every alpha to the floor or ceiling the cost model prices lower
    std::vector<double> rounded(state.NumUsers());
    for (uint32_t n = 0; n < state.NumUsers(); ++n)
    {
        const double lo = std::max<double>(std::floor(xr.alpha[n]), state.MinAlpha());
        const double hi = std::min<double>(std::ceil(xr.alpha[n]), state.MaxAlpha(n));
        auto price = [&](double alpha) {
            const CostTerms t = model.UserTerms(n,
                                                server[n],
                                                alpha,
                                                xr.powerW[n],
                                                xr.bandwidthHz[n],
                                                xr.freqHz[n],
                                                xr.edgeFreqHz[n]);
            if (!makespan)
            {
                return model.UserObjective(n, t);
            }
            return model.UserObjective(n, WithoutDelays(t)) +
                   wTime * std::max(0.0, model.ObjectiveDelayS(n, t) - tauRelaxed);
        };
        rounded[n] = price(lo) <= price(hi) ? lo : hi;
    }

    // 3. re-solve the continuous variables with alpha fixed, from the rounded relaxed point
    RelaxedPoint warm = xr;
    warm.alpha = rounded;
    const NlpReferenceResult fixed = SolveRelaxed(state, server, rounded, warm);

    auto toAllocation = [&](const RelaxedPoint& x) {
        Allocation a;
        a.users.resize(state.NumUsers());
        for (uint32_t n = 0; n < state.NumUsers(); ++n)
        {
            UserAllocation& u = a.users[n];
            u.server = x.server[n];
            u.alpha = static_cast<uint32_t>(std::lround(rounded[n]));
            u.powerW = x.powerW[n];
            u.bandwidthHz = x.bandwidthHz[n];
            u.freqHz = x.freqHz[n];
            u.edgeFreqHz = x.edgeFreqHz[n];
        }
        return a;
    };
    Allocation best = toAllocation(fixed.point);
    double bestObj = model.Objective(best);
    bool bestFeasible = model.Violations(best).empty();
    {
        // the rounded relaxed point (projected) is a fallback if the re-solve failed
        RelaxedPoint alt = warm;
        Project(model, alt);
        Allocation a = toAllocation(alt);
        const double obj = model.Objective(a);
        const bool feasible = model.Violations(a).empty();
        if ((feasible && !bestFeasible) || (feasible == bestFeasible && obj < bestObj))
        {
            NS_LOG_INFO("alpha-fixed re-solve (" << fixed.status << ", objective " << bestObj
                                                 << ") is worse than the rounded relaxed point ("
                                                 << obj << "); keeping the latter");
            best = a;
            bestObj = obj;
            bestFeasible = feasible;
        }
    }
    if (!bestFeasible)
    {
        std::ostringstream os;
        for (const auto& v : model.Violations(best))
        {
            os << "; " << v;
        }
        NS_LOG_WARN("NLP reference found no feasible allocation (relaxed: "
                    << relaxed.status << ", fixed: " << fixed.status << ")" << os.str());
    }
    best.iterations = relaxed.iterations + fixed.iterations;
    best.objectiveHistory = relaxed.objectiveHistory;
    best.objectiveHistory.insert(best.objectiveHistory.end(),
                                 fixed.objectiveHistory.begin(),
                                 fixed.objectiveHistory.end());
    best.stationarity = fixed.dualInfeasibility;
    return best;
}

} // namespace ns3
