/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lte-tier-helper.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/input-error.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/log.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/lte-spectrum-phy.h"
#include "ns3/lte-spectrum-value-helper.h"
#include "ns3/lte-ue-net-device.h"
#include "ns3/lte-ue-phy.h"
#include "ns3/mobility-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/spectrum-channel.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLteTierHelper");

namespace
{

/// `--tier=lte`
const ChannelTierHelper::Registration g_lteTier("lte", "ns3::LteTier", []() {
    return std::unique_ptr<ChannelTierHelper>(new LteTierHelper());
});

/// Thermal noise density at 290 K, W/Hz.
constexpr double kThermalNoiseWPerHz = 1.380649e-23 * 290.0;

/**
 * The scenario's propagation as one model on an LTE spectrum channel: the large-scale loss,
 * then the fast fading if any, evaluated without chaining them (they stay as the scenario
 * built them, e.g. for the tier's CSI).
 */
class ScenarioLoss : public PropagationLossModel
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::EdgeLlmLteScenarioLoss")
                                .SetParent<PropagationLossModel>()
                                .SetGroupName("EdgeLlm");
        return tid;
    }

    Ptr<PropagationLossModel> m_largeScale; //!< path loss and shadowing
    Ptr<PropagationLossModel> m_fastFading; //!< or null

  private:
    double DoCalcRxPower(double txPowerDbm,
                         Ptr<MobilityModel> a,
                         Ptr<MobilityModel> b) const override
    {
        double rx = m_largeScale->CalcRxPower(txPowerDbm, a, b);
        if (m_fastFading)
        {
            rx = m_fastFading->CalcRxPower(rx, a, b);
        }
        return rx;
    }

    int64_t DoAssignStreams(int64_t /* stream */) override
    {
        return 0; // the scenario's models have their streams from RadioEnvironmentHelper
    }
};

/**
 * A UE's uplink frame starts: draw its uplink power if it carries data (PUSCH). A frame without
 * a packet burst carries only ns-3's ideal control messages (PUCCH: CQI, HARQ feedback), sent
 * with a null bandwidth: no power drawn.
 */
void
UeTxStart(Ptr<PowerDrawEnergyModel> model, Ptr<LteUePhy> phy, Ptr<const PacketBurst> burst)
{
    if (burst)
    {
        model->SetPowerW(std::pow(10.0, phy->GetTxPower() / 10.0) / 1e3);
    }
}

/// A UE's uplink data frame ends.
void
UeTxEnd(Ptr<PowerDrawEnergyModel> model, Ptr<const PacketBurst>)
{
    model->SetPowerW(0);
}

} // namespace

Ptr<LteTier>
LteTierHelper::GetTier() const
{
    return m_tier;
}

Ptr<LteHelper>
LteTierHelper::GetLteHelper() const
{
    return m_lte;
}

uint16_t
LteTierHelper::ResourceBlocksFor(double bandwidthHz)
{
    uint16_t best = 0;
    for (uint16_t rbs : {6, 15, 25, 50, 75, 100})
    {
        if (rbs * 180e3 <= 0.9 * bandwidthHz + 1.0)
        {
            best = rbs;
        }
    }
    return best;
}

