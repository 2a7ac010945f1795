/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nlp-reference-allocator.h"

#include "association-solver.h"
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

namespace
{

/** Relative lower bound of p, b, f, f^E (scaled variables); above IPOPT's bound relaxation. */
constexpr double kMinScaled = 1e-7;

/** @return the terms with every delay field zeroed (energy and stability stay) */
CostTerms
WithoutDelays(CostTerms t)
{
    t.deviceDelayS = 0;
    t.edgeDelayS = 0;
    t.uplinkDelayS = 0;
    t.downlinkDelayS = 0;
    return t;
}

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
 * Clip a point into its bounds and scale every server's shares down to its capacity; raise p to
 * the r_min power where that fits under p_max.
 * @param model cost model
 * @param x point, changed in place
 */
void
Project(const SplitCostModel& model, RelaxedPoint& x)
{
    const RoundState& st = model.GetState();
    const uint32_t nUsers = st.NumUsers();
    std::vector<double> band(st.NumServers(), 0.0);
    std::vector<double> freq(st.NumServers(), 0.0);
    for (uint32_t n = 0; n < nUsers; ++n)
    {
        const UserState& u = st.users[n];
        const ServerState& s = st.servers[x.server[n]];
        x.alpha[n] = std::clamp(x.alpha[n],
                                static_cast<double>(st.MinAlpha()),
                                static_cast<double>(st.MaxAlpha(n)));
        x.powerW[n] = std::clamp(x.powerW[n], kMinScaled * u.pMaxW, u.pMaxW);
        x.freqHz[n] = std::clamp(x.freqHz[n], kMinScaled * u.fMaxHz, u.fMaxHz);
        x.bandwidthHz[n] = std::max(x.bandwidthHz[n], kMinScaled * s.bandwidthHz);
        x.edgeFreqHz[n] = std::max(x.edgeFreqHz[n], kMinScaled * s.fMaxHz);
        band[x.server[n]] += x.bandwidthHz[n];
        freq[x.server[n]] += x.edgeFreqHz[n];
    }
    for (uint32_t n = 0; n < nUsers; ++n)
    {
        const uint32_t m = x.server[n];
        const ServerState& s = st.servers[m];
        if (band[m] > s.bandwidthHz)
        {
            x.bandwidthHz[n] *= s.bandwidthHz / band[m];
        }
        if (freq[m] > s.fMaxHz)
        {
            x.edgeFreqHz[n] *= s.fMaxHz / freq[m];
        }
        const double pMin = model.MinPowerW(n, m, x.bandwidthHz[n]);
        if (x.powerW[n] < pMin && pMin <= st.users[n].pMaxW)
        {
            x.powerW[n] = pMin;
        }
    }
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

/**
 * @ingroup edge-llm
 * @brief The block-1 problem as an IPOPT TNLP (scaled variables, see NlpReferenceAllocator).
 *
 * Variable layout: per user [alpha/Upsilon, p/p_max, b/b_m^max, f/f_max, f^E/f_m^max], then tau
 * / tau_0 with the MAKESPAN aggregate. Rows: bandwidth per used server, GPU frequency per used
 * server, r_n/r_min per user (if r_min > 0), (delay_n/tau_0 - tau) per user (MAKESPAN).
 */
class SplitNlp : public Ipopt::TNLP
{
  public:
    SplitNlp(const SplitCostModel& model,
             const RelaxedPoint& start,
             bool alphaFixed,
             bool exactHessian)
        : m_model(model),
          m_st(model.GetState()),
          m_start(start),
          m_alphaFixed(alphaFixed),
          m_exactHessian(exactHessian),
          m_nUsers(m_st.NumUsers()),
          m_makespan(m_st.objective.delay == DelayAggregate::MAKESPAN),
          m_rate(m_st.objective.minRateBps > 0)
    {
        // servers that hold users get one capacity row each
        std::vector<int> rowOf(m_st.NumServers(), -1);
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const uint32_t m = start.server[n];
            if (rowOf[m] < 0)
            {
                rowOf[m] = static_cast<int>(m_usedServers.size());
                m_usedServers.push_back(m);
            }
        }
        m_serverRow.resize(m_nUsers);
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            m_serverRow[n] = rowOf[start.server[n]];
        }
        m_tauScale = 1.0;
        m_objScale = 1.0;
        // scale the objective (and tau) by their values at the start
        const double f0 = ObjectiveAt(start, &m_tauScale);
        m_tauScale = std::max(m_tauScale, std::numeric_limits<double>::min());
        m_objScale = (std::isfinite(f0) && f0 > 0) ? f0 : 1.0;
    }

