/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AssociationSolver::SeparableSearch: the true-cost local search (moves, then swaps) for the SUM
// aggregate, where each server's cost depends only on its own users: every server keeps cached
// sums of its users' costs under each share reset a change can cause, and lower bounds prune
// changes before they are priced. The general search (and the MAKESPAN aggregate) is in
// association-true-cost-search.cc; see the class documentation and doc/edge-llm.rst,
// "Allocators".
#include "association-slot-costs.h"

#include "ns3/assert.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ns3
{

namespace
{

/// Users' candidate servers as flat lists: user n's are flat[off[n] … off[n + 1]), increasing.
struct CandidateLists
{
    std::vector<uint32_t> off;  //!< first entry of each user (N + 1 entries)
    std::vector<uint32_t> flat; //!< the servers

    /// A user's candidates, for range-for.
    struct Range
    {
        const uint32_t* first; //!< first candidate
        const uint32_t* last;  //!< past the last

        /** @return first */
        const uint32_t* begin() const
        {
            return first;
        }

        /** @return past the last */
        const uint32_t* end() const
        {
            return last;
        }
    };

    /**
     * @param cand cand[n * M + m]: m is a candidate of n
     * @param N users
     * @param M servers
     */
    CandidateLists(const std::vector<char>& cand, uint32_t N, uint32_t M)
        : off(N + 1, 0)
    {
        flat.reserve(static_cast<size_t>(N) * 5);
        for (uint32_t n = 0; n < N; ++n)
        {
            for (uint32_t m = 0; m < M; ++m)
            {
                if (cand[static_cast<size_t>(n) * M + m])
                {
                    flat.push_back(m);
                }
            }
            off[n + 1] = static_cast<uint32_t>(flat.size());
        }
    }

    /** @return user n's candidates */
    Range Of(uint32_t n) const
    {
        return Range{flat.data() + off[n], flat.data() + off[n + 1]};
    }

    /** @return the index in flat of the candidate pair (n, m) */
    uint32_t Slot(uint32_t n, uint32_t m) const
    {
        uint32_t slot = off[n];
        while (slot + 1 < off[n + 1] && flat[slot] != m)
        {
            ++slot;
        }
        NS_ASSERT_MSG(flat[slot] == m, "not a candidate pair");
        return slot;
    }
};

/**
 * The SUM-aggregate search on one allocation: alpha, p and f stay fixed, users move between
 * servers (and swap) while the shares of the two servers involved are reset, proportional or
 * equal, whichever is cheaper.
 */
class SeparableSearcher
{
  public:
    /**
     * @param model cost model of the round
     * @param feCap AssociationSolver::EdgeFrequencyCaps
     * @param a Apply(current, server) (updated in place)
     * @param server association (updated in place)
     * @param cand candidate pairs (AssociationSolver::Candidates)
     */
    SeparableSearcher(const SplitCostModel& model,
                      const std::vector<double>& feCap,
                      Allocation& a,
                      std::vector<uint32_t>& server,
                      const std::vector<char>& cand);

    /**
     * @param maxPasses passes over all moves (and swaps when no move helps)
     * @return accepted changes
     */
    uint32_t Run(uint32_t maxPasses);

  private:
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

    // Newcomer prices per (user, server), valid while the server is unchanged: arrival by a
    // move (proportional and equal) and by a swap (equal, and a lower bound of proportional).
    // A user's cost is non-increasing in its bandwidth and (capped) GPU share (the rates grow
    // with the band, B(f^E) falls below its minimiser), so the bounds are exact for pruning: a
    // change whose lower bound does not improve is rejected without pricing it.
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

    /// A priced share reset of one server: variant 0 proportional (scale sB, sF; newcomer
    /// share B/(k+1) before scaling), 1 equal (B/kNew), 2 the server is left empty.
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

    /**
     * Cost (omega_t delay + energy + stability) of user n on server m with the given shares;
     * the device and stability terms are priced once per user (base), then only the
     * server-dependent terms (SplitCostModel::OffloadTerms; the same numbers as UserTerms).
     * @param rate receives the uplink rate (0 without r_min)
     */
    double Price(uint32_t n, uint32_t m, double band, double freq, double& rate) const;

    /// @return whether rate r would drop user n below r_min while it meets it now
    bool Breaks(uint32_t n, double r) const
    {
        return m_rmin > 0 && r < m_rTol && m_rate[n] >= m_rTol;
    }

    /// @return server m's table, built if not valid
    Table& GetTable(uint32_t m);

    /// Builds the k-sized parts of server m's table.
    void BuildTable(uint32_t m, Table& t);

    /// @return server m's table with the exact proportional sum after member j leaves
    /// (withNewcomer: and one user arrives) built
    Table& PropAfter(uint32_t m, uint32_t j, bool withNewcomer);

    /// @return user n's prices as a newcomer on server m (a candidate pair)
    const Newcomer& GetNewcomer(uint32_t n, uint32_t m);

    /// @return lower bound of server m's cost after its member index j leaves (and nIn
    /// arrives, if >= 0)
    double Bound(uint32_t m, uint32_t j, int nIn);

    /// Sets out to the cheaper allowed variant; @return whether one is allowed
    static bool Pick(Reset& out, double prop, bool propOk, double eq, bool eqOk);

    /// Prices server m when its member index j leaves (no one arrives).
    bool PriceLeave(uint32_t m, uint32_t j, Reset& out);

    /// Prices server m when user nIn arrives (no one leaves).
    bool PriceArrive(uint32_t m, uint32_t nIn, Reset& out);

    /// Prices server m when its member index j leaves and user nIn arrives.
    bool PriceSwap(uint32_t m, uint32_t j, uint32_t nIn, Reset& out);

    /// Sets server m's shares per the reset (leaver removed, newcomer added; -1: none) and
    /// re-prices its users.
    void Commit(uint32_t m, int leaver, int newcomer, const Reset& rs);

    /// @return whether a change of the objective by delta is an improvement
    bool Improves(double delta) const
    {
        return m_obj + delta < m_obj - 1e-12 * std::abs(m_obj);
    }

    /**
     * Commits the change priced in m_ra (server m1) and m_rb (server m2) if it improves the
     * objective (leaver/newcomer: users, -1: none).
     * @return whether it was committed
     */
    bool CommitIfImproves(uint32_t m1,
                          int leaver1,
                          int newcomer1,
                          uint32_t m2,
                          int leaver2,
                          int newcomer2);

    /// @return whether a change between m1 and m2 was already evaluated after their last change
    bool Fresh(int64_t checked, uint32_t m1, uint32_t m2) const
    {
        return checked >= 0 && m_changed[m1] <= checked && m_changed[m2] <= checked;
    }

    /// Tries user n's moves onto its candidates; @return whether one was accepted
    bool TryMoves(uint32_t n);

    /// Tries swaps of user n1 with the users of its candidates; @return whether one was
    /// accepted
    bool TrySwaps(uint32_t n1);

    const SplitCostModel& m_model;                //!< cost model
    const RoundState& m_s;                        //!< the round
    const std::vector<double>& m_feCap;           //!< GPU share caps per server
    Allocation& m_a;                              //!< the allocation being improved
    std::vector<uint32_t>& m_server;              //!< the association being improved
    const std::vector<char>& m_cand;              //!< candidate pairs, n * M + m
    const uint32_t m_N;                           //!< users
    const uint32_t m_M;                           //!< servers
    const double m_rmin;                          //!< r_min, bit/s
    const double m_rTol;                          //!< r_min less its tolerance
    std::vector<std::vector<uint32_t>> m_members; //!< users of each server
    std::vector<uint32_t> m_pos;                  //!< index of each user in its server's list
    std::vector<CostTerms> m_base;                //!< server-independent terms of each user
    std::vector<char> m_offloads;                 //!< the user offloads layers
    std::vector<double> m_cost;                   //!< current cost of each user
    std::vector<double> m_rate;                   //!< current uplink rate of each user
    std::vector<Table> m_tab;                     //!< per-server tables
    CandidateLists m_cands;                       //!< candidate servers as lists
    std::vector<Newcomer> m_arrivals;             //!< newcomer prices per candidate pair
    // Don't-look bookkeeping: a change's price depends only on its two servers, so a change
    // evaluated (and rejected) at epoch e need not be re-tried while neither server changed
    // after e. m_changed[m]: epoch of m's last change; m_checked*: epoch of the last complete
    // evaluation of a user's moves / swaps (-1: none or interrupted by an accepted change).
    int64_t m_epoch{0};                 //!< accepted changes so far (the clock)
    std::vector<int64_t> m_changed;     //!< epoch of each server's last change
    std::vector<int64_t> m_checkedMove; //!< epoch of each user's last complete move check
    std::vector<int64_t> m_checkedSwap; //!< epoch of each user's last complete swap check
    double m_obj{0};                    //!< current objective
    uint32_t m_accepted{0};             //!< accepted changes
    Reset m_ra;                         //!< scratch: the first server's reset
    Reset m_rb;                         //!< scratch: the second server's reset
    std::vector<uint32_t> m_others;     //!< scratch: a server's users (swaps change the list)
};

SeparableSearcher::SeparableSearcher(const SplitCostModel& model,
                                     const std::vector<double>& feCap,
                                     Allocation& a,
                                     std::vector<uint32_t>& server,
                                     const std::vector<char>& cand)
    : m_model(model),
      m_s(model.GetState()),
      m_feCap(feCap),
      m_a(a),
      m_server(server),
      m_cand(cand),
      m_N(m_s.NumUsers()),
      m_M(m_s.NumServers()),
      m_rmin(m_s.objective.minRateBps),
      m_rTol(m_rmin * (1 - 1e-9)),
      m_members(m_M),
      m_pos(m_N, 0),
      m_base(m_N),
      m_offloads(m_N, 0),
      m_cost(m_N),
      m_rate(m_N),
      m_tab(m_M),
      m_cands(cand, m_N, m_M),
      m_arrivals(m_cands.off[m_N]),
      m_changed(m_M, 0),
      m_checkedMove(m_N, -1),
      m_checkedSwap(m_N, -1)
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        m_pos[n] = static_cast<uint32_t>(m_members[server[n]].size());
        m_members[server[n]].push_back(n);
    }
    for (uint32_t n = 0; n < m_N; ++n)
    {
        const UserAllocation& u = a.users[n];
        m_base[n] = m_model.UserTerms(n,
                                      UserAllocation::kNoServer,
                                      u.alpha,
                                      u.powerW,
                                      u.bandwidthHz,
                                      u.freqHz,
                                      u.edgeFreqHz);
        m_offloads[n] = m_s.layers - static_cast<double>(u.alpha) > 0;
    }
    for (uint32_t n = 0; n < m_N; ++n)
    {
        m_cost[n] = Price(n, server[n], a.users[n].bandwidthHz, a.users[n].edgeFreqHz, m_rate[n]);
    }
    m_obj = std::accumulate(m_cost.begin(), m_cost.end(), 0.0);
}