Ptr<SplitChannelTier>
LteTierHelper::InstallTier(const ChannelTierContext& ctx, const ObjectFactory& tier)
{
    NS_ABORT_MSG_IF(m_tier, "LteTierHelper::InstallTier called twice");
    const RoundState& state = *ctx.state;
    const uint32_t m = ctx.servers.GetN();
    const uint32_t n = ctx.devices.GetN();
    m_tier = tier.Create<LteTier>();

    uint16_t rbs = 100;
    for (uint32_t j = 0; j < m; ++j)
    {
        const uint16_t r = ResourceBlocksFor(state.servers[j].bandwidthHz);
        Require(r > 0,
                "server " + std::to_string(j) + " band (lte tier)",
                std::to_string(state.servers[j].bandwidthHz),
                "at least 1.2 MHz (6 LTE resource blocks)");
        rbs = std::min(rbs, r);
    }
    const double noiseFigureDb =
        std::max(0.0, 10.0 * std::log10(state.noisePsdWPerHz / kThermalNoiseWPerHz));

    // the UE transmits at the power the tier sets (the allocator's p_n)
    Config::SetDefault("ns3::LteUePhy::EnableUplinkPowerControl", BooleanValue(false));
    Config::SetDefault("ns3::LteUePhy::NoiseFigure", DoubleValue(noiseFigureDb));
    Config::SetDefault("ns3::LteEnbPhy::NoiseFigure", DoubleValue(noiseFigureDb));
    // TCP keeps up to its buffer in flight: RLC must not drop it
    Config::SetDefault("ns3::LteRlcUm::MaxTxBufferSize", UintegerValue(4 * 1024 * 1024));
    // room for many UEs per cell (SRS periodicity must exceed the UEs of a cell)
    Config::SetDefault("ns3::LteEnbRrc::SrsPeriodicity", UintegerValue(320));

    m_lte = CreateObject<LteHelper>();
    m_epc = CreateObject<PointToPointEpcHelper>();
    m_lte->SetEpcHelper(m_epc);
    m_lte->SetSchedulerType("ns3::EdgeLlmShareFfMacScheduler");
    // the scenario's large-scale loss on both spectrum channels; LteHelper's own path loss
    // model is one that adds nothing
    m_lte->SetPathlossModelType(TypeId::LookupByName("ns3::RangePropagationLossModel"));
    m_lte->SetPathlossModelAttribute("MaxRange", DoubleValue(1e12));
    m_lte->SetEnbDeviceAttribute("UlBandwidth", UintegerValue(rbs));
    m_lte->SetEnbDeviceAttribute("DlBandwidth", UintegerValue(rbs));
    m_lte->Initialize();
    for (Ptr<SpectrumChannel> channel :
         {m_lte->GetUplinkSpectrumChannel(), m_lte->GetDownlinkSpectrumChannel()})
    {
        auto loss = CreateObject<ScenarioLoss>();
        loss->m_largeScale = ctx.loss;
        loss->m_fastFading = ctx.fastFading;
        channel->AddPropagationLossModel(loss);
    }

    // eNBs at the server sites
    m_enbNodes.Create(m);
    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(m_enbNodes);
    for (uint32_t j = 0; j < m; ++j)
    {
        m_enbNodes.Get(j)->GetObject<MobilityModel>()->SetPosition(
            ctx.servers.Get(j)->GetObject<MobilityModel>()->GetPosition());
    }
    // one carrier per cell, channels side by side (EARFCN unit: 100 kHz), or all on one
    const uint32_t spacing = m_tier->GetSeparateCarriers() ? 2 * rbs : 0;
    for (uint32_t j = 0; j < m; ++j)
    {
        const uint32_t dl = 100 + j * spacing;
        Require(LteSpectrumValueHelper::GetDownlinkCarrierFrequency(dl) > 0 &&
                    LteSpectrumValueHelper::GetUplinkCarrierFrequency(dl + 18000) > 0,
                "servers (lte tier, SeparateCarriers)",
                std::to_string(m),
                "as many cells as carriers fit in ns-3's LTE bands (or "
                "--ns3::LteTier::SeparateCarriers=false)");
        m_lte->SetEnbDeviceAttribute("DlEarfcn", UintegerValue(dl));
        m_lte->SetEnbDeviceAttribute("UlEarfcn", UintegerValue(dl + 18000));
        m_enbDevices.Add(m_lte->InstallEnbDevice(NodeContainer(m_enbNodes.Get(j))));
    }
    for (uint32_t j = 0; j < m; ++j)
    {
        auto enb = DynamicCast<LteEnbNetDevice>(m_enbDevices.Get(j));
        enb->GetPhy()->SetTxPower(10.0 * std::log10(state.servers[j].txPowerW * 1e3));
    }
    m_ueDevices = m_lte->InstallUeDevice(ctx.devices);
    for (uint32_t i = 0; i < n; ++i)
    {
        DynamicCast<LteUeNetDevice>(m_ueDevices.Get(i))
            ->GetPhy()
            ->SetTxPower(10.0 * std::log10(state.users[i].pMaxW * 1e3));
    }
    if (m > 1)
    {
        m_lte->AddX2Interface(m_enbNodes);
    }

    // servers behind the PGW
    Ptr<Node> pgw = m_epc->GetPgwNode();
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(m_tier->GetBackhaulDataRate()));
    p2p.SetChannelAttribute("Delay", TimeValue(m_tier->GetBackhaulDelay()));
    Ipv4StaticRoutingHelper routing;
    std::vector<Ipv4Address> addresses;
    for (uint32_t j = 0; j < m; ++j)
    {
        NetDeviceContainer link = p2p.Install(pgw, ctx.servers.Get(j));
        Ipv4AddressHelper ipv4;
        ipv4.SetBase(Ipv4Address(("1.0." + std::to_string(j) + ".0").c_str()), "255.255.255.252");
        Ipv4InterfaceContainer ifs = ipv4.Assign(link);
        addresses.push_back(ifs.GetAddress(1));
        m_serverDevices.Add(link.Get(1));
        Ptr<Ipv4> serverIp = ctx.servers.Get(j)->GetObject<Ipv4>();
        routing.GetStaticRouting(serverIp)->AddNetworkRouteTo(
            Ipv4Address("7.0.0.0"),
            Ipv4Mask("255.0.0.0"),
            ifs.GetAddress(0),
            serverIp->GetInterfaceForDevice(link.Get(1)));
    }
    // UEs: addresses, default route to the PGW, attached to the strongest server's eNB
    m_epc->AssignUeIpv4Address(m_ueDevices);
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Ipv4> ueIp = ctx.devices.Get(i)->GetObject<Ipv4>();
        routing.GetStaticRouting(ueIp)->SetDefaultRoute(
            m_epc->GetUeDefaultGatewayAddress(),
            ueIp->GetInterfaceForDevice(m_ueDevices.Get(i)));
        uint32_t best = 0;
        for (uint32_t j = 1; j < m; ++j)
        {
            if (state.users[i].gain[j] > state.users[i].gain[best])
            {
                best = j;
            }
        }
        m_lte->Attach(m_ueDevices.Get(i), m_enbDevices.Get(best));
    }
    m_tier->Setup(m_lte, m_enbDevices, m_ueDevices, ctx.loss, addresses);
    std::vector<double> bands;
    std::vector<double> powers;
    for (const auto& s : state.servers)
    {
        bands.push_back(s.bandwidthHz);
    }
    for (const auto& u : state.users)
    {
        powers.push_back(u.pMaxW);
    }
    m_tier->SetPlanning(state.noisePsdWPerHz, rbs, bands, powers);
    return m_tier;
}

