/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ASSOCIATION_SOLVER_H
#define EDGE_LLM_ASSOCIATION_SOLVER_H

#include "split-cost-model.h"

#include <cstdint>
#include <random>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Options of the CCCP association step (block 2).
 */
struct CccpOptions
{
    double penalty{0};            //!< rho of the exact penalty; 0: chosen from the costs
    uint32_t maxIterations{50};   //!< CCCP iterations per start
    uint32_t starts{4};           //!< starting points (current, greedy, random…)
    uint64_t seed{1};             //!< seed of the random starts
};

/**
 * @ingroup edge-llm
 * @brief Outcome of block 2.
 */
struct CccpResult
{
    std::vector<uint32_t> server;          //!< binary association, one server per user
    double cost{0};                        //!< linear association cost of that association
    std::vector<double> objectiveHistory;  //!< penalised objective per CCCP iteration (best start)
    uint32_t iterations{0};                //!< CCCP iterations of the best start
};

/**
 * @ingroup edge-llm
 * @brief Block 2 of the paper's algorithm and the association baselines.
 *
 * With alpha, p and f fixed, the cost of putting user n on server m is linear in chi; shares for
 * a server a user is not on yet are the equal share the server would give one more user.
 * CCCP on the exact penalty rho sum chi (1 - chi) solves one LP per step (GLPK); the result is
 * binary and respects every server's bandwidth and GPU capacity.
 */
class AssociationSolver
{
  public:
    /**
     * @param model the cost model of the round
     */
    explicit AssociationSolver(const SplitCostModel& model);

    /**
     * CCCP association for fixed per-user alpha, p, f of the given allocation.
     * @param current current allocation (its server field is one starting point)
     * @param options options
     * @return binary feasible association
     */
    CccpResult Cccp(const Allocation& current, const CccpOptions& options) const;

    /**
     * Greedy: each user to the server of highest uplink gain that still has room
     * (room = ceil(N b_m^max / sum of b^max) users).
     * @return association
     */
    std::vector<uint32_t> Greedy() const;

    /**
     * Random association subject to the same room per server.
     * @param rng random engine
     * @return association
     */
    std::vector<uint32_t> Random(std::mt19937_64& rng) const;

    /**
     * Give every server's users shares proportional to their current shares (equal if none),
     * summing to the server's bandwidth and GPU frequency (PAPER.md §5.6).
     * @param a allocation to re-normalise in place
     */
    void Renormalise(Allocation& a) const;

  private:
    const SplitCostModel& m_model; //!< the cost model
};

} // namespace ns3

#endif // EDGE_LLM_ASSOCIATION_SOLVER_H
