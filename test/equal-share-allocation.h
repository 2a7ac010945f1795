/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_TEST_EQUAL_SHARE_ALLOCATION_H
#define EDGE_LLM_TEST_EQUAL_SHARE_ALLOCATION_H

#include "ns3/round-state.h"
#include "ns3/split-allocator.h"
#include "ns3/split-cost-model.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellmtest
{

/**
 * The allocation of the simulation test suites' own allocators (independent of the optimising
 * ones): every user on the server serverOf(n), alpha = max(1, alpha_min), power powerOf(n),
 * the closed-form device frequency, and every server's bandwidth and GPU frequency in equal
 * shares among its users.
 *
 * @param s round state
 * @param name the allocation's allocator name
 * @param serverOf server of user n
 * @param powerOf transmit power of user n, W
 * @return the allocation
 */
inline Allocation
EqualShareAllocation(const RoundState& s,
                     const std::string& name,
                     const std::function<uint32_t(uint32_t)>& serverOf,
                     const std::function<double(uint32_t)>& powerOf)
{
    Allocation a;
    a.allocator = name;
    std::vector<uint32_t> count(s.NumServers(), 0);
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        UserAllocation u;
        u.server = serverOf(n);
        u.alpha = std::max<uint32_t>(1, s.MinAlpha());
        u.powerW = powerOf(n);
        u.freqHz = SplitCostModel::OptimalDeviceFrequency(s.users[n], s.objective);
        ++count[u.server];
        a.users.push_back(u);
    }
    for (auto& u : a.users)
    {
        u.bandwidthHz = s.servers[u.server].bandwidthHz / count[u.server];
        u.edgeFreqHz = s.servers[u.server].fMaxHz / count[u.server];
    }
    return a;
}

} // namespace edgellmtest
} // namespace ns3

#endif // EDGE_LLM_TEST_EQUAL_SHARE_ALLOCATION_H
