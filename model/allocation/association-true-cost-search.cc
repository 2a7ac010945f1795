/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AssociationSolver::TrueCostSearch: moves and swaps of users between servers priced by the
// true objective after the shares are reset (see the class documentation and
// doc/edge-llm.rst, "Allocators"). The SUM aggregate goes to the cached search in
// association-separable-search.cc; this file holds the general search the MAKESPAN aggregate
// uses (the max is not separable). Each trial takes the same decision as pricing every user of
// the affected servers would, faster: a server's stayers under a change that removes and/or
// adds one user are priced once per server state (StayerTable: their cost sum in the same
// order, r_min test, largest delay, change of the other terms), the movers' own pricings are
// remembered per user, the sum of the other terms changes by differences, and the max over the
// unaffected servers comes from the few servers with the largest delays. A trial is then O(1)
// plus two pricings, and a trial whose stayers alone show it cannot improve skips those.
#include "association-slot-costs.h"

#include "ns3/assert.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace ns3
{

namespace
{

/// @return the bits of x
uint64_t
Bits(double x)
{
    uint64_t b = 0;
    std::memcpy(&b, &x, sizeof(double));
    return b;
}

/**
 * The MAKESPAN-aggregate search on one allocation: alpha, p and f stay fixed; single moves,
 * then (when no move helps) pairwise swaps, each accepted when the whole objective improves.
 */
class MakespanSearcher
{
  public:
    /**
     * @param model cost model of the round
     * @param feCap AssociationSolver::EdgeFrequencyCaps
     * @param a Apply(current, server)
     * @param server starting association
     * @param cand candidate pairs (AssociationSolver::Candidates)
     */
    MakespanSearcher(const SplitCostModel& model,
                     const std::vector<double>& feCap,
                     Allocation a,
                     std::vector<uint32_t> server,
                     const std::vector<char>& cand);

    /**
     * @param maxPasses passes over all moves (and swaps when no move helps)
     * @return accepted changes
     */
    uint32_t Run(uint32_t maxPasses);

    /** @return the association reached */
    const std::vector<uint32_t>& Server() const
    {
        return m_server;
    }

  private:
    /**
     * Prices user n with the given (server, proportional) shares; it runs at min(share, B's
     * minimiser), as Apply does.
     * @param d receives its objective delay
     * @param r receives its weighted energy and stability
     * @param rt receives its uplink rate (0 without r_min)
     */
    void Terms(uint32_t n, const UserAllocation& share, double& d, double& r, double& rt) const;

    /// Terms through the user's remembered pricings (the same numbers, bit for bit).
    void Price(uint32_t n, const UserAllocation& share, double& d, double& r, double& rt);

    /// Recomputes server m's largest delay from its members.
    void RefreshServerMax(uint32_t m);

    /// Ranks the kTopServers servers with the largest delays; sets the makespan and objective.
    void RankServers();

    /// @return the largest delay on the servers outside affected (0 if none)
    double MaxOutside(const std::vector<uint32_t>& affected) const;

    /// @return the servers the movers leave or join, in order of first appearance
    std::vector<uint32_t> Affected(const std::vector<uint32_t>& movers,
                                   const std::vector<uint32_t>& dest) const;

    /**
     * Re-sets server m's shares after the change two ways, proportional (the movers get the
     * equal share of one more user, then all are scaled to the capacities) and equal, and
     * appends the cheaper one that keeps r_min to the trial.
     * @return false if neither keeps every user's r_min
     */
    bool PriceServer(uint32_t m,
                     const std::vector<uint32_t>& movers,
                     const std::vector<uint32_t>& dest);

    /**
     * Fills m_variant with server m's users now, the first stayers of them staying, after a
     * change: proportional (0) and equal (1) shares, as PriceServer prices them.
     */
    void BuildVariants(uint32_t m, const std::vector<uint32_t>& now, size_t stayers);

    /// What a change that removes at most one member of a server and adds at most one user
    /// does to the server's stayers, per variant (proportional, equal), and the newcomer's
    /// shares.
    struct StayerTable
    {
        bool valid{false};            //!< whether built for the server's current members
        double cost[2]{0.0, 0.0};     //!< sum of w_t d + r over the stayers, PriceServer's order
        bool breaks[2]{false, false}; //!< whether a stayer that meets r_min would lose it
        double maxD[2]{0.0, 0.0};     //!< largest stayer delay (0 without stayers)
        double rest[2]{0.0, 0.0};     //!< sum over the stayers of r - m_rest, in their order
        double joinB[2]{0.0, 0.0};    //!< a newcomer's bandwidth share
        double joinF[2]{0.0, 0.0};    //!< a newcomer's GPU share
    };

    /**
     * @param m server
     * @param leaver position in m_members[m] of the member that leaves (-1: none)
     * @param joins 1 if a user arrives, else 0
     * @return the table of that change (built on first use after m last changed)
     */
    const StayerTable& Table(uint32_t m, int leaver, uint32_t joins);

    /**
     * TrialChange of a change without building the trial (PriceServer's choice from the
     * stayer tables, the movers priced alone); sets m_trialMax and m_trialRest.
     * @param change receives the change of the objective
     * @return 1 done, 0 the change does not fit the tables (more than one mover leaves or
     *         joins a server), -1 a server breaks r_min in both variants
     */
    int QuickChange(const std::vector<uint32_t>& movers,
                    const std::vector<uint32_t>& dest,
                    const std::vector<uint32_t>& affected,
                    double& change);

    /**
     * A lower bound of a change's objective change from its stayers alone.
     * @param affected the servers of the change
     * @param sides each one's leaver, newcomer and StayerTable
     * @return true if the change cannot pass TryChange's acceptance test
     */
    template <class Side>
    bool StayersCannotImprove(const std::vector<uint32_t>& affected, const Side* sides) const;

    /**
     * Sets m_trialMax and m_trialRest to the makespan and the change of the other terms with
     * the trial's users in place.
     * @param affected the servers the trial re-priced
     * @return the change of the objective
     */
    double TrialChange(const std::vector<uint32_t>& affected);

    /// Applies the trial and moves the movers to dest.
    void Accept(const std::vector<uint32_t>& movers,
                const std::vector<uint32_t>& dest,
                const std::vector<uint32_t>& affected);

    /// Tries moving the users in movers to dest; @return true if applied (an improvement)
    bool TryChange(const std::vector<uint32_t>& movers, const std::vector<uint32_t>& dest);

    /// @return whether a pass of single moves improved
    bool MovePass();

    /// @return whether a pass of pairwise swaps improved
    bool SwapPass();

    const SplitCostModel& m_model;                //!< cost model
    const RoundState& m_s;                        //!< the round
    const ObjectiveSettings& m_o;                 //!< its objective
    const std::vector<double>& m_feCap;           //!< GPU share caps per server
    const std::vector<char>& m_cand;              //!< candidate pairs, n * M + m
    const uint32_t m_N;                           //!< users
    const uint32_t m_M;                           //!< servers
    const double m_rmin;                          //!< r_min, bit/s
    Allocation m_a;                               //!< the allocation being improved
    std::vector<uint32_t> m_server;               //!< the association being improved
    std::vector<std::vector<uint32_t>> m_members; //!< users of each server
    std::vector<double> m_delay;                  //!< each user's objective delay
    std::vector<double> m_rest;                   //!< each user's energy and stability terms
    std::vector<double> m_rate;                   //!< each user's uplink rate
    std::vector<double> m_serverMax;              //!< largest delay of each server's users
    std::vector<uint32_t> m_top;                  //!< servers with the largest m_serverMax
    double m_max{0};                              //!< makespan (largest delay, at least 0)
    double m_restSum{0};                          //!< sum of m_rest
    double m_obj{0};                              //!< current objective
    uint32_t m_accepted{0};                       //!< accepted changes

    /// One remembered pricing of a user: its server and shares (alpha, p and f stay those of
    /// m_a during the search) and what Terms gave for them.
    struct Priced
    {
        uint32_t server{UserAllocation::kNoServer}; //!< server priced (kNoServer: empty slot)
        uint64_t bandBits{0};                       //!< bits of its bandwidth share
        uint64_t freqBits{0};                       //!< bits of its GPU share
        double d{0};                                //!< its objective delay
        double r{0};                                //!< its energy and stability terms
        double rt{0};                               //!< its uplink rate
    };

    /// Remembered pricings per user, a direct-mapped table hashed by server and shares (a mover
    /// is priced on the same server with the same shares in several trials and passes).
    static constexpr uint32_t kMemoBits = 4;
    /// Servers ranked by their largest delay: more than a change (two movers) affects.
    static constexpr uint32_t kTopServers = 5;
    std::vector<Priced> m_memo; //!< 2^kMemoBits slots per user
    /// Per server, the StayerTable of each (leaver + 1) * 2 + joins; emptied when it changes.
    std::vector<std::vector<StayerTable>> m_tables;
    std::vector<uint32_t> m_pos; //!< each user's position in m_members of its server

    // Scratch state of a trial change.
    double m_trialMax{0};                     //!< makespan with the trial in place
    double m_trialRest{0};                    //!< change of m_restSum with the trial in place
    std::vector<UserAllocation> m_tUsers;     //!< the trial's users' decisions
    std::vector<uint32_t> m_touched;          //!< the trial's users
    std::vector<double> m_nDelay;             //!< their delays
    std::vector<double> m_nRest;              //!< their rest
    std::vector<double> m_nRate;              //!< their rates
    std::vector<UserAllocation> m_variant[2]; //!< a server's users, proportional and equal
    std::vector<double> m_vd[2];              //!< their delays
    std::vector<double> m_vr[2];              //!< their rest
    std::vector<double> m_vrt[2];             //!< their rates
};

MakespanSearcher::MakespanSearcher(const SplitCostModel& model,
                                   const std::vector<double>& feCap,
                                   Allocation a,
                                   std::vector<uint32_t> server,
                                   const std::vector<char>& cand)
    : m_model(model),
      m_s(model.GetState()),
      m_o(m_s.objective),
      m_feCap(feCap),
      m_cand(cand),
      m_N(m_s.NumUsers()),
      m_M(m_s.NumServers()),
      m_rmin(m_o.minRateBps),
      m_a(std::move(a)),
      m_server(std::move(server)),
      m_members(m_M),
      m_delay(m_N),
      m_rest(m_N),
      m_rate(m_N),
      m_serverMax(m_M, 0.0),
      m_memo(static_cast<size_t>(m_N) << kMemoBits),
      m_tables(m_M),
      m_pos(m_N)
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        m_pos[n] = static_cast<uint32_t>(m_members[m_server[n]].size());
        m_members[m_server[n]].push_back(n);
    }
    for (uint32_t n = 0; n < m_N; ++n)
    {
        Terms(n, m_a.users[n], m_delay[n], m_rest[n], m_rate[n]);
        m_restSum += m_rest[n];
    }
    for (uint32_t m = 0; m < m_M; ++m)
    {
        RefreshServerMax(m);
    }
    RankServers();
}

