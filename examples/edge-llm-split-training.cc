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
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/flow-monitor-helper.h"

#include <iostream>

using namespace ns3;

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

    CommandLine cmd(__FILE__);
    scenarioFlags.AddTo(cmd);
    cmd.AddValue("allocator", "Allocator: short name (fp, edge-only, …) or TypeId", allocator);
    cmd.AddValue("run", "ns-3 run number (independent replications)", run);
    cmd.AddValue("outputDir", "Folder for CSV, pcap and FlowMonitor outputs", outputDir);
    cmd.AddValue("pcap", "Write a pcap per server interface", pcap);
    cmd.AddValue("flowMonitor", "Write FlowMonitor XML", flowMonitor);
    cmd.AddValue("progress", "Print a progress line per round on stderr", progress);
    cmd.Parse(argc, argv);

    try
    {
        SplitTrainingScenario sc = scenarioFlags.Scenario(run);
        sc.allocator = allocator;
        scenarioFlags.SeedRng(run);

        SplitTrainingHelper helper;
        helper.Build(sc);
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");
        SplitTrainingOutputHelper output;
        output.Open(outputDir);
        output.SetProgress(progress);
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
        Simulator::Destroy();
    }
    catch (const InputError& e)
    {
        std::cerr << "edge-llm-split-training: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
