/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the simulation test suites share: running a built scenario to its end.
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_TEST_HELPERS_H
#define EDGE_LLM_SPLIT_TRAINING_TEST_HELPERS_H

#include "ns3/simulator.h"
#include "ns3/split-training-helper.h"

#include <vector>

namespace ns3
{
namespace edgellmtest
{

/// Ends the simulation (the coordinator's AllRoundsFinished).
inline void
StopSimulation()
{
    Simulator::Stop();
}

/**
 * Run a built scenario until its last round ends.
 * @param helper the built scenario
 * @param limit safety net: a hang ends here and fails the test instead of the suite
 * @return the round reports
 */
inline std::vector<RoundReport>
RunToEnd(SplitTrainingHelper& helper, Time limit)
{
    helper.GetCoordinator()->TraceConnectWithoutContext("AllRoundsFinished",
                                                        MakeCallback(&StopSimulation));
    helper.GetCoordinator()->Start(Seconds(0.1));
    Simulator::Stop(limit);
    Simulator::Run();
    return helper.GetCoordinator()->GetReports();
}

} // namespace edgellmtest
} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_TEST_HELPERS_H
