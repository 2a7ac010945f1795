/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-helper.h"

#include "ns3/config.h"
#include "ns3/device-battery.h"
#include "ns3/double.h"
#include "ns3/energy-source-container.h"
#include "ns3/enum.h"
#include "ns3/input-error.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/log.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSplitTrainingHelper");

namespace
{

/**
 * Give a battery to its node as ns-3's EnergySourceHelper does: into the EnergySourceContainer
 * aggregated to the node. The battery and its energy models hold each other (EnergySource's
 * model list, each model's source) and the battery holds the node; only the battery's
 * DoDispose breaks that cycle. Aggregated, it is disposed with the node (Simulator::Destroy
 * disposes the NodeList), its models too (EnergySourceContainer::DoDispose); the container also
 * initializes it with the node (DeviceBattery::DoInitialize starts the periodic updates).
 */
void
InstallBattery(Ptr<Node> node, Ptr<DeviceBattery> battery)
{
    battery->SetNode(node);
    auto onNode = node->GetObject<EnergySourceContainer>();
    if (!onNode)
    {
        onNode = CreateObject<EnergySourceContainer>();
        node->AggregateObject(onNode);
    }
    onNode->Add(battery);
}

/// Scale the activation and gradient sizes by the compression factor (whole bytes).
void
Compress(RoundState& state, double compression)
{
    Require(compression > 0 && compression <= 1,
            "--compression",
            std::to_string(compression),
            "a factor in (0, 1] (0.5: 16-bit -> 8-bit activations)");
    for (auto& u : state.users)
    {
        u.payloadBits = std::round(u.payloadBits * compression / 8) * 8;
        u.downlinkBits = std::round(u.downlinkBits * compression / 8) * 8;
    }
}

/**
 * Check the scenario's options (Build's first step; the first bad one raises InputError).
 * @param sc the scenario
 * @return the tier's TypeId
 */
TypeId
ValidateScenario(const SplitTrainingScenario& sc)
{
    const TypeId tierType = ChannelTierHelper::LookupTier(sc.tier, "--tier");
    Require(std::set<std::string>{"partitioned", "fcfs", "processor-sharing"}.count(sc.gpuPolicy),
            "--gpuPolicy",
            sc.gpuPolicy,
            "partitioned, fcfs or processor-sharing");
    RadioEnvironmentHelper::Validate(sc); // channel, fading, mobility, speed, heights
    Require(sc.batteryJ > 0, "--batteryJ", std::to_string(sc.batteryJ), "a positive energy in J");
    Require(sc.batteryReserve >= 0 && sc.batteryReserve < 1,
            "--batteryReserve",
            std::to_string(sc.batteryReserve),
            "a share of the capacity in [0, 1)");
    Require(sc.tcpBufferBytes >= 131072,
            "--tcpBufferBytes",
            std::to_string(sc.tcpBufferBytes),
            "at least 131072 bytes (two 64 kB segments)");
    Require(sc.rateMarginDb >= 0,
            "--rateMarginDb",
            std::to_string(sc.rateMarginDb),
            "a non-negative margin in dB");
    Require(sc.linkAdaptation == "fixed" || sc.linkAdaptation == "adaptive",
            "--linkAdaptation",
            sc.linkAdaptation,
            "fixed or adaptive");
    Require(sc.csi == "measured" || sc.csi == "positions",
            "--csi",
            sc.csi,
            "measured or positions");
    sc.faults.Validate(sc.drop.users, sc.drop.servers);
    return tierType;
}

/**
 * Set the user's tier attributes (SplitTrainingHelper::SetTierAttribute) on the tier's factory;
 * an unknown attribute or a bad value raises InputError.
 * @param tierType the tier's TypeId
 * @param attributes name and value, in the order they were set
 * @param factory the tier's factory
 */
void
ApplyTierAttributes(TypeId tierType,
                    const std::vector<std::pair<std::string, Ptr<AttributeValue>>>& attributes,
                    ObjectFactory& factory)
{
    for (const auto& [name, value] : attributes)
    {
        TypeId::AttributeInformation info;
        Require(tierType.LookupAttributeByName(name, &info),
                "tier attribute " + name,
                value->SerializeToString(nullptr),
                "an attribute of " + tierType.GetName());
        Require(bool(info.checker->CreateValidValue(*value)),
                "tier attribute " + name,
                value->SerializeToString(info.checker),
                "a valid value of " + tierType.GetName() + "::" + name + " (" +
                    info.checker->GetUnderlyingTypeInformation() + ")");
        factory.Set(name, *value);
    }
}

/// TCP defaults for the training traffic (Config::SetDefault, before any socket exists).
void
SetTcpDefaults(const SplitTrainingScenario& sc)
{
    // TCP that keeps a large-MTU link busy: 64 kB segments, large buffers, no delayed ACKs.
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(sc.tcpBufferBytes));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(sc.tcpBufferBytes));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(64));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
    // ARP answers at once (ns-3 delays requests by up to 10 ms at random by default, which
    // would add a random slice of a round to fast links)
    Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                       StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
    // keep trying through fades until the round timeout rather than giving up after 6 tries
    Config::SetDefault("ns3::TcpSocket::ConnCount", UintegerValue(1000));
    Config::SetDefault("ns3::TcpSocket::DataRetries", UintegerValue(1000));
    // A device closes its connection once the gradient is in and opens a new one (new port)
    // next round: ns-3's 2 x 120 s TIME_WAIT would keep every round's socket alive for 240 s
    // (memory growing with devices x rounds). Nothing here reuses a port, so 2 x 1 s is enough.
    Config::SetDefault("ns3::TcpSocketBase::MaxSegLifetime", DoubleValue(1.0));
}

