/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Compare allocators on the same scenario and the same random drops (common random numbers):
 * every allocator sees drop r in replication r, so differences are the allocators'. Writes
 * comparison-runs.csv (one row per allocator and run), comparison.csv (mean, std and 95 % CI
 * of every metric per allocator) and prints a table.
 *
 *   --mode=analytic  the cost model's prediction for each drop (fast: thousands of users)
 *   --mode=packet    the packet-level simulation (rounds.csv/devices.csv of every allocator and
 *                    run in OUT/<allocator>/run-<r>/, pcaps with --pcap)
 *
 *   edge-llm-compare --allocators=fp,edge-only,local-only --runs=10
 *   edge-llm-compare --mode=packet --allocators=fp,alternating --runs=3 --rounds=2
 *   edge-llm-compare --preset=paper --users=50 --servers=10 --wTime=5 --runs=20
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/ipv4-address-generator.h"

#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{

/// "a,b,c" -> {a, b, c}; empty items are an error.
std::vector<std::string>
SplitList(const std::string& list, const std::string& flag)
{
    std::vector<std::string> items;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (item.empty())
        {
            throw InputError(flag + "='" + list +
                             "' has an empty item; expected a comma-separated list such as "
                             "fp,edge-only,local-only");
        }
        items.push_back(item);
    }
    if (items.empty())
    {
        throw InputError(flag + " is empty; expected a comma-separated list such as "
                                "fp,edge-only,local-only");
    }
    return items;
}

/// A folder name for an allocator name ("ns3::FpAllocator" -> "ns3_FpAllocator").
std::string
FolderName(std::string name)
{
    for (auto& c : name)
    {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        {
            c = '_';
        }
    }
    return name;
}

/// One packet-level run of one allocator; its outputs go to dir.
ComparisonRun
RunPacket(const SplitTrainingScenario& sc, const std::string& dir, bool pcap, bool progress)
{
    SplitTrainingHelper helper;
    helper.Build(sc);
    LlmProfileHelper::CreateOutputDir(dir, "--outputDir");
    SplitTrainingOutputHelper output;
    output.Open(dir);
    output.SetProgress(progress);
    output.Connect(helper.GetCoordinator());
    output.ConnectFdmaCounters(helper.GetDeviceDevices(), helper.GetServerDevices());
    if (pcap)
    {
        helper.EnablePcap(dir + "/server");
    }
    const std::vector<RoundReport> reports = helper.RunToEnd();
    output.Close();
    ComparisonRun run = AllocatorComparison::FromReports(reports);
    run.users = sc.drop.users;
    run.servers = sc.drop.servers;
    Simulator::Destroy();
    Ipv4AddressGenerator::Reset(); // the next run numbers its interfaces from scratch again
    return run;
}

/// The cost model's figures for one allocator on one drop.
ComparisonRun
RunAnalytic(const SplitTrainingScenario& sc, const RoundState& state)
{
    Ptr<SplitAllocator> allocator = SplitAllocator::CreateByName(sc.allocator);
    allocator->AssignStreams(6000); // the streams the packet-level scenario gives it
    const Allocation a = allocator->Allocate(state);
    return AllocatorComparison::FromAllocation(state, a);
}

} // namespace

int
main(int argc, char* argv[])
{
    SplitTrainingCommandLine scenarioFlags;
    std::string allocators = "fp,edge-only,local-only";
    std::string mode = "analytic";
    uint32_t runs = 5;
    uint32_t firstRun = 1;
    std::string outputDir = "results/compare";
    bool pcap = false;
    bool progress = false;

    CommandLine cmd(__FILE__);
    scenarioFlags.AddTo(cmd);
    cmd.AddValue("allocators", "Comma-separated allocators (short names or TypeIds)", allocators);
    cmd.AddValue("mode", "analytic (cost model) or packet (simulator)", mode);
    cmd.AddValue("runs", "Replications (drops) per allocator", runs);
    cmd.AddValue("run", "First ns-3 run number (runs run, run+1, …)", firstRun);
    cmd.AddValue("outputDir",
                 "Folder for comparison.csv, comparison-runs.csv (and runs)",
                 outputDir);
    cmd.AddValue("pcap", "Packet mode: a pcap per server interface of every run", pcap);
    cmd.AddValue("progress", "Packet mode: a progress line per round on stderr", progress);
    cmd.Parse(argc, argv);

    try
    {
        if (mode != "analytic" && mode != "packet")
        {
            throw InputError("--mode=" + mode + " is not allowed; expected analytic or packet");
        }
        if (runs == 0)
        {
            throw InputError("--runs=0 is not allowed; expected a positive number of runs");
        }
        const std::vector<std::string> names = SplitList(allocators, "--allocators");
        for (const auto& name : names)
        {
            SplitAllocator::CreateByName(name); // unknown names fail before any run
        }
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");

        std::vector<ComparisonRun> results;
        for (uint32_t r = firstRun; r < firstRun + runs; ++r)
        {
            SplitTrainingScenario sc = scenarioFlags.Scenario(r);
            RoundState state;
            if (mode == "analytic")
            {
                state = SplitTrainingHelper::PlannedState(sc);
            }
            for (const auto& name : names)
            {
                sc.allocator = name;
                scenarioFlags.SeedRng(r);
                ComparisonRun run;
                if (mode == "analytic")
                {
                    run = RunAnalytic(sc, state);
                }
                else
                {
                    const std::string dir =
                        outputDir + "/" + FolderName(name) + "/run-" + std::to_string(r);
                    run = RunPacket(sc, dir, pcap, progress);
                }
                run.allocator = name;
                run.run = r;
                run.mode = mode;
                run.preset = sc.drop.preset;
                results.push_back(run);
                std::cerr << "run " << r << " " << name << ": energy " << run.energyJ
                          << " J, makespan " << run.makespanS << " s\n";
            }
        }
        const auto summaries = AllocatorComparison::Summarise(results, names);
        AllocatorComparison::WriteRunsCsv(outputDir + "/comparison-runs.csv", results);
        AllocatorComparison::WriteSummaryCsv(outputDir + "/comparison.csv", summaries);
        const SplitTrainingScenario& t = scenarioFlags.GetTemplate();
        std::cout << "edge-llm compare (" << mode << "): " << t.drop.users << " devices, "
                  << t.drop.servers << " servers, preset " << t.drop.preset << ", " << runs
                  << " run(s)"
                  << (mode == "packet"
                          ? ", " + std::to_string(t.rounds) + " round(s) each, tier " + t.tier
                          : std::string())
                  << "\n";
        AllocatorComparison::PrintTable(std::cout, summaries, names);
        std::cout << "outputs in " << outputDir << "/ (comparison.csv, comparison-runs.csv"
                  << (mode == "packet" ? ", <allocator>/run-<r>/" : "") << ")\n";
    }
    catch (const InputError& e)
    {
        std::cerr << "edge-llm-compare: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
