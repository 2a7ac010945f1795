/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_TEST_SMALL_SCENARIO_H
#define EDGE_LLM_TEST_SMALL_SCENARIO_H

#include "ns3/split-training-helper.h"

#include <string>

namespace ns3
{
namespace edgellmtest
{

/**
 * A small realistic split-training scenario for the simulation test suites: GPT-2 124M payloads
 * (batch 1, sequence 512) keep it fast, servers on a hex layout.
 *
 * @param users devices N
 * @param servers edge servers M
 * @param rounds training rounds
 * @param seed drop seed
 * @param allocator allocator name or TypeId
 * @return the scenario
 */
inline SplitTrainingScenario
SmallScenario(uint32_t users,
              uint32_t servers,
              uint32_t rounds,
              uint64_t seed,
              const std::string& allocator = "fp")
{
    SplitTrainingScenario sc;
    sc.drop.users = users;
    sc.drop.servers = servers;
    sc.drop.preset = "realistic";
    sc.drop.model = "gpt2-124m";
    sc.drop.batch = 1;
    sc.drop.seqLen = 512;
    sc.drop.layout = "hex";
    sc.drop.seed = seed;
    sc.allocator = allocator;
    sc.rounds = rounds;
    return sc;
}

} // namespace edgellmtest
} // namespace ns3

#endif // EDGE_LLM_TEST_SMALL_SCENARIO_H
