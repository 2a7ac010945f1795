/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AssociationSolver: block 2's data (pricing of the pairs, re-normalised shares, Apply), the
// greedy and random associations, candidate servers. The CCCP is in association-cccp.cc, the
// local searches on the true objective in association-true-cost-search.cc (makespan) and
// association-separable-search.cc (sum).
#include "association-slot-costs.h"

#include "ns3/assert.h"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace ns3
{

using association::kCapacityTol;

namespace
{

/// Portable uniform index in {0, …, size-1} (the <random> distributions are not portable).
size_t
UniformIndex(std::mt19937_64& rng, size_t size)
{
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return std::min(size - 1, static_cast<size_t>(u * static_cast<double>(size)));
}

/**
 * @param s the round
 * @return each server's room: its share of the total bandwidth times N, rounded up (the rooms
 *         add up to at least N)
 */
std::vector<uint32_t>
ServerRooms(const RoundState& s)
{
    const uint32_t N = s.NumUsers();
    double bandTotal = 0;
    for (const auto& srv : s.servers)
    {
        bandTotal += srv.bandwidthHz;
    }
    std::vector<uint32_t> room(s.NumServers());
    for (uint32_t m = 0; m < room.size(); ++m)
    {
        room[m] = static_cast<uint32_t>(std::ceil(N * s.servers[m].bandwidthHz / bandTotal - 1e-9));
    }
    return room;
}

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
    const std::vector<uint32_t> room = ServerRooms(s);
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
    const std::vector<uint32_t> room = ServerRooms(s);
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
        m_topK = k;
        m_topServers.resize(static_cast<size_t>(N) * k);
        for (uint32_t n = 0; n < N; ++n)
        {
            TopServersByGain(s.users[n].gain, k, m_topServers.data() + static_cast<size_t>(n) * k);
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

} // namespace ns3
