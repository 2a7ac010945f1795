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

/// Ends the simulation when the coordinator has run its rounds.
static void
StopSimulation()
{
    Simulator::Stop();
}

int
main(int argc, char* argv[])
{
    SplitTrainingScenario sc;
    sc.drop.users = 10;
    sc.drop.servers = 2;
    sc.drop.preset = "realistic";
    sc.drop.layout = "hex";
    sc.allocator = "fp";
    std::string objective = "delay-aware";
    std::string delay = "sum";
    double wTime = 1;
    double wEnergy = 1;
    double wStability = 1;
    double minRateBps = 0;
    uint32_t seed = 1;
    uint32_t run = 1;
    double timeoutS = 0;
    double batteryUpdateS = 10;
    std::string outputDir = "results/split-training";
    bool pcap = true;
    bool flowMonitor = true;
    bool progress = true;

    CommandLine cmd(__FILE__);
    cmd.AddValue("users", "Number of mobile devices N", sc.drop.users);
    cmd.AddValue("servers", "Number of edge servers M", sc.drop.servers);
    cmd.AddValue("layout", "Server layout: hex, square or line", sc.drop.layout);
    cmd.AddValue("isd", "Inter-site distance between servers, m", sc.drop.interSiteDistanceM);
    cmd.AddValue("preset", "Parameter preset: realistic or paper", sc.drop.preset);
    cmd.AddValue("model", "LLM in the profile CSV (realistic preset)", sc.drop.model);
    cmd.AddValue("batch", "Batch size (realistic preset)", sc.drop.batch);
    cmd.AddValue("seq", "Sequence length (realistic preset)", sc.drop.seqLen);
    cmd.AddValue("profileCsv", "Profile CSV (default: the module's data/)", sc.drop.profileCsv);
    cmd.AddValue("allocator", "Allocator: short name (fp, edge-only, …) or TypeId", sc.allocator);
    cmd.AddValue("objective", "Objective: delay-aware or paper", objective);
    cmd.AddValue("delay", "Delay aggregate: sum or makespan", delay);
    cmd.AddValue("wTime", "Weight of delay omega_t", wTime);
    cmd.AddValue("wEnergy", "Weight of energy omega_e", wEnergy);
    cmd.AddValue("wStability", "Weight of stability omega_s", wStability);
    cmd.AddValue("minRateBps", "Minimum uplink rate r_min, bit/s", minRateBps);
    cmd.AddValue("tier", "Channel tier: fdma or wifi", sc.tier);
    cmd.AddValue("gpuPolicy", "Server GPU: partitioned, fcfs or processor-sharing", sc.gpuPolicy);
    cmd.AddValue("rounds", "Training rounds", sc.rounds);
    cmd.AddValue("batteryJ", "Device battery capacity, J", sc.batteryJ);
    cmd.AddValue("batteryUpdateS",
                 "Battery's periodic update (bounds how late an empty battery is noticed), s",
                 batteryUpdateS);
    cmd.AddValue("batteryReserve",
                 "Share of the battery at which a device stops (ns-3's low-battery threshold)",
                 sc.batteryReserve);
    cmd.AddValue("mobility", "Device mobility: static or random-walk", sc.mobility);
    cmd.AddValue("speed", "Random-walk speed, m/s", sc.speedMps);
    cmd.AddValue("fading", "Fast fading: none or nakagami (Rayleigh)", sc.fading);
    cmd.AddValue("shadowingDb", "Shadowing standard deviation, dB (0: none)", sc.shadowingDb);
    cmd.AddValue("rateMarginDb", "SNR margin of the per-round rate choice, dB", sc.rateMarginDb);
    cmd.AddValue("compression", "Activation size factor (0.5: 16-bit -> 8-bit)", sc.compression);
    cmd.AddValue("tcpBufferBytes", "TCP send/receive buffer per socket, bytes", sc.tcpBufferBytes);
    cmd.AddValue("roundTimeoutS", "Round timeout, s (0: automatic)", timeoutS);
    cmd.AddValue("seed", "Seed of the drop and of ns-3's RNG", seed);
    cmd.AddValue("run", "ns-3 run number (independent replications)", run);
    cmd.AddValue("outputDir", "Folder for CSV, pcap and FlowMonitor outputs", outputDir);
    cmd.AddValue("pcap", "Write a pcap per server interface", pcap);
    cmd.AddValue("flowMonitor", "Write FlowMonitor XML", flowMonitor);
    cmd.AddValue("progress", "Print a progress line per round on stderr", progress);
    cmd.Parse(argc, argv);

    try
    {
        if (seed == 0)
        {
            throw InputError("--seed=0 is not allowed; expected a positive integer");
        }
        RngSeedManager::SetSeed(seed);
        RngSeedManager::SetRun(run);
        sc.drop.seed = seed * 1000003ULL + run;
        sc.drop.objective.mode = ParseObjectiveMode(objective, "--objective");
        sc.drop.objective.delay = ParseDelayAggregate(delay, "--delay");
        sc.drop.objective.wTime = wTime;
        sc.drop.objective.wEnergy = wEnergy;
        sc.drop.objective.wStability = wStability;
        sc.drop.objective.minRateBps = minRateBps;
        sc.roundTimeout = Seconds(timeoutS);
        if (!(batteryUpdateS > 0))
        {
            throw InputError("--batteryUpdateS=" + std::to_string(batteryUpdateS) +
                             " is not allowed; expected a positive time in s");
        }
        sc.batteryUpdate = Seconds(batteryUpdateS);

        SplitTrainingHelper helper;
        helper.Build(sc);
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");
        SplitTrainingOutputHelper output;
        output.Open(outputDir);
        output.SetProgress(progress);
        output.Connect(helper.GetCoordinator());
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
        helper.GetCoordinator()->TraceConnectWithoutContext("AllRoundsFinished",
                                                            MakeCallback(&StopSimulation));
        helper.GetCoordinator()->Start(Seconds(0.1));
        Simulator::Run();
        if (monitor)
        {
            monitor->SerializeToXmlFile(outputDir + "/flowmon.xml", true, true);
        }
        output.Close();
        std::cout << "edge-llm split training: " << sc.drop.users << " devices, "
                  << sc.drop.servers << " servers, preset " << sc.drop.preset << ", allocator "
                  << sc.allocator << ", tier " << sc.tier << "\n";
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