void
MakespanSearcher::Terms(uint32_t n, const UserAllocation& share, double& d, double& r, double& rt)
    const
{
    UserAllocation u = share;
    u.edgeFreqHz = std::min(u.edgeFreqHz, m_feCap[u.server]);
    const CostTerms t = m_model.UserTerms(n, u);
    d = m_model.ObjectiveDelayS(n, t);
    r = m_o.wEnergy * t.TotalEnergyJ() + m_o.wStability * t.stability;
    rt = m_rmin > 0 ? m_model.UplinkRateBps(n, u.server, u.powerW, u.bandwidthHz) : 0.0;
}

void
MakespanSearcher::Price(uint32_t n, const UserAllocation& share, double& d, double& r, double& rt)
{
    const uint64_t band = Bits(share.bandwidthHz);
    const uint64_t freq = Bits(share.edgeFreqHz);
    const uint64_t hash =
        (band * 0x9E3779B97F4A7C15ULL) ^ (freq * 0xC2B2AE3D27D4EB4FULL) ^ (share.server + 1ULL);
    Priced& slot = m_memo[(static_cast<size_t>(n) << kMemoBits) + (hash >> (64 - kMemoBits))];
    NS_ASSERT(share.alpha == m_a.users[n].alpha && share.powerW == m_a.users[n].powerW &&
              share.freqHz == m_a.users[n].freqHz);
    if (slot.server == share.server && slot.bandBits == band && slot.freqBits == freq)
    {
        d = slot.d;
        r = slot.r;
        rt = slot.rt;
        return;
    }
    Terms(n, share, d, r, rt);
    slot = Priced{share.server, band, freq, d, r, rt};
}

