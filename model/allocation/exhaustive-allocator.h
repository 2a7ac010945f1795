/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_EXHAUSTIVE_ALLOCATOR_H
#define EDGE_LLM_EXHAUSTIVE_ALLOCATOR_H

#include "split-allocator.h"

#include <cstdint>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Oracle for small rounds: every integer split vector and every association.
 *
 * For each of the prod_n (M x |alpha range of n|) combinations the continuous variables are
 * solved exactly (FpResourceSolver with alpha fixed; for fixed alpha and association the problem
 * is convex in log-variables, so its stationary point is the optimum). The enumeration is
 * decomposed, which changes the work but not the result: with the SUM aggregate, users of
 * different servers interact only through their own server's capacities, so the best cost of a
 * server m hosting the user set S is found once per (m, S) by enumerating every alpha vector
 * of S on a one-server copy of the round (M prod_n (1 + |alpha range|) resource solves in all),
 * and every association is then priced as a sum of these per-server optima.
 *
 * Refuses (InputError) rounds with more than MaxCombinations combinations, saying how many there
 * are, and rounds with the MAKESPAN aggregate (no per-server decomposition, and block 1 solves the
 * sum form), where it would not be an oracle. Pairs whose r_min cannot be met count as
 * infeasible; if no association is feasible, the least-cost one is returned (Violations says
 * why).
 */
class ExhaustiveAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

    /**
     * @param state round
     * @return prod_n (M x (alpha_max(n) - alpha_min + 1)): alpha vectors times associations
     */
    static double CountCombinations(const RoundState& state);

  protected:
    Allocation DoAllocate(const RoundState& state) override;

  private:
    /**
     * @param state round
     * @throws InputError if the oracle refuses it (too many users or combinations, MAKESPAN)
     */
    void CheckRound(const RoundState& state) const;

    uint64_t m_maxCombinations{200000}; //!< refuse rounds with more combinations than this
};

} // namespace ns3

#endif // EDGE_LLM_EXHAUSTIVE_ALLOCATOR_H
