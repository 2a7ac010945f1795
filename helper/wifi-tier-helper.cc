/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wifi-tier-helper.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/nstime.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/qos-txop.h"
#include "ns3/simulator.h"
#include "ns3/ssid.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-phy-operating-channel.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-tx-current-model.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmWifiTierHelper");

namespace
{

/// Thermal noise density at 290 K, W/Hz.
constexpr double kThermalNoiseWPerHz = 1.380649e-23 * 290.0;
/// Missed beacons before a station gives up its AP: never, in practice (an interface may sleep
/// for many rounds; 1e8 beacon intervals are about 118 days).
constexpr uint32_t kNeverMissBeacons = 100000000;
/// IPv4 + TCP header bytes per segment (TCP with the timestamp option).
constexpr uint32_t kIpTcpHeaderBytes = 20 + 32;

/// How long an originator waits for the ADDBA response (see HoldFramesUntilAddBaResponse).
constexpr double kAddBaResponseTimeoutS = 1.0;

/**
 * ns-3 3.37 sends the frames of a TID as normal MPDUs once its ADDBA response is late (after
 * QosTxop::AddBaResponseTimeout, 1 ms by default), the first of them with the sequence number
 * the request announced as the window start; the late response then sets up an agreement whose
 * recipient waits for that number forever and holds every later frame in its reordering buffer
 * (seen as a TCP connection that never gets past its first segment). In a busy cell an AP
 * easily answers 60 ms late, so the originators wait up to kAddBaResponseTimeoutS instead.
 * @param device a Wi-Fi device
 */
void
HoldFramesUntilAddBaResponse(Ptr<NetDevice> device)
{
    Ptr<WifiMac> mac = DynamicCast<WifiNetDevice>(device)->GetMac();
    for (AcIndex ac : {AC_BE, AC_BK, AC_VI, AC_VO})
    {
        mac->GetQosTxop(ac)->SetAttribute("AddBaResponseTimeout",
                                          TimeValue(Seconds(kAddBaResponseTimeoutS)));
    }
}

/**
 * Battery empty: switch the PHY off, from whatever state it is in (ns-3 3.37 cannot switch a
 * sleeping PHY off, so it is woken first).
 * @param phy the PHY
 */
void
SwitchRadioOff(Ptr<WifiPhy> phy)
{
    if (phy->IsStateOff())
    {
        return;
    }
    if (phy->IsStateSwitching())
    {
        Simulator::Schedule(phy->GetDelayUntilIdle(), &SwitchRadioOff, phy);
        return;
    }
    if (phy->IsStateSleep())
    {
        phy->ResumeFromSleep();
    }
    phy->SetOffMode();
}

/**
 * Depletion callback of a station interface's energy model. The battery reports depletion
 * from inside a PHY state change (the energy model updates the battery while the PHY notifies
 * its listeners); switching the PHY off right there breaks that transition, so it happens at
 * once but after it.
 * @param phy the PHY
 */
void
RadioBatteryEmpty(Ptr<WifiPhy> phy)
{
    Simulator::ScheduleNow(&SwitchRadioOff, phy);
}

/**
 * Fill a device's ARP cache with every neighbour on its channel (static entries).
 * @param device the device
 */
void
RefillArpCache(Ptr<NetDevice> device)
{
    NeighborCacheHelper neighbors;
    neighbors.PopulateNeighborCache(NetDeviceContainer(device));
}

/**
 * Link change callback of a device: RefillArpCache on it. The callback lives in the device,
 * so it holds the device by a plain pointer (a Ptr there would keep the device, and with it
 * its PHY, MAC and node, alive forever: a reference cycle nothing breaks).
 * @param device the device whose link changed
 */
void
RefillArpCacheOnLinkChange(NetDevice* device)
{
    RefillArpCache(Ptr<NetDevice>(device));
}

/// `--tier=wifi`
const ChannelTierHelper::Registration g_wifiTier("wifi", "ns3::WifiTier", []() {
    return std::unique_ptr<ChannelTierHelper>(new WifiTierHelper());
});

} // namespace

WifiTierHelper::WifiTierHelper()
{
    m_tierFactory.SetTypeId("ns3::WifiTier");
    m_phy.SetPcapDataLinkType(WifiPhyHelper::DLT_IEEE802_11_RADIO);
}

