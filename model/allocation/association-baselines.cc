/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "association-baselines.h"

#include "association-solver.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmAssociationBaselines");

NS_OBJECT_ENSURE_REGISTERED(GreedyAssociationAllocator);
static const bool g_greedyAssociationRegistered =
    (SplitAllocator::RegisterShortName("greedy-association", "ns3::GreedyAssociationAllocator"),
     true);

TypeId
GreedyAssociationAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GreedyAssociationAllocator")
                            .SetParent<SplitAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<GreedyAssociationAllocator>();
    return tid;
}

Allocation
GreedyAssociationAllocator::DoAllocate(const RoundState& state)
{
    SplitCostModel model(state);
    AssociationSolver assoc(model);
    Allocation a;
    uint32_t iterations = 0;
    std::vector<double> history;
    a = BaselineTools::OptimiseForAssociation(model, assoc.Greedy(), &history, &iterations);
    a.iterations = iterations;
    a.objectiveHistory = history;
    return a;
}

NS_OBJECT_ENSURE_REGISTERED(RandomAssociationAllocator);
static const bool g_randomAssociationRegistered =
    (SplitAllocator::RegisterShortName("random-association", "ns3::RandomAssociationAllocator"),
     true);

TypeId
RandomAssociationAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RandomAssociationAllocator")
                            .SetParent<RandomizedAllocator>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<RandomAssociationAllocator>();
    return tid;
}

Allocation
RandomAssociationAllocator::DoAllocate(const RoundState& state)
{
    SplitCostModel model(state);
    AssociationSolver assoc(model);
    const std::vector<uint32_t> server = assoc.Random(Rng());
    uint32_t iterations = 0;
    std::vector<double> history;
    Allocation a = BaselineTools::OptimiseForAssociation(model, server, &history, &iterations);
    a.iterations = iterations;
    a.objectiveHistory = history;
    NS_LOG_LOGIC("random association objective " << history.back());
    return a;
}

} // namespace ns3
