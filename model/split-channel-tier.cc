/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-channel-tier.h"

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

} // namespace ns3