void
MakespanSearcher::RefreshServerMax(uint32_t m)
{
    double largest = 0;
    for (uint32_t n : m_members[m])
    {
        largest = std::max(largest, m_delay[n]);
    }
    m_serverMax[m] = largest;
}

void
MakespanSearcher::RankServers()
{
    m_top.clear();
    for (uint32_t m = 0; m < m_M; ++m)
    {
        auto at = std::find_if(m_top.begin(), m_top.end(), [&](uint32_t other) {
            return m_serverMax[m] > m_serverMax[other];
        });
        if (at != m_top.end() || m_top.size() < kTopServers)
        {
            m_top.insert(at, m);
            if (m_top.size() > kTopServers)
            {
                m_top.pop_back();
            }
        }
    }
    m_max = m_top.empty() ? 0.0 : m_serverMax[m_top.front()];
    m_obj = m_o.wTime * m_max + m_restSum;
}

double
MakespanSearcher::MaxOutside(const std::vector<uint32_t>& affected) const
{
    NS_ASSERT(affected.size() < kTopServers);
    for (uint32_t m : m_top)
    {
        if (std::find(affected.begin(), affected.end(), m) == affected.end())
        {
            return m_serverMax[m];
        }
    }
    return 0.0;
}

std::vector<uint32_t>
MakespanSearcher::Affected(const std::vector<uint32_t>& movers,
                           const std::vector<uint32_t>& dest) const
{
    std::vector<uint32_t> affected;
    for (size_t i = 0; i < movers.size(); ++i)
    {
        for (uint32_t m : {m_server[movers[i]], dest[i]})
        {
            if (std::find(affected.begin(), affected.end(), m) == affected.end())
            {
                affected.push_back(m);
            }
        }
    }
    return affected;
}

