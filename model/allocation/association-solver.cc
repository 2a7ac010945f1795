/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "association-solver.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <glpk.h>
#include <limits>
#include <memory>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmAssociationSolver");

namespace
{

constexpr double kBinaryTol = 1e-9;   //!< chi within this of 0/1 counts as binary
constexpr double kCapacityTol = 1e-9; //!< relative tolerance on server capacities

/// Portable uniform index in {0, …, size-1} (the <random> distributions are not portable).
size_t
UniformIndex(std::mt19937_64& rng, size_t size)
{
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return std::min(size - 1, static_cast<size_t>(u * static_cast<double>(size)));
}

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

/**
 * Block 2's data on the candidate pairs ("slots", user-major): slot i of user n is
 * off[n] + i < off[n + 1], on server srv[...]. Prices and shares as in AssociationCosts.
 */
struct AssociationSolver::SlotCosts
{
    std::vector<uint32_t> off;       //!< first slot of each user (N + 1 entries)
    std::vector<uint32_t> srv;       //!< server of each slot
    std::vector<double> cost;        //!< c_{n,m}
    std::vector<double> band;        //!< b_{n,m}, Hz
    std::vector<double> freq;        //!< f^E_{n,m}, Hz
    std::vector<char> allowed;       //!< pair may be chosen
    std::vector<uint32_t> reference; //!< current association (greedy for users without one)
    std::vector<uint32_t> refSlot;   //!< slot of the reference pair

    /// @return the slot of (n, m), or -1 if (n, m) is not a candidate pair
    int64_t Slot(uint32_t n, uint32_t m) const
    {
        for (uint32_t i = off[n]; i < off[n + 1]; ++i)
        {
            if (srv[i] == m)
            {
                return i;
            }
        }
        return -1;
    }
};

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

} // namespace

AssociationSolver::AssociationSolver(const SplitCostModel& model)
    : m_model(model)
{
}

std::vector<uint32_t>
AssociationSolver::Greedy() const
{
    const RoundState& s = m_model.GetState();
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    double bandTotal = 0;
    for (const auto& srv : s.servers)
    {
        bandTotal += srv.bandwidthHz;
    }
    std::vector<uint32_t> room(M);
    for (uint32_t m = 0; m < M; ++m)
    {
        room[m] = static_cast<uint32_t>(std::ceil(N * s.servers[m].bandwidthHz / bandTotal - 1e-9));
    }
    std::vector<double> bestGain(N);
    for (uint32_t n = 0; n < N; ++n)
    {
        bestGain[n] = *std::max_element(s.users[n].gain.begin(), s.users[n].gain.end());
    }
    std::vector<uint32_t> order(N);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&bestGain](uint32_t a, uint32_t b) {
        return bestGain[a] > bestGain[b];
    });
    std::vector<uint32_t> server(N, 0);
    std::vector<uint32_t> load(M, 0);
    for (uint32_t n : order)
    {
        // Highest gain among: servers with room where r_min is reachable; else any server where
        // it is reachable (room exceeded); else servers with room.
        int best = -1;
        for (int pass = 0; pass < 3 && best < 0; ++pass)
        {
            for (uint32_t m = 0; m < M; ++m)
            {
                // gain first: Reachable (a rate evaluation) only for a possible new best
                if (best >= 0 && !(s.users[n].gain[m] > s.users[n].gain[best]))
                {
                    continue;
                }
                const bool ok = (pass == 0)   ? load[m] < room[m] && Reachable(n, m)
                                : (pass == 1) ? Reachable(n, m)
                                              : load[m] < room[m];
                if (ok)
                {
                    best = static_cast<int>(m);
                }
            }
        }
        if (best < 0) // only if the rooms were rounded below N (cannot happen with ceil)
        {
            best = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
        }
        server[n] = static_cast<uint32_t>(best);
        ++load[best];
    }
    return server;
}

bool
AssociationSolver::Reachable(uint32_t n, uint32_t m) const
{
    const RoundState& s = m_model.GetState();
    const double rmin = s.objective.minRateBps;
    return rmin <= 0 ||
           m_model.UplinkRateBps(n, m, s.users[n].pMaxW, s.servers[m].bandwidthHz) >= rmin;
}

std::vector<uint32_t>
AssociationSolver::Random(std::mt19937_64& rng) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    double bandTotal = 0;
    for (const auto& srv : s.servers)
    {
        bandTotal += srv.bandwidthHz;
    }
    std::vector<uint32_t> room(M);
    for (uint32_t m = 0; m < M; ++m)
    {
        room[m] = static_cast<uint32_t>(std::ceil(N * s.servers[m].bandwidthHz / bandTotal - 1e-9));
    }
    std::vector<uint32_t> server(N, 0);
    std::vector<uint32_t> load(M, 0);
    std::vector<uint32_t> open;
    for (uint32_t n = 0; n < N; ++n)
    {
        // Uniform among: servers with room where r_min is reachable; else where it is
        // reachable; else with room; else any.
        open.clear();
        for (int pass = 0; pass < 4 && open.empty(); ++pass)
        {
            for (uint32_t m = 0; m < M; ++m)
            {
                const bool ok = (pass == 0)   ? load[m] < room[m] && Reachable(n, m)
                                : (pass == 1) ? Reachable(n, m)
                                : (pass == 2) ? load[m] < room[m]
                                              : true;
                if (ok)
                {
                    open.push_back(m);
                }
            }
        }
        server[n] = open[UniformIndex(rng, open.size())];
        ++load[server[n]];
    }
    return server;
}

void
AssociationSolver::Renormalise(Allocation& a) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t M = s.NumServers();
    std::vector<std::vector<uint32_t>> members(M);
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        const uint32_t m = a.users[n].server;
        if (m < M)
        {
            members[m].push_back(n);
        }
    }
    for (uint32_t m = 0; m < M; ++m)
    {
        if (members[m].empty())
        {
            continue;
        }
        const double k = static_cast<double>(members[m].size());
        // A user without a positive share (just moved here) first gets the equal share.
        for (uint32_t n : members[m])
        {
            UserAllocation& u = a.users[n];
            if (!(u.bandwidthHz > 0) || !std::isfinite(u.bandwidthHz))
            {
                u.bandwidthHz = s.servers[m].bandwidthHz / k;
            }
            if (!(u.edgeFreqHz > 0) || !std::isfinite(u.edgeFreqHz))
            {
                u.edgeFreqHz = s.servers[m].fMaxHz / k;
            }
        }
        double band = 0;
        double freq = 0;
        for (uint32_t n : members[m])
        {
            band += a.users[n].bandwidthHz;
            freq += a.users[n].edgeFreqHz;
        }
        for (uint32_t n : members[m])
        {
            a.users[n].bandwidthHz *= s.servers[m].bandwidthHz / band;
            a.users[n].edgeFreqHz *= s.servers[m].fMaxHz / freq;
        }
    }
}

