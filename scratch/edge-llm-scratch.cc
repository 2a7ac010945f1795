/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Playground: every .cc in scratch/ is built as its own program (build/scratch/<name>).
 * Copy an example here and change it freely.
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    CommandLine cmd(__FILE__);
    cmd.Parse(argc, argv);
    auto profile = LlmProfile::FromFormula(TransformerShape{});
    std::cout << profile.GetModelName() << ": " << profile.GetNumBlocks() << " blocks, "
              << profile.GetMeanBlockFlops() << " FLOPs per block\n";
    return 0;
}
