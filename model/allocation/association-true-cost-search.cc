/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AssociationSolver::TrueCostSearch: moves and swaps of users between servers priced by the
// true objective after the shares are reset (see the class documentation and
// doc/edge-llm.rst, "Allocators"). The SUM aggregate goes to the cached search in
// association-separable-search.cc; this file holds the general search the MAKESPAN aggregate
// uses, which re-prices every affected server's users on each trial (the max is not
// separable).
#include "association-slot-costs.h"

#include "ns3/assert.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace ns3
{

namespace
{

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

    /// @return the objective (makespan of the delays, plus the rest)
    double Objective(const std::vector<double>& d, const std::vector<double>& r) const;

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

    /// @return the objective with the trial's users in place
    double TrialObjective();

    /// Applies the trial and moves the movers to dest.
    void Accept(const std::vector<uint32_t>& movers, const std::vector<uint32_t>& dest);

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
    double m_obj{0};                              //!< current objective
    uint32_t m_accepted{0};                       //!< accepted changes

    // Scratch state of a trial change.
    std::vector<double> m_tDelay;             //!< delays with the trial in place (restored after)
    std::vector<double> m_tRest;              //!< the rest with the trial in place
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
      m_rate(m_N)
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        m_members[m_server[n]].push_back(n);
    }
    for (uint32_t n = 0; n < m_N; ++n)
    {
        Terms(n, m_a.users[n], m_delay[n], m_rest[n], m_rate[n]);
    }
    m_obj = Objective(m_delay, m_rest);
    m_tDelay = m_delay;
    m_tRest = m_rest;
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

double
MakespanSearcher::Objective(const std::vector<double>& d, const std::vector<double>& r) const
{
    double agg = 0;
    double sum = 0;
    for (uint32_t n = 0; n < m_N; ++n)
    {
        agg = std::max(agg, d[n]);
        sum += r[n];
    }
    return m_o.wTime * agg + sum;
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
            Terms(n, m_variant[v][i], m_vd[v][i], m_vr[v][i], m_vrt[v][i]);
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

double
MakespanSearcher::TrialObjective()
{
    for (size_t i = 0; i < m_touched.size(); ++i)
    {
        m_tDelay[m_touched[i]] = m_nDelay[i];
        m_tRest[m_touched[i]] = m_nRest[i];
    }
    const double newObj = Objective(m_tDelay, m_tRest);
    for (uint32_t n : m_touched)
    {
        m_tDelay[n] = m_delay[n];
        m_tRest[n] = m_rest[n];
    }
    return newObj;
}

void
MakespanSearcher::Accept(const std::vector<uint32_t>& movers, const std::vector<uint32_t>& dest)
{
    for (size_t i = 0; i < m_touched.size(); ++i)
    {
        const uint32_t n = m_touched[i];
        m_a.users[n] = m_tUsers[i];
        m_delay[n] = m_tDelay[n] = m_nDelay[i];
        m_rest[n] = m_tRest[n] = m_nRest[i];
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
}

bool
MakespanSearcher::TryChange(const std::vector<uint32_t>& movers, const std::vector<uint32_t>& dest)
{
    m_tUsers.clear();
    m_touched.clear();
    m_nDelay.clear();
    m_nRest.clear();
    m_nRate.clear();
    for (uint32_t m : Affected(movers, dest))
    {
        if (!PriceServer(m, movers, dest))
        {
            return false;
        }
    }
    const double newObj = TrialObjective();
    if (!(newObj < m_obj - 1e-12 * std::abs(m_obj)))
    {
        return false;
    }
    Accept(movers, dest);
    m_obj = newObj;
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
    for (uint32_t n1 = 0; n1 < m_N; ++n1)
    {
        for (uint32_t n2 = n1 + 1; n2 < m_N; ++n2)
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