bool
MakespanSearcher::PriceServer(uint32_t m,
                              const std::vector<uint32_t>& movers,
                              const std::vector<uint32_t>& dest)
{
    std::vector<uint32_t> now;
    for (uint32_t n : m_members[m])
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
        return true;
    }
    BuildVariants(m, now, stayers);
    int chosen = -1;
    double chosenCost = std::numeric_limits<double>::infinity();
    for (int v = 0; v < 2; ++v)
    {
        m_vd[v].resize(now.size());
        m_vr[v].resize(now.size());
        m_vrt[v].resize(now.size());
        double cost = 0;
        bool breaks = false;
        for (size_t i = 0; i < now.size(); ++i)
        {
            const uint32_t n = now[i];
            Price(n, m_variant[v][i], m_vd[v][i], m_vr[v][i], m_vrt[v][i]);
            cost += m_o.wTime * m_vd[v][i] + m_vr[v][i];
            // a user that meets r_min now must keep meeting it (a mover: if it met it on its
            // old server)
            breaks = breaks || (m_rmin > 0 && m_vrt[v][i] < m_rmin * (1 - 1e-9) &&
                                m_rate[n] >= m_rmin * (1 - 1e-9));
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
        m_tUsers.push_back(m_variant[chosen][i]);
        m_touched.push_back(now[i]);
        m_nDelay.push_back(m_vd[chosen][i]);
        m_nRest.push_back(m_vr[chosen][i]);
        m_nRate.push_back(m_vrt[chosen][i]);
    }
    return true;
}