void
WifiTierHelper::SetTierAttribute(const std::string& name, const AttributeValue& value)
{
    m_tierFactory.Set(name, value);
}

void
WifiTierHelper::SetRadioEnergyAttribute(const std::string& name, const AttributeValue& value)
{
    m_energyAttributes.emplace_back(name, value.Copy());
}

void
WifiTierHelper::SetPcapSnapLen(uint32_t bytes)
{
    m_phy.m_snapLen = bytes;
}

std::vector<uint8_t>
WifiTierHelper::ChannelNumbers(uint32_t cells, bool* reused)
{
    std::vector<uint8_t> list;
    for (const auto& info : WifiPhyOperatingChannel::m_frequencyChannels)
    {
        if (std::get<2>(info) == 20 && std::get<3>(info) == WIFI_PHY_OFDM_CHANNEL &&
            std::get<4>(info) == WIFI_PHY_BAND_5GHZ)
        {
            list.push_back(std::get<0>(info));
        }
    }
    NS_ABORT_MSG_IF(list.empty(), "ns-3 knows no 20 MHz OFDM channel in the 5 GHz band");
    std::vector<uint8_t> numbers;
    for (uint32_t m = 0; m < cells; ++m)
    {
        numbers.push_back(list[m % list.size()]);
    }
    if (reused)
    {
        *reused = cells > list.size();
    }
    return numbers;
}