int64_t
LteTierHelper::AssignStreams(int64_t stream)
{
    int64_t used = m_lte->AssignStreams(m_enbDevices, stream);
    used += m_lte->AssignStreams(m_ueDevices, stream + used);
    return used;
}

Ptr<DeviceEnergyModel>
LteTierHelper::InstallDeviceRadioEnergy(uint32_t user, Ptr<EnergySource> battery)
{
    auto radio = CreateObject<PowerDrawEnergyModel>();
    radio->SetEnergySource(battery);
    battery->AppendDeviceEnergyModel(radio);
    Ptr<LteUePhy> phy = DynamicCast<LteUeNetDevice>(m_ueDevices.Get(user))->GetPhy();
    Ptr<LteSpectrumPhy> ul = phy->GetUlSpectrumPhy();
    ul->TraceConnectWithoutContext("TxStart", MakeBoundCallback(&UeTxStart, radio, phy));
    ul->TraceConnectWithoutContext("TxEnd", MakeBoundCallback(&UeTxEnd, radio));
    return radio;
}

uint32_t
LteTierHelper::GetTcpSegmentBytes() const
{
    return 1500 - 20 - 32; // the backhaul's MTU less IP and TCP (timestamps) headers
}

void
LteTierHelper::EnablePcapOnServers(const std::string& prefix)
{
    PointToPointHelper p2p;
    p2p.EnablePcap(prefix, m_serverDevices);
}

NetDeviceContainer
LteTierHelper::GetServerNetDevices() const
{
    return m_serverDevices;
}

NetDeviceContainer
LteTierHelper::GetUserNetDevices() const
{
    return m_ueDevices;
}

} // namespace ns3
