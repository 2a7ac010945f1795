/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_NLP_SPLIT_PROBLEM_INTERNAL_H
#define EDGE_LLM_NLP_SPLIT_PROBLEM_INTERNAL_H

// The block-1 problem as an IPOPT TNLP (class nlpref::SplitNlp), solved by
// NlpReferenceAllocator (nlp-reference-allocator.cc). Internal: not published as "ns3/...",
// not part of the module header (it needs IPOPT).

#include "fp-resource-solver.h"

#include "ns3/split-cost-model.h"

#include <IpTNLP.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace ns3
{

/// Internals of NlpReferenceAllocator.
namespace nlpref
{

/** Relative lower bound of p, b, f, f^E (scaled variables); above IPOPT's bound relaxation. */
constexpr double kMinScaled = 1e-7;

/** @return the terms with every delay field zeroed (energy and stability stay) */
inline CostTerms
WithoutDelays(CostTerms t)
{
    t.deviceDelayS = 0;
    t.edgeDelayS = 0;
    t.uplinkDelayS = 0;
    t.downlinkDelayS = 0;
    return t;
}

/**
 * Clip a point into its bounds and scale every server's shares down to its capacity; raise p to
 * the r_min power where that fits under p_max.
 * @param model cost model
 * @param x point, changed in place
 */
inline void
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

} // namespace nlpref
} // namespace ns3

#endif // EDGE_LLM_NLP_SPLIT_PROBLEM_INTERNAL_H