void
MakespanSearcher::BuildVariants(uint32_t m, const std::vector<uint32_t>& now, size_t stayers)
{
    const double bCap = m_s.servers[m].bandwidthHz;
    const double fCap = m_s.servers[m].fMaxHz;
    const double count = static_cast<double>(m_members[m].size()) + 1.0;
    const double k = static_cast<double>(now.size());
    double band = 0;
    double freq = 0;
    for (int v = 0; v < 2; ++v)
    {
        m_variant[v].clear();
    }
    for (size_t i = 0; i < now.size(); ++i)
    {
        UserAllocation u = m_a.users[now[i]];
        u.server = m;
        if (i >= stayers)
        {
            u.bandwidthHz = bCap / count;
            u.edgeFreqHz = fCap / count;
        }
        band += u.bandwidthHz;
        freq += u.edgeFreqHz;
        m_variant[0].push_back(u);
        u.bandwidthHz = bCap / k;
        u.edgeFreqHz = fCap / k;
        m_variant[1].push_back(u);
    }
    for (auto& u : m_variant[0])
    {
        u.bandwidthHz *= bCap / band;
        u.edgeFreqHz *= fCap / freq;
    }
}

const MakespanSearcher::StayerTable&
MakespanSearcher::Table(uint32_t m, int leaver, uint32_t joins)
{
    const std::vector<uint32_t>& members = m_members[m];
    std::vector<StayerTable>& tables = m_tables[m];
    if (tables.empty())
    {
        tables.resize((members.size() + 1) * 2);
    }
    StayerTable& t = tables[static_cast<size_t>(leaver + 1) * 2 + joins];
    if (t.valid)
    {
        return t;
    }
    std::vector<uint32_t> now;
    for (size_t i = 0; i < members.size(); ++i)
    {
        if (static_cast<int>(i) != leaver)
        {
            now.push_back(members[i]);
        }
    }
    const size_t stayers = now.size();
    if (joins > 0)
    {
        // a newcomer's shares do not depend on who it is
        now.push_back(members.empty() ? 0 : members.front());
    }
    t.valid = true;
    if (now.empty())
    {
        return t;
    }
    BuildVariants(m, now, stayers);
    const double rmin = m_rmin * (1 - 1e-9);
    for (int v = 0; v < 2; ++v)
    {
        for (size_t i = 0; i < stayers; ++i)
        {
            double d = 0;
            double r = 0;
            double rt = 0;
            Terms(now[i], m_variant[v][i], d, r, rt);
            t.cost[v] += m_o.wTime * d + r;
            t.breaks[v] = t.breaks[v] || (m_rmin > 0 && rt < rmin && m_rate[now[i]] >= rmin);
            t.maxD[v] = std::max(t.maxD[v], d);
            t.rest[v] += r - m_rest[now[i]];
        }
        t.joinB[v] = m_variant[v].back().bandwidthHz;
        t.joinF[v] = m_variant[v].back().edgeFreqHz;
    }
    return t;
}