    /** @return the final point (projected) */
    const RelaxedPoint& FinalPoint() const
    {
        return m_final;
    }

    /** @return true if finalize_solution stored a point */
    bool HasFinalPoint() const
    {
        return m_hasFinal;
    }

    /** @return per-iteration objective (unscaled) */
    const std::vector<double>& History() const
    {
        return m_history;
    }

    /** @return last scaled dual infeasibility seen */
    double LastDualInfeasibility() const
    {
        return m_lastInfDu;
    }

    /** @return last iteration index seen */
    int LastIteration() const
    {
        return m_lastIter;
    }

    bool get_nlp_info(Ipopt::Index& n,
                      Ipopt::Index& m,
                      Ipopt::Index& nnzJac,
                      Ipopt::Index& nnzHess,
                      IndexStyleEnum& style) override
    {
        n = static_cast<Ipopt::Index>(NumVars());
        m = static_cast<Ipopt::Index>(NumRows());
        nnzJac = static_cast<Ipopt::Index>(2 * m_nUsers + (m_rate ? 2 * m_nUsers : 0) +
                                           (m_makespan ? 6 * m_nUsers : 0));
        nnzHess = m_exactHessian ? static_cast<Ipopt::Index>(8 * m_nUsers) : 0;
        style = C_STYLE;
        return true;
    }

