/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AssociationSolver::Cccp: the paper's block 2, CCCP on the exact-penalty association LP
// (GLPK), with its starts, rounding and local search on the linear cost (see the class
// documentation and doc/edge-llm.rst, "Allocators").
#include "association-slot-costs.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <glpk.h>
#include <limits>
#include <memory>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmAssociationSolver");

using association::kBinaryTol;
using association::kCapacityTol;

namespace
{

/// RAII owner of a GLPK problem.
struct GlpProbDeleter
{
    void operator()(glp_prob* p) const
    {
        glp_delete_prob(p);
    }
};

using GlpProb = std::unique_ptr<glp_prob, GlpProbDeleter>;

/// chi per slot (see AssociationSolver::SlotCosts).
using Chi = std::vector<double>;

bool
IsBinary(const Chi& chi)
{
    for (double v : chi)
    {
        if (std::min(std::abs(v), std::abs(1.0 - v)) > kBinaryTol)
        {
            return false;
        }
    }
    return true;
}

double
MaxDiff(const Chi& a, const Chi& b)
{
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i)
    {
        d = std::max(d, std::abs(a[i] - b[i]));
    }
    return d;
}

} // namespace

namespace
{

using SlotCosts = AssociationSolver::SlotCosts;

/// chi of a binary association (every server in it must be a slot of its user).
Chi
ChiOf(const SlotCosts& c, const std::vector<uint32_t>& server)
{
    Chi chi(c.srv.size(), 0.0);
    for (uint32_t n = 0; n < server.size(); ++n)
    {
        const int64_t i = c.Slot(n, server[n]);
        chi[i >= 0 ? i : c.refSlot[n]] = 1.0;
    }
    return chi;
}

/// Penalised objective sum c chi + rho sum chi (1 - chi).
double
Penalised(const SlotCosts& c, const Chi& chi, double rho)
{
    double f = 0;
    for (size_t i = 0; i < chi.size(); ++i)
    {
        if (c.allowed[i])
        {
            f += c.cost[i] * chi[i] + rho * chi[i] * (1.0 - chi[i]);
        }
    }
    return f;
}

/// Mean per-user spread of the allowed costs (see AssociationSolver::CostScale).
double
SlotCostScale(const SlotCosts& c)
{
    const size_t N = c.off.size() - 1;
    double spread = 0;
    double level = 0;
    for (size_t n = 0; n < N; ++n)
    {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
        {
            if (c.allowed[i])
            {
                lo = std::min(lo, c.cost[i]);
                hi = std::max(hi, c.cost[i]);
            }
        }
        spread += hi - lo;
        level += std::abs(lo);
    }
    const double n = std::max<double>(1.0, static_cast<double>(N));
    spread /= n;
    level /= n;
    return std::max(spread, 1e-12 * std::max(level, 1e-300));
}

/**
 * The association LP on the candidate pairs: one column chi per slot in [0,1] (fixed at 0 on
 * forbidden pairs), sum chi = 1 per user, capacity rows per server scaled to <= 1. Built once;
 * only the objective changes between solves, and every solve starts from the previous optimal
 * basis (primal simplex, no presolve: the old basis stays primal feasible when only the costs
 * change). The first basis is the reference association's (its columns and the capacity
 * slacks basic: triangular, so nonsingular, and feasible by construction), so no solve needs a
 * phase 1. Costs are shifted per user by their minimum (a constant, since each user's chi sum
 * to 1) and scaled by the penalty's scale, so GLPK sees numbers of order one.
 */
class AssociationLp
{
  public:
    AssociationLp(const SlotCosts& c,
                  uint32_t numServers,
                  const std::vector<double>& bandCap,
                  const std::vector<double>& freqCap,
                  double scale)
        : m_c(c),
          m_n(static_cast<uint32_t>(c.off.size() - 1)),
          m_m(numServers),
          m_slots(static_cast<uint32_t>(c.srv.size())),
          m_scale(scale),
          m_minCost(m_n, 0.0),
          m_coef(m_slots, 0.0),
          m_prob(glp_create_prob())
    {
        glp_prob* P = m_prob.get();
        glp_set_obj_dir(P, GLP_MIN);
        glp_add_rows(P, static_cast<int>(m_n + 2 * m_m));
        glp_add_cols(P, static_cast<int>(m_slots));
        std::vector<int> ia{0};
        std::vector<int> ja{0};
        std::vector<double> ar{0.0};
        ia.reserve(3 * m_slots + 1);
        ja.reserve(3 * m_slots + 1);
        ar.reserve(3 * m_slots + 1);
        for (uint32_t n = 0; n < m_n; ++n)
        {
            glp_set_row_bnds(P, Row(n), GLP_FX, 1.0, 1.0);
            double lo = std::numeric_limits<double>::infinity();
            for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
            {
                if (c.allowed[i])
                {
                    lo = std::min(lo, c.cost[i]);
                }
            }
            m_minCost[n] = lo;
        }
        // Capacity rows at exactly 1 (a looser bound lets the LP park ~1e-8 of a user on a full
        // server), or at the reference load when rounding put that a hair above 1.
        std::vector<double> refBand(m_m, 0.0);
        std::vector<double> refFreq(m_m, 0.0);
        for (uint32_t n = 0; n < m_n; ++n)
        {
            const uint32_t i = c.refSlot[n];
            refBand[c.srv[i]] += c.band[i] / bandCap[c.srv[i]];
            refFreq[c.srv[i]] += c.freq[i] / freqCap[c.srv[i]];
        }
        for (uint32_t m = 0; m < m_m; ++m)
        {
            glp_set_row_bnds(P, BandRow(m), GLP_UP, 0.0, std::max(1.0, refBand[m]));
            glp_set_row_bnds(P, FreqRow(m), GLP_UP, 0.0, std::max(1.0, refFreq[m]));
        }
        for (uint32_t n = 0; n < m_n; ++n)
        {
            for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
            {
                const int j = static_cast<int>(i + 1);
                const uint32_t m = c.srv[i];
                if (c.allowed[i])
                {
                    glp_set_col_bnds(P, j, GLP_DB, 0.0, 1.0);
                }
                else
                {
                    glp_set_col_bnds(P, j, GLP_FX, 0.0, 0.0);
                }
                ia.push_back(Row(n));
                ja.push_back(j);
                ar.push_back(1.0);
                ia.push_back(BandRow(m));
                ja.push_back(j);
                ar.push_back(c.band[i] / bandCap[m]);
                ia.push_back(FreqRow(m));
                ja.push_back(j);
                ar.push_back(c.freq[i] / freqCap[m]);
            }
        }
        glp_load_matrix(P, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
        SetReferenceBasis();
        glp_init_smcp(&m_parm);
        m_parm.msg_lev = GLP_MSG_OFF;
        m_parm.presolve = GLP_OFF;
        m_parm.meth = GLP_PRIMAL;
    }

    /**
     * Minimise sum (c + rho (1 - 2 lin)) chi over the polytope.
     * @param rho penalty (0: plain LP relaxation)
     * @param lin linearisation point (ignored when rho = 0)
     * @param chi output
     * @return true on an optimal solution
     */
    bool Solve(double rho, const Chi& lin, Chi& chi)
    {
        glp_prob* P = m_prob.get();
        for (uint32_t n = 0; n < m_n; ++n)
        {
            for (uint32_t i = m_c.off[n]; i < m_c.off[n + 1]; ++i)
            {
                double coef = 0;
                if (m_c.allowed[i])
                {
                    coef = m_c.cost[i] - m_minCost[n];
                    if (rho > 0)
                    {
                        coef += rho * (1.0 - 2.0 * lin[i]);
                    }
                    coef /= m_scale;
                }
                if (coef != m_coef[i])
                {
                    glp_set_obj_coef(P, static_cast<int>(i + 1), coef);
                    m_coef[i] = coef;
                }
            }
        }
        ++m_solves;
        int rc = glp_simplex(P, &m_parm);
        if (rc != 0 || glp_get_status(P) != GLP_OPT)
        {
            // A stale basis can trip the simplex; retry once from the reference basis.
            SetReferenceBasis();
            rc = glp_simplex(P, &m_parm);
            if (rc != 0 || glp_get_status(P) != GLP_OPT)
            {
                NS_LOG_WARN("GLPK simplex failed: rc " << rc << " status " << glp_get_status(P));
                return false;
            }
        }
        chi.resize(m_slots);
        for (uint32_t i = 0; i < m_slots; ++i)
        {
            chi[i] = std::clamp(glp_get_col_prim(P, static_cast<int>(i + 1)), 0.0, 1.0);
        }
        return true;
    }

    /// @return LP solves so far
    uint32_t Solves() const
    {
        return m_solves;
    }

  private:
    /// Basis of the reference association: its columns and the capacity slacks basic.
    void SetReferenceBasis()
    {
        glp_prob* P = m_prob.get();
        for (uint32_t n = 0; n < m_n; ++n)
        {
            glp_set_row_stat(P, Row(n), GLP_NS);
        }
        for (uint32_t m = 0; m < m_m; ++m)
        {
            glp_set_row_stat(P, BandRow(m), GLP_BS);
            glp_set_row_stat(P, FreqRow(m), GLP_BS);
        }
        for (uint32_t i = 0; i < m_slots; ++i)
        {
            glp_set_col_stat(P, static_cast<int>(i + 1), GLP_NL);
        }
        for (uint32_t n = 0; n < m_n; ++n)
        {
            glp_set_col_stat(P, static_cast<int>(m_c.refSlot[n] + 1), GLP_BS);
        }
    }

    int Row(uint32_t n) const
    {
        return static_cast<int>(n + 1);
    }

    int BandRow(uint32_t m) const
    {
        return static_cast<int>(m_n + 2 * m + 1);
    }

    int FreqRow(uint32_t m) const
    {
        return static_cast<int>(m_n + 2 * m + 2);
    }

    const SlotCosts& m_c;
    uint32_t m_n;
    uint32_t m_m;
    uint32_t m_slots;
    double m_scale;
    std::vector<double> m_minCost;
    std::vector<double> m_coef; //!< objective coefficients GLPK holds
    uint32_t m_solves{0};
    GlpProb m_prob;
    glp_smcp m_parm;
};

/**
 * Binary associations on the candidate slots within the servers' capacities (the LP's rows):
 * linear cost, feasibility, rounding of a fractional chi and the local search on the linear
 * cost, used by every CCCP run.
 */
class SlotAssociations
{
  public:
    /**
     * @param c block 2's slot data
     * @param bandCap bandwidth per server, Hz
     * @param freqCap GPU frequency per server, Hz
     */
    SlotAssociations(const SlotCosts& c,
                     const std::vector<double>& bandCap,
                     const std::vector<double>& freqCap)
        : m_c(c),
          m_N(static_cast<uint32_t>(c.off.size() - 1)),
          m_M(static_cast<uint32_t>(bandCap.size())),
          m_bandCap(bandCap),
          m_freqCap(freqCap)
    {
    }