double
SeparableSearcher::Price(uint32_t n, uint32_t m, double band, double freq, double& rate) const
{
    const ObjectiveSettings& o = m_s.objective;
    const UserAllocation& u = m_a.users[n];
    CostTerms t = m_base[n];
    if (m_offloads[n])
    {
        const double r =
            m_model.OffloadTerms(n, m, u.alpha, u.powerW, band, std::min(freq, m_feCap[m]), t);
        rate = m_rmin > 0 ? r : 0.0;
    }
    else
    {
        rate = m_rmin > 0 ? m_model.UplinkRateBps(n, m, u.powerW, band) : 0.0;
    }
    return o.wTime * m_model.ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
           o.wStability * t.stability;
}

SeparableSearcher::Table&
SeparableSearcher::GetTable(uint32_t m)
{
    Table& t = m_tab[m];
    if (!t.valid)
    {
        BuildTable(m, t);
    }
    return t;
}

void
SeparableSearcher::BuildTable(uint32_t m, Table& t)
{
    const auto& L = m_members[m];
    const size_t k = L.size();
    const double kd = static_cast<double>(k);
    const double B = m_s.servers[m].bandwidthHz;
    const double F = m_s.servers[m].fMaxHz;
    t.valid = true;
    t.sumB = t.sumF = t.cur = t.inProp = t.inEq = t.less = t.same = 0;
    t.upMove = t.upSwap = 0;
    t.inPropOk = t.inEqOk = true;
    t.lessBreaks = t.sameBreaks = 0;
    double maxB = 0;
    double maxF = 0;
    for (uint32_t n : L)
    {
        t.sumB += m_a.users[n].bandwidthHz;
        t.sumF += m_a.users[n].edgeFreqHz;
        maxB = std::max(maxB, m_a.users[n].bandwidthHz);
        maxF = std::max(maxF, m_a.users[n].edgeFreqHz);
        t.cur += m_cost[n];
    }
    const double kUnset = std::numeric_limits<double>::quiet_NaN();
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
        const double b = m_a.users[n].bandwidthHz;
        const double f = m_a.users[n].edgeFreqHz;
        t.inProp += Price(n, m, b * inB, f * inF, r);
        t.inPropOk = t.inPropOk && !Breaks(n, r);
        t.inEq += Price(n, m, newB, newF, r);
        t.inEqOk = t.inEqOk && !Breaks(n, r);
        t.sameI[i] = Price(n, m, B / kd, F / kd, r);
        t.sameBreak[i] = Breaks(n, r);
        t.same += t.sameI[i];
        t.sameBreaks += t.sameBreak[i];
        t.upSwapI[i] = Price(n, m, b * swB, f * swF, r);
        t.upSwap += t.upSwapI[i];
        if (k > 1)
        {
            t.lessI[i] = Price(n, m, B / (kd - 1), F / (kd - 1), r);
            t.lessBreak[i] = Breaks(n, r);
            t.less += t.lessI[i];
            t.lessBreaks += t.lessBreak[i];
            t.upMoveI[i] = Price(n, m, b * upB, f * upF, r);
            t.upMove += t.upMoveI[i];
        }
    }
}