void
AssociationSolver::PriceSlots(const Allocation& current,
                              uint32_t candidateServers,
                              SlotCosts& c) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    NS_ASSERT_MSG(current.users.size() == N,
                  "allocation has " << current.users.size() << " users, the round " << N);
    c.reference.resize(N);
    std::vector<uint32_t> greedy;
    Allocation ref = current;
    for (uint32_t n = 0; n < N; ++n)
    {
        uint32_t m = current.users[n].server;
        if (m >= M)
        {
            if (greedy.empty())
            {
                greedy = Greedy();
            }
            m = greedy[n];
            ref.users[n].server = m;
            ref.users[n].bandwidthHz = 0; // gets the equal share in Renormalise
            ref.users[n].edgeFreqHz = 0;
        }
        c.reference[n] = m;
    }
    Renormalise(ref);
    const std::vector<double>& feCap = EdgeFrequencyCaps();
    for (uint32_t n = 0; n < N; ++n)
    {
        ref.users[n].edgeFreqHz = std::min(ref.users[n].edgeFreqHz, feCap[c.reference[n]]);
    }
    std::vector<uint32_t> count(M, 0);
    for (uint32_t n = 0; n < N; ++n)
    {
        ++count[c.reference[n]];
    }
    // candidate servers of each user in increasing order: its k highest-gain ones and its
    // reference server (every server when k is 0 or at least M)
    const uint32_t k = candidateServers;
    const bool allServers = k == 0 || k >= M;
    std::vector<uint32_t> candOff(N + 1, 0);
    std::vector<uint32_t> candSrv;
    {
        const std::vector<uint32_t>* top = allServers ? nullptr : &TopServers(k);
        candSrv.reserve(allServers ? static_cast<size_t>(N) * M : static_cast<size_t>(N) * (k + 1));
        for (uint32_t n = 0; n < N; ++n)
        {
            const size_t first = candSrv.size();
            if (allServers)
            {
                for (uint32_t m = 0; m < M; ++m)
                {
                    candSrv.push_back(m);
                }
            }
            else
            {
                const uint32_t* t = top->data() + static_cast<size_t>(n) * k;
                candSrv.insert(candSrv.end(), t, t + k);
                candSrv.push_back(c.reference[n]);
                std::sort(candSrv.begin() + first, candSrv.end());
                candSrv.erase(std::unique(candSrv.begin() + first, candSrv.end()), candSrv.end());
            }
            candOff[n + 1] = static_cast<uint32_t>(candSrv.size());
        }
    }
    const size_t slots = candSrv.size();
    c.off.assign(N + 1, 0);
    c.srv.clear();
    c.srv.reserve(slots);
    c.cost.assign(slots, 0.0);
    c.band.assign(slots, 0.0);
    c.freq.assign(slots, 0.0);
    c.allowed.assign(slots, 1);
    c.refSlot.assign(N, 0);
    const double rmin = s.objective.minRateBps;
    for (uint32_t n = 0; n < N; ++n)
    {
        c.off[n] = static_cast<uint32_t>(c.srv.size());
        const UserAllocation& u = ref.users[n];
        const double alpha = std::min<double>(u.alpha, s.layers);
        const double p = u.powerW > 0 ? u.powerW : s.users[n].pMaxW;
        const double f = u.freqHz > 0
                             ? u.freqHz
                             : SplitCostModel::OptimalDeviceFrequency(s.users[n], s.objective);
        // the device and stability terms do not depend on the server (as in UserTerms)
        const CostTerms base =
            m_model
                .UserTerms(n, UserAllocation::kNoServer, alpha, p, u.bandwidthHz, f, u.edgeFreqHz);
        const bool offloads = s.layers - alpha > 0;
        int64_t bestRate = -1;
        double bestRateValue = -1;
        bool anyRateOk = false;
        for (uint32_t j = candOff[n]; j < candOff[n + 1]; ++j)
        {
            const uint32_t m = candSrv[j];
            const size_t i = c.srv.size();
            c.srv.push_back(m);
            if (m == c.reference[n])
            {
                c.refSlot[n] = static_cast<uint32_t>(i);
                c.band[i] = u.bandwidthHz;
                c.freq[i] = u.edgeFreqHz;
            }
            else
            {
                c.band[i] = s.servers[m].bandwidthHz / (count[m] + 1.0);
                c.freq[i] = std::min(s.servers[m].fMaxHz / (count[m] + 1.0), feCap[m]);
            }
            CostTerms t = base;
            if (offloads)
            {
                m_model.OffloadTerms(n, m, alpha, p, c.band[i], c.freq[i], t);
            }
            const double cost = m_model.UserObjective(n, t);
            c.cost[i] = cost;
            if (!std::isfinite(cost))
            {
                c.allowed[i] = 0;
            }
            if (rmin > 0)
            {
                const double r = m_model.UplinkRateBps(n, m, p, c.band[i]);
                if (r < rmin * (1 - 1e-9))
                {
                    c.allowed[i] = 0;
                }
                else
                {
                    anyRateOk = true;
                }
                if (r > bestRateValue && std::isfinite(cost))
                {
                    bestRateValue = r;
                    bestRate = static_cast<int64_t>(i);
                }
            }
        }
        if (rmin > 0 && !anyRateOk && bestRate >= 0)
        {
            // No candidate server reaches r_min with this power: keep the one closest to it.
            c.allowed[bestRate] = 1;
        }
        // The reference association stays feasible whatever the filters say.
        c.allowed[c.refSlot[n]] = 1;
    }
    c.off[N] = static_cast<uint32_t>(c.srv.size());
}

AssociationCosts
AssociationSolver::Costs(const Allocation& current) const
{
    const uint32_t N = m_model.GetState().NumUsers();
    const uint32_t M = m_model.GetState().NumServers();
    SlotCosts sc;
    PriceSlots(current, 0, sc);
    AssociationCosts c;
    c.reference = sc.reference;
    c.cost.assign(N, std::vector<double>(M, 0.0));
    c.band.assign(N, std::vector<double>(M, 0.0));
    c.freq.assign(N, std::vector<double>(M, 0.0));
    c.allowed.assign(N, std::vector<bool>(M, false));
    for (uint32_t n = 0; n < N; ++n)
    {
        for (uint32_t i = sc.off[n]; i < sc.off[n + 1]; ++i)
        {
            const uint32_t m = sc.srv[i];
            c.cost[n][m] = sc.cost[i];
            c.band[n][m] = sc.band[i];
            c.freq[n][m] = sc.freq[i];
            c.allowed[n][m] = sc.allowed[i] != 0;
        }
    }
    return c;
}

double
AssociationSolver::LinearCost(const AssociationCosts& c, const std::vector<uint32_t>& server)
{
    double sum = 0;
    for (size_t n = 0; n < server.size(); ++n)
    {
        sum += c.cost[n][server[n]];
    }
    return sum;
}

bool
AssociationSolver::IsFeasible(const AssociationCosts& c, const std::vector<uint32_t>& server) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t M = s.NumServers();
    if (server.size() != c.cost.size())
    {
        return false;
    }
    std::vector<double> band(M, 0.0);
    std::vector<double> freq(M, 0.0);
    for (size_t n = 0; n < server.size(); ++n)
    {
        const uint32_t m = server[n];
        if (m >= M || !c.allowed[n][m])
        {
            return false;
        }
        band[m] += c.band[n][m];
        freq[m] += c.freq[n][m];
    }
    for (uint32_t m = 0; m < M; ++m)
    {
        if (band[m] > s.servers[m].bandwidthHz * (1 + kCapacityTol) ||
            freq[m] > s.servers[m].fMaxHz * (1 + kCapacityTol))
        {
            return false;
        }
    }
    return true;
}

double
AssociationSolver::CostScale(const AssociationCosts& c)
{
    double spread = 0;
    double level = 0;
    for (size_t n = 0; n < c.cost.size(); ++n)
    {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (size_t m = 0; m < c.cost[n].size(); ++m)
        {
            if (c.allowed[n][m])
            {
                lo = std::min(lo, c.cost[n][m]);
                hi = std::max(hi, c.cost[n][m]);
            }
        }
        spread += hi - lo;
        level += std::abs(lo);
    }
    const double N = std::max<double>(1.0, static_cast<double>(c.cost.size()));
    spread /= N;
    level /= N;
    return std::max(spread, 1e-12 * std::max(level, 1e-300));
}

std::vector<double>
AssociationSolver::AutoPenalties(const AssociationCosts& c)
{
    const double scale = CostScale(c);
    return {0.01 * scale, 0.03 * scale, 0.1 * scale, 0.3 * scale, scale};
}