    int64_t SlotOf(const std::vector<uint32_t>& server, uint32_t n) const
    {
        return m_c.Slot(n, server[n]);
    }

    double LinearCost(const std::vector<uint32_t>& server) const
    {
        double sum = 0;
        for (uint32_t n = 0; n < m_N; ++n)
        {
            const int64_t i = SlotOf(server, n);
            sum += i >= 0 ? m_c.cost[i] : std::numeric_limits<double>::quiet_NaN();
        }
        return sum;
    }

    bool Feasible(const std::vector<uint32_t>& server) const
    {
        std::vector<double> band(m_M, 0.0);
        std::vector<double> freq(m_M, 0.0);
        for (uint32_t n = 0; n < m_N; ++n)
        {
            const int64_t i = SlotOf(server, n);
            if (i < 0 || !m_c.allowed[i])
            {
                return false;
            }
            band[m_c.srv[i]] += m_c.band[i];
            freq[m_c.srv[i]] += m_c.freq[i];
        }
        for (uint32_t m = 0; m < m_M; ++m)
        {
            if (band[m] > m_bandCap[m] * (1 + kCapacityTol) ||
                freq[m] > m_freqCap[m] * (1 + kCapacityTol))
            {
                return false;
            }
        }
        return true;
    }

    // Round a fractional chi to a feasible binary association: each user to its largest chi,
    // then users of over-full servers moved (cheapest first) to servers with room left.
    std::vector<uint32_t> Repair(const Chi& chi) const
    {
        std::vector<uint32_t> slot(m_N);
        for (uint32_t n = 0; n < m_N; ++n)
        {
            int64_t best = -1;
            for (uint32_t i = m_c.off[n]; i < m_c.off[n + 1]; ++i)
            {
                if (m_c.allowed[i] &&
                    (best < 0 || chi[i] > chi[best] + 1e-12 ||
                     (std::abs(chi[i] - chi[best]) <= 1e-12 && m_c.cost[i] < m_c.cost[best])))
                {
                    best = i;
                }
            }
            slot[n] = static_cast<uint32_t>(best);
        }
        std::vector<double> band(m_M, 0.0);
        std::vector<double> freq(m_M, 0.0);
        for (uint32_t n = 0; n < m_N; ++n)
        {
            band[m_c.srv[slot[n]]] += m_c.band[slot[n]];
            freq[m_c.srv[slot[n]]] += m_c.freq[slot[n]];
        }
        auto over = [&](uint32_t m) {
            return band[m] > m_bandCap[m] * (1 + kCapacityTol) ||
                   freq[m] > m_freqCap[m] * (1 + kCapacityTol);
        };
        auto serversOf = [&]() {
            std::vector<uint32_t> server(m_N);
            for (uint32_t n = 0; n < m_N; ++n)
            {
                server[n] = m_c.srv[slot[n]];
            }
            return server;
        };
        for (uint32_t guard = 0; guard < m_N * m_M + 1; ++guard)
        {
            int full = -1;
            for (uint32_t m = 0; m < m_M && full < 0; ++m)
            {
                if (over(m))
                {
                    full = static_cast<int>(m);
                }
            }
            if (full < 0)
            {
                return serversOf();
            }
            double bestDelta = std::numeric_limits<double>::infinity();
            int64_t bestN = -1;
            int64_t bestI = -1;
            for (uint32_t n = 0; n < m_N; ++n)
            {
                if (m_c.srv[slot[n]] != static_cast<uint32_t>(full))
                {
                    continue;
                }
                for (uint32_t i = m_c.off[n]; i < m_c.off[n + 1]; ++i)
                {
                    const uint32_t m = m_c.srv[i];
                    if (m == static_cast<uint32_t>(full) || !m_c.allowed[i] ||
                        band[m] + m_c.band[i] > m_bandCap[m] * (1 + kCapacityTol) ||
                        freq[m] + m_c.freq[i] > m_freqCap[m] * (1 + kCapacityTol))
                    {
                        continue;
                    }
                    const double delta = m_c.cost[i] - m_c.cost[slot[n]];
                    if (delta < bestDelta)
                    {
                        bestDelta = delta;
                        bestN = n;
                        bestI = i;
                    }
                }
            }
            if (bestN < 0)
            {
                break;
            }
            const uint32_t from = slot[bestN];
            band[full] -= m_c.band[from];
            freq[full] -= m_c.freq[from];
            band[m_c.srv[bestI]] += m_c.band[bestI];
            freq[m_c.srv[bestI]] += m_c.freq[bestI];
            slot[bestN] = static_cast<uint32_t>(bestI);
        }
        NS_LOG_WARN("CCCP repair could not round within capacity; using the reference "
                    "association");
        return m_c.reference;
    }

