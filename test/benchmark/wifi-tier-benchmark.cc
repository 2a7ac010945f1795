/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Wi-Fi room of build/bench/edge-llm-benchmarks: the default `wifi` run of
 * edge-llm-split-training (10 devices, 2 APs, 5 rounds, allocator fp, run 1, no pcap, no
 * FlowMonitor), one simulation per row.
 *
 *  BM_WifiDefault/scheduler  the event scheduler: 0 = ns3::MapScheduler (ns-3's default),
 *                            1 = ns3::HeapScheduler, 2 = ns3::CalendarScheduler
 *
 * Counters: "cpu_s" (user + system CPU of the simulation, getrusage), "events" (events the
 * simulator ran, Simulator::GetEventCount), "mpdus" (MPDUs the Wi-Fi PHYs sent, PhyTxBegin),
 * "makespan_s" and "energy_j" (sum over rounds of the round's largest device delay and of the
 * devices' compute + radio energy: the figures that must not move when a speed lever is
 * changed) and "max_rss_mb" (peak resident set of the process so far, getrusage: run one row
 * per process, --benchmark_filter, for the row's own peak).
 *
 *   ./build/bench/edge-llm-benchmarks --benchmark_filter='BM_WifiDefault/0'
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

using namespace ns3;

namespace
{

/// @return user + system CPU time of this process so far, s
double
CpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/// Counts the MPDUs a PHY starts to send.
void
CountMpdu(uint64_t* count, Ptr<const Packet> /* mpdu */, double /* txPowerW */)
{
    ++*count;
}

/// Connects CountMpdu to the PHY of every Wi-Fi device in @p devices.
void
CountMpdus(const NetDeviceContainer& devices, uint64_t* count)
{
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        if (auto wifi = DynamicCast<WifiNetDevice>(devices.Get(i)))
        {
            wifi->GetPhy()->TraceConnectWithoutContext("PhyTxBegin",
                                                       MakeBoundCallback(&CountMpdu, count));
        }
    }
}

static void
BM_WifiDefault(benchmark::State& st)
{
    static const char* const kSchedulers[] = {"ns3::MapScheduler",
                                              "ns3::HeapScheduler",
                                              "ns3::CalendarScheduler"};
    const std::string scheduler = kSchedulers[st.range(0)];
    double cpuS = 0;
    uint64_t events = 0;
    uint64_t mpdus = 0;
    double makespanS = 0;
    double energyJ = 0;
    for (auto _ : st)
    {
        const double cpu0 = CpuSeconds();
        GlobalValue::Bind("SchedulerType", StringValue(scheduler));
        SplitTrainingCommandLine scenarioFlags;
        StrictFlags flags("edge-llm-benchmarks");
        scenarioFlags.AddTo(flags);
        flags.Parse(std::vector<std::string>{"edge-llm-benchmarks", "--tier=wifi"});
        SplitTrainingScenario sc = scenarioFlags.Scenario(1);
        scenarioFlags.SeedRng(1);
        SplitTrainingHelper helper;
        helper.Build(sc);
        mpdus = 0;
        CountMpdus(helper.GetDeviceDevices(), &mpdus);
        CountMpdus(helper.GetServerDevices(), &mpdus);
        const std::vector<RoundReport> reports = helper.RunToEnd();
        events = Simulator::GetEventCount();
        Simulator::Destroy();
        cpuS = CpuSeconds() - cpu0;
        makespanS = 0;
        energyJ = 0;
        for (const auto& r : reports)
        {
            double makespan = 0;
            for (const auto& d : r.devices)
            {
                makespan = std::max(makespan, d.delayS);
                energyJ += d.computeEnergyJ + d.radioEnergyJ;
            }
            makespanS += makespan;
        }
    }
    st.counters["cpu_s"] = cpuS;
    st.counters["events"] = static_cast<double>(events);
    st.counters["mpdus"] = static_cast<double>(mpdus);
    st.counters["makespan_s"] = makespanS;
    st.counters["energy_j"] = energyJ;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    st.counters["max_rss_mb"] = static_cast<double>(ru.ru_maxrss) / 1e3; // ru_maxrss: KiB
    GlobalValue::Bind("SchedulerType", StringValue("ns3::MapScheduler"));
}

} // namespace

BENCHMARK(BM_WifiDefault)
    ->DenseRange(0, 2)
    ->ArgName("scheduler")
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