Ptr<WifiTier>
WifiTierHelper::Install(const NodeContainer& servers,
                        const NodeContainer& devices,
                        Ptr<PropagationLossModel> loss,
                        const RoundState& state)
{
    NS_ABORT_MSG_IF(m_tier, "WifiTierHelper::Install called twice");
    const uint32_t m = servers.GetN();
    const uint32_t n = devices.GetN();
    NS_ABORT_MSG_IF(m != state.NumServers() || n != state.NumUsers(),
                    "WifiTierHelper::Install: one node per server and per user of the state");
    m_tier = m_tierFactory.Create<WifiTier>();

    bool reused = false;
    const std::vector<uint8_t> channels = ChannelNumbers(m, &reused);
    if (reused)
    {
        NS_LOG_WARN("wifi tier: " << m << " cells but fewer non-overlapping 20 MHz channels in "
                                  << "5 GHz; channel numbers are reused (the cells still do not "
                                  << "interfere: each has its own channel object)");
    }
    const double noiseFigureDb =
        std::max(0.0, 10.0 * std::log10(state.noisePsdWPerHz / kThermalNoiseWPerHz));

    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211ax);
    wifi.SetRemoteStationManager(m_tier->GetRateControl() == WifiTier::IDEAL
                                     ? "ns3::IdealWifiManager"
                                     : "ns3::MinstrelHtWifiManager",
                                 "RtsCtsThreshold",
                                 UintegerValue(m_tier->GetRtsCtsThresholdBytes()));
    m_phy.Set("RxNoiseFigure", DoubleValue(noiseFigureDb));
    m_phy.Set("TxPowerLevels", UintegerValue(1));
    m_phy.SetPreambleDetectionModel("ns3::ThresholdPreambleDetectionModel",
                                    "MinimumRssi",
                                    DoubleValue(-101.0));

    InternetStackHelper internet;
    for (const NodeContainer* nodes : {&servers, &devices})
    {
        for (uint32_t i = 0; i < nodes->GetN(); ++i)
        {
            if (!nodes->Get(i)->GetObject<Ipv4>())
            {
                internet.Install(nodes->Get(i));
            }
        }
    }
    Ipv4AddressHelper ipv4("10.0.0.0", "255.255.0.0");

    std::vector<std::vector<Ptr<WifiNetDevice>>> stations(n, std::vector<Ptr<WifiNetDevice>>(m));
    std::vector<Ptr<WifiNetDevice>> aps;
    std::vector<Ipv4Address> addresses;
    for (uint32_t j = 0; j < m; ++j)
    {
        auto channel = CreateObject<YansWifiChannel>();
        channel->SetPropagationLossModel(loss);
        channel->SetPropagationDelayModel(CreateObject<ConstantSpeedPropagationDelayModel>());
        m_phy.SetChannel(channel);
        m_phy.Set("ChannelSettings",
                  StringValue("{" + std::to_string(channels[j]) + ", 20, BAND_5GHZ, 0}"));
        const Ssid ssid("edge-llm-" + std::to_string(j));

        WifiMacHelper mac;
        const double apDbm = m_tier->ClampTxPowerDbm(state.servers[j].txPowerW);
        m_phy.Set("TxPowerStart", DoubleValue(apDbm));
        m_phy.Set("TxPowerEnd", DoubleValue(apDbm));
        mac.SetType("ns3::ApWifiMac", "Ssid", SsidValue(ssid));
        NetDeviceContainer ap = wifi.Install(m_phy, mac, servers.Get(j));

        NetDeviceContainer cell;
        mac.SetType("ns3::StaWifiMac",
                    "Ssid",
                    SsidValue(ssid),
                    "ActiveProbing",
                    BooleanValue(true),
                    "ProbeDelay", // spread the first probes of a cell's stations over 20 ms
                    StringValue("ns3::UniformRandomVariable[Min=0.0|Max=20000.0]"),
                    "MaxMissedBeacons",
                    UintegerValue(kNeverMissBeacons));
        for (uint32_t i = 0; i < n; ++i)
        {
            const double staDbm = m_tier->ClampTxPowerDbm(state.users[i].pMaxW);
            m_phy.Set("TxPowerStart", DoubleValue(staDbm));
            m_phy.Set("TxPowerEnd", DoubleValue(staDbm));
            cell.Add(wifi.Install(m_phy, mac, devices.Get(i)));
            stations[i][j] = DynamicCast<WifiNetDevice>(cell.Get(i));
        }
        Ipv4InterfaceContainer apIf = ipv4.Assign(ap);
        ipv4.Assign(cell);
        ipv4.NewNetwork();
        // Static ARP entries within the cell: no ARP broadcasts. Besides sparing airtime, this
        // avoids an ns-3 3.37 Block Ack stall: a station's broadcast ARP request (sent outside
        // the agreement) could take the sequence number its ADDBA request had announced as the
        // window start, and the AP then held every later frame of that TID in its reordering
        // buffer for good (seen as a TCP SYN that never gets an answer). An ARP cache is
        // flushed whenever its device's link goes up or down (AP start, association), so the
        // entries are (re)filled after every link change, i.e. after that flush.
        NetDeviceContainer members(ap, cell);
        for (uint32_t k = 0; k < members.GetN(); ++k)
        {
            Ptr<NetDevice> device = members.Get(k);
            HoldFramesUntilAddBaResponse(device);
            RefillArpCache(device);
            device->AddLinkChangeCallback(
                MakeBoundCallback(&RefillArpCacheOnLinkChange, PeekPointer(device)));
        }
        aps.push_back(DynamicCast<WifiNetDevice>(ap.Get(0)));
        addresses.push_back(apIf.GetAddress(0));
        m_aps.Add(ap);
        NS_LOG_INFO("cell " << j << ": channel " << unsigned(channels[j]) << ", AP "
                            << addresses.back() << " at " << apDbm << " dBm");
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t j = 0; j < m; ++j)
        {
            m_stations.Add(stations[i][j]);
        }
    }
    m_tier->Setup(loss, stations, aps, addresses);
    return m_tier;
}

int64_t
WifiTierHelper::AssignStreams(int64_t stream)
{
    WifiHelper wifi;
    int64_t used = wifi.AssignStreams(m_aps, stream);
    used += wifi.AssignStreams(m_stations, stream + used);
    return used;
}

Ptr<WifiTier>
WifiTierHelper::GetTier() const
{
    return m_tier;
}

const NetDeviceContainer&
WifiTierHelper::GetAccessPointDevices() const
{
    return m_aps;
}

const NetDeviceContainer&
WifiTierHelper::GetStationDevices() const
{
    return m_stations;
}