    // Local improvement of a feasible binary association: single moves into servers with room
    // and pairwise swaps, each applied while it lowers the linear cost (first improvement).
    uint32_t Polish(std::vector<uint32_t>& server) const
    {
        std::vector<uint32_t> slot(m_N);
        std::vector<double> band(m_M, 0.0);
        std::vector<double> freq(m_M, 0.0);
        std::vector<std::vector<uint32_t>> members(m_M);
        for (uint32_t n = 0; n < m_N; ++n)
        {
            slot[n] = static_cast<uint32_t>(SlotOf(server, n));
            band[server[n]] += m_c.band[slot[n]];
            freq[server[n]] += m_c.freq[slot[n]];
            members[server[n]].push_back(n);
        }
        auto fits = [&](uint32_t m, double db, double df) {
            return band[m] + db <= m_bandCap[m] * (1 + kCapacityTol) &&
                   freq[m] + df <= m_freqCap[m] * (1 + kCapacityTol);
        };
        auto relocate = [&](uint32_t n, uint32_t i) {
            const uint32_t from = server[n];
            auto& L = members[from];
            L.erase(std::find(L.begin(), L.end(), n));
            band[from] -= m_c.band[slot[n]];
            freq[from] -= m_c.freq[slot[n]];
            server[n] = m_c.srv[i];
            slot[n] = i;
            band[server[n]] += m_c.band[i];
            freq[server[n]] += m_c.freq[i];
            members[server[n]].push_back(n);
        };
        std::vector<double> minCost(m_N, std::numeric_limits<double>::infinity());
        for (uint32_t n = 0; n < m_N; ++n)
        {
            for (uint32_t i = m_c.off[n]; i < m_c.off[n + 1]; ++i)
            {
                if (m_c.allowed[i])
                {
                    minCost[n] = std::min(minCost[n], m_c.cost[i]);
                }
            }
        }
        uint32_t moves = 0;
        bool improved = true;
        for (uint32_t pass = 0; improved && pass < 100; ++pass)
        {
            improved = false;
            for (uint32_t n = 0; n < m_N; ++n)
            {
                const uint32_t from = slot[n];
                for (uint32_t i = m_c.off[n]; i < m_c.off[n + 1]; ++i)
                {
                    if (i == from || !m_c.allowed[i] ||
                        m_c.cost[i] >= m_c.cost[from] - 1e-12 * std::abs(m_c.cost[from]) ||
                        !fits(m_c.srv[i], m_c.band[i], m_c.freq[i]))
                    {
                        continue;
                    }
                    relocate(n, i);
                    improved = true;
                    ++moves;
                    break;
                }
            }
            for (uint32_t n1 = 0; n1 < m_N; ++n1)
            {
                for (uint32_t i1 = m_c.off[n1]; i1 < m_c.off[n1 + 1]; ++i1)
                {
                    const uint32_t m2 = m_c.srv[i1];
                    if (m2 == server[n1] || !m_c.allowed[i1])
                    {
                        continue;
                    }
                    // no copy: the loop ends right after the one change it makes to the list
                    const std::vector<uint32_t>& others = members[m2];
                    for (uint32_t n2 : others)
                    {
                        const uint32_t m1 = server[n1];
                        // cheapest allowed cost of n2 bounds its cost on m1 from below
                        if (n2 <= n1 || server[n2] != m2 || m1 == m2 ||
                            m_c.cost[i1] + minCost[n2] >= m_c.cost[slot[n1]] + m_c.cost[slot[n2]])
                        {
                            continue;
                        }
                        const int64_t i2 = m_c.Slot(n2, m1);
                        if (i2 < 0 || !m_c.allowed[i2])
                        {
                            continue;
                        }
                        const uint32_t s1 = slot[n1];
                        const uint32_t s2 = slot[n2];
                        const double before = m_c.cost[s1] + m_c.cost[s2];
                        const double after = m_c.cost[i1] + m_c.cost[i2];
                        if (after >= before - 1e-12 * std::abs(before) ||
                            !fits(m1, m_c.band[i2] - m_c.band[s1], m_c.freq[i2] - m_c.freq[s1]) ||
                            !fits(m2, m_c.band[i1] - m_c.band[s2], m_c.freq[i1] - m_c.freq[s2]))
                        {
                            continue;
                        }
                        relocate(n1, i1);
                        relocate(n2, static_cast<uint32_t>(i2));
                        improved = true;
                        ++moves;
                        break; // n1 moved: its remaining swaps are from m2 now
                    }
                }
            }
        }
        return moves;
    }