SeparableSearcher::Table&
SeparableSearcher::PropAfter(uint32_t m, uint32_t j, bool withNewcomer)
{
    Table& t = GetTable(m);
    std::vector<double>& v = withNewcomer ? t.swapProp : t.outProp;
    std::vector<char>& ok = withNewcomer ? t.swapPropOk : t.outPropOk;
    if (!std::isnan(v[j]))
    {
        return t;
    }
    const auto& L = m_members[m];
    const double kd = static_cast<double>(L.size());
    const double B = m_s.servers[m].bandwidthHz;
    const double F = m_s.servers[m].fMaxHz;
    const double extraB = withNewcomer ? B / (kd + 1) : 0.0;
    const double extraF = withNewcomer ? F / (kd + 1) : 0.0;
    const double sB = B / (t.sumB - m_a.users[L[j]].bandwidthHz + extraB);
    const double sF = F / (t.sumF - m_a.users[L[j]].edgeFreqHz + extraF);
    double sum = 0;
    double r = 0;
    for (size_t i = 0; i < L.size(); ++i)
    {
        if (i == j)
        {
            continue;
        }
        const uint32_t n = L[i];
        sum += Price(n, m, m_a.users[n].bandwidthHz * sB, m_a.users[n].edgeFreqHz * sF, r);
        ok[j] = ok[j] && !Breaks(n, r);
    }
    v[j] = sum;
    return t;
}

