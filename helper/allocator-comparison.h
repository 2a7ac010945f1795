/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ALLOCATOR_COMPARISON_H
#define EDGE_LLM_ALLOCATOR_COMPARISON_H

#include "ns3/round-coordinator.h"
#include "ns3/round-state.h"

#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief What one allocator achieved in one replication (one row of comparison-runs.csv).
 *
 * Per-round figures, averaged over the rounds of the run: energies summed over the devices,
 * the round's makespan, the mean delay of the devices that finished. Analytic runs hold the
 * cost model's prediction for the drop (one round); packet runs hold what the simulator
 * measured. Stability is +inf when a device trains every layer (local-only).
 */
struct ComparisonRun
{
    std::string allocator;       //!< allocator name as given on the command line
    uint32_t run{0};             //!< ns-3 run number (same drop for every allocator)
    std::string mode;            //!< analytic or packet
    std::string preset;          //!< paper or realistic
    uint32_t users{0};           //!< N
    uint32_t servers{0};         //!< M
    uint32_t rounds{0};          //!< rounds averaged (analytic: 1)
    double energyJ{0};           //!< device compute + radio + edge energy per round, J
    double deviceEnergyJ{0};     //!< device compute + radio energy per round, J
    double edgeEnergyJ{0};       //!< server GPU energy per round, J
    double makespanS{0};         //!< round makespan (slowest finished device), s
    double meanDelayS{0};        //!< mean delay of the finished devices, s
    double stability{0};         //!< sum over devices of the stability term (+inf: unbounded)
    double objective{0};         //!< cost-model objective of the decisions (mean over rounds)
    double predictionError{NAN}; //!< packet: sum measured / sum predicted makespan - 1; NaN
                                 //!< in analytic mode
    uint32_t devicesFailed{0};   //!< device-rounds that timed out or ran out of battery
};

/**
 * @ingroup edge-llm
 * @brief Mean, standard deviation and 95 % confidence interval of one metric of one allocator
 * over the runs (one row of comparison.csv).
 */
struct MetricSummary
{
    std::string allocator; //!< allocator
    std::string metric;    //!< column name in comparison-runs.csv (energy_j, makespan_s, …)
    uint32_t n{0};         //!< runs with a finite or infinite value (NaN runs are skipped)
    double mean{NAN};      //!< sample mean (+inf if any run is +inf)
    double std{NAN};       //!< sample standard deviation (n - 1); NaN for n < 2 or infinite
    double ciLow{NAN};     //!< mean - t_{0.975, n-1} std / sqrt(n)
    double ciHigh{NAN};    //!< mean + t_{0.975, n-1} std / sqrt(n)
};

/**
 * @ingroup edge-llm
 * @brief Compares allocators on the same drops: metrics per run from the cost model (analytic)
 * or from the simulator's RoundReports (packet), summaries with Student-t confidence
 * intervals, comparison-runs.csv, comparison.csv and a printed table.
 */
class AllocatorComparison
{
  public:
    /** The metric columns of comparison-runs.csv, in order. */
    static const std::vector<std::string>& MetricNames();

    /**
     * The cost model's figures for one decision on one drop (analytic mode).
     * @param state the drop
     * @param allocation the allocator's decision for it
     * @return the run's metrics (allocator, run, mode, preset left for the caller)
     */
    static ComparisonRun FromAllocation(const RoundState& state, const Allocation& allocation);

    /**
     * The simulator's figures of one run (packet mode).
     * @param reports the coordinator's reports, one per round
     * @return the run's metrics (allocator, run, mode, preset left for the caller)
     */
    static ComparisonRun FromReports(const std::vector<RoundReport>& reports);

    /**
     * @param run a run
     * @param metric a name from MetricNames()
     * @return the value of that metric
     */
    static double Metric(const ComparisonRun& run, const std::string& metric);

    /**
     * Mean, std and 95 % CI (Student t, Boost.Math) of every metric of every allocator.
     * @param runs all runs
     * @param allocators allocator order of the output
     * @return one summary per allocator and metric
     */
    static std::vector<MetricSummary> Summarise(const std::vector<ComparisonRun>& runs,
                                                const std::vector<std::string>& allocators);

    /**
     * Write comparison-runs.csv.
     * @param path file
     * @param runs rows
     * @throws InputError if the file cannot be written
     */
    static void WriteRunsCsv(const std::string& path, const std::vector<ComparisonRun>& runs);

    /**
     * Write comparison.csv (allocator, metric, n, mean, std, ci95_low, ci95_high).
     * @param path file
     * @param summaries rows
     * @throws InputError if the file cannot be written
     */
    static void WriteSummaryCsv(const std::string& path,
                                const std::vector<MetricSummary>& summaries);

    /**
     * Print the table: one row per allocator, mean ± CI half-width of the main metrics.
     * @param os stream
     * @param summaries from Summarise()
     * @param allocators row order
     */
    static void PrintTable(std::ostream& os,
                           const std::vector<MetricSummary>& summaries,
                           const std::vector<std::string>& allocators);
};

} // namespace ns3

#endif // EDGE_LLM_ALLOCATOR_COMPARISON_H
