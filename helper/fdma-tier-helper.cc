/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-tier-helper.h"

#include "ns3/double.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/pointer.h"
#include "ns3/split-training-helper.h"
#include "ns3/string.h"

namespace ns3
{

namespace
{

/// `--tier=fdma`
const ChannelTierHelper::Registration g_fdmaTier("fdma", "ns3::FdmaTier", []() {
    return std::unique_ptr<ChannelTierHelper>(new FdmaTierHelper());
});

} // namespace

FdmaHelper&
FdmaTierHelper::GetFdmaHelper()
{
    return m_fdma;
}

Ptr<FdmaTier>
FdmaTierHelper::GetTier() const
{
    return m_tier;
}

void
FdmaTierHelper::Configure(const SplitTrainingScenario& sc, ObjectFactory& tier)
{
    tier.Set("RateMarginDb", DoubleValue(sc.rateMarginDb));
    tier.Set("LinkAdaptation", StringValue(sc.linkAdaptation));
    tier.Set("CsiSource", StringValue(sc.csi));
}

void
FdmaTierHelper::InstallDevices(const ChannelTierContext& ctx)
{
    // the fast fading stays apart from the loss chain (the channel's FastFadingModel), so that
    // the large-scale CSI never sees a fading draw
    m_fdma.SetChannelAttribute("PropagationLossModel", PointerValue(ctx.loss));
    m_fdma.SetChannelAttribute("NoisePsdWPerHz", DoubleValue(ctx.state->noisePsdWPerHz));
    m_fdma.SetChannelAttribute("FastFadingModel", PointerValue(ctx.fastFading));
    m_serverDevices = m_fdma.Install(ctx.servers, FdmaNetDevice::SERVER);
    m_userDevices = m_fdma.Install(ctx.devices, FdmaNetDevice::MOBILE);
}

Ptr<SplitChannelTier>
FdmaTierHelper::InstallTier(const ChannelTierContext& /* context */, const ObjectFactory& tier)
{
    NS_ABORT_MSG_IF(m_tier, "FdmaTierHelper::InstallTier called twice");
    Ipv4AddressHelper ipv4("10.0.0.0", "255.0.0.0");
    Ipv4InterfaceContainer serverIfs = ipv4.Assign(m_serverDevices);
    ipv4.Assign(m_userDevices);

    std::vector<Ptr<FdmaNetDevice>> servers;
    std::vector<Ipv4Address> addresses;
    for (uint32_t i = 0; i < m_userDevices.GetN(); ++i)
    {
        m_mobiles.push_back(DynamicCast<FdmaNetDevice>(m_userDevices.Get(i)));
    }
    for (uint32_t j = 0; j < m_serverDevices.GetN(); ++j)
    {
        servers.push_back(DynamicCast<FdmaNetDevice>(m_serverDevices.Get(j)));
        addresses.push_back(serverIfs.GetAddress(j));
    }
    m_tier = tier.Create<FdmaTier>();
    m_tier->Setup(m_fdma.GetChannel(), m_mobiles, servers, addresses);
    return m_tier;
}

Ptr<DeviceEnergyModel>
FdmaTierHelper::InstallDeviceRadioEnergy(uint32_t user, Ptr<EnergySource> battery)
{
    NS_ABORT_MSG_IF(user >= m_mobiles.size(), "FdmaTierHelper: no device for user " << user);
    return FdmaHelper::InstallRadioEnergy(m_mobiles[user], battery);
}

void
FdmaTierHelper::EnablePcapOnServers(const std::string& prefix)
{
    m_fdma.EnablePcap(prefix, m_serverDevices);
}

NetDeviceContainer
FdmaTierHelper::GetServerNetDevices() const
{
    return m_serverDevices;
}

NetDeviceContainer
FdmaTierHelper::GetUserNetDevices() const
{
    return m_userDevices;
}

} // namespace ns3
