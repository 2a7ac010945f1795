/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Test fixture shared by the fdma test suites: a star of mobiles and servers on one
 * FdmaChannel, and TCP settings for large-MTU links.
 */
#ifndef EDGE_LLM_FDMA_TEST_STAR_H
#define EDGE_LLM_FDMA_TEST_STAR_H

#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"

#include <cmath>
#include <functional>
#include <vector>

namespace ns3
{
namespace fdmatest
{

/// A star of mobiles and servers on one FdmaChannel with IPv4 and static positions.
struct Star
{
    NodeContainer mobiles;
    NodeContainer servers;
    NetDeviceContainer mobileDevices;
    NetDeviceContainer serverDevices;
    Ipv4InterfaceContainer mobileIfs;
    Ipv4InterfaceContainer serverIfs;
    Ptr<FdmaChannel> channel;

    /**
     * @param mobilePos mobile positions
     * @param serverPos server positions
     * @param configure sets attributes on the helper before the devices are installed
     */
    Star(const std::vector<Vector>& mobilePos,
         const std::vector<Vector>& serverPos,
         const std::function<void(FdmaHelper&)>& configure = {})
    {
        mobiles.Create(mobilePos.size());
        servers.Create(serverPos.size());
        MobilityHelper mobility;
        auto alloc = CreateObject<ListPositionAllocator>();
        for (const auto& p : mobilePos)
        {
            alloc->Add(p);
        }
        for (const auto& p : serverPos)
        {
            alloc->Add(p);
        }
        mobility.SetPositionAllocator(alloc);
        mobility.Install(mobiles);
        mobility.Install(servers);
        FdmaHelper fdma;
        if (configure)
        {
            configure(fdma);
        }
        mobileDevices = fdma.Install(mobiles, FdmaNetDevice::MOBILE);
        serverDevices = fdma.Install(servers, FdmaNetDevice::SERVER);
        channel = fdma.GetChannel();
        InternetStackHelper internet;
        internet.Install(mobiles);
        internet.Install(servers);
        Ipv4AddressHelper ipv4("10.1.0.0", "255.255.0.0");
        mobileIfs = ipv4.Assign(mobileDevices);
        serverIfs = ipv4.Assign(serverDevices);
    }

    Ptr<FdmaNetDevice> Mobile(uint32_t i) const
    {
        return DynamicCast<FdmaNetDevice>(mobileDevices.Get(i));
    }

    Ptr<FdmaNetDevice> Server(uint32_t i) const
    {
        return DynamicCast<FdmaNetDevice>(serverDevices.Get(i));
    }

    /// Shannon capacity of a link at the current positions (no fading in these tests).
    double Capacity(Ptr<FdmaNetDevice> tx, Ptr<FdmaNetDevice> rx, double powerW, double bHz) const
    {
        const double snr = channel->RxPowerW(tx, rx, powerW) / (channel->GetNoisePsdWPerHz() * bHz);
        return bHz * std::log2(1.0 + snr);
    }
};

/// TCP settings that keep a large-MTU link busy (as the training apps use them).
inline void
ConfigureTcp()
{
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(64000));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(1 << 24));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(1 << 24));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(64));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
}

} // namespace fdmatest
} // namespace ns3

#endif // EDGE_LLM_FDMA_TEST_STAR_H
