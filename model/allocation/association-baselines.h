/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ASSOCIATION_BASELINES_H
#define EDGE_LLM_ASSOCIATION_BASELINES_H

#include "split-baselines.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The proposed method with its association replaced by the greedy one.
 *
 * AssociationSolver::Greedy() (each user, strongest first, to the highest-gain server with room
 * ceil(N b_m^max / sum b^max)); then block 1 for that association
 * (BaselineTools::OptimiseForAssociation: FP with relaxed alpha, floor/ceil rounding by the cost
 * model, continuous variables re-solved for the rounded alpha). No block-2 iterations.
 */
class GreedyAssociationAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;
};

/**
 * @ingroup edge-llm
 * @brief The proposed method with a random association: AssociationSolver::Random() (uniform
 * among servers with room, seeded by the "Seed" attribute), then block 1 as in
 * GreedyAssociationAllocator.
 */
class RandomAssociationAllocator : public RandomizedAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;
};

} // namespace ns3

#endif // EDGE_LLM_ASSOCIATION_BASELINES_H