  private:
    const SlotCosts& m_c;                 //!< slot data
    const uint32_t m_N;                   //!< users
    const uint32_t m_M;                   //!< servers
    const std::vector<double>& m_bandCap; //!< bandwidth per server, Hz
    const std::vector<double>& m_freqCap; //!< GPU frequency per server, Hz
};

/// Outcome of one CCCP run (one start, one rho), rounded and polished.
struct StartOutcome
{
    std::vector<uint32_t> server; //!< binary association
    double cost;                  //!< its linear cost
    std::vector<double> history;  //!< penalised objective per iteration
    uint32_t iterations;          //!< CCCP iterations
    bool repaired;                //!< rounded within capacity
    uint32_t localMoves;          //!< moves/swaps of the local search
};

/// @return the rho values of the runs (CccpOptions::penalty, or automatic ones x scale)
std::vector<double>
Penalties(const CccpOptions& options, double scale)
{
    if (options.penalty > 0)
    {
        return {options.penalty};
    }
    // spread over {0.01, 0.03, 0.1, 0.3, 1} x scale, always including 0.1
    static const std::vector<std::vector<double>> kSets{{0.1},
                                                        {0.03, 0.3},
                                                        {0.01, 0.1, 1.0},
                                                        {0.01, 0.03, 0.3, 1.0},
                                                        {0.01, 0.03, 0.1, 0.3, 1.0}};
    const uint32_t k = std::clamp<uint32_t>(options.penaltyValues, 1, 5);
    std::vector<double> rhos;
    for (double f : kSets[k - 1])
    {
        rhos.push_back(f * scale);
    }
    return rhos;
}

/**
 * The CCCP runs of block 2 on one LP: each run iterates the linearised penalised LP from a
 * start until a fixed point, then rounds (when fractional or over capacity) and polishes.
 */
class CccpRuns
{
  public:
    /**
     * @param c slot data
     * @param lp the association LP on c
     * @param slots binary associations on c
     * @param options CCCP options
     */
    CccpRuns(const SlotCosts& c,
             AssociationLp& lp,
             const SlotAssociations& slots,
             const CccpOptions& options)
        : m_c(c),
          m_lp(lp),
          m_slots(slots),
          m_options(options)
    {
    }

