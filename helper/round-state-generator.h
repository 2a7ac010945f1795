/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ROUND_STATE_GENERATOR_H
#define EDGE_LLM_ROUND_STATE_GENERATOR_H

#include "ns3/round-state.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief What random instance to draw.
 */
struct GeneratorOptions
{
    uint32_t users{10};              //!< N
    uint32_t servers{2};             //!< M
    std::string preset{"paper"};     //!< "paper" or "realistic" (doc: "Instance presets")
    uint64_t seed{1};                //!< seed of the drop and the per-user draws
    std::string model{"llama-2-7b"}; //!< realistic preset: model in the profile CSV
    uint32_t batch{4};               //!< realistic preset: batch
    uint32_t seqLen{512};            //!< realistic preset: sequence length
    std::string profileCsv;          //!< realistic preset: profile CSV (empty: shipped)
    double interSiteDistanceM{500};  //!< distance between neighbouring servers, m
    std::string layout{"square"};    //!< server layout: square grid, hex grid or line
    ObjectiveSettings objective;     //!< objective written into the instance
};

/**
 * @ingroup edge-llm
 * @brief A drawn instance with the positions it was drawn from (x, y in m).
 */
struct GeneratedDrop
{
    RoundState state;                                       //!< the instance
    std::vector<std::pair<double, double>> serverPositions; //!< per server
    std::vector<std::pair<double, double>> userPositions;   //!< per user
};

/**
 * @ingroup edge-llm
 * @brief Draws random RoundStates with the paper's or the realistic preset's distributions.
 *
 * Servers sit on a square grid, a hexagonal grid or a line (spacing interSiteDistanceM); users are
 * dropped uniformly over the grid's cells; gains follow 128.1 + 37.6 log10(d/km) dB. Same options
 * -> same instance.
 */
class RoundStateGenerator
{
  public:
    /**
     * @param options what to draw
     * @return the instance (validated)
     * @throws InputError for an unknown preset or bad options
     */
    static RoundState Generate(const GeneratorOptions& options);

    /**
     * Same draw as Generate(), with the positions (for the packet-level scenario).
     * @param options what to draw
     * @return the instance and positions
     */
    static GeneratedDrop GenerateDrop(const GeneratorOptions& options);
};

} // namespace ns3

#endif // EDGE_LLM_ROUND_STATE_GENERATOR_H
