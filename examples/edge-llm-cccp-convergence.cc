/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Convergence of the paper's association step (block 2: exact penalty + CCCP, one GLPK LP per
 * iteration) — the analogue of the paper's Fig. 4. For every number of servers M in --servers,
 * a drop of --users devices is drawn, block 1 is solved on the greedy association (what the
 * FP allocator's first outer iteration hands block 2), and CCCP runs from there. Writes
 * cccp-convergence.csv: servers, seed, start, iteration, objective (the penalised linear
 * objective of the LP, per CCCP iteration of the best start), and prints per M the iterations,
 * the first and last objective and the true objective (cost model) before and after.
 *
 *   edge-llm-cccp-convergence --users=100 --servers=2,5,10,20 --preset=paper
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

using namespace ns3;

namespace
{

const char* const kProgram = "edge-llm-cccp-convergence";

/// "2,5,10" -> {2, 5, 10}: each a number of servers in 1 … 10000, each once.
std::vector<uint32_t>
ParseCounts(const std::string& list, const std::string& flag)
{
    std::vector<uint32_t> out;
    for (const auto& item : ParseListFlag(flag, list, "2,5,10,20"))
    {
        out.push_back(static_cast<uint32_t>(
            ParseUnsignedFlag(flag + " (item '" + item + "')", item, 1, 10000, "servers")));
    }
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    GeneratorOptions drop;
    drop.users = 100;
    drop.preset = "paper";
    drop.layout = "square";
    std::string servers = "2,5,10,20";
    uint32_t seed = 1;
    uint32_t seeds = 1;
    uint32_t starts = 4;
    uint32_t maxIterations = 50;
    double penalty = 0;
    std::string outputDir = "results/cccp-convergence";

    StrictFlags flags(kProgram);
    flags.AddUnsigned("users", "Number of mobile devices N", drop.users, 1, 100000);
    flags.AddString("servers", "Comma-separated numbers of edge servers M (1 … 10000)", servers);
    flags.AddChoice("preset", "Parameter preset", drop.preset, {"paper", "realistic"});
    flags.AddChoice("layout", "Server layout", drop.layout, {"square", "hex", "line"});
    flags.AddReal("isd",
                  "Inter-site distance between servers, m",
                  drop.interSiteDistanceM,
                  RealRange::Positive());
    flags.AddString("model", "LLM in the profile CSV (realistic preset)", drop.model);
    flags.AddUnsigned("seed",
                      "Seed of the first drop",
                      seed,
                      1,
                      std::numeric_limits<uint32_t>::max());
    flags.AddUnsigned("seeds",
                      "Drops per number of servers (seeds seed, seed+1, ...)",
                      seeds,
                      1,
                      10000);
    flags.AddUnsigned("starts", "CCCP starting points", starts, 1, 1000);
    flags.AddUnsigned("maxIterations", "CCCP iterations per start", maxIterations, 1, 100000);
    flags.AddReal("penalty",
                  "Exact-penalty rho (0: chosen from the costs)",
                  penalty,
                  RealRange::NonNegative());
    flags.AddString("outputDir", "Folder for cccp-convergence.csv", outputDir);

    try
    {
        flags.Parse(argc, argv);
        if (uint64_t(seed) + seeds - 1 > std::numeric_limits<uint32_t>::max())
        {
            throw InputError("--seed=" + std::to_string(seed) + " with --seeds=" +
                             std::to_string(seeds) + " goes past the largest seed " +
                             std::to_string(std::numeric_limits<uint32_t>::max()));
        }
        const std::vector<uint32_t> counts = ParseCounts(servers, "--servers");
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");
        std::ofstream csv(outputDir + "/cccp-convergence.csv");
        if (!csv)
        {
            throw InputError("cannot write cccp-convergence.csv in '" + outputDir +
                             "': give a writable --outputDir");
        }
        csv << "servers,seed,start,iteration,objective\n";
        std::cout << "CCCP association convergence, " << drop.users << " devices, preset "
                  << drop.preset << "\n"
                  << "servers  seed  iterations  first_objective  last_objective  "
                     "true_before  true_after  solve_ms\n";
        for (uint32_t m : counts)
            for (uint32_t sd = seed; sd - seed < seeds; ++sd)
            {
                drop.servers = m;
                drop.seed = sd * 1000003ULL + m;
                const RoundState state = RoundStateGenerator::Generate(drop);
                const SplitCostModel model(state);
                const Allocation start =
                    SplitAllocator::CreateByName("greedy-association")->Allocate(state);
                AssociationSolver solver(model);
                CccpOptions co;
                co.penalty = penalty;
                co.starts = starts;
                co.maxIterations = maxIterations;
                co.seed = sd;
                co.lp = true;
                co.localSearch = false;    // the paper's CCCP alone: no polish
                co.trueCostSearch = false; // ditto
                const auto t0 = std::chrono::steady_clock::now();
                const CccpResult c = solver.Cccp(start, co);
                const double ms =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count();
                for (size_t k = 0; k < c.objectiveHistory.size(); ++k)
                {
                    csv << m << ',' << sd << ",best," << k << ','
                        << SplitTrainingOutputHelper::CsvNumber(c.objectiveHistory[k]) << '\n';
                }
                const double before = model.Objective(start);
                const double after = solver.TrueCost(start, c.server);
                std::cout << std::setw(7) << m << std::setw(6) << sd << std::setw(12)
                          << c.objectiveHistory.size() << std::setw(17) << std::setprecision(6)
                          << (c.objectiveHistory.empty() ? NAN : c.objectiveHistory.front())
                          << std::setw(16)
                          << (c.objectiveHistory.empty() ? NAN : c.objectiveHistory.back())
                          << std::setw(13) << before << std::setw(12) << after << std::setw(10)
                          << std::setprecision(3) << ms << "\n";
            }
        std::cout << "outputs in " << outputDir << "/cccp-convergence.csv\n";
    }
    catch (const InputError& e)
    {
        std::cerr << kProgram << ": error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
