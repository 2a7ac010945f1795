/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-tier.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFdmaTier");
NS_OBJECT_ENSURE_REGISTERED(SplitChannelTier);
NS_OBJECT_ENSURE_REGISTERED(FdmaTier);

TypeId
SplitChannelTier::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SplitChannelTier").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

TypeId
FdmaTier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FdmaTier")
            .SetParent<SplitChannelTier>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FdmaTier>()
            .AddAttribute("RateMarginDb",
                          "SNR margin of the rate chosen from the CSI estimate, dB (0: the "
                          "rate equals the estimated capacity)",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FdmaTier::m_marginDb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("GainSource",
                          "Where the allocator's channel gains come from: positions (loss model "
                          "at the current positions) or last-frame (gain measured on the last "
                          "frame the server received from the device; positions if none yet)",
                          EnumValue(FdmaTier::POSITIONS),
                          MakeEnumAccessor(&FdmaTier::m_gainSource),
                          MakeEnumChecker(FdmaTier::POSITIONS,
                                          "positions",
                                          FdmaTier::LAST_FRAME,
                                          "last-frame"));
    return tid;
}

FdmaTier::FdmaTier() = default;
FdmaTier::~FdmaTier() = default;

void
FdmaTier::DoDispose()
{
    m_channel = nullptr;
    m_mobiles.clear();
    m_servers.clear();
    SplitChannelTier::DoDispose();
}

void
FdmaTier::Setup(Ptr<FdmaChannel> channel,
                const std::vector<Ptr<FdmaNetDevice>>& mobiles,
                const std::vector<Ptr<FdmaNetDevice>>& servers,
                const std::vector<Ipv4Address>& serverAddresses)
{
    m_channel = channel;
    m_mobiles = mobiles;
    m_servers = servers;
    m_addresses = serverAddresses;
    m_attached.assign(mobiles.size(), UserAllocation::kNoServer);
}

double
FdmaTier::EstimateGain(uint32_t user, uint32_t server)
{
    double gain = 0;
    if (m_gainSource == LAST_FRAME &&
        m_channel->GetLastGain(m_mobiles.at(user), m_servers.at(server), gain))
    {
        return gain;
    }
    return m_channel->RxPowerW(m_mobiles.at(user), m_servers.at(server), 1.0);
}

void
FdmaTier::Apply(uint32_t user, uint32_t k, const UserAllocation& a, const SplitCostModel& model)
{
    NS_LOG_FUNCTION(this << user << a.server);
    if (a.server == UserAllocation::kNoServer)
    {
        Detach(user);
        return;
    }
    const double margin = std::pow(10.0, m_marginDb / 10.0);
    const ServerState& s = model.GetState().servers.at(a.server);
    // an SNR margin is the same as planning with the power divided by it
    const double upRate = model.UplinkRateBps(k, a.server, a.powerW / margin, a.bandwidthHz);
    const double downPowerW = s.txPowerW * a.bandwidthHz / s.bandwidthHz;
    const double downRate = model.DownlinkRateBps(k, a.server, a.bandwidthHz, margin);
    if (m_attached[user] != UserAllocation::kNoServer && m_attached[user] != a.server)
    {
        Detach(user);
    }
    if (!(upRate > 0) || !(downRate > 0) || !std::isfinite(upRate) || !std::isfinite(downRate))
    {
        // out of range: no usable rate; the device stays off the air and times out
        NS_LOG_WARN("user " << user << ": no usable rate to server " << a.server << " (uplink "
                            << upRate << ", downlink " << downRate << " bit/s)");
        Detach(user);
        return;
    }
    m_attached[user] = a.server;
    const auto mobileMac = Mac48Address::ConvertFrom(m_mobiles[user]->GetAddress());
    const auto serverMac = Mac48Address::ConvertFrom(m_servers[a.server]->GetAddress());
    m_mobiles[user]->SetLink(serverMac, {a.bandwidthHz, a.powerW, upRate});
    m_servers[a.server]->SetLink(mobileMac, {a.bandwidthHz, downPowerW, downRate});
}

void
FdmaTier::Detach(uint32_t user)
{
    const uint32_t server = m_attached.at(user);
    if (server == UserAllocation::kNoServer)
    {
        return;
    }
    const auto mobileMac = Mac48Address::ConvertFrom(m_mobiles[user]->GetAddress());
    const auto serverMac = Mac48Address::ConvertFrom(m_servers[server]->GetAddress());
    m_servers[server]->RemoveLink(mobileMac);
    m_mobiles[user]->RemoveLink(serverMac);
    m_attached[user] = UserAllocation::kNoServer;
}

Ipv4Address
FdmaTier::GetServerAddress(uint32_t server) const
{
    return m_addresses.at(server);
}

bool
FdmaTier::EnforcesBandwidth() const
{
    return true;
}

} // namespace ns3