const SeparableSearcher::Newcomer&
SeparableSearcher::GetNewcomer(uint32_t n, uint32_t m)
{
    // (n, m) is always a candidate pair: moves and swaps only land on candidates
    Newcomer& c = m_arrivals[m_cands.Slot(n, m)];
    if (c.stamp != m_changed[m])
    {
        const Table& t = GetTable(m);
        const double kd = static_cast<double>(m_members[m].size());
        const double B = m_s.servers[m].bandwidthHz;
        const double F = m_s.servers[m].fMaxHz;
        const double newB = B / (kd + 1);
        const double newF = F / (kd + 1);
        c.moveProp =
            Price(n, m, newB * (B / (t.sumB + newB)), newF * (F / (t.sumF + newF)), c.movePropRate);
        c.moveEq = Price(n, m, newB, newF, c.moveEqRate);
        if (kd > 0)
        {
            double r = 0;
            c.swapEq = Price(n, m, B / kd, F / kd, c.swapEqRate);
            c.swapPropLb = Price(n, m, t.swapLbB, t.swapLbF, r);
        }
        c.stamp = m_changed[m];
    }
    return c;
}

double
SeparableSearcher::Bound(uint32_t m, uint32_t j, int nIn)
{
    const Table& t = GetTable(m);
    if (nIn < 0)
    {
        if (m_members[m].size() == 1)
        {
            return 0.0;
        }
        return std::min(t.less - t.lessI[j], t.upMove - t.upMoveI[j]);
    }
    const Newcomer& c = GetNewcomer(static_cast<uint32_t>(nIn), m);
    return std::min(t.same - t.sameI[j] + c.swapEq, t.upSwap - t.upSwapI[j] + c.swapPropLb);
}