int
MakespanSearcher::QuickChange(const std::vector<uint32_t>& movers,
                              const std::vector<uint32_t>& dest,
                              const std::vector<uint32_t>& affected,
                              double& change)
{
    // each affected server's side of the change
    struct Side
    {
        int leaver{-1};                    //!< position of the member that leaves
        uint32_t joins{0};                 //!< 1 if a mover arrives
        uint32_t joiner{0};                //!< that mover
        const StayerTable* table{nullptr}; //!< the stayers' terms
    };

    Side sides[kTopServers];
    NS_ASSERT(affected.size() < kTopServers);
    for (size_t a = 0; a < affected.size(); ++a)
    {
        const uint32_t m = affected[a];
        Side& side = sides[a];
        uint32_t leavers = 0;
        for (size_t i = 0; i < movers.size(); ++i)
        {
            if (m_server[movers[i]] == m)
            {
                ++leavers;
                side.leaver = static_cast<int>(m_pos[movers[i]]);
            }
            if (dest[i] == m)
            {
                ++side.joins;
                side.joiner = movers[i];
            }
        }
        if (leavers > 1 || side.joins > 1)
        {
            return 0;
        }
        side.table = &Table(m, side.leaver, side.joins);
    }
    if (StayersCannotImprove(affected, sides))
    {
        return -1;
    }
    const double rmin = m_rmin * (1 - 1e-9);
    double largest = MaxOutside(affected);
    double rest = 0;
    for (size_t a = 0; a < affected.size(); ++a)
    {
        const uint32_t m = affected[a];
        const uint32_t joins = sides[a].joins;
        const uint32_t joiner = sides[a].joiner;
        const StayerTable& t = *sides[a].table;
        double jd[2] = {0, 0};
        double jr[2] = {0, 0};
        double jrt[2] = {0, 0};
        int chosen = -1;
        double chosenCost = std::numeric_limits<double>::infinity();
        for (int v = 0; v < 2; ++v)
        {
            // PriceServer's sum: the stayers in order, then the newcomer
            double cost = t.cost[v];
            bool breaks = t.breaks[v];
            if (joins > 0)
            {
                UserAllocation u = m_a.users[joiner];
                u.server = m;
                u.bandwidthHz = t.joinB[v];
                u.edgeFreqHz = t.joinF[v];
                Price(joiner, u, jd[v], jr[v], jrt[v]);
                cost += m_o.wTime * jd[v] + jr[v];
                breaks = breaks || (m_rmin > 0 && jrt[v] < rmin && m_rate[joiner] >= rmin);
            }
            if (!breaks && cost < chosenCost)
            {
                chosen = v;
                chosenCost = cost;
            }
        }
        if (chosen < 0)
        {
            return -1;
        }
        largest = std::max(largest, t.maxD[chosen]);
        rest += t.rest[chosen];
        if (joins > 0)
        {
            largest = std::max(largest, jd[chosen]);
            rest += jr[chosen] - m_rest[joiner];
        }
    }
    m_trialMax = largest;
    m_trialRest = rest;
    change = m_o.wTime * (largest - m_max) + rest;
    return 1;
}

template <class Side>
bool
MakespanSearcher::StayersCannotImprove(const std::vector<uint32_t>& affected,
                                       const Side* sides) const
{
    // A newcomer's own terms are >= 0 with non-negative weights; whichever variant a server
    // takes, its stayers' delays and terms are at least the smaller of the two variants'.
    if (!(m_o.wTime >= 0 && m_o.wEnergy >= 0 && m_o.wStability >= 0))
    {
        return false;
    }
    double largest = MaxOutside(affected);
    double rest = 0;
    for (size_t a = 0; a < affected.size(); ++a)
    {
        const StayerTable& t = *sides[a].table;
        const double maxV[2] = {t.maxD[0], t.maxD[1]};
        const double restV[2] = {t.rest[0], t.rest[1]};
        largest = std::max(largest, std::min(maxV[0], maxV[1]));
        rest += std::min(restV[0], restV[1]) - (sides[a].joins > 0 ? m_rest[sides[a].joiner] : 0);
    }
    // half the acceptance margin of TryChange covers the rounding of this bound
    return m_o.wTime * (largest - m_max) + rest > -0.5e-12 * std::abs(m_obj);
}

double
MakespanSearcher::TrialChange(const std::vector<uint32_t>& affected)
{
    // every user of an affected server is in m_touched; the others keep their delays
    double largest = MaxOutside(affected);
    double rest = 0;
    for (size_t i = 0; i < m_touched.size(); ++i)
    {
        largest = std::max(largest, m_nDelay[i]);
        rest += m_nRest[i] - m_rest[m_touched[i]];
    }
    m_trialMax = largest;
    m_trialRest = rest;
    return m_o.wTime * (largest - m_max) + rest;
}

void
MakespanSearcher::Accept(const std::vector<uint32_t>& movers,
                         const std::vector<uint32_t>& dest,
                         const std::vector<uint32_t>& affected)
{
    for (size_t i = 0; i < m_touched.size(); ++i)
    {
        const uint32_t n = m_touched[i];
        m_a.users[n] = m_tUsers[i];
        m_delay[n] = m_nDelay[i];
        m_rest[n] = m_nRest[i];
        m_rate[n] = m_nRate[i];
    }
    for (size_t i = 0; i < movers.size(); ++i)
    {
        auto& from = m_members[m_server[movers[i]]];
        from.erase(std::find(from.begin(), from.end(), movers[i]));
    }
    for (size_t i = 0; i < movers.size(); ++i)
    {
        m_members[dest[i]].push_back(movers[i]);
        m_server[movers[i]] = dest[i];
    }
    for (uint32_t m : affected)
    {
        RefreshServerMax(m);
        m_tables[m].clear();
        for (size_t i = 0; i < m_members[m].size(); ++i)
        {
            m_pos[m_members[m][i]] = static_cast<uint32_t>(i);
        }
    }
    m_restSum += m_trialRest;
    RankServers();
    NS_ASSERT(m_max == m_trialMax);
}

