/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-helper.h"

#include "ns3/log.h"
#include "ns3/mac48-address.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFdmaHelper");

namespace
{

void
RadioTxBegin(Ptr<PowerDrawEnergyModel> model, Ptr<const Packet>, double powerW, Time)
{
    model->SetPowerW(powerW);
}

void
RadioTxEnd(Ptr<PowerDrawEnergyModel> model, Ptr<const Packet>)
{
    model->SetPowerW(0);
}

} // namespace

FdmaHelper::FdmaHelper()
{
    m_channelFactory.SetTypeId("ns3::FdmaChannel");
    m_deviceFactory.SetTypeId("ns3::FdmaNetDevice");
}

void
FdmaHelper::SetPcapSnapLen(uint32_t bytes)
{
    m_pcapSnapLen = bytes;
}

void
FdmaHelper::SetChannelAttribute(const std::string& name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
FdmaHelper::SetDeviceAttribute(const std::string& name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

Ptr<FdmaChannel>
FdmaHelper::GetChannel()
{
    if (!m_channel)
    {
        m_channel = m_channelFactory.Create<FdmaChannel>();
    }
    return m_channel;
}

NetDeviceContainer
FdmaHelper::Install(const NodeContainer& nodes, FdmaNetDevice::Role role)
{
    NetDeviceContainer devices;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<FdmaNetDevice> d = m_deviceFactory.Create<FdmaNetDevice>();
        d->SetAddress(Mac48Address::Allocate());
        d->SetRole(role);
        (*it)->AddDevice(d);
        d->Attach(GetChannel());
        devices.Add(d);
    }
    return devices;
}

void
FdmaHelper::Connect(Ptr<FdmaNetDevice> mobile,
                    Ptr<FdmaNetDevice> server,
                    const FdmaLinkParams& uplink,
                    const FdmaLinkParams& downlink)
{
    const auto mobileMac = Mac48Address::ConvertFrom(mobile->GetAddress());
    const auto serverMac = Mac48Address::ConvertFrom(server->GetAddress());
    mobile->SetLink(serverMac, uplink);
    server->SetLink(mobileMac, downlink);
}

Ptr<PowerDrawEnergyModel>
FdmaHelper::InstallRadioEnergy(Ptr<FdmaNetDevice> device, Ptr<EnergySource> source)
{
    auto radio = CreateObject<PowerDrawEnergyModel>();
    radio->SetEnergySource(source);
    source->AppendDeviceEnergyModel(radio);
    device->TraceConnectWithoutContext("PhyTxBegin", MakeBoundCallback(&RadioTxBegin, radio));
    device->TraceConnectWithoutContext("PhyTxEnd", MakeBoundCallback(&RadioTxEnd, radio));
    return radio;
}

void
FdmaHelper::EnablePcapInternal(std::string prefix,
                               Ptr<NetDevice> nd,
                               bool /* promiscuous */,
                               bool explicitFilename)
{
    Ptr<FdmaNetDevice> device = nd->GetObject<FdmaNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("FdmaHelper::EnablePcapInternal: " << nd << " is not an FdmaNetDevice");
        return;
    }
    PcapHelper pcapHelper;
    std::string filename =
        explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, device);
    Ptr<PcapFileWrapper> file =
        pcapHelper.CreateFile(filename,
                              std::ios::out,
                              PcapHelper::DLT_EN10MB,
                              m_pcapSnapLen == 0 ? UINT32_MAX : m_pcapSnapLen);
    pcapHelper.HookDefaultSink<FdmaNetDevice>(device, "Sniffer", file);
}

} // namespace ns3