    /**
     * One run.
     * @param chi0 start
     * @param rho penalty
     * @param certified chi0 is binary and an optimum of the LP relaxation, so the first CCCP
     *        step's LP has chi0 as its unique optimum (see Cccp's documentation) and is not
     *        handed to GLPK
     * @return the outcome
     */
    StartOutcome Run(const Chi& chi0, double rho, bool certified)
    {
        StartOutcome out{{}, 0, {}, 0, false, 0};
        Chi chi = chi0;
        const bool solved = Iterate(chi, rho, certified, out);
        if (!solved)
        {
            chi = ChiOf(m_c, m_c.reference);
        }
        const uint32_t N = static_cast<uint32_t>(m_c.off.size() - 1);
        std::vector<uint32_t> server(N);
        bool binary = IsBinary(chi);
        if (binary)
        {
            for (uint32_t n = 0; n < N; ++n)
            {
                uint32_t best = m_c.off[n];
                for (uint32_t i = m_c.off[n]; i < m_c.off[n + 1]; ++i)
                {
                    best = chi[i] > chi[best] ? i : best;
                }
                server[n] = m_c.srv[best];
            }
        }
        if (!binary || !m_slots.Feasible(server))
        {
            double frac = 0;
            for (double v : chi)
            {
                frac = std::max(frac, std::min(v, 1.0 - v));
            }
            NS_LOG_LOGIC("CCCP start ended " << (binary ? "infeasible" : "fractional")
                                             << " (max fractionality " << frac << ")"
                                             << " after " << out.iterations
                                             << " iterations; rounding within capacity");
            server = m_slots.Repair(chi);
            out.repaired = true;
        }
        if (m_options.localSearch)
        {
            out.localMoves = m_slots.Polish(server);
        }
        out.cost = m_slots.LinearCost(server);
        out.server = std::move(server);
        return out;
    }