bool
SeparableSearcher::Pick(Reset& out, double prop, bool propOk, double eq, bool eqOk)
{
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
}

bool
SeparableSearcher::PriceLeave(uint32_t m, uint32_t j, Reset& out)
{
    const double B = m_s.servers[m].bandwidthHz;
    const double F = m_s.servers[m].fMaxHz;
    const size_t k = m_members[m].size();
    if (k == 1)
    {
        out.variant = 2;
        out.cost = 0;
        return true;
    }
    const double kd = static_cast<double>(k);
    Table& t = PropAfter(m, j, false);
    const uint32_t n = m_members[m][j];
    out.sB = B / (t.sumB - m_a.users[n].bandwidthHz);
    out.sF = F / (t.sumF - m_a.users[n].edgeFreqHz);
    out.eqB = B / (kd - 1);
    out.eqF = F / (kd - 1);
    return Pick(out,
                t.outProp[j],
                t.outPropOk[j],
                t.less - t.lessI[j],
                t.lessBreaks - t.lessBreak[j] == 0);
}

bool
SeparableSearcher::PriceArrive(uint32_t m, uint32_t nIn, Reset& out)
{
    const double B = m_s.servers[m].bandwidthHz;
    const double F = m_s.servers[m].fMaxHz;
    const double kd = static_cast<double>(m_members[m].size());
    const Table& t = GetTable(m);
    const Newcomer& c = GetNewcomer(nIn, m);
    out.newB = B / (kd + 1);
    out.newF = F / (kd + 1);
    out.sB = B / (t.sumB + out.newB);
    out.sF = F / (t.sumF + out.newF);
    out.eqB = B / (kd + 1);
    out.eqF = F / (kd + 1);
    return Pick(out,
                t.inProp + c.moveProp,
                t.inPropOk && !Breaks(nIn, c.movePropRate),
                t.inEq + c.moveEq,
                t.inEqOk && !Breaks(nIn, c.moveEqRate));
}

bool
SeparableSearcher::PriceSwap(uint32_t m, uint32_t j, uint32_t nIn, Reset& out)
{
    const double B = m_s.servers[m].bandwidthHz;
    const double F = m_s.servers[m].fMaxHz;
    const double kd = static_cast<double>(m_members[m].size());
    Table& t = PropAfter(m, j, true);
    const Newcomer& c = GetNewcomer(nIn, m);
    const uint32_t nOut = m_members[m][j];
    out.newB = B / (kd + 1);
    out.newF = F / (kd + 1);
    out.sB = B / (t.sumB - m_a.users[nOut].bandwidthHz + out.newB);
    out.sF = F / (t.sumF - m_a.users[nOut].edgeFreqHz + out.newF);
    out.eqB = B / kd;
    out.eqF = F / kd;
    double r = 0;
    const double cp = Price(nIn, m, out.newB * out.sB, out.newF * out.sF, r);
    const bool okP = t.swapPropOk[j] && !Breaks(nIn, r);
    const bool okE = t.sameBreaks - t.sameBreak[j] == 0 && !Breaks(nIn, c.swapEqRate);
    return Pick(out, t.swapProp[j] + cp, okP, t.same - t.sameI[j] + c.swapEq, okE);
}

void
SeparableSearcher::Commit(uint32_t m, int leaver, int newcomer, const Reset& rs)
{
    auto& L = m_members[m];
    if (leaver >= 0)
    {
        L.erase(std::find(L.begin(), L.end(), static_cast<uint32_t>(leaver)));
    }
    const size_t stayers = L.size();
    if (newcomer >= 0)
    {
        L.push_back(static_cast<uint32_t>(newcomer));
        m_server[newcomer] = m;
        m_a.users[newcomer].server = m;
    }
    for (size_t i = 0; i < L.size(); ++i)
    {
        UserAllocation& u = m_a.users[L[i]];
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
        m_pos[L[i]] = static_cast<uint32_t>(i);
    }
    for (uint32_t n : L)
    {
        double r = 0;
        m_cost[n] = Price(n, m, m_a.users[n].bandwidthHz, m_a.users[n].edgeFreqHz, r);
        m_rate[n] = r;
    }
    m_tab[m].valid = false;
}

