/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-channel-tier.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(SplitChannelTier);

TypeId
SplitChannelTier::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SplitChannelTier").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

void
SplitChannelTier::DescribeLinks(RoundState& /* state */,
                                const std::vector<uint32_t>& /* users */) const
{
}

double
SplitChannelTier::ClampedTxPowerDbm(double powerW, double minDbm, double maxDbm)
{
    const double dbm = powerW > 0 ? 10.0 * std::log10(powerW * 1e3) : minDbm;
    return std::clamp(dbm, minDbm, std::max(minDbm, maxDbm));
}

} // namespace ns3