    /// @return CCCP steps answered without GLPK so far
    uint32_t CertifiedSteps() const
    {
        return m_certifiedSteps;
    }

  private:
    /// CCCP iterations from chi (updated in place); @return whether any step was solved
    bool Iterate(Chi& chi, double rho, bool certified, StartOutcome& out)
    {
        Chi next;
        bool solved = false;
        if (certified && m_options.maxIterations > 0)
        {
            solved = true;
            ++m_certifiedSteps;
            ++out.iterations;
            out.history.push_back(Penalised(m_c, chi, rho));
        }
        for (uint32_t k = 0; k < m_options.maxIterations && !certified; ++k)
        {
            if (!m_lp.Solve(rho, chi, next))
            {
                break;
            }
            solved = true;
            ++out.iterations;
            out.history.push_back(Penalised(m_c, next, rho));
            const bool same = MaxDiff(next, chi) <= kBinaryTol;
            chi.swap(next);
            if (same)
            {
                break; // fixed point (binary or not)
            }
        }
        return solved;
    }

    const SlotCosts& m_c;
    AssociationLp& m_lp;
    const SlotAssociations& m_slots;
    const CccpOptions& m_options;
    uint32_t m_certifiedSteps{0};
};

/// Record run `o` (start i, penalty rho) in `best`, keeping the cheapest.
void
Record(CccpResult& best, const StartOutcome& o, uint32_t i, double rho, bool repeat)
{
    NS_LOG_LOGIC("start " << i << " rho " << rho << ": cost " << o.cost << " after " << o.iterations
                          << " iterations" << (o.repaired ? " (repaired)" : "")
                          << (repeat ? " (same start as 0)" : ""));
    CccpRun run;
    run.start = i;
    run.penalty = rho;
    run.history = o.history;
    run.cost = o.cost;
    best.runs.push_back(std::move(run));
    if (o.cost < best.cost * (1 - 1e-12))
    {
        best.server = o.server;
        best.cost = o.cost;
        best.objectiveHistory = o.history;
        best.iterations = o.iterations;
        best.bestStart = i;
        best.repaired = o.repaired;
        best.localMoves = o.localMoves;
        best.penalty = rho;
    }
}

/**
 * Every start at every rho. Starting points: current (reference), LP relaxation, greedy,
 * random. The relaxation is solved first (as the second start's point); the others are built
 * when their turn comes (in this order, so the random starts draw the same numbers).
 * @return the best run (server, cost and the run diagnostics set)
 */
CccpResult
RunStarts(const AssociationSolver& as,
          const SlotCosts& c,
          AssociationLp& lp,
          CccpRuns& runs,
          const std::vector<double>& rhos,
          const CccpOptions& options)
{
    std::mt19937_64 rng(options.seed);
    const uint32_t numStarts = std::max<uint32_t>(1, options.starts);
    const Chi reference = ChiOf(c, c.reference);
    Chi relaxed;
    bool relaxedOk = false;
    if (numStarts > 1)
    {
        relaxedOk = lp.Solve(0.0, Chi{}, relaxed);
    }
    // The current association is an optimum of the LP relaxation: then the CCCP step from it
    // provably stays there, and the relaxation start is the current one.
    const bool referenceOptimal =
        options.certifyCurrent && relaxedOk && MaxDiff(relaxed, reference) <= kBinaryTol;
    auto startPoint = [&](uint32_t i) {
        if (i == 0)
        {
            return reference;
        }
        if (i == 1)
        {
            return relaxedOk ? relaxed : ChiOf(c, as.Random(rng));
        }
        if (i == 2)
        {
            return ChiOf(c, as.Greedy());
        }
        return ChiOf(c, as.Random(rng));
    };

    CccpResult best;
    best.cost = std::numeric_limits<double>::infinity();
    std::vector<StartOutcome> firstOutcomes; // start 0's outcome per rho
    for (uint32_t i = 0; i < numStarts; ++i)
    {
        // the relaxation start equals the current one: same runs, same outcomes
        const bool repeat = i == 1 && referenceOptimal && firstOutcomes.size() == rhos.size();
        const Chi start = repeat ? Chi{} : startPoint(i);
        double startBest = std::numeric_limits<double>::infinity();
        std::vector<uint32_t> startServer;
        for (size_t k = 0; k < rhos.size(); ++k)
        {
            StartOutcome o =
                repeat ? firstOutcomes[k] : runs.Run(start, rhos[k], i == 0 && referenceOptimal);
            if (i == 0)
            {
                firstOutcomes.push_back(o);
            }
            Record(best, o, i, rhos[k], repeat);
            if (o.cost < startBest)
            {
                startBest = o.cost;
                startServer = o.server;
            }
        }
        best.startCosts.push_back(startBest);
        if (options.stopWhenStartsAgree && i > 0 && startServer == best.server)
        {
            NS_LOG_LOGIC("start " << i << " ended at the best association so far; stopping");
            break;
        }
    }
    return best;
}

/**
 * Refine CCCP's association by the true objective (shares re-normalised), from the CCCP result
 * and from the current association (when they differ); keep the better.
 */
void
RefineByTrueCost(const AssociationSolver& as,
                 const Allocation& current,
                 const std::vector<uint32_t>& reference,
                 const SlotAssociations& slots,
                 const CccpOptions& options,
                 CccpResult& best)
{
    uint32_t movesA = 0;
    uint32_t movesB = 0;
    const std::vector<uint32_t> fromCccp =
        as.TrueCostSearch(current, best.server, &movesA, 50, options.candidateServers);
    best.cccpTrueCost = as.TrueCost(current, best.server);
    best.trueCost = best.cccpTrueCost;
    std::vector<uint32_t> chosen = best.server;
    best.searchMoves = 0;
    // The search's bookkeeping moves shares step by step; Apply from the current shares can
    // price the end point slightly differently, so the start points stay candidates.
    auto consider = [&](const std::vector<uint32_t>& srv, uint32_t mv) {
        if (srv == chosen)
        {
            return;
        }
        const double tc = as.TrueCost(current, srv);
        if (tc < best.trueCost * (1 - 1e-12))
        {
            best.trueCost = tc;
            chosen = srv;
            best.searchMoves = mv;
        }
    };
    consider(fromCccp, movesA);
    if (best.cccpServer != reference && options.searchFromCurrent)
    {
        const std::vector<uint32_t> fromRef =
            as.TrueCostSearch(current, reference, &movesB, 50, options.candidateServers);
        consider(fromRef, movesB);
        consider(reference, 0);
    }
    best.server = chosen;
    best.cost = slots.LinearCost(best.server);
    best.withinCapacity = std::isfinite(best.cost) && slots.Feasible(best.server);
    NS_LOG_LOGIC("true-cost search: " << best.cccpTrueCost << " -> " << best.trueCost << " ("
                                      << best.searchMoves << " moves)");
}

/**
 * CccpOptions::lp false: the true-cost search from the current association (Greedy for users
 * without a server), without pricing the linear cost matrix.
 */
CccpResult
SearchWithoutLp(const AssociationSolver& as,
                const RoundState& s,
                const Allocation& current,
                const CccpOptions& options)
{
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    std::vector<uint32_t> reference(N);
    std::vector<uint32_t> greedy;
    for (uint32_t n = 0; n < N; ++n)
    {
        reference[n] = current.users[n].server;
        if (reference[n] >= M)
        {
            if (greedy.empty())
            {
                greedy = as.Greedy();
            }
            reference[n] = greedy[n];
        }
    }
    CccpResult r;
    r.cccpServer = reference;
    r.server = as.TrueCostSearch(current, reference, &r.searchMoves, 50, options.candidateServers);
    r.cccpTrueCost = as.TrueCost(current, reference);
    r.trueCost = r.server == reference ? r.cccpTrueCost : as.TrueCost(current, r.server);
    if (!(r.trueCost < r.cccpTrueCost * (1 - 1e-12)))
    {
        r.server = reference;
        r.trueCost = r.cccpTrueCost;
        r.searchMoves = 0;
    }
    // cost/withinCapacity refer to the LP's linear problem, which is not built here
    r.cost = std::numeric_limits<double>::quiet_NaN();
    r.withinCapacity = false;
    return r;
}

} // namespace

CccpResult
AssociationSolver::Cccp(const Allocation& current, const CccpOptions& options) const
{
    const RoundState& s = m_model.GetState();
    if (!options.lp)
    {
        return SearchWithoutLp(*this, s, current, options);
    }
    const uint32_t M = s.NumServers();
    SlotCosts c;
    PriceSlots(current, options.candidateServers, c);
    const double scale = SlotCostScale(c);
    const std::vector<double> rhos = Penalties(options, scale);
    std::vector<double> bandCap(M);
    std::vector<double> freqCap(M);
    for (uint32_t m = 0; m < M; ++m)
    {
        bandCap[m] = s.servers[m].bandwidthHz;
        freqCap[m] = s.servers[m].fMaxHz;
    }
    AssociationLp lp(c, M, bandCap, freqCap, scale);
    const SlotAssociations slots(c, bandCap, freqCap);
    CccpRuns runs(c, lp, slots, options);
    CccpResult best = RunStarts(*this, c, lp, runs, rhos, options);
    best.lpSolves = lp.Solves();
    best.certifiedSteps = runs.CertifiedSteps();
    // Never worse than staying put: the reference association is feasible by construction.
    const double refCost = slots.LinearCost(c.reference);
    if (refCost < best.cost)
    {
        NS_LOG_LOGIC("every CCCP start ended above the current association; keeping it");
        best.server = c.reference;
        best.cost = refCost;
        best.bestStart = 0;
        best.repaired = false;
        best.localMoves = 0;
    }
    if (best.repaired)
    {
        NS_LOG_INFO("CCCP best start " << best.bestStart
                                       << " ended fractional or over capacity; rounded within "
                                          "capacity (cost "
                                       << best.cost << ")");
    }
    NS_ASSERT_MSG(slots.Feasible(best.server), "CCCP produced an infeasible association");
    best.withinCapacity = true;
    best.cccpServer = best.server;
    if (options.trueCostSearch)
    {
        RefineByTrueCost(*this, current, c.reference, slots, options, best);
    }
    else
    {
        best.trueCost = TrueCost(current, best.server);
        best.cccpTrueCost = best.trueCost;
    }
    return best;
}

} // namespace ns3