/**
 * One device: battery, compute and radio draws, training app.
 * @param sc the scenario
 * @param node the device's node
 * @param i the device's index
 * @param tierHelper the tier's helper (the radio energy model)
 * @param segmentBytes TCP segment size of the app (0: its default)
 * @return the device as the coordinator sees it
 */
RoundCoordinator::Device
InstallDevice(const SplitTrainingScenario& sc,
              Ptr<Node> node,
              uint32_t i,
              ChannelTierHelper& tierHelper,
              uint32_t segmentBytes)
{
    auto battery = CreateObject<DeviceBattery>();
    battery->SetAttribute("InitialEnergyJ", DoubleValue(sc.batteryJ));
    battery->SetAttribute("SupplyVoltageV", DoubleValue(sc.supplyVoltageV));
    // The device stops when only the reserve is left: the battery notices the instant
    // its draw reaches the threshold (DeviceBattery), whatever the periodic interval.
    battery->SetAttribute("LowBatteryThreshold", DoubleValue(sc.batteryReserve));
    battery->SetAttribute("PeriodicEnergyUpdateInterval", TimeValue(sc.batteryUpdate));
    InstallBattery(node, battery);
    RoundCoordinator::Device d;
    d.battery = battery;
    d.compute = CreateObject<PowerDrawEnergyModel>();
    d.compute->SetEnergySource(battery);
    battery->AppendDeviceEnergyModel(d.compute);
    d.radio = tierHelper.InstallDeviceRadioEnergy(i, battery);
    auto processor = CreateObject<DeviceProcessor>();
    processor->SetEnergyModel(d.compute);
    d.client = CreateObject<SplitTrainingClient>();
    d.client->SetProcessor(processor);
    if (segmentBytes > 0)
    {
        d.client->SetAttribute("SegmentBytes", UintegerValue(segmentBytes));
    }
    node->AddApplication(d.client);
    return d;
}

/**
 * One server: GPU and training app; the GPU is aggregated to the node (disposed with it, by
 * Simulator::Destroy, while the simulator is still there; not whenever its last Ptr goes).
 * @param sc the scenario
 * @param node the server's node
 * @param fMaxHz the GPU's frequency
 * @param segmentBytes TCP segment size of the app (0: its default)
 * @param gpus the GPU is appended here
 * @return the server as the coordinator sees it
 */
