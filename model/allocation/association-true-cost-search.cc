/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AssociationSolver::TrueCostSearch and SeparableSearch: moves and swaps of users between
// servers priced by the true objective after the shares are reset (see the class
// documentation and doc/edge-llm.rst, "Allocators").
#include "association-slot-costs.h"

#include "ns3/assert.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ns3
{

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