Allocation
AssociationSolver::Apply(const Allocation& current, const std::vector<uint32_t>& server) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t M = s.NumServers();
    const std::vector<double>& feCap = EdgeFrequencyCaps();
    Allocation a = current;
    const bool allPlaced = std::all_of(current.users.begin(),
                                       current.users.end(),
                                       [M](const UserAllocation& u) { return u.server < M; });
    if (allPlaced)
    {
        // Costs' shares for a server a user is not on: the equal share of one more user (GPU
        // share capped), computed here without pricing the whole cost matrix.
        std::vector<uint32_t> count(M, 0);
        for (const auto& u : current.users)
        {
            ++count[u.server];
        }
        for (uint32_t n = 0; n < a.users.size(); ++n)
        {
            const uint32_t m = server[n];
            NS_ASSERT_MSG(m < M, "Apply: user " << n << " has no server " << m);
            if (m != a.users[n].server)
            {
                a.users[n].server = m;
                a.users[n].bandwidthHz = s.servers[m].bandwidthHz / (count[m] + 1.0);
                a.users[n].edgeFreqHz = std::min(s.servers[m].fMaxHz / (count[m] + 1.0), feCap[m]);
            }
        }
    }
    else
    {
        const AssociationCosts c = Costs(current);
        for (uint32_t n = 0; n < a.users.size(); ++n)
        {
            const uint32_t m = server[n];
            NS_ASSERT_MSG(m < c.band[n].size(), "Apply: user " << n << " has no server " << m);
            if (m != a.users[n].server)
            {
                a.users[n].server = m;
                a.users[n].bandwidthHz = c.band[n][m];
                a.users[n].edgeFreqHz = c.freq[n][m];
            }
        }
    }
    Renormalise(a);
    std::vector<std::vector<uint32_t>> members(s.NumServers());
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        if (a.users[n].server < s.NumServers())
        {
            members[a.users[n].server].push_back(n);
        }
    }
    // Per server: proportional or equal shares, whichever its users' costs prefer.
    for (uint32_t m = 0; m < s.NumServers(); ++m)
    {
        if (members[m].empty())
        {
            continue;
        }
        const double k = static_cast<double>(members[m].size());
        double proportional = 0;
        double equal = 0;
        for (uint32_t n : members[m])
        {
            UserAllocation u = a.users[n];
            u.edgeFreqHz = std::min(u.edgeFreqHz, feCap[m]);
            proportional += m_model.UserObjective(n, m_model.UserTerms(n, u));
            u.bandwidthHz = s.servers[m].bandwidthHz / k;
            u.edgeFreqHz = std::min(s.servers[m].fMaxHz / k, feCap[m]);
            equal += m_model.UserObjective(n, m_model.UserTerms(n, u));
        }
        if (equal < proportional)
        {
            for (uint32_t n : members[m])
            {
                a.users[n].bandwidthHz = s.servers[m].bandwidthHz / k;
                a.users[n].edgeFreqHz = s.servers[m].fMaxHz / k;
            }
        }
    }
    for (auto& u : a.users)
    {
        if (u.server < feCap.size())
        {
            u.edgeFreqHz = std::min(u.edgeFreqHz, feCap[u.server]);
        }
    }
    return a;
}

const std::vector<double>&
AssociationSolver::EdgeFrequencyCaps() const
{
    if (!m_feCap.empty())
    {
        return m_feCap;
    }
    const RoundState& s = m_model.GetState();
    std::vector<double>& caps = m_feCap;
    caps.assign(s.NumServers(), 0.0);
    for (uint32_t m = 0; m < s.NumServers(); ++m)
    {
        // B(f^E) of any user is the same function up to a factor: minimise user 0's in log f^E.
        const double fMax = s.servers[m].fMaxHz;
        auto cost = [&](double logFe) { return m_model.EdgeLayerCost(0, m, std::exp(logFe)); };
        const auto r =
            boost::math::tools::brent_find_minima(cost, std::log(fMax * 1e-6), std::log(fMax), 40);
        caps[m] = std::exp(r.first);
        // B is convex and decreasing below its minimiser: snap to f_max when at the bound.
        if (caps[m] > fMax * (1 - 1e-6) || cost(std::log(fMax)) <= r.second)
        {
            caps[m] = fMax;
        }
    }
    return caps;
}

