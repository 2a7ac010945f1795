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
#include <limits>
#include <sstream>

using namespace ns3;

namespace
{

const char* const kProgram = "edge-llm-compare";
const uint32_t kMaxRuns = 100000; //!< largest --runs

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
    output.SetBatteryCapacityJ(sc.batteryJ);
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

    StrictFlags flags(kProgram);
    scenarioFlags.AddTo(flags);
    flags.AddString("allocators",
                    "Comma-separated allocators (short names or TypeIds, each once; external: "
                    "--allocatorCommand)",
                    allocators);
    flags.AddChoice("mode",
                    "analytic (cost model) or packet (simulator)",
                    mode,
                    {"analytic", "packet"});
    flags.AddUnsigned("runs", "Replications (drops) per allocator", runs, 1, kMaxRuns);
    flags.AddUnsigned("run",
                      "First ns-3 run number (runs run, run+1, …; ns-3's --RngRun is another "
                      "name)",
                      firstRun,
                      1,
                      std::numeric_limits<uint32_t>::max());
    flags.AddAlias("RngRun", "run");
    flags.AddString("outputDir",
                    "Folder for comparison.csv, comparison-runs.csv (and runs)",
                    outputDir);
    flags.AddBool("pcap", "Packet mode: a pcap per server interface of every run", pcap);
    flags.AddBool("progress", "Packet mode: a progress line per round on stderr", progress);

    try
    {
        flags.Parse(argc, argv);
        if (uint64_t(firstRun) + runs - 1 > std::numeric_limits<uint32_t>::max())
        {
            throw InputError(
                "--run=" + std::to_string(firstRun) + " with --runs=" + std::to_string(runs) +
                " goes past the last run number " +
                std::to_string(std::numeric_limits<uint32_t>::max()) + "; lower --run or --runs");
        }
        scenarioFlags.Scenario(firstRun); // every scenario flag checked before any run
        const std::vector<std::string> names =
            ParseListFlag("--allocators", allocators, "fp,edge-only,local-only");
        scenarioFlags.ConfigureExternalAllocator(names); // --allocatorCommand
        for (const auto& name : names)
        {
            SplitAllocator::CreateByName(name); // unknown names fail before any run
        }
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");

        std::vector<ComparisonRun> results;
        for (uint32_t k = 0; k < runs; ++k)
        {
            const uint32_t r = firstRun + k;
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
    catch (...)
    {
        return SplitTrainingCommandLine::ReportRunError(kProgram,
                                                        "--users, --servers, --rounds or --runs");
    }
    return 0;
}