bool
MakespanSearcher::TryChange(const std::vector<uint32_t>& movers, const std::vector<uint32_t>& dest)
{
    m_tUsers.clear();
    m_touched.clear();
    m_nDelay.clear();
    m_nRest.clear();
    m_nRate.clear();
    const std::vector<uint32_t> affected = Affected(movers, dest);
    double change = 0;
    const int quick = QuickChange(movers, dest, affected, change);
    if (quick < 0 || (quick > 0 && !(change < -1e-12 * std::abs(m_obj))))
    {
        return false;
    }
    // build the trial (for an improvement found by QuickChange: the same numbers again)
    for (uint32_t m : affected)
    {
        if (!PriceServer(m, movers, dest))
        {
            NS_ASSERT(quick == 0);
            return false;
        }
    }
    if (quick == 0 && !(TrialChange(affected) < -1e-12 * std::abs(m_obj)))
    {
        return false;
    }
    Accept(movers, dest, affected);
    ++m_accepted;
    return true;
}

bool
MakespanSearcher::MovePass()
{
    bool improved = false;
    for (uint32_t n = 0; n < m_N; ++n)
    {
        for (uint32_t m = 0; m < m_M; ++m)
        {
            if (m != m_server[n] && m_cand[static_cast<size_t>(n) * m_M + m] && TryChange({n}, {m}))
            {
                improved = true;
            }
        }
    }
    return improved;
}

bool
MakespanSearcher::SwapPass()
{
    bool improved = false;
    std::vector<uint32_t> partners;
    for (uint32_t n1 = 0; n1 < m_N; ++n1)
    {
        // n1's partners in increasing order: the users after n1 on its candidate servers (a
        // swap moves only n1 and its partner, so this list holds through n1's swaps)
        partners.clear();
        for (uint32_t m = 0; m < m_M; ++m)
        {
            if (m_cand[static_cast<size_t>(n1) * m_M + m])
            {
                for (uint32_t n2 : m_members[m])
                {
                    if (n2 > n1)
                    {
                        partners.push_back(n2);
                    }
                }
            }
        }
        std::sort(partners.begin(), partners.end());
        for (uint32_t n2 : partners)
        {
            if (m_server[n1] != m_server[n2] &&
                m_cand[static_cast<size_t>(n1) * m_M + m_server[n2]] &&
                m_cand[static_cast<size_t>(n2) * m_M + m_server[n1]] &&
                TryChange({n1, n2}, {m_server[n2], m_server[n1]}))
            {
                improved = true;
            }
        }
    }
    return improved;
}

uint32_t
MakespanSearcher::Run(uint32_t maxPasses)
{
    for (uint32_t pass = 0; pass < maxPasses; ++pass)
    {
        if (!MovePass() && !SwapPass())
        {
            break;
        }
    }
    return m_accepted;
}

} // namespace

std::vector<uint32_t>
AssociationSolver::TrueCostSearch(const Allocation& current,
                                  std::vector<uint32_t> server,
                                  uint32_t* moves,
                                  uint32_t maxPasses,
                                  uint32_t candidateServers) const
{
    const std::vector<char> cand = Candidates(candidateServers, server);
    uint32_t accepted = 0;
    if (m_model.GetState().objective.delay != DelayAggregate::MAKESPAN)
    {
        Allocation a = Apply(current, server);
        accepted = SeparableSearch(a, server, cand, maxPasses);
    }
    else
    {
        MakespanSearcher search(m_model, EdgeFrequencyCaps(), Apply(current, server), server, cand);
        accepted = search.Run(maxPasses);
        server = search.Server();
    }
    if (moves != nullptr)
    {
        *moves = accepted;
    }
    return server;
}

} // namespace ns3