    bool get_bounds_info(Ipopt::Index,
                         Ipopt::Number* xl,
                         Ipopt::Number* xu,
                         Ipopt::Index,
                         Ipopt::Number* gl,
                         Ipopt::Number* gu) override
    {
        const double inf = 1e19;
        const double layers = m_st.layers;
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const uint32_t k = 5 * n;
            if (m_alphaFixed)
            {
                xl[k] = xu[k] = m_start.alpha[n] / layers;
            }
            else
            {
                xl[k] = m_st.MinAlpha() / layers;
                xu[k] = m_st.MaxAlpha(n) / layers;
            }
            for (uint32_t j = 1; j < 5; ++j)
            {
                xl[k + j] = kMinScaled;
                xu[k + j] = 1.0;
            }
        }
        if (m_makespan)
        {
            xl[5 * m_nUsers] = 0.0;
            xu[5 * m_nUsers] = inf;
        }
        uint32_t row = 0;
        for (uint32_t i = 0; i < 2 * m_usedServers.size(); ++i, ++row)
        {
            gl[row] = -inf;
            gu[row] = 1.0;
        }
        if (m_rate)
        {
            for (uint32_t n = 0; n < m_nUsers; ++n, ++row)
            {
                gl[row] = 1.0;
                gu[row] = inf;
            }
        }
        if (m_makespan)
        {
            for (uint32_t n = 0; n < m_nUsers; ++n, ++row)
            {
                gl[row] = -inf;
                gu[row] = 0.0;
            }
        }
        return true;
    }

    bool get_starting_point(Ipopt::Index,
                            bool initX,
                            Ipopt::Number* x,
                            bool,
                            Ipopt::Number*,
                            Ipopt::Number*,
                            Ipopt::Index,
                            bool,
                            Ipopt::Number*) override
    {
        if (!initX)
        {
            return false;
        }
        Scale(m_start, x);
        if (m_makespan)
        {
            x[5 * m_nUsers] = 1.01; // slightly above the start's makespan (tau_0)
        }
        return true;
    }

    bool eval_f(Ipopt::Index, const Ipopt::Number* x, bool, Ipopt::Number& obj) override
    {
        Unscale(x, m_work);
        double sum = 0;
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const CostTerms t = Terms(n, m_work);
            sum += m_makespan ? m_model.UserObjective(n, WithoutDelays(t))
                              : m_model.UserObjective(n, t);
        }
        if (m_makespan)
        {
            sum += m_st.objective.wTime * x[5 * m_nUsers] * m_tauScale;
        }
        obj = sum / m_objScale;
        return std::isfinite(obj);
    }

    bool eval_grad_f(Ipopt::Index, const Ipopt::Number* x, bool, Ipopt::Number* grad) override
    {
        Unscale(x, m_work);
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const CostTermsGradient g = Gradient(n, m_work);
            const double* s = VarScales(n);
            const CostTerms* parts[5] = {&g.dAlpha, &g.dP, &g.dB, &g.dF, &g.dFe};
            for (uint32_t j = 0; j < 5; ++j)
            {
                const double d = m_makespan ? m_model.UserObjective(n, WithoutDelays(*parts[j]))
                                            : m_model.UserObjective(n, *parts[j]);
                grad[5 * n + j] = d * s[j] / m_objScale;
            }
        }
        if (m_makespan)
        {
            grad[5 * m_nUsers] = m_st.objective.wTime * m_tauScale / m_objScale;
        }
        for (uint32_t i = 0; i < NumVars(); ++i)
        {
            if (!std::isfinite(grad[i]))
            {
                return false;
            }
        }
        return true;
    }

    bool eval_g(Ipopt::Index, const Ipopt::Number* x, bool, Ipopt::Index, Ipopt::Number* g) override
    {
        Unscale(x, m_work);
        const uint32_t nServ = m_usedServers.size();
        std::fill(g, g + 2 * nServ, 0.0);
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            g[m_serverRow[n]] += x[5 * n + 2];
            g[nServ + m_serverRow[n]] += x[5 * n + 4];
        }
        uint32_t row = 2 * nServ;
        if (m_rate)
        {
            for (uint32_t n = 0; n < m_nUsers; ++n, ++row)
            {
                g[row] = m_model.UplinkRateBps(n,
                                               m_work.server[n],
                                               m_work.powerW[n],
                                               m_work.bandwidthHz[n]) /
                         m_st.objective.minRateBps;
            }
        }
        if (m_makespan)
        {
            for (uint32_t n = 0; n < m_nUsers; ++n, ++row)
            {
                g[row] =
                    m_model.ObjectiveDelayS(n, Terms(n, m_work)) / m_tauScale - x[5 * m_nUsers];
            }
        }
        for (uint32_t i = 0; i < row; ++i)
        {
            if (!std::isfinite(g[i]))
            {
                return false;
            }
        }
        return true;
    }

    bool eval_jac_g(Ipopt::Index,
                    const Ipopt::Number* x,
                    bool,
                    Ipopt::Index,
                    Ipopt::Index nele,
                    Ipopt::Index* iRow,
                    Ipopt::Index* jCol,
                    Ipopt::Number* values) override
    {
        const uint32_t nServ = m_usedServers.size();
        if (values == nullptr)
        {
            Ipopt::Index k = 0;
            for (uint32_t n = 0; n < m_nUsers; ++n)
            {
                iRow[k] = m_serverRow[n];
                jCol[k++] = 5 * n + 2;
                iRow[k] = nServ + m_serverRow[n];
                jCol[k++] = 5 * n + 4;
            }
            uint32_t row = 2 * nServ;
            if (m_rate)
            {
                for (uint32_t n = 0; n < m_nUsers; ++n, ++row)
                {
                    iRow[k] = row;
                    jCol[k++] = 5 * n + 1;
                    iRow[k] = row;
                    jCol[k++] = 5 * n + 2;
                }
            }
            if (m_makespan)
            {
                for (uint32_t n = 0; n < m_nUsers; ++n, ++row)
                {
                    for (uint32_t j = 0; j < 5; ++j)
                    {
                        iRow[k] = row;
                        jCol[k++] = 5 * n + j;
                    }
                    iRow[k] = row;
                    jCol[k++] = 5 * m_nUsers;
                }
            }
            return k == nele;
        }
        Unscale(x, m_work);
        Ipopt::Index k = 0;
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            values[k++] = 1.0;
            values[k++] = 1.0;
        }
        if (m_rate)
        {
            const double rmin = m_st.objective.minRateBps;
            for (uint32_t n = 0; n < m_nUsers; ++n)
            {
                const RateDerivatives r = m_model.UplinkRate(n,
                                                             m_work.server[n],
                                                             m_work.powerW[n],
                                                             m_work.bandwidthHz[n]);
                const double* s = VarScales(n);
                values[k++] = r.dp * s[1] / rmin;
                values[k++] = r.db * s[2] / rmin;
            }
        }
        if (m_makespan)
        {
            for (uint32_t n = 0; n < m_nUsers; ++n)
            {
                const CostTermsGradient g = Gradient(n, m_work);
                const double* s = VarScales(n);
                const CostTerms* parts[5] = {&g.dAlpha, &g.dP, &g.dB, &g.dF, &g.dFe};
                for (uint32_t j = 0; j < 5; ++j)
                {
                    values[k++] = m_model.ObjectiveDelayS(n, *parts[j]) * s[j] / m_tauScale;
                }
                values[k++] = -1.0;
            }
        }
        for (Ipopt::Index i = 0; i < k; ++i)
        {
            if (!std::isfinite(values[i]))
            {
                return false;
            }
        }
        return k == nele;
    }

    bool eval_h(Ipopt::Index,
                const Ipopt::Number* x,
                bool,
                Ipopt::Number objFactor,
                Ipopt::Index,
                const Ipopt::Number* lambda,
                bool,
                Ipopt::Index nele,
                Ipopt::Index* iRow,
                Ipopt::Index* jCol,
                Ipopt::Number* values) override
    {
        if (!m_exactHessian)
        {
            return false;
        }
        // per user, lower triangle: (a,a) (p,p) (b,p) (b,b) (f,a) (f,f) (fe,a) (fe,fe)
        static const uint32_t kRow[8] = {0, 1, 2, 2, 3, 3, 4, 4};
        static const uint32_t kCol[8] = {0, 1, 1, 2, 0, 3, 0, 4};
        if (values == nullptr)
        {
            Ipopt::Index k = 0;
            for (uint32_t n = 0; n < m_nUsers; ++n)
            {
                for (uint32_t e = 0; e < 8; ++e, ++k)
                {
                    iRow[k] = 5 * n + kRow[e];
                    jCol[k] = 5 * n + kCol[e];
                }
            }
            return k == nele;
        }
        Unscale(x, m_work);
        const uint32_t rateRow0 = 2 * m_usedServers.size();
        const uint32_t delayRow0 = rateRow0 + (m_rate ? m_nUsers : 0);
        Ipopt::Index k = 0;
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const CostTermsHessian h = m_model.UserTermsHessian(n,
                                                                m_work.server[n],
                                                                m_work.alpha[n],
                                                                m_work.powerW[n],
                                                                m_work.bandwidthHz[n],
                                                                m_work.freqHz[n],
                                                                m_work.edgeFreqHz[n]);
            const CostTerms* parts[8] =
                {&h.alphaAlpha, &h.pp, &h.pb, &h.bb, &h.alphaF, &h.ff, &h.alphaFe, &h.feFe};
            const double* s = VarScales(n);
            const double lambdaDelay = m_makespan ? lambda[delayRow0 + n] : 0.0;
            for (uint32_t e = 0; e < 8; ++e, ++k)
            {
                const double scale = s[kRow[e]] * s[kCol[e]];
                const double obj = m_makespan ? m_model.UserObjective(n, WithoutDelays(*parts[e]))
                                              : m_model.UserObjective(n, *parts[e]);
                double v = objFactor * obj / m_objScale;
                if (m_makespan)
                {
                    v += lambdaDelay * m_model.ObjectiveDelayS(n, *parts[e]) / m_tauScale;
                }
                values[k] = v * scale;
            }
            if (m_rate)
            {
                const RateDerivatives r = m_model.UplinkRate(n,
                                                             m_work.server[n],
                                                             m_work.powerW[n],
                                                             m_work.bandwidthHz[n]);
                const double l = lambda[rateRow0 + n] / m_st.objective.minRateBps;
                values[k - 7] += l * r.dpp * s[1] * s[1]; // (p,p)
                values[k - 6] += l * r.dpb * s[1] * s[2]; // (b,p)
                values[k - 5] += l * r.dbb * s[2] * s[2]; // (b,b)
            }
        }
        for (Ipopt::Index i = 0; i < k; ++i)
        {
            if (!std::isfinite(values[i]))
            {
                return false;
            }
        }
        return k == nele;
    }

    bool intermediate_callback(Ipopt::AlgorithmMode mode,
                               Ipopt::Index iter,
                               Ipopt::Number obj,
                               Ipopt::Number,
                               Ipopt::Number infDu,
                               Ipopt::Number,
                               Ipopt::Number,
                               Ipopt::Number,
                               Ipopt::Number,
                               Ipopt::Number,
                               Ipopt::Index,
                               const Ipopt::IpoptData*,
                               Ipopt::IpoptCalculatedQuantities*) override
    {
        m_lastIter = iter;
        if (mode == Ipopt::RegularMode)
        {
            m_history.push_back(obj * m_objScale);
            m_lastInfDu = infDu;
        }
        return true;
    }

    void finalize_solution(Ipopt::SolverReturn,
                           Ipopt::Index,
                           const Ipopt::Number* x,
                           const Ipopt::Number*,
                           const Ipopt::Number*,
                           Ipopt::Index,
                           const Ipopt::Number*,
                           const Ipopt::Number*,
                           Ipopt::Number,
                           const Ipopt::IpoptData*,
                           Ipopt::IpoptCalculatedQuantities*) override
    {
        if (x == nullptr)
        {
            return;
        }
        Unscale(x, m_final);
        if (m_alphaFixed)
        {
            m_final.alpha = m_start.alpha;
        }
        Project(m_model, m_final);
        m_hasFinal = true;
    }

  private:
    /** @return number of variables */
    uint32_t NumVars() const
    {
        return 5 * m_nUsers + (m_makespan ? 1 : 0);
    }

    /** @return number of constraint rows */
    uint32_t NumRows() const
    {
        return 2 * m_usedServers.size() + (m_rate ? m_nUsers : 0) + (m_makespan ? m_nUsers : 0);
    }

    /**
     * @param n user
     * @return scales of alpha, p, b, f, f^E (scaled variable * scale = physical value)
     */
    const double* VarScales(uint32_t n)
    {
        const UserState& u = m_st.users[n];
        const ServerState& s = m_st.servers[m_start.server[n]];
        m_scaleBuf[0] = m_st.layers;
        m_scaleBuf[1] = u.pMaxW;
        m_scaleBuf[2] = s.bandwidthHz;
        m_scaleBuf[3] = u.fMaxHz;
        m_scaleBuf[4] = s.fMaxHz;
        return m_scaleBuf;
    }

    /** Scale a physical point into IPOPT's variables. */
    void Scale(const RelaxedPoint& p, Ipopt::Number* x)
    {
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const double* s = VarScales(n);
            x[5 * n] = p.alpha[n] / s[0];
            x[5 * n + 1] = p.powerW[n] / s[1];
            x[5 * n + 2] = p.bandwidthHz[n] / s[2];
            x[5 * n + 3] = p.freqHz[n] / s[3];
            x[5 * n + 4] = p.edgeFreqHz[n] / s[4];
        }
    }

    /** Unscale IPOPT's variables into a physical point. */
    void Unscale(const Ipopt::Number* x, RelaxedPoint& p)
    {
        if (p.server.size() != m_nUsers)
        {
            p = m_start;
        }
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            const double* s = VarScales(n);
            p.alpha[n] = x[5 * n] * s[0];
            p.powerW[n] = x[5 * n + 1] * s[1];
            p.bandwidthHz[n] = x[5 * n + 2] * s[2];
            p.freqHz[n] = x[5 * n + 3] * s[3];
            p.edgeFreqHz[n] = x[5 * n + 4] * s[4];
        }
    }

    /** @return the cost model's terms of user n at p */
    CostTerms Terms(uint32_t n, const RelaxedPoint& p) const
    {
        return m_model.UserTerms(n,
                                 p.server[n],
                                 p.alpha[n],
                                 p.powerW[n],
                                 p.bandwidthHz[n],
                                 p.freqHz[n],
                                 p.edgeFreqHz[n]);
    }

    /** @return the cost model's term derivatives of user n at p */
    CostTermsGradient Gradient(uint32_t n, const RelaxedPoint& p) const
    {
        return m_model.UserTermsGradient(n,
                                         p.server[n],
                                         p.alpha[n],
                                         p.powerW[n],
                                         p.bandwidthHz[n],
                                         p.freqHz[n],
                                         p.edgeFreqHz[n]);
    }

    /**
     * @param p point
     * @param makespan out: the largest objective delay
     * @return relaxed objective
     */
    double ObjectiveAt(const RelaxedPoint& p, double* makespan) const
    {
        *makespan = 0;
        for (uint32_t n = 0; n < m_nUsers; ++n)
        {
            *makespan = std::max(*makespan, m_model.ObjectiveDelayS(n, Terms(n, p)));
        }
        return NlpReferenceAllocator::RelaxedObjective(m_model, p);
    }

    const SplitCostModel& m_model;       //!< cost model
    const RoundState& m_st;              //!< round
    RelaxedPoint m_start;                //!< starting point (association, fixed alpha)
    bool m_alphaFixed;                   //!< alpha held at m_start.alpha
    bool m_exactHessian;                 //!< eval_h provides the exact Hessian
    uint32_t m_nUsers;                   //!< N
    bool m_makespan;                     //!< epigraph variable present
    bool m_rate;                         //!< r_min rows present
    std::vector<uint32_t> m_usedServers; //!< servers with users, in row order
    std::vector<int> m_serverRow;        //!< row of each user's server
    double m_tauScale;                   //!< tau_0 (s)
    double m_objScale;                   //!< objective at the start
    double m_scaleBuf[5];                //!< scratch for VarScales
    RelaxedPoint m_work;                 //!< scratch point
    RelaxedPoint m_final;                //!< IPOPT's final point, projected
    bool m_hasFinal{false};              //!< m_final set
    std::vector<double> m_history;       //!< objective per iteration
    double m_lastInfDu{0};               //!< last dual infeasibility
    int m_lastIter{0};                   //!< last iteration
};

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