CccpResult
AssociationSolver::Cccp(const Allocation& current, const CccpOptions& options) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    if (!options.lp)
    {
        // No LP: the true-cost search from the current association (Greedy for users without
        // a server), without pricing the linear cost matrix.
        std::vector<uint32_t> reference(N);
        std::vector<uint32_t> greedy;
        for (uint32_t n = 0; n < N; ++n)
        {
            reference[n] = current.users[n].server;
            if (reference[n] >= M)
            {
                if (greedy.empty())
                {
                    greedy = Greedy();
                }
                reference[n] = greedy[n];
            }
        }
        CccpResult r;
        r.cccpServer = reference;
        r.server = TrueCostSearch(current, reference, &r.searchMoves, 50, options.candidateServers);
        r.cccpTrueCost = TrueCost(current, reference);
        r.trueCost = r.server == reference ? r.cccpTrueCost : TrueCost(current, r.server);
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
    SlotCosts c;
    PriceSlots(current, options.candidateServers, c);
    const double scale = SlotCostScale(c);
    std::vector<double> rhos;
    if (options.penalty > 0)
    {
        rhos.push_back(options.penalty);
    }
    else
    {
        // spread over {0.01, 0.03, 0.1, 0.3, 1} x scale, always including 0.1
        static const std::vector<std::vector<double>> kSets{{0.1},
                                                            {0.03, 0.3},
                                                            {0.01, 0.1, 1.0},
                                                            {0.01, 0.03, 0.3, 1.0},
                                                            {0.01, 0.03, 0.1, 0.3, 1.0}};
        const uint32_t k = std::clamp<uint32_t>(options.penaltyValues, 1, 5);
        for (double f : kSets[k - 1])
        {
            rhos.push_back(f * scale);
        }
    }
    std::vector<double> bandCap(M);
    std::vector<double> freqCap(M);
    for (uint32_t m = 0; m < M; ++m)
    {
        bandCap[m] = s.servers[m].bandwidthHz;
        freqCap[m] = s.servers[m].fMaxHz;
    }
    AssociationLp lp(c, M, bandCap, freqCap, scale);
    std::mt19937_64 rng(options.seed);

    auto slotOf = [&](const std::vector<uint32_t>& server, uint32_t n) {
        return c.Slot(n, server[n]);
    };
    auto linearCost = [&](const std::vector<uint32_t>& server) {
        double sum = 0;
        for (uint32_t n = 0; n < N; ++n)
        {
            const int64_t i = slotOf(server, n);
            sum += i >= 0 ? c.cost[i] : std::numeric_limits<double>::quiet_NaN();
        }
        return sum;
    };
    auto feasible = [&](const std::vector<uint32_t>& server) {
        std::vector<double> band(M, 0.0);
        std::vector<double> freq(M, 0.0);
        for (uint32_t n = 0; n < N; ++n)
        {
            const int64_t i = slotOf(server, n);
            if (i < 0 || !c.allowed[i])
            {
                return false;
            }
            band[c.srv[i]] += c.band[i];
            freq[c.srv[i]] += c.freq[i];
        }
        for (uint32_t m = 0; m < M; ++m)
        {
            if (band[m] > bandCap[m] * (1 + kCapacityTol) ||
                freq[m] > freqCap[m] * (1 + kCapacityTol))
            {
                return false;
            }
        }
        return true;
    };

    // Round a fractional chi to a feasible binary association: each user to its largest chi,
    // then users of over-full servers moved (cheapest first) to servers with room left.
    auto repair = [&](const Chi& chi) {
        std::vector<uint32_t> slot(N);
        for (uint32_t n = 0; n < N; ++n)
        {
            int64_t best = -1;
            for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
            {
                if (c.allowed[i] &&
                    (best < 0 || chi[i] > chi[best] + 1e-12 ||
                     (std::abs(chi[i] - chi[best]) <= 1e-12 && c.cost[i] < c.cost[best])))
                {
                    best = i;
                }
            }
            slot[n] = static_cast<uint32_t>(best);
        }
        std::vector<double> band(M, 0.0);
        std::vector<double> freq(M, 0.0);
        for (uint32_t n = 0; n < N; ++n)
        {
            band[c.srv[slot[n]]] += c.band[slot[n]];
            freq[c.srv[slot[n]]] += c.freq[slot[n]];
        }
        auto over = [&](uint32_t m) {
            return band[m] > bandCap[m] * (1 + kCapacityTol) ||
                   freq[m] > freqCap[m] * (1 + kCapacityTol);
        };
        auto serversOf = [&]() {
            std::vector<uint32_t> server(N);
            for (uint32_t n = 0; n < N; ++n)
            {
                server[n] = c.srv[slot[n]];
            }
            return server;
        };
        for (uint32_t guard = 0; guard < N * M + 1; ++guard)
        {
            int full = -1;
            for (uint32_t m = 0; m < M && full < 0; ++m)
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
            for (uint32_t n = 0; n < N; ++n)
            {
                if (c.srv[slot[n]] != static_cast<uint32_t>(full))
                {
                    continue;
                }
                for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
                {
                    const uint32_t m = c.srv[i];
                    if (m == static_cast<uint32_t>(full) || !c.allowed[i] ||
                        band[m] + c.band[i] > bandCap[m] * (1 + kCapacityTol) ||
                        freq[m] + c.freq[i] > freqCap[m] * (1 + kCapacityTol))
                    {
                        continue;
                    }
                    const double delta = c.cost[i] - c.cost[slot[n]];
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
            band[full] -= c.band[from];
            freq[full] -= c.freq[from];
            band[c.srv[bestI]] += c.band[bestI];
            freq[c.srv[bestI]] += c.freq[bestI];
            slot[bestN] = static_cast<uint32_t>(bestI);
        }
        NS_LOG_WARN("CCCP repair could not round within capacity; using the reference "
                    "association");
        return c.reference;
    };

    // Local improvement of a feasible binary association: single moves into servers with room
    // and pairwise swaps, each applied while it lowers the linear cost (first improvement).
    auto polish = [&](std::vector<uint32_t>& server) {
        std::vector<uint32_t> slot(N);
        std::vector<double> band(M, 0.0);
        std::vector<double> freq(M, 0.0);
        std::vector<std::vector<uint32_t>> members(M);
        for (uint32_t n = 0; n < N; ++n)
        {
            slot[n] = static_cast<uint32_t>(slotOf(server, n));
            band[server[n]] += c.band[slot[n]];
            freq[server[n]] += c.freq[slot[n]];
            members[server[n]].push_back(n);
        }
        auto fits = [&](uint32_t m, double db, double df) {
            return band[m] + db <= bandCap[m] * (1 + kCapacityTol) &&
                   freq[m] + df <= freqCap[m] * (1 + kCapacityTol);
        };
        auto relocate = [&](uint32_t n, uint32_t i) {
            const uint32_t from = server[n];
            auto& L = members[from];
            L.erase(std::find(L.begin(), L.end(), n));
            band[from] -= c.band[slot[n]];
            freq[from] -= c.freq[slot[n]];
            server[n] = c.srv[i];
            slot[n] = i;
            band[server[n]] += c.band[i];
            freq[server[n]] += c.freq[i];
            members[server[n]].push_back(n);
        };
        std::vector<double> minCost(N, std::numeric_limits<double>::infinity());
        for (uint32_t n = 0; n < N; ++n)
        {
            for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
            {
                if (c.allowed[i])
                {
                    minCost[n] = std::min(minCost[n], c.cost[i]);
                }
            }
        }
        uint32_t moves = 0;
        bool improved = true;
        for (uint32_t pass = 0; improved && pass < 100; ++pass)
        {
            improved = false;
            for (uint32_t n = 0; n < N; ++n)
            {
                const uint32_t from = slot[n];
                for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
                {
                    if (i == from || !c.allowed[i] ||
                        c.cost[i] >= c.cost[from] - 1e-12 * std::abs(c.cost[from]) ||
                        !fits(c.srv[i], c.band[i], c.freq[i]))
                    {
                        continue;
                    }
                    relocate(n, i);
                    improved = true;
                    ++moves;
                    break;
                }
            }
            for (uint32_t n1 = 0; n1 < N; ++n1)
            {
                for (uint32_t i1 = c.off[n1]; i1 < c.off[n1 + 1]; ++i1)
                {
                    const uint32_t m2 = c.srv[i1];
                    if (m2 == server[n1] || !c.allowed[i1])
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
                            c.cost[i1] + minCost[n2] >= c.cost[slot[n1]] + c.cost[slot[n2]])
                        {
                            continue;
                        }
                        const int64_t i2 = c.Slot(n2, m1);
                        if (i2 < 0 || !c.allowed[i2])
                        {
                            continue;
                        }
                        const uint32_t s1 = slot[n1];
                        const uint32_t s2 = slot[n2];
                        const double before = c.cost[s1] + c.cost[s2];
                        const double after = c.cost[i1] + c.cost[i2];
                        if (after >= before - 1e-12 * std::abs(before) ||
                            !fits(m1, c.band[i2] - c.band[s1], c.freq[i2] - c.freq[s1]) ||
                            !fits(m2, c.band[i1] - c.band[s2], c.freq[i1] - c.freq[s2]))
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
    };

    struct StartOutcome
    {
        std::vector<uint32_t> server;
        double cost;
        std::vector<double> history;
        uint32_t iterations;
        bool repaired;
        uint32_t localMoves;
    };

    uint32_t certifiedSteps = 0;
    // certified: chi0 is binary and an optimum of the LP relaxation, so the first CCCP step's
    // LP has chi0 as its unique optimum (see Cccp's documentation) and is not handed to GLPK
    auto runFrom = [&](const Chi& chi0, double rho, bool certified) {
        StartOutcome out{{}, 0, {}, 0, false, 0};
        Chi chi = chi0;
        Chi next;
        bool solved = false;
        if (certified && options.maxIterations > 0)
        {
            solved = true;
            ++certifiedSteps;
            ++out.iterations;
            out.history.push_back(Penalised(c, chi, rho));
        }
        for (uint32_t k = 0; k < options.maxIterations && !certified; ++k)
        {
            if (!lp.Solve(rho, chi, next))
            {
                break;
            }
            solved = true;
            ++out.iterations;
            out.history.push_back(Penalised(c, next, rho));
            const bool same = MaxDiff(next, chi) <= kBinaryTol;
            chi.swap(next);
            if (same)
            {
                break; // fixed point (binary or not)
            }
        }
        if (!solved)
        {
            chi = ChiOf(c, c.reference);
        }
        std::vector<uint32_t> server(N);
        bool binary = IsBinary(chi);
        if (binary)
        {
            for (uint32_t n = 0; n < N; ++n)
            {
                uint32_t best = c.off[n];
                for (uint32_t i = c.off[n]; i < c.off[n + 1]; ++i)
                {
                    best = chi[i] > chi[best] ? i : best;
                }
                server[n] = c.srv[best];
            }
        }
        if (!binary || !feasible(server))
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
            server = repair(chi);
            out.repaired = true;
        }
        if (options.localSearch)
        {
            out.localMoves = polish(server);
        }
        out.cost = linearCost(server);
        out.server = std::move(server);
        return out;
    };

    // Starting points: current (reference), LP relaxation, greedy, random. The relaxation is
    // solved first (as the second start's point); the others are built when their turn comes
    // (in this order, so the random starts draw the same numbers).
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
            return relaxedOk ? relaxed : ChiOf(c, Random(rng));
        }
        if (i == 2)
        {
            return ChiOf(c, Greedy());
        }
        return ChiOf(c, Random(rng));
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
            const double rho = rhos[k];
            StartOutcome o =
                repeat ? firstOutcomes[k] : runFrom(start, rho, i == 0 && referenceOptimal);
            if (i == 0)
            {
                firstOutcomes.push_back(o);
            }
            NS_LOG_LOGIC("start " << i << " rho " << rho << ": cost " << o.cost << " after "
                                  << o.iterations << " iterations"
                                  << (o.repaired ? " (repaired)" : "")
                                  << (repeat ? " (same start as 0)" : ""));
            CccpRun run;
            run.start = i;
            run.penalty = rho;
            run.history = o.history;
            run.cost = o.cost;
            best.runs.push_back(std::move(run));
            if (o.cost < startBest)
            {
                startBest = o.cost;
                startServer = o.server;
            }
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
        best.startCosts.push_back(startBest);
        if (options.stopWhenStartsAgree && i > 0 && startServer == best.server)
        {
            NS_LOG_LOGIC("start " << i << " ended at the best association so far; stopping");
            break;
        }
    }
    best.lpSolves = lp.Solves();
    best.certifiedSteps = certifiedSteps;
    // Never worse than staying put: the reference association is feasible by construction.
    const double refCost = linearCost(c.reference);
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
    NS_ASSERT_MSG(feasible(best.server), "CCCP produced an infeasible association");
    best.withinCapacity = true;
    best.cccpServer = best.server;
    if (options.trueCostSearch)
    {
        // Refine by the true objective (shares re-normalised), from the CCCP result and from
        // the current association (when they differ); keep the better.
        uint32_t movesA = 0;
        uint32_t movesB = 0;
        const std::vector<uint32_t> fromCccp =
            TrueCostSearch(current, best.server, &movesA, 50, options.candidateServers);
        best.cccpTrueCost = TrueCost(current, best.server);
        best.trueCost = best.cccpTrueCost;
        std::vector<uint32_t> chosen = best.server;
        best.searchMoves = 0;
        // The search's bookkeeping moves shares step by step; Apply from the current shares
        // can price the end point slightly differently, so the start points stay candidates.
        auto consider = [&](const std::vector<uint32_t>& srv, uint32_t mv) {
            if (srv == chosen)
            {
                return;
            }
            const double tc = TrueCost(current, srv);
            if (tc < best.trueCost * (1 - 1e-12))
            {
                best.trueCost = tc;
                chosen = srv;
                best.searchMoves = mv;
            }
        };
        consider(fromCccp, movesA);
        if (best.cccpServer != c.reference && options.searchFromCurrent)
        {
            const std::vector<uint32_t> fromRef =
                TrueCostSearch(current, c.reference, &movesB, 50, options.candidateServers);
            consider(fromRef, movesB);
            consider(c.reference, 0);
        }
        best.server = chosen;
        best.cost = linearCost(best.server);
        best.withinCapacity = std::isfinite(best.cost) && feasible(best.server);
        NS_LOG_LOGIC("true-cost search: " << best.cccpTrueCost << " -> " << best.trueCost << " ("
                                          << best.searchMoves << " moves)");
    }
    else
    {
        best.trueCost = TrueCost(current, best.server);
        best.cccpTrueCost = best.trueCost;
    }
    return best;
}

double
AssociationSolver::TrueCost(const Allocation& current, const std::vector<uint32_t>& server) const
{
    return m_model.Objective(Apply(current, server));
}

const std::vector<uint32_t>&
AssociationSolver::TopServers(uint32_t k) const
{
    if (m_topK != k)
    {
        // each user's k highest-gain servers, best first (ties: lower index; the gains never
        // change: computed once per k by insertion into a sorted list of k)
        const RoundState& s = m_model.GetState();
        const uint32_t N = s.NumUsers();
        const uint32_t M = s.NumServers();
        m_topK = k;
        m_topServers.resize(static_cast<size_t>(N) * k);
        for (uint32_t n = 0; n < N; ++n)
        {
            const auto& g = s.users[n].gain;
            auto better = [&g](uint32_t x, uint32_t y) {
                return g[x] > g[y] || (g[x] == g[y] && x < y);
            };
            uint32_t* best = m_topServers.data() + static_cast<size_t>(n) * k;
            uint32_t count = 0;
            for (uint32_t m = 0; m < M; ++m)
            {
                if (count == k && !better(m, best[k - 1]))
                {
                    continue;
                }
                uint32_t i = count < k ? count++ : k - 1;
                while (i > 0 && better(m, best[i - 1]))
                {
                    best[i] = best[i - 1];
                    --i;
                }
                best[i] = m;
            }
        }
    }
    return m_topServers;
}

std::vector<char>
AssociationSolver::Candidates(uint32_t k, const std::vector<uint32_t>& server) const
{
    const RoundState& s = m_model.GetState();
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    if (k == 0 || k >= M)
    {
        return std::vector<char>(static_cast<size_t>(N) * M, 1);
    }
    const std::vector<uint32_t>& top = TopServers(k);
    std::vector<char> cand(static_cast<size_t>(N) * M, 0);
    for (uint32_t n = 0; n < N; ++n)
    {
        for (uint32_t i = 0; i < k; ++i)
        {
            cand[static_cast<size_t>(n) * M + top[static_cast<size_t>(n) * k + i]] = 1;
        }
        if (server[n] < M)
        {
            cand[static_cast<size_t>(n) * M + server[n]] = 1;
        }
    }
    return cand;
}

uint32_t
AssociationSolver::SeparableSearch(Allocation& a,
                                   std::vector<uint32_t>& server,
                                   const std::vector<char>& cand,
                                   uint32_t maxPasses) const
{
    const RoundState& s = m_model.GetState();
    const ObjectiveSettings& o = s.objective;
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    const double rmin = o.minRateBps;
    const double rTol = rmin * (1 - 1e-9);
    const std::vector<double>& feCap = EdgeFrequencyCaps();
    std::vector<std::vector<uint32_t>> members(M);
    std::vector<uint32_t> pos(N, 0);
    for (uint32_t n = 0; n < N; ++n)
    {
        pos[n] = static_cast<uint32_t>(members[server[n]].size());
        members[server[n]].push_back(n);
    }
    // cost (omega_t delay + energy + stability) and uplink rate of user n on m with the shares
    // alpha, p, f stay fixed: the device and stability terms of every user once, then only the
    // server-dependent terms per price (SplitCostModel::OffloadTerms; the same numbers as
    // UserTerms)
    std::vector<CostTerms> base(N);
    std::vector<char> offloads(N, 0);
    for (uint32_t n = 0; n < N; ++n)
    {
        const UserAllocation& u = a.users[n];
        base[n] = m_model.UserTerms(n,
                                    UserAllocation::kNoServer,
                                    u.alpha,
                                    u.powerW,
                                    u.bandwidthHz,
                                    u.freqHz,
                                    u.edgeFreqHz);
        offloads[n] = s.layers - static_cast<double>(u.alpha) > 0;
    }
    auto price = [&](uint32_t n, uint32_t m, double band, double freq, double& rate) {
        const UserAllocation& u = a.users[n];
        CostTerms t = base[n];
        if (offloads[n])
        {
            const double r =
                m_model.OffloadTerms(n, m, u.alpha, u.powerW, band, std::min(freq, feCap[m]), t);
            rate = rmin > 0 ? r : 0.0;
        }
        else
        {
            rate = rmin > 0 ? m_model.UplinkRateBps(n, m, u.powerW, band) : 0.0;
        }
        return o.wTime * m_model.ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
               o.wStability * t.stability;
    };
    std::vector<double> cost(N);
    std::vector<double> rate(N);
    for (uint32_t n = 0; n < N; ++n)
    {
        cost[n] = price(n, server[n], a.users[n].bandwidthHz, a.users[n].edgeFreqHz, rate[n]);
    }
    // a user that meets r_min (with its current shares) must keep meeting it
    auto breaks = [&](uint32_t n, double r) { return rmin > 0 && r < rTol && rate[n] >= rTol; };

    /// Cached sums of one server's users' costs under the share resets a change can cause.
    /// k-sized parts are built at once; the proportional sums after member j leaves (k - 1
    /// prices each) only when a change with j passes the lower-bound test.
    struct Table
    {
        bool valid{false};
        double sumB{0};   //!< sum of the users' bandwidth shares
        double sumF{0};   //!< sum of the users' GPU shares
        double cur{0};    //!< current cost
        double inProp{0}; //!< one user arrives, proportional (stayers scaled)
        bool inPropOk{true};
        double inEq{0}; //!< one user arrives, equal shares of k+1 (stayers only)
        bool inEqOk{true};
        std::vector<double> lessI; //!< user i at the equal share of k-1
        std::vector<char> lessBreak;
        double less{0};
        int lessBreaks{0};
        std::vector<double> sameI; //!< user i at the equal share of k
        std::vector<char> sameBreak;
        double same{0};
        int sameBreaks{0};
        std::vector<double> upMoveI; //!< user i scaled as if the largest share left
        double upMove{0};
        std::vector<double> upSwapI; //!< the same with one newcomer
        double upSwap{0};
        double swapLbB{0};           //!< a swap newcomer's largest possible proportional bandwidth
        double swapLbF{0};           //!< and GPU share
        std::vector<double> outProp; //!< user j leaves, proportional (NaN: not built)
        std::vector<char> outPropOk;
        std::vector<double> swapProp; //!< j leaves and one arrives, proportional (stayers)
        std::vector<char> swapPropOk;
    };

    const double kUnset = std::numeric_limits<double>::quiet_NaN();
    std::vector<Table> tab(M);
    auto table = [&](uint32_t m) -> Table& {
        Table& t = tab[m];
        if (t.valid)
        {
            return t;
        }
        const auto& L = members[m];
        const size_t k = L.size();
        const double kd = static_cast<double>(k);
        const double B = s.servers[m].bandwidthHz;
        const double F = s.servers[m].fMaxHz;
        t.valid = true;
        t.sumB = t.sumF = t.cur = t.inProp = t.inEq = t.less = t.same = 0;
        t.upMove = t.upSwap = 0;
        t.inPropOk = t.inEqOk = true;
        t.lessBreaks = t.sameBreaks = 0;
        double maxB = 0;
        double maxF = 0;
        for (uint32_t n : L)
        {
            t.sumB += a.users[n].bandwidthHz;
            t.sumF += a.users[n].edgeFreqHz;
            maxB = std::max(maxB, a.users[n].bandwidthHz);
            maxF = std::max(maxF, a.users[n].edgeFreqHz);
            t.cur += cost[n];
        }
        t.lessI.assign(k, 0.0);
        t.lessBreak.assign(k, 0);
        t.sameI.assign(k, 0.0);
        t.sameBreak.assign(k, 0);
        t.upMoveI.assign(k, 0.0);
        t.upSwapI.assign(k, 0.0);
        t.outProp.assign(k, kUnset);
        t.outPropOk.assign(k, 1);
        t.swapProp.assign(k, kUnset);
        t.swapPropOk.assign(k, 1);
        const double newB = B / (kd + 1);
        const double newF = F / (kd + 1);
        const double inB = B / (t.sumB + newB);
        const double inF = F / (t.sumF + newF);
        const double upB = k > 1 ? B / (t.sumB - maxB) : 1.0;
        const double upF = k > 1 ? F / (t.sumF - maxF) : 1.0;
        const double swB = B / (t.sumB - maxB + newB);
        const double swF = F / (t.sumF - maxF + newF);
        t.swapLbB = newB * swB;
        t.swapLbF = newF * swF;
        double r = 0;
        for (size_t i = 0; i < k; ++i)
        {
            const uint32_t n = L[i];
            const double b = a.users[n].bandwidthHz;
            const double f = a.users[n].edgeFreqHz;
            t.inProp += price(n, m, b * inB, f * inF, r);
            t.inPropOk = t.inPropOk && !breaks(n, r);
            t.inEq += price(n, m, newB, newF, r);
            t.inEqOk = t.inEqOk && !breaks(n, r);
            t.sameI[i] = price(n, m, B / kd, F / kd, r);
            t.sameBreak[i] = breaks(n, r);
            t.same += t.sameI[i];
            t.sameBreaks += t.sameBreak[i];
            t.upSwapI[i] = price(n, m, b * swB, f * swF, r);
            t.upSwap += t.upSwapI[i];
            if (k > 1)
            {
                t.lessI[i] = price(n, m, B / (kd - 1), F / (kd - 1), r);
                t.lessBreak[i] = breaks(n, r);
                t.less += t.lessI[i];
                t.lessBreaks += t.lessBreak[i];
                t.upMoveI[i] = price(n, m, b * upB, f * upF, r);
                t.upMove += t.upMoveI[i];
            }
        }
        return t;
    };
    // exact proportional sums after member j leaves (withNewcomer: and one user arrives)
    auto propAfter = [&](uint32_t m, uint32_t j, bool withNewcomer) -> Table& {
        Table& t = table(m);
        std::vector<double>& v = withNewcomer ? t.swapProp : t.outProp;
        std::vector<char>& ok = withNewcomer ? t.swapPropOk : t.outPropOk;
        if (!std::isnan(v[j]))
        {
            return t;
        }
        const auto& L = members[m];
        const double kd = static_cast<double>(L.size());
        const double B = s.servers[m].bandwidthHz;
        const double F = s.servers[m].fMaxHz;
        const double extraB = withNewcomer ? B / (kd + 1) : 0.0;
        const double extraF = withNewcomer ? F / (kd + 1) : 0.0;
        const double sB = B / (t.sumB - a.users[L[j]].bandwidthHz + extraB);
        const double sF = F / (t.sumF - a.users[L[j]].edgeFreqHz + extraF);
        double sum = 0;
        double r = 0;
        for (size_t i = 0; i < L.size(); ++i)
        {
            if (i == j)
            {
                continue;
            }
            const uint32_t n = L[i];
            sum += price(n, m, a.users[n].bandwidthHz * sB, a.users[n].edgeFreqHz * sF, r);
            ok[j] = ok[j] && !breaks(n, r);
        }
        v[j] = sum;
        return t;
    };

    // Newcomer prices per (user, server), valid while the server is unchanged: arrival by a
    // move (proportional and equal) and by a swap (equal, and a lower bound of proportional).
    // A user's cost is non-increasing in its bandwidth and (capped) GPU share (the rates grow
    // with the band, B(f^E) falls below its minimiser), so the bounds below are exact for
    // pruning: a change whose lower bound does not improve is rejected without pricing it.
    struct Newcomer
    {
        int64_t stamp{-1};
        double moveProp{0};
        double movePropRate{0};
        double moveEq{0};
        double moveEqRate{0};
        double swapEq{0};
        double swapEqRate{0};
        double swapPropLb{0};
    };

    // Candidate servers per user as lists (moves, the swap neighbourhood, the newcomer cache):
    // user n's are candFlat[candOff[n] … candOff[n + 1]), in increasing order.
    std::vector<uint32_t> candOff(N + 1, 0);
    std::vector<uint32_t> candFlat;
    candFlat.reserve(static_cast<size_t>(N) * 5);
    for (uint32_t n = 0; n < N; ++n)
    {
        for (uint32_t m = 0; m < M; ++m)
        {
            if (cand[static_cast<size_t>(n) * M + m])
            {
                candFlat.push_back(m);
            }
        }
        candOff[n + 1] = static_cast<uint32_t>(candFlat.size());
    }

    struct CandRange
    {
        const uint32_t* first;
        const uint32_t* last;

        const uint32_t* begin() const
        {
            return first;
        }

        const uint32_t* end() const
        {
            return last;
        }
    };

    auto candList = [&](uint32_t n) {
        return CandRange{candFlat.data() + candOff[n], candFlat.data() + candOff[n + 1]};
    };
    std::vector<Newcomer> arrivals(candOff[N]);
    int64_t epoch = 0;
    std::vector<int64_t> changed(M, 0);
    auto newcomer = [&](uint32_t n, uint32_t m) -> const Newcomer& {
        // (n, m) is always a candidate pair: moves and swaps only land on candidates
        uint32_t slot = candOff[n];
        while (slot + 1 < candOff[n + 1] && candFlat[slot] != m)
        {
            ++slot;
        }
        NS_ASSERT_MSG(candFlat[slot] == m, "not a candidate pair");
        Newcomer& c = arrivals[slot];
        if (c.stamp != changed[m])
        {
            const Table& t = table(m);
            const double kd = static_cast<double>(members[m].size());
            const double B = s.servers[m].bandwidthHz;
            const double F = s.servers[m].fMaxHz;
            const double newB = B / (kd + 1);
            const double newF = F / (kd + 1);
            c.moveProp = price(n,
                               m,
                               newB * (B / (t.sumB + newB)),
                               newF * (F / (t.sumF + newF)),
                               c.movePropRate);
            c.moveEq = price(n, m, newB, newF, c.moveEqRate);
            if (kd > 0)
            {
                double r = 0;
                c.swapEq = price(n, m, B / kd, F / kd, c.swapEqRate);
                c.swapPropLb = price(n, m, t.swapLbB, t.swapLbF, r);
            }
            c.stamp = changed[m];
        }
        return c;
    };
    // lower bound of server m's cost after its member index j leaves (and nIn arrives, >= 0)
    auto bound = [&](uint32_t m, uint32_t j, int nIn) {
        const Table& t = table(m);
        if (nIn < 0)
        {
            if (members[m].size() == 1)
            {
                return 0.0;
            }
            return std::min(t.less - t.lessI[j], t.upMove - t.upMoveI[j]);
        }
        const Newcomer& c = newcomer(static_cast<uint32_t>(nIn), m);
        return std::min(t.same - t.sameI[j] + c.swapEq, t.upSwap - t.upSwapI[j] + c.swapPropLb);
    };

    /// A priced share reset of one server: variant 0 proportional (scale sB, sF; newcomer
    /// share B/(k+1) before scaling), 1 equal (B/kNew).
    struct Reset
    {
        int variant{-1};
        double cost{0};
        double sB{1};
        double sF{1};
        double eqB{0};
        double eqF{0};
        double newB{0};
        double newF{0};
    };

    auto pick = [](Reset& out, double prop, bool propOk, double eq, bool eqOk) {
        out.variant = -1;
        if (propOk)
        {
            out.variant = 0;
            out.cost = prop;
        }
        if (eqOk && (out.variant < 0 || eq < out.cost))
        {
            out.variant = 1;
            out.cost = eq;
        }
        return out.variant >= 0;
    };
    // server m loses member index j (if leaver) and/or gains user `in` (if arrives)
    auto priceServer = [&](uint32_t m, int j, int in, Reset& out) {
        const double B = s.servers[m].bandwidthHz;
        const double F = s.servers[m].fMaxHz;
        const size_t k = members[m].size();
        const double kd = static_cast<double>(k);
        if (in < 0)
        {
            // leave only
            if (k == 1)
            {
                out.variant = 2;
                out.cost = 0;
                return true;
            }
            Table& t = propAfter(m, static_cast<uint32_t>(j), false);
            const uint32_t n = members[m][j];
            out.sB = B / (t.sumB - a.users[n].bandwidthHz);
            out.sF = F / (t.sumF - a.users[n].edgeFreqHz);
            out.eqB = B / (kd - 1);
            out.eqF = F / (kd - 1);
            return pick(out,
                        t.outProp[j],
                        t.outPropOk[j],
                        t.less - t.lessI[j],
                        t.lessBreaks - t.lessBreak[j] == 0);
        }
        const uint32_t nIn = static_cast<uint32_t>(in);
        if (j < 0)
        {
            // arrive only
            const Table& t = table(m);
            const Newcomer& c = newcomer(nIn, m);
            out.newB = B / (kd + 1);
            out.newF = F / (kd + 1);
            out.sB = B / (t.sumB + out.newB);
            out.sF = F / (t.sumF + out.newF);
            out.eqB = B / (kd + 1);
            out.eqF = F / (kd + 1);
            return pick(out,
                        t.inProp + c.moveProp,
                        t.inPropOk && !breaks(nIn, c.movePropRate),
                        t.inEq + c.moveEq,
                        t.inEqOk && !breaks(nIn, c.moveEqRate));
        }
        // one leaves, one arrives
        Table& t = propAfter(m, static_cast<uint32_t>(j), true);
        const Newcomer& c = newcomer(nIn, m);
        const uint32_t nOut = members[m][j];
        out.newB = B / (kd + 1);
        out.newF = F / (kd + 1);
        out.sB = B / (t.sumB - a.users[nOut].bandwidthHz + out.newB);
        out.sF = F / (t.sumF - a.users[nOut].edgeFreqHz + out.newF);
        out.eqB = B / kd;
        out.eqF = F / kd;
        double r = 0;
        const double cp = price(nIn, m, out.newB * out.sB, out.newF * out.sF, r);
        const bool okP = t.swapPropOk[j] && !breaks(nIn, r);
        const bool okE = t.sameBreaks - t.sameBreak[j] == 0 && !breaks(nIn, c.swapEqRate);
        return pick(out, t.swapProp[j] + cp, okP, t.same - t.sameI[j] + c.swapEq, okE);
    };
    // set server m's shares per the reset (leaver removed, newcomer added) and re-price them
    auto commit = [&](uint32_t m, int leaver, int newcomer, const Reset& rs) {
        auto& L = members[m];
        if (leaver >= 0)
        {
            L.erase(std::find(L.begin(), L.end(), static_cast<uint32_t>(leaver)));
        }
        const size_t stayers = L.size();
        if (newcomer >= 0)
        {
            L.push_back(static_cast<uint32_t>(newcomer));
            server[newcomer] = m;
            a.users[newcomer].server = m;
        }
        for (size_t i = 0; i < L.size(); ++i)
        {
            UserAllocation& u = a.users[L[i]];
            if (rs.variant == 0)
            {
                if (i >= stayers)
                {
                    u.bandwidthHz = rs.newB;
                    u.edgeFreqHz = rs.newF;
                }
                u.bandwidthHz *= rs.sB;
                u.edgeFreqHz *= rs.sF;
            }
            else
            {
                u.bandwidthHz = rs.eqB;
                u.edgeFreqHz = rs.eqF;
            }
            pos[L[i]] = static_cast<uint32_t>(i);
        }
        for (uint32_t n : L)
        {
            double r = 0;
            cost[n] = price(n, m, a.users[n].bandwidthHz, a.users[n].edgeFreqHz, r);
            rate[n] = r;
        }
        tab[m].valid = false;
    };

    // Don't-look bookkeeping: a change's price depends only on its two servers, so a change
    // evaluated (and rejected) at epoch e need not be re-tried while neither server changed
    // after e. changed[m]: epoch of m's last change; checked*: epoch of the last complete
    // evaluation of a user's moves / swaps (-1: none or interrupted by an accepted change).
    std::vector<int64_t> checkedMove(N, -1);
    std::vector<int64_t> checkedSwap(N, -1);
    auto fresh = [&](int64_t checked, uint32_t m1, uint32_t m2) {
        return checked >= 0 && changed[m1] <= checked && changed[m2] <= checked;
    };
    double obj = std::accumulate(cost.begin(), cost.end(), 0.0);
    uint32_t accepted = 0;
    const double rel = 1e-12;
    Reset ra;
    Reset rb;
    std::vector<uint32_t> others;
    for (uint32_t pass = 0; pass < maxPasses; ++pass)
    {
        bool improved = false;
        for (uint32_t n = 0; n < N; ++n)
        {
            const int64_t start = epoch;
            for (uint32_t m : candList(n))
            {
                const uint32_t from = server[n];
                if (m == from || fresh(checkedMove[n], from, m))
                {
                    continue;
                }
                // the arrival side is cheap (cached); bound the departure side first
                if (!priceServer(m, -1, static_cast<int>(n), rb))
                {
                    continue;
                }
                const double lb =
                    bound(from, pos[n], -1) + rb.cost - table(from).cur - table(m).cur;
                if (!(obj + lb < obj - rel * std::abs(obj)) ||
                    !priceServer(from, static_cast<int>(pos[n]), -1, ra))
                {
                    continue;
                }
                const double delta = ra.cost + rb.cost - table(from).cur - table(m).cur;
                if (!(obj + delta < obj - rel * std::abs(obj)))
                {
                    continue;
                }
                commit(from, static_cast<int>(n), -1, ra);
                commit(m, -1, static_cast<int>(n), rb);
                changed[from] = changed[m] = ++epoch;
                obj += delta;
                ++accepted;
                improved = true;
            }
            checkedMove[n] = (epoch == start) ? epoch : -1;
        }
        if (!improved)
        {
            for (uint32_t n1 = 0; n1 < N; ++n1)
            {
                const int64_t start = epoch;
                for (uint32_t m2 : candList(n1))
                {
                    if (m2 == server[n1])
                    {
                        continue;
                    }
                    others = members[m2]; // copy: swaps change the list
                    for (uint32_t n2 : others)
                    {
                        const uint32_t m1 = server[n1];
                        if (n2 <= n1 || server[n2] != m2 || m1 == m2 ||
                            !cand[static_cast<size_t>(n2) * M + m1] ||
                            fresh(checkedSwap[n1], m1, m2))
                        {
                            continue;
                        }
                        const double lb = bound(m1, pos[n1], static_cast<int>(n2)) +
                                          bound(m2, pos[n2], static_cast<int>(n1)) - table(m1).cur -
                                          table(m2).cur;
                        if (!(obj + lb < obj - rel * std::abs(obj)))
                        {
                            continue;
                        }
                        if (!priceServer(m1, static_cast<int>(pos[n1]), static_cast<int>(n2), ra) ||
                            !priceServer(m2, static_cast<int>(pos[n2]), static_cast<int>(n1), rb))
                        {
                            continue;
                        }
                        const double delta = ra.cost + rb.cost - table(m1).cur - table(m2).cur;
                        if (!(obj + delta < obj - rel * std::abs(obj)))
                        {
                            continue;
                        }
                        commit(m1, static_cast<int>(n1), static_cast<int>(n2), ra);
                        commit(m2, static_cast<int>(n2), static_cast<int>(n1), rb);
                        changed[m1] = changed[m2] = ++epoch;
                        obj += delta;
                        ++accepted;
                        improved = true;
                    }
                }
                checkedSwap[n1] = (epoch == start) ? epoch : -1;
            }
        }
        if (!improved)
        {
            break;
        }
    }
    return accepted;
}

std::vector<uint32_t>
AssociationSolver::TrueCostSearch(const Allocation& current,
                                  std::vector<uint32_t> server,
                                  uint32_t* moves,
                                  uint32_t maxPasses,
                                  uint32_t candidateServers) const
{
    const RoundState& s = m_model.GetState();
    const ObjectiveSettings& o = s.objective;
    const uint32_t N = s.NumUsers();
    const uint32_t M = s.NumServers();
    const bool makespan = o.delay == DelayAggregate::MAKESPAN;
    const double rmin = o.minRateBps;
    Allocation a = Apply(current, server);
    const std::vector<char> cand = Candidates(candidateServers, server);
    if (!makespan)
    {
        const uint32_t accepted = SeparableSearch(a, server, cand, maxPasses);
        if (moves != nullptr)
        {
            *moves = accepted;
        }
        return server;
    }
    const std::vector<double>& feCap = EdgeFrequencyCaps();
    std::vector<std::vector<uint32_t>> members(M);
    for (uint32_t n = 0; n < N; ++n)
    {
        members[server[n]].push_back(n);
    }
    std::vector<double> delay(N);
    std::vector<double> rest(N);
    std::vector<double> rate(N);
    // Shares in `a` are the servers' (proportional) shares; a user runs at min(share, B's
    // minimiser), as Apply does.
    auto terms = [&](uint32_t n, const UserAllocation& share, double& d, double& r, double& rt) {
        UserAllocation u = share;
        u.edgeFreqHz = std::min(u.edgeFreqHz, feCap[u.server]);
        const CostTerms t = m_model.UserTerms(n, u);
        d = m_model.ObjectiveDelayS(n, t);
        r = o.wEnergy * t.TotalEnergyJ() + o.wStability * t.stability;
        rt = rmin > 0 ? m_model.UplinkRateBps(n, u.server, u.powerW, u.bandwidthHz) : 0.0;
    };
    for (uint32_t n = 0; n < N; ++n)
    {
        terms(n, a.users[n], delay[n], rest[n], rate[n]);
    }
    auto objective = [&](const std::vector<double>& d, const std::vector<double>& r) {
        double agg = 0;
        double sum = 0;
        for (uint32_t n = 0; n < N; ++n)
        {
            agg = makespan ? std::max(agg, d[n]) : agg + d[n];
            sum += r[n];
        }
        return o.wTime * agg + sum;
    };
    double obj = objective(delay, rest);
    uint32_t accepted = 0;

    // Scratch state of a trial change.
    std::vector<double> tDelay = delay;
    std::vector<double> tRest = rest;
    std::vector<UserAllocation> tUsers;
    std::vector<uint32_t> touched;

    // Try moving the users in `movers` to `dest`; on improvement apply and return true. Every
    // affected server's shares are priced two ways, proportional (the movers get the equal
    // share of one more user, then all are scaled to the capacities) and equal; the cheaper is
    // used (servers' costs are independent under the SUM aggregate).
    std::vector<UserAllocation> variant[2];
    std::vector<double> vd[2];
    std::vector<double> vr[2];
    std::vector<double> vrt[2];
    std::vector<double> nDelay;
    std::vector<double> nRest;
    std::vector<double> nRate;
    auto tryChange = [&](const std::vector<uint32_t>& movers, const std::vector<uint32_t>& dest) {
        std::vector<uint32_t> affected;
        for (size_t i = 0; i < movers.size(); ++i)
        {
            for (uint32_t m : {server[movers[i]], dest[i]})
            {
                if (std::find(affected.begin(), affected.end(), m) == affected.end())
                {
                    affected.push_back(m);
                }
            }
        }
        tUsers.clear();
        touched.clear();
        nDelay.clear();
        nRest.clear();
        nRate.clear();
        for (uint32_t m : affected)
        {
            std::vector<uint32_t> now;
            for (uint32_t n : members[m])
            {
                if (std::find(movers.begin(), movers.end(), n) == movers.end())
                {
                    now.push_back(n);
                }
            }
            const size_t stayers = now.size();
            for (size_t i = 0; i < movers.size(); ++i)
            {
                if (dest[i] == m)
                {
                    now.push_back(movers[i]);
                }
            }
            if (now.empty())
            {
                continue;
            }
            const double bCap = s.servers[m].bandwidthHz;
            const double fCap = s.servers[m].fMaxHz;
            const double count = static_cast<double>(members[m].size()) + 1.0;
            const double k = static_cast<double>(now.size());
            double band = 0;
            double freq = 0;
            for (int v = 0; v < 2; ++v)
            {
                variant[v].clear();
            }
            for (size_t i = 0; i < now.size(); ++i)
            {
                UserAllocation u = a.users[now[i]];
                u.server = m;
                if (i >= stayers)
                {
                    u.bandwidthHz = bCap / count;
                    u.edgeFreqHz = fCap / count;
                }
                band += u.bandwidthHz;
                freq += u.edgeFreqHz;
                variant[0].push_back(u);
                u.bandwidthHz = bCap / k;
                u.edgeFreqHz = fCap / k;
                variant[1].push_back(u);
            }
            for (auto& u : variant[0])
            {
                u.bandwidthHz *= bCap / band;
                u.edgeFreqHz *= fCap / freq;
            }
            int chosen = -1;
            double chosenCost = std::numeric_limits<double>::infinity();
            for (int v = 0; v < 2; ++v)
            {
                vd[v].resize(now.size());
                vr[v].resize(now.size());
                vrt[v].resize(now.size());
                double cost = 0;
                bool breaks = false;
                for (size_t i = 0; i < now.size(); ++i)
                {
                    const uint32_t n = now[i];
                    terms(n, variant[v][i], vd[v][i], vr[v][i], vrt[v][i]);
                    cost += o.wTime * vd[v][i] + vr[v][i];
                    // a user that meets r_min now must keep meeting it (a mover: if it met it
                    // on its old server)
                    breaks = breaks || (rmin > 0 && vrt[v][i] < rmin * (1 - 1e-9) &&
                                        rate[n] >= rmin * (1 - 1e-9));
                }
                if (!breaks && cost < chosenCost)
                {
                    chosen = v;
                    chosenCost = cost;
                }
            }
            if (chosen < 0)
            {
                return false;
            }
            for (size_t i = 0; i < now.size(); ++i)
            {
                tUsers.push_back(variant[chosen][i]);
                touched.push_back(now[i]);
                nDelay.push_back(vd[chosen][i]);
                nRest.push_back(vr[chosen][i]);
                nRate.push_back(vrt[chosen][i]);
            }
        }
        double newObj;
        if (makespan)
        {
            for (size_t i = 0; i < touched.size(); ++i)
            {
                tDelay[touched[i]] = nDelay[i];
                tRest[touched[i]] = nRest[i];
            }
            newObj = objective(tDelay, tRest);
            for (uint32_t n : touched)
            {
                tDelay[n] = delay[n];
                tRest[n] = rest[n];
            }
        }
        else
        {
            double delta = 0;
            for (size_t i = 0; i < touched.size(); ++i)
            {
                const uint32_t n = touched[i];
                delta += o.wTime * (nDelay[i] - delay[n]) + nRest[i] - rest[n];
            }
            newObj = obj + delta;
        }
        if (!(newObj < obj - 1e-12 * std::abs(obj)))
        {
            return false;
        }
        for (size_t i = 0; i < touched.size(); ++i)
        {
            const uint32_t n = touched[i];
            a.users[n] = tUsers[i];
            delay[n] = tDelay[n] = nDelay[i];
            rest[n] = tRest[n] = nRest[i];
            rate[n] = nRate[i];
        }
        for (size_t i = 0; i < movers.size(); ++i)
        {
            auto& from = members[server[movers[i]]];
            from.erase(std::find(from.begin(), from.end(), movers[i]));
        }
        for (size_t i = 0; i < movers.size(); ++i)
        {
            members[dest[i]].push_back(movers[i]);
            server[movers[i]] = dest[i];
        }
        obj = newObj;
        ++accepted;
        return true;
    };

    for (uint32_t pass = 0; pass < maxPasses; ++pass)
    {
        bool improved = false;
        for (uint32_t n = 0; n < N; ++n)
        {
            for (uint32_t m = 0; m < M; ++m)
            {
                if (m != server[n] && cand[static_cast<size_t>(n) * M + m] && tryChange({n}, {m}))
                {
                    improved = true;
                }
            }
        }
        if (!improved)
        {
            for (uint32_t n1 = 0; n1 < N; ++n1)
            {
                for (uint32_t n2 = n1 + 1; n2 < N; ++n2)
                {
                    if (server[n1] != server[n2] &&
                        cand[static_cast<size_t>(n1) * M + server[n2]] &&
                        cand[static_cast<size_t>(n2) * M + server[n1]] &&
                        tryChange({n1, n2}, {server[n2], server[n1]}))
                    {
                        improved = true;
                    }
                }
            }
        }
        if (!improved)
        {
            break;
        }
    }
    if (moves != nullptr)
    {
        *moves = accepted;
    }
    return server;
}

} // namespace ns3
