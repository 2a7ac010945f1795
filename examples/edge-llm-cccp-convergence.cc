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
#include <sstream>

using namespace ns3;

namespace
{

/// "2,5,10" -> {2, 5, 10}; anything else is an error naming the flag.
std::vector<uint32_t>
ParseCounts(const std::string& list, const std::string& flag)
{
    std::vector<uint32_t> out;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        char* end = nullptr;
        const unsigned long v = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v == 0 || v > 100000)
        {
            throw InputError(flag + "='" + list + "': '" + item +
                             "' is not allowed; expected comma-separated positive integers, "
                             "e.g. 2,5,10,20");
        }
        out.push_back(v);
    }
    if (out.empty())
    {
        throw InputError(flag + " is empty; expected comma-separated positive integers");
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

    CommandLine cmd(__FILE__);
    cmd.AddValue("users", "Number of mobile devices N", drop.users);
    cmd.AddValue("servers", "Comma-separated numbers of edge servers M", servers);
    cmd.AddValue("preset", "Parameter preset: paper or realistic", drop.preset);
    cmd.AddValue("layout", "Server layout: square, hex or line", drop.layout);
    cmd.AddValue("isd", "Inter-site distance between servers, m", drop.interSiteDistanceM);
    cmd.AddValue("model", "LLM in the profile CSV (realistic preset)", drop.model);
    cmd.AddValue("seed", "Seed of the first drop (positive)", seed);
    cmd.AddValue("seeds", "Drops per number of servers (seeds seed, seed+1, ...)", seeds);
    cmd.AddValue("starts", "CCCP starting points", starts);
    cmd.AddValue("maxIterations", "CCCP iterations per start", maxIterations);
    cmd.AddValue("penalty", "Exact-penalty rho (0: chosen from the costs)", penalty);
    cmd.AddValue("outputDir", "Folder for cccp-convergence.csv", outputDir);
    cmd.Parse(argc, argv);

    try
    {
        if (seed == 0)
        {
            throw InputError("--seed=0 is not allowed; expected a positive integer");
        }
        if (starts == 0 || maxIterations == 0 || seeds == 0)
        {
            throw InputError("--starts, --maxIterations and --seeds must be positive integers");
        }
        if (!(penalty >= 0))
        {
            throw InputError("--penalty must be >= 0 (0: chosen from the costs)");
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
            for (uint32_t sd = seed; sd < seed + seeds; ++sd)
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
        std::cerr << "edge-llm-cccp-convergence: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
