/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Split fine-tuning of an LLM between N mobile devices and M edge servers over a wireless
 * network: every round the allocator decides split layer, power, bandwidth, device frequency,
 * GPU share and association; the simulator measures delay and energy. Writes rounds.csv,
 * devices.csv, a pcap per server interface and FlowMonitor XML into --outputDir.
 *
 *   edge-llm-split-training --users=10 --servers=2 --rounds=5 --outputDir=results/default
 *   edge-llm-split-training --preset=paper --users=50 --servers=10 --allocator=edge-only
 *   edge-llm-split-training --users=1000 --servers=50 --rounds=10 --timing   (scale benchmark)
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/flow-monitor-helper.h"

#include <iostream>
#include <limits>

using namespace ns3;

namespace
{
const char* const kProgram = "edge-llm-split-training";
} // namespace

int
main(int argc, char* argv[])
{
    SplitTrainingCommandLine scenarioFlags;
    std::string allocator = "fp";
    uint32_t run = 1;
    std::string outputDir = "results/split-training";
    bool pcap = true;
    bool flowMonitor = true;
    bool progress = true;
    bool timing = false;
    RunTiming timer;

    StrictFlags flags(kProgram);
    scenarioFlags.AddTo(flags);
    flags.AddString("allocator",
                    "Allocator: short name (fp, edge-only, …, external) or TypeId",
                    allocator);
    flags.AddUnsigned("run",
                      "ns-3 run number (independent replications; ns-3's --RngRun is another "
                      "name)",
                      run,
                      1,
                      std::numeric_limits<uint32_t>::max());
    flags.AddAlias("RngRun", "run");
    flags.AddString("outputDir", "Folder for CSV, pcap and FlowMonitor outputs", outputDir);
    flags.AddBool("pcap", "Write a pcap per server interface", pcap);
    flags.AddBool("flowMonitor", "Write FlowMonitor XML", flowMonitor);
    flags.AddBool("progress", "Print a progress line per round on stderr", progress);
    flags.AddBool("timing",
                  "Print what the run cost (wall, CPU, events, frames, peak RSS) on stdout",
                  timing);

    try
    {
        flags.Parse(argc, argv);
        SplitTrainingScenario sc = scenarioFlags.Scenario(run);
        sc.allocator = allocator;
        scenarioFlags.ConfigureExternalAllocator({allocator}); // --allocatorCommand
        scenarioFlags.SeedRng(run);

        SplitTrainingHelper helper;
        helper.Build(sc);
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");
        SplitTrainingOutputHelper output;
        output.Open(outputDir);
        output.SetProgress(progress);
        output.SetBatteryCapacityJ(sc.batteryJ);
        output.Connect(helper.GetCoordinator());
        output.ConnectFdmaCounters(helper.GetDeviceDevices(), helper.GetServerDevices());
        if (pcap)
        {
            helper.EnablePcap(outputDir + "/server");
        }
        FlowMonitorHelper flowHelper;
        Ptr<FlowMonitor> monitor;
        if (flowMonitor)
        {
            monitor = flowHelper.InstallAll();
        }
        helper.RunToEnd();
        if (monitor)
        {
            monitor->SerializeToXmlFile(outputDir + "/flowmon.xml", true, true);
        }
        output.Close();
        std::cout << "edge-llm split training: " << sc.drop.users << " devices, " << sc.drop.servers
                  << " servers, preset " << sc.drop.preset << ", allocator " << sc.allocator
                  << ", tier " << sc.tier << "\n";
        output.PrintSummary(std::cout);
        std::cout << "outputs in " << outputDir << "/ (rounds.csv, devices.csv"
                  << (pcap ? ", server-*.pcap" : "") << (flowMonitor ? ", flowmon.xml" : "")
                  << ")\n";
        if (timing)
        {
            NetDeviceContainer devices = helper.GetDeviceDevices();
            devices.Add(helper.GetServerDevices());
            timer.Print(std::cout, devices);
        }
        Simulator::Destroy();
    }
    catch (...)
    {
        return SplitTrainingCommandLine::ReportRunError(kProgram, "--users, --servers or --rounds");
    }
    return 0;
}