Ptr<WifiTierRadioEnergyModel>
WifiTierHelper::InstallRadioEnergy(uint32_t user, Ptr<EnergySource> battery)
{
    NS_ABORT_MSG_IF(!m_tier, "WifiTierHelper::InstallRadioEnergy before Install");
    ObjectFactory factory("ns3::WifiPhyStateEnergyModel");
    for (const auto& [name, value] : m_energyAttributes)
    {
        factory.Set(name, *value);
    }
    // A sleeping interface stands for a cell the radio is not tuned to: it draws nothing.
    factory.Set("SleepCurrentA", DoubleValue(0.0));
    auto sum = CreateObject<WifiTierRadioEnergyModel>();
    const uint32_t m = m_aps.GetN();
    for (uint32_t j = 0; j < m; ++j)
    {
        auto model = factory.Create<WifiPhyStateEnergyModel>();
        auto txCurrent = CreateObject<LinearWifiTxCurrentModel>();
        txCurrent->SetAttribute("Voltage", DoubleValue(battery->GetSupplyVoltage()));
        txCurrent->SetAttribute("IdleCurrent", DoubleValue(model->GetIdleCurrentA()));
        model->SetTxCurrentModel(txCurrent);
        if (j == 0) // the cost model prices what the radio draws (WifiTier::DescribeLinks)
        {
            DoubleValue eta;
            txCurrent->GetAttribute("Eta", eta);
            m_tier->SetRadioPower(user,
                                  battery->GetSupplyVoltage() * model->GetIdleCurrentA(),
                                  eta.Get());
        }
        model->SetEnergySource(battery);
        battery->AppendDeviceEnergyModel(model);
        Ptr<WifiPhy> phy = m_tier->GetStation(user, j)->GetPhy();
        model->AttachPhy(phy);
        model->SetEnergyDepletionCallback(MakeBoundCallback(&RadioBatteryEmpty, phy));
        sum->Add(model);
    }
    return sum;
}

void
WifiTierHelper::EnablePcap(const std::string& prefix, const NetDeviceContainer& devices)
{
    m_phy.EnablePcap(prefix, devices);
}

uint32_t
WifiTierHelper::GetTcpSegmentBytes() const
{
    NS_ABORT_MSG_IF(m_aps.GetN() == 0, "WifiTierHelper::GetTcpSegmentBytes before Install");
    return m_aps.Get(0)->GetMtu() - kIpTcpHeaderBytes;
}

void
WifiTierHelper::PhyHelper::EnablePcapInternal(std::string prefix,
                                              Ptr<NetDevice> nd,
                                              bool /* promiscuous */,
                                              bool explicitFilename)
{
    Ptr<WifiNetDevice> device = DynamicCast<WifiNetDevice>(nd);
    if (!device)
    {
        NS_LOG_INFO("WifiTierHelper::EnablePcap: " << nd << " is not a WifiNetDevice");
        return;
    }
    PcapHelper pcap;
    const std::string filename =
        explicitFilename ? prefix : pcap.GetFilenameFromDevice(prefix, device);
    Ptr<PcapFileWrapper> file =
        m_snapLen > 0 ? pcap.CreateFile(filename, std::ios::out, GetPcapDataLinkType(), m_snapLen)
                      : pcap.CreateFile(filename, std::ios::out, GetPcapDataLinkType());
    Ptr<WifiPhy> phy = device->GetPhy();
    phy->TraceConnectWithoutContext("MonitorSnifferTx",
                                    MakeBoundCallback(&PhyHelper::PcapSniffTxEvent, file));
    phy->TraceConnectWithoutContext("MonitorSnifferRx",
                                    MakeBoundCallback(&PhyHelper::PcapSniffRxEvent, file));
}

void
WifiTierHelper::InstallDevices(const ChannelTierContext& context)
{
    // fast fading in the loss chain (the fdma channel keeps it apart, as its FastFadingModel,
    // so that the large-scale CSI never sees a fading draw)
    if (context.fastFading)
    {
        context.loss->SetNext(context.fastFading);
    }
}

Ptr<SplitChannelTier>
WifiTierHelper::InstallTier(const ChannelTierContext& context, const ObjectFactory& tier)
{
    m_tierFactory = tier;
    return Install(context.servers, context.devices, context.loss, *context.state);
}

Ptr<DeviceEnergyModel>
WifiTierHelper::InstallDeviceRadioEnergy(uint32_t user, Ptr<EnergySource> battery)
{
    return InstallRadioEnergy(user, battery);
}

void
WifiTierHelper::EnablePcapOnServers(const std::string& prefix)
{
    EnablePcap(prefix, m_aps);
}

NetDeviceContainer
WifiTierHelper::GetServerNetDevices() const
{
    return m_aps;
}

NetDeviceContainer
WifiTierHelper::GetUserNetDevices() const
{
    return m_stations;
}

} // namespace ns3
