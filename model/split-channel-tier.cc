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

} // namespace ns3
