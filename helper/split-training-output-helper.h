/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_OUTPUT_HELPER_H
#define EDGE_LLM_SPLIT_TRAINING_OUTPUT_HELPER_H

#include "ns3/round-coordinator.h"

#include <fstream>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Sinks the RoundCoordinator's RoundFinished trace into rounds.csv and devices.csv,
 * prints a progress line per round on stderr and a summary table at the end.
 *
 * CSVs hold only simulated quantities (no wall-clock time), so the same seed and run give
 * byte-identical files. Columns and units: doc/edge-llm.rst.
 */
class SplitTrainingOutputHelper
{
  public:
    /**
     * Create the files (the folder must exist).
     * @param outputDir folder
     * @throws InputError if a file cannot be written
     */
    void Open(const std::string& outputDir);

    /**
     * @param coordinator whose rounds to write
     */
    void Connect(Ptr<RoundCoordinator> coordinator);

    /**
     * @param enable print one line per round on stderr
     */
    void SetProgress(bool enable);

    /**
     * Summary of every round written so far.
     * @param os where to print
     */
    void PrintSummary(std::ostream& os) const;

    /** Flush and close the files. */
    void Close();

  private:
    /**
     * @param report a finished round
     */
    void WriteRound(const RoundReport& report);

    std::ofstream m_rounds;              //!< rounds.csv
    std::ofstream m_devices;             //!< devices.csv
    bool m_progress{true};               //!< progress lines
    std::vector<RoundReport> m_reports;  //!< for the summary
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_OUTPUT_HELPER_H
