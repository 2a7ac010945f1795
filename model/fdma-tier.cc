/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-tier.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFdmaTier");
NS_OBJECT_ENSURE_REGISTERED(FdmaTier);

TypeId
FdmaTier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FdmaTier")
            .SetParent<SplitChannelTier>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FdmaTier>()
            .AddAttribute("RateMarginDb",
                          "SNR margin of the rate planned from the CSI, dB (0: the planned rate "
                          "is the estimated capacity); with adaptive links it sets only the "
                          "rate before the link's first SINR report",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FdmaTier::m_marginDb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("LinkAdaptation",
                          "Rate of every frame (given to every device at Setup): fixed (the "
                          "round's planned rate, the paper's model) or adaptive (per frame from "
                          "the receiver's latest SINR report, see FdmaNetDevice)",
                          EnumValue(FdmaLinkAdaptationConfig::ADAPTIVE),
                          MakeEnumAccessor(&FdmaTier::m_linkAdaptation),
                          MakeEnumChecker(FdmaLinkAdaptationConfig::FIXED,
                                          "fixed",
                                          FdmaLinkAdaptationConfig::ADAPTIVE,
                                          "adaptive"))
            .AddAttribute(
                "CsiSource",
                "Where the allocator's channel gains come from: measured (EWMA of the "
                "gains the serving server measured on the device's frames; "
                "large-scale gain for the other servers and before any measurement) "
                "or positions (large-scale loss model at the current positions, an "
                "oracle without fast fading)",
                EnumValue(FdmaTier::MEASURED),
                MakeEnumAccessor(&FdmaTier::m_csiSource),
                MakeEnumChecker(FdmaTier::MEASURED, "measured", FdmaTier::POSITIONS, "positions"))
            .AddAttribute("CsiAveragingTime",
                          "Measured CSI: time constant tau of the moving average over the "
                          "measured tries; a try dt after the previous one gets the weight "
                          "1 - exp(-dt / tau) (g <- g + w (x - g)), so the average covers about "
                          "the last tau of the link's tries however many there are, and a link "
                          "that went quiet or dark is re-learnt from its next tries",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&FdmaTier::m_averagingTime),
                          MakeTimeChecker(NanoSeconds(1)));
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
    m_serving.assign(mobiles.size(), UserAllocation::kNoServer);
    m_measured.assign(mobiles.size(), std::vector<Ewma>(servers.size()));
    for (uint32_t n = 0; n < mobiles.size(); ++n)
    {
        m_userByMac[Mac48Address::ConvertFrom(mobiles[n]->GetAddress())] = n;
        mobiles[n]->SetAttribute("LinkAdaptation", EnumValue(m_linkAdaptation));
    }
    for (uint32_t m = 0; m < servers.size(); ++m)
    {
        servers[m]->SetAttribute("LinkAdaptation", EnumValue(m_linkAdaptation));
        servers[m]->TraceConnectWithoutContext("PhyRxMeasurement",
                                               MakeCallback(&FdmaTier::Measured, this).Bind(m));
    }
}

void
FdmaTier::Measured(uint32_t server, const FdmaFrameReport& report)
{
    auto it = m_userByMac.find(report.from);
    if (it == m_userByMac.end() || !(report.meanGain > 0))
    {
        return;
    }
    Ewma& e = m_measured[it->second][server];
    const Time now = Simulator::Now();
    if (!e.valid)
    {
        e = {true, report.meanGain, now};
        return;
    }
    const double weight = -std::expm1(-(now - e.last).GetSeconds() / m_averagingTime.GetSeconds());
    e.gain += weight * (report.meanGain - e.gain);
    e.last = now;
}

double
FdmaTier::EstimateGain(uint32_t user, uint32_t server)
{
    const Ewma& e = m_measured.at(user).at(server);
    if (m_csiSource == MEASURED && server == m_serving[user] && e.valid)
    {
        return e.gain;
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
    if (m_serving[user] != a.server)
    {
        m_measured[user][a.server] = Ewma{}; // a new serving link: its own measurements only
        m_serving[user] = a.server;
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

uint64_t
FdmaTier::LinkProgress(uint32_t user) const
{
    // blocks - frames: blocks after the first of their frame (a block starts once the one
    // before it was received); delivered: frames whose last block was received
    auto received = [](const FdmaTxCounters& c) { return c.blocks - c.frames + c.delivered; };
    uint64_t progress = received(m_mobiles.at(user)->GetTxCounters());
    const auto mac = Mac48Address::ConvertFrom(m_mobiles[user]->GetAddress());
    for (const auto& server : m_servers)
    {
        progress += received(server->GetTxCounters(mac));
    }
    return progress;
}

} // namespace ns3