RoundCoordinator::Server
InstallServer(const SplitTrainingScenario& sc,
              Ptr<Node> node,
              double fMaxHz,
              uint32_t segmentBytes,
              std::vector<Ptr<EdgeGpu>>& gpus)
{
    auto gpu = CreateObject<EdgeGpu>();
    gpu->SetAttribute("Policy", StringValue(sc.gpuPolicy));
    gpu->SetAttribute("FrequencyHz", DoubleValue(fMaxHz));
    auto app = CreateObject<SplitTrainingServer>();
    app->SetGpu(gpu);
    if (segmentBytes > 0)
    {
        app->SetAttribute("SegmentBytes", UintegerValue(segmentBytes));
    }
    node->AddApplication(app);
    node->AggregateObject(gpu);
    gpus.push_back(gpu);
    return {app};
}

} // namespace

RoundState
SplitTrainingHelper::PlannedState(const SplitTrainingScenario& sc)
{
    RoundState state = RoundStateGenerator::Generate(sc.drop);
    Compress(state, sc.compression);
    return state;
}

void
SplitTrainingHelper::Build(const SplitTrainingScenario& sc)
{
    NS_ABORT_MSG_IF(m_coordinator, "SplitTrainingHelper::Build called twice");
    m_scenario = sc;
    const TypeId tierType = ValidateScenario(sc);
    Ptr<SplitAllocator> allocator = SplitAllocator::CreateByName(sc.allocator);
    // the tier: its object from a factory (scenario flags, then the user's attributes), the rest
    // from its helper
    ObjectFactory tierFactory;
    tierFactory.SetTypeId(tierType);
    m_tierHelper = ChannelTierHelper::Create(tierType);
    m_tierHelper->Configure(sc, tierFactory);
    ApplyTierAttributes(tierType, m_tierAttributes, tierFactory);

    GeneratedDrop drop = RoundStateGenerator::GenerateDrop(sc.drop);
    m_base = drop.state;
    Compress(m_base, sc.compression);
    const uint32_t n = m_base.NumUsers();
    const uint32_t m = m_base.NumServers();
    SetTcpDefaults(sc);

    m_serverNodes.Create(m);
    m_deviceNodes.Create(n);
    // Mobility and propagation (RadioEnvironmentHelper): positions at the channel's antenna
    // heights, device mobility, large-scale loss (path loss + shadowing), fast fading.
    m_radio.Install(sc, drop.serverPositions, drop.userPositions, m_serverNodes, m_deviceNodes);
    m_radio.AssignStreams(1000);
    ChannelTierContext context;
    context.servers = m_serverNodes;
    context.devices = m_deviceNodes;
    context.loss = m_radio.GetLargeScaleLoss();
    context.fastFading = m_radio.GetFastFading();
    context.state = &m_base;
    context.scenario = &m_scenario;
    m_tierHelper->InstallDevices(context); // those that come before the Internet stack

    InternetStackHelper internet;
    internet.Install(m_serverNodes);
    internet.Install(m_deviceNodes);
    // Fixed streams: the same seed and run give the same simulation, even several times in
    // one process (ns-3 otherwise numbers streams in creation order across simulations).
    internet.AssignStreams(m_serverNodes, 2000);
    internet.AssignStreams(m_deviceNodes, 3000);
    m_radio.AssignMobilityStreams(5000);
    allocator->AssignStreams(6000);
    Ptr<SplitChannelTier> tier = m_tierHelper->InstallTier(context, tierFactory);
    m_tierHelper->AssignStreams(7000);
    m_serverDevices = m_tierHelper->GetServerNetDevices();
    m_deviceDevices = m_tierHelper->GetUserNetDevices();
    // TCP segment size of the training apps (0: their default)
    const uint32_t segmentBytes = m_tierHelper->GetTcpSegmentBytes();

    for (uint32_t i = 0; i < n; ++i)
    {
        m_devices.push_back(
            InstallDevice(sc, m_deviceNodes.Get(i), i, *m_tierHelper, segmentBytes));
    }
    std::vector<RoundCoordinator::Server> serverApps;
    for (uint32_t j = 0; j < m; ++j)
    {
        serverApps.push_back(InstallServer(sc,
                                           m_serverNodes.Get(j),
                                           m_base.servers[j].fMaxHz,
                                           segmentBytes,
                                           m_gpus));
    }

    m_coordinator = CreateObject<RoundCoordinator>();
    m_coordinator->SetAttribute("Rounds", UintegerValue(sc.rounds));
    m_coordinator->SetAttribute("RoundTimeout", TimeValue(sc.roundTimeout));
    m_coordinator->SetAttribute("HandoverHysteresisDb", DoubleValue(sc.handoverHysteresisDb));
    m_coordinator->Setup(m_base, allocator, tier, m_devices, serverApps);
    // injected faults (FaultSchedule): the coordinator plays the events; frame errors here
    m_coordinator->SetFaults(sc.faults);
    if (sc.faults.frameErrorRate > 0)
    {
        InstallFrameErrorRate(NodeContainer(m_serverNodes, m_deviceNodes),
                              sc.faults.frameErrorRate);
    }
}

