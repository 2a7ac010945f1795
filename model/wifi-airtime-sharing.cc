/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fluid processor sharing of a Wi-Fi cell's airtime (ShareWifiCellAirtime) and the per-user
// terms of an allocation under it (SplitCostModel::WifiSharedAirtimeTerms).
#include "wifi-airtime-sharing.h"

#include "split-cost-model.h"

#include "ns3/assert.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace ns3
{

namespace
{
/// Where a transfer is in its round.
enum class Phase
{
    WAIT_UP, //!< forward pass
    UP,      //!< uplink on the air
    WAIT_DN, //!< edge compute
    DN,      //!< downlink on the air
    DONE     //!< gradient delivered
};

/// One transfer's progress.
struct Progress
{
    Phase phase{Phase::WAIT_UP}; //!< where it is
    double releaseS{0};          //!< end of the current wait, s
    double remainingS{0};        //!< solo airtime left of the current transfer, s
};

/**
 * Move a transfer on at time t: its wait ended or its transfer is done (zero-airtime transfers
 * pass straight through).
 * @param x the transfer
 * @param p its progress
 * @param out its times
 * @param t now, s
 */
void
Advance(const WifiCellTransfer& x, Progress& p, WifiCellTimes& out, double t)
{
    bool moved = true;
    while (moved)
    {
        moved = false;
        if (p.phase == Phase::WAIT_UP && p.releaseS <= t)
        {
            p.phase = Phase::UP;
            p.remainingS = x.uplinkSoloS;
            moved = true;
        }
        else if (p.phase == Phase::UP && p.remainingS <= 0.0)
        {
            out.uplinkEndS = t;
            out.downlinkStartS = t + x.edgeS;
            p.phase = Phase::WAIT_DN;
            p.releaseS = out.downlinkStartS;
            moved = true;
        }
        else if (p.phase == Phase::WAIT_DN && p.releaseS <= t)
        {
            p.phase = Phase::DN;
            p.remainingS = x.downlinkSoloS;
            moved = true;
        }
        else if (p.phase == Phase::DN && p.remainingS <= 0.0)
        {
            out.downlinkEndS = t;
            p.phase = Phase::DONE;
        }
    }
}
} // namespace

std::vector<WifiCellTimes>
ShareWifiCellAirtime(const std::vector<WifiCellTransfer>& transfers)
{
    const size_t k = transfers.size();
    std::vector<WifiCellTimes> out(k);
    std::vector<Progress> progress(k);
    for (size_t i = 0; i < k; ++i)
    {
        NS_ASSERT_MSG(transfers[i].uplinkSoloS >= 0 && transfers[i].downlinkSoloS >= 0 &&
                          transfers[i].edgeS >= 0,
                      "negative airtime or edge time");
        progress[i].releaseS = transfers[i].uplinkReadyS;
    }
    const double inf = std::numeric_limits<double>::infinity();
    double t = -inf;
    while (true)
    {
        // the next event: a wait ends, or the active transfer with the least airtime left ends
        size_t active = 0;
        double nextRelease = inf;
        double leastRemaining = inf;
        for (const Progress& p : progress)
        {
            if (p.phase == Phase::UP || p.phase == Phase::DN)
            {
                ++active;
                leastRemaining = std::min(leastRemaining, p.remainingS);
            }
            else if (p.phase != Phase::DONE)
            {
                nextRelease = std::min(nextRelease, p.releaseS);
            }
        }
        if (active == 0 && nextRelease == inf)
        {
            break;
        }
        const double n = static_cast<double>(active);
        // every active transfer gets 1/n of the airtime until the next event
        const double dt = std::min(leastRemaining * n, nextRelease - t);
        if (active > 0 && dt == inf)
        {
            // a transfer that never ends (zero rate): it and whatever waits on it end at inf
            for (size_t i = 0; i < k; ++i)
            {
                if (progress[i].phase != Phase::DONE)
                {
                    out[i].downlinkEndS = inf;
                    if (progress[i].phase == Phase::WAIT_UP || progress[i].phase == Phase::UP)
                    {
                        out[i].uplinkEndS = out[i].downlinkStartS = inf;
                    }
                }
            }
            break;
        }
        const double now = active == 0 ? nextRelease : t + dt;
        for (Progress& p : progress)
        {
            if (p.phase == Phase::UP || p.phase == Phase::DN)
            {
                // the transfers that end now end exactly (no rounding residue)
                p.remainingS = p.remainingS == leastRemaining && leastRemaining * n <= dt
                                   ? 0.0
                                   : std::max(0.0, p.remainingS - dt / n);
            }
        }
        t = now;
        for (size_t i = 0; i < k; ++i)
        {
            Advance(transfers[i], progress[i], out[i], t);
        }
    }
    return out;
}

std::vector<CostTerms>
SplitCostModel::WifiSharedAirtimeTerms(const Allocation& a, double forwardFraction) const
{
    NS_ASSERT_MSG(a.users.size() == m_state.users.size(), "one allocation per user");
    std::vector<CostTerms> terms(a.users.size());
    std::map<uint32_t, std::vector<uint32_t>> cells; // server -> its offloading users
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        const UserAllocation& u = a.users[n];
        terms[n] = UserTerms(n, u);
        if (Wifi() && u.server != UserAllocation::kNoServer && u.alpha < m_state.layers)
        {
            cells[u.server].push_back(n);
        }
    }
    for (const auto& [m, users] : cells)
    {
        const double cellHz = m_state.servers[m].bandwidthHz;
        std::vector<WifiCellTransfer> transfers;
        for (uint32_t n : users)
        {
            const UserState& u = m_state.users[n];
            WifiCellTransfer x;
            x.uplinkReadyS = terms[n].deviceDelayS * forwardFraction;
            // the whole cell's airtime: the solo rates
            x.uplinkSoloS = u.payloadBits / UplinkRateBps(n, m, a.users[n].powerW, cellHz);
            x.edgeS = terms[n].edgeDelayS;
            x.downlinkSoloS = u.downlinkBits / DownlinkRateBps(n, m, cellHz);
            transfers.push_back(x);
        }
        const std::vector<WifiCellTimes> times = ShareWifiCellAirtime(transfers);
        for (size_t i = 0; i < users.size(); ++i)
        {
            CostTerms& t = terms[users[i]];
            t.uplinkDelayS = times[i].uplinkEndS - transfers[i].uplinkReadyS;
            t.downlinkDelayS = times[i].downlinkEndS - times[i].downlinkStartS;
            t.listenEnergyJ = m_state.users[users[i]].radioIdlePowerW * t.TotalDelayS();
        }
    }
    return terms;
}

} // namespace ns3
