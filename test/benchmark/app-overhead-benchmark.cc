/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the split-training apps cost on top of moving the bytes: wall time of one round of
 * SplitTrainingClient/Server (activation up, gradient down, zero compute) versus ns-3's
 * BulkSendApplication moving the same bytes in both directions over the same fdma channel.
 *
 *   ./build/bench/edge-llm-benchmarks --benchmark_filter=Transfer
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"

#include <benchmark/benchmark.h>

using namespace ns3;

namespace
{

constexpr uint32_t kDevices = 10;
constexpr uint64_t kBytes = 16777216; // LLaMA-2-7B activation at batch 4, seq 512

/// One server and kDevices devices on an fdma channel, links at their Shannon rates.
struct Star
{
    NodeContainer devices;
    NodeContainer server;
    Ipv4InterfaceContainer serverIf;

    Star()
    {
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(64000));
        Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(1 << 24));
        Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(1 << 24));
        Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(64));
        Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
        server.Create(1);
        devices.Create(kDevices);
        MobilityHelper mobility;
        auto pos = CreateObject<ListPositionAllocator>();
        pos->Add(Vector(0, 0, 0));
        for (uint32_t i = 0; i < kDevices; ++i)
        {
            pos->Add(Vector(50 + 10 * i, 0, 0));
        }
        mobility.SetPositionAllocator(pos);
        mobility.Install(server);
        mobility.Install(devices);
        FdmaHelper fdma;
        auto serverDev = fdma.Install(server, FdmaNetDevice::SERVER);
        auto deviceDevs = fdma.Install(devices, FdmaNetDevice::MOBILE);
        InternetStackHelper internet;
        internet.Install(server);
        internet.Install(devices);
        Ipv4AddressHelper ipv4("10.0.0.0", "255.0.0.0");
        serverIf = ipv4.Assign(serverDev);
        ipv4.Assign(deviceDevs);
        auto channel = fdma.GetChannel();
        auto s = DynamicCast<FdmaNetDevice>(serverDev.Get(0));
        const double b = 2e6;
        for (uint32_t i = 0; i < kDevices; ++i)
        {
            auto d = DynamicCast<FdmaNetDevice>(deviceDevs.Get(i));
            auto rate = [&](Ptr<FdmaNetDevice> tx, Ptr<FdmaNetDevice> rx, double p) {
                return b * std::log2(1 + channel->RxPowerW(tx, rx, p) /
                                             (channel->GetNoisePsdWPerHz() * b));
            };
            FdmaHelper::Connect(d, s, {b, 0.2, rate(d, s, 0.2)}, {b, 1.0, rate(s, d, 1.0)});
        }
    }
};

void
SplitTrainingRound()
{
    Star star;
    auto gpu = CreateObject<EdgeGpu>();
    auto serverApp = CreateObject<SplitTrainingServer>();
    serverApp->SetGpu(gpu);
    star.server.Get(0)->AddApplication(serverApp);
    std::vector<Ptr<SplitTrainingClient>> clients;
    for (uint32_t i = 0; i < kDevices; ++i)
    {
        auto client = CreateObject<SplitTrainingClient>();
        client->SetProcessor(CreateObject<DeviceProcessor>());
        star.devices.Get(i)->AddApplication(client);
        clients.push_back(client);
        ServerJobPlan job;
        job.gradientBytes = kBytes;
        job.shareHz = 1e9;
        job.timeEnergy = [](double) { return std::make_pair(0.0, 0.0); };
        serverApp->SetJob(i, job);
    }
    Simulator::Schedule(Seconds(0.1), [&]() {
        for (uint32_t i = 0; i < kDevices; ++i)
        {
            ClientRoundPlan plan;
            plan.user = i;
            plan.server = InetSocketAddress(star.serverIf.GetAddress(0), serverApp->GetPort());
            plan.activationBytes = kBytes;
            clients[i]->StartRound(plan);
        }
    });
    Simulator::Stop(Seconds(10000));
    Simulator::Run();
    Simulator::Destroy();
}

void
BulkSendBothWays()
{
    Star star;
    for (uint32_t i = 0; i < kDevices; ++i)
    {
        const uint16_t port = 9000 + i;
        PacketSinkHelper sinkUp("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), port));
        sinkUp.Install(star.server.Get(0));
        BulkSendHelper up("ns3::TcpSocketFactory",
                          InetSocketAddress(star.serverIf.GetAddress(0), port));
        up.SetAttribute("MaxBytes", UintegerValue(kBytes));
        up.SetAttribute("SendSize", UintegerValue(64000));
        up.Install(star.devices.Get(i)).Start(Seconds(0.1));
        auto deviceAddr = star.devices.Get(i)->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
        PacketSinkHelper sinkDown("ns3::TcpSocketFactory",
                                  InetSocketAddress(Ipv4Address::GetAny(), port));
        sinkDown.Install(star.devices.Get(i));
        BulkSendHelper down("ns3::TcpSocketFactory", InetSocketAddress(deviceAddr, port));
        down.SetAttribute("MaxBytes", UintegerValue(kBytes));
        down.SetAttribute("SendSize", UintegerValue(64000));
        down.Install(star.server.Get(0)).Start(Seconds(0.1));
    }
    Simulator::Stop(Seconds(10000));
    Simulator::Run();
    Simulator::Destroy();
}

} // namespace

static void
BM_TransferSplitTrainingApps(benchmark::State& state)
{
    for (auto _ : state)
    {
        SplitTrainingRound();
    }
    state.counters["bytes"] = 2.0 * kDevices * kBytes;
}

BENCHMARK(BM_TransferSplitTrainingApps)->Unit(benchmark::kMillisecond)->Iterations(3);

static void
BM_TransferBulkSend(benchmark::State& state)
{
    for (auto _ : state)
    {
        BulkSendBothWays();
    }
    state.counters["bytes"] = 2.0 * kDevices * kBytes;
}

BENCHMARK(BM_TransferBulkSend)->Unit(benchmark::kMillisecond)->Iterations(3);