Ptr<RoundCoordinator>
SplitTrainingHelper::GetCoordinator() const
{
    return m_coordinator;
}

std::vector<RoundReport>
SplitTrainingHelper::RunToEnd(Time limit)
{
    NS_ABORT_MSG_IF(!m_coordinator, "SplitTrainingHelper::RunToEnd before Build");
    m_coordinator->TraceConnectWithoutContext(
        "AllRoundsFinished",
        MakeCallback(static_cast<void (*)()>(&Simulator::Stop)));
    m_coordinator->Start(Seconds(0.1));
    if (limit.IsStrictlyPositive())
    {
        Simulator::Stop(limit);
    }
    Simulator::Run();
    m_coordinator->RethrowRoundError(); // e.g. an external allocator's bad answer
    return m_coordinator->GetReports();
}

const RoundState&
SplitTrainingHelper::GetBaseState() const
{
    return m_base;
}

const NodeContainer&
SplitTrainingHelper::GetDeviceNodes() const
{
    return m_deviceNodes;
}

const NodeContainer&
SplitTrainingHelper::GetServerNodes() const
{
    return m_serverNodes;
}

const NetDeviceContainer&
SplitTrainingHelper::GetServerDevices() const
{
    return m_serverDevices;
}

const NetDeviceContainer&
SplitTrainingHelper::GetDeviceDevices() const
{
    return m_deviceDevices;
}

void
SplitTrainingHelper::SetTierAttribute(const std::string& name, const AttributeValue& value)
{
    m_tierAttributes.emplace_back(name, value.Copy());
}

ChannelTierHelper&
SplitTrainingHelper::GetTierHelper()
{
    NS_ABORT_MSG_IF(!m_tierHelper, "SplitTrainingHelper::GetTierHelper before Build");
    return *m_tierHelper;
}

const RadioEnvironmentHelper&
SplitTrainingHelper::GetRadioEnvironment() const
{
    return m_radio;
}

void
SplitTrainingHelper::EnablePcap(const std::string& prefix)
{
    NS_ABORT_MSG_IF(!m_coordinator, "SplitTrainingHelper::EnablePcap before Build");
    m_tierHelper->EnablePcapOnServers(prefix);
}

const std::vector<RoundCoordinator::Device>&
SplitTrainingHelper::GetDevices() const
{
    return m_devices;
}

const std::vector<Ptr<EdgeGpu>>&
SplitTrainingHelper::GetGpus() const
{
    return m_gpus;
}

} // namespace ns3