bool
SeparableSearcher::CommitIfImproves(uint32_t m1,
                                    int leaver1,
                                    int newcomer1,
                                    uint32_t m2,
                                    int leaver2,
                                    int newcomer2)
{
    const double delta = m_ra.cost + m_rb.cost - GetTable(m1).cur - GetTable(m2).cur;
    if (!Improves(delta))
    {
        return false;
    }
    Commit(m1, leaver1, newcomer1, m_ra);
    Commit(m2, leaver2, newcomer2, m_rb);
    m_changed[m1] = m_changed[m2] = ++m_epoch;
    m_obj += delta;
    ++m_accepted;
    return true;
}

bool
SeparableSearcher::TryMoves(uint32_t n)
{
    bool improved = false;
    const int64_t start = m_epoch;
    for (uint32_t m : m_cands.Of(n))
    {
        const uint32_t from = m_server[n];
        if (m == from || Fresh(m_checkedMove[n], from, m))
        {
            continue;
        }
        // the arrival side is cheap (cached); bound the departure side first
        if (!PriceArrive(m, n, m_rb))
        {
            continue;
        }
        const double lb =
            Bound(from, m_pos[n], -1) + m_rb.cost - GetTable(from).cur - GetTable(m).cur;
        if (!Improves(lb) || !PriceLeave(from, m_pos[n], m_ra))
        {
            continue;
        }
        improved =
            CommitIfImproves(from, static_cast<int>(n), -1, m, -1, static_cast<int>(n)) || improved;
    }
    m_checkedMove[n] = (m_epoch == start) ? m_epoch : -1;
    return improved;
}

bool
SeparableSearcher::TrySwaps(uint32_t n1)
{
    bool improved = false;
    const int64_t start = m_epoch;
    for (uint32_t m2 : m_cands.Of(n1))
    {
        if (m2 == m_server[n1])
        {
            continue;
        }
        m_others = m_members[m2]; // copy: swaps change the list
        for (uint32_t n2 : m_others)
        {
            const uint32_t m1 = m_server[n1];
            if (n2 <= n1 || m_server[n2] != m2 || m1 == m2 ||
                !m_cand[static_cast<size_t>(n2) * m_M + m1] || Fresh(m_checkedSwap[n1], m1, m2))
            {
                continue;
            }
            const double lb = Bound(m1, m_pos[n1], static_cast<int>(n2)) +
                              Bound(m2, m_pos[n2], static_cast<int>(n1)) - GetTable(m1).cur -
                              GetTable(m2).cur;
            if (!Improves(lb))
            {
                continue;
            }
            if (!PriceSwap(m1, m_pos[n1], n2, m_ra) || !PriceSwap(m2, m_pos[n2], n1, m_rb))
            {
                continue;
            }
            improved = CommitIfImproves(m1,
                                        static_cast<int>(n1),
                                        static_cast<int>(n2),
                                        m2,
                                        static_cast<int>(n2),
                                        static_cast<int>(n1)) ||
                       improved;
        }
    }
    m_checkedSwap[n1] = (m_epoch == start) ? m_epoch : -1;
    return improved;
}

uint32_t
SeparableSearcher::Run(uint32_t maxPasses)
{
    for (uint32_t pass = 0; pass < maxPasses; ++pass)
    {
        bool improved = false;
        for (uint32_t n = 0; n < m_N; ++n)
        {
            improved = TryMoves(n) || improved;
        }
        if (!improved)
        {
            for (uint32_t n1 = 0; n1 < m_N; ++n1)
            {
                improved = TrySwaps(n1) || improved;
            }
        }
        if (!improved)
        {
            break;
        }
    }
    return m_accepted;
}

} // namespace

uint32_t
AssociationSolver::SeparableSearch(Allocation& a,
                                   std::vector<uint32_t>& server,
                                   const std::vector<char>& cand,
                                   uint32_t maxPasses) const
{
    SeparableSearcher search(m_model, EdgeFrequencyCaps(), a, server, cand);
    return search.Run(maxPasses);
}

} // namespace ns3
