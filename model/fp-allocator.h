/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FP_ALLOCATOR_H
#define EDGE_LLM_FP_ALLOCATOR_H

#include "fp-resource-solver.h"
#include "split-allocator.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The paper's allocator (PAPER.md §3): fractional programming for the resources and the
 * split (block 1, FpResourceSolver) alternated with CCCP association (block 2,
 * AssociationSolver::Cccp), then alpha rounded and the continuous variables re-solved.
 *
 * SUM aggregate:
 *  1. association: AssociationSolver::Greedy() (and, with BestGainStart, every user on its
 *     highest-gain server: block 1 runs from both, the better one is kept); block 1 with
 *     relaxed alpha from the equal-share start;
 *  2. up to MaxOuterIterations times: the association step (AssociationSolver::Cccp) with
 *     alpha (rounded to nearest), p, f fixed; the moved users get the equal share and every
 *     server is re-normalised (AssociationSolver::Apply); block 1 again (relaxed alpha, warm
 *     start). The alternation stops when the association step keeps the association or block 1
 *     no longer lowers the relaxed objective. Default association step (AssociationLp false):
 *     no LP, only AssociationSolver::TrueCostSearch from the current association, moves and
 *     swaps restricted to each user's CandidateServers (4) highest-gain servers; this is a
 *     local search on the true objective, not the paper's CCCP. AssociationLp = true runs the
 *     paper's CCCP (GLPK LP, CccpStarts starts x 5 automatic rho values, or PenaltyRho) and
 *     then the true-cost search from its result and from the current association (the better
 *     is kept). Measured (Release build, 2 shared cores, paper preset seed 1,
 *     BM_FpAllocator medians): the default takes ~0.7 ms at 50 users / 10 servers and ~32 ms
 *     at 1000 / 50 (a single cold CLI run: ~1 ms / 50-100 ms); with the paper's CCCP the
 *     same runs took ~17 ms and ~46 s. On 80 random 50x10 and 200x20 instances (paper and
 *     realistic presets, SUM) and 14 MAKESPAN ones both gave the same final objective;
 *  3. after every block-1 run: alpha rounded per user (floor or ceil, whichever gives the lower
 *     user cost with the other variables fixed), then block 1 with alpha fixed (the continuous
 *     variables re-solved; that problem is convex in log-variables, so block 1 reaches its
 *     global optimum); the allocation with the lowest SplitCostModel::Objective among the
 *     feasible ones (SplitCostModel::Violations empty) is returned.
 *
 * MAKESPAN aggregate (omega_t max_n delay_n + energy + stability): the epigraph form
 * min T s.t. delay_n <= T has the Lagrangian omega_t sum_n w_n delay_n + energy + stability
 * with w on the simplex. Steps 1-3 run with w_n = 1/N; then MakespanIterations times the
 * weights move toward the slowest users, w_n <- w_n exp(eta_k (delay_n / max delay - 1)),
 * eta_k = 5/sqrt(k), normalised, and block 1 (relaxed alpha, warm start, association fixed)
 * plus rounding and re-solve run with the new weights; the best allocation by the true
 * (makespan) objective is kept. The association step uses the SUM costs of
 * AssociationSolver (a heuristic for MAKESPAN).
 *
 * Allocation diagnostics: iterations = number of candidate allocations evaluated (one per
 * block-1 run: the initial one, one per outer alternation, one per makespan weight update);
 * objectiveHistory[k] = SplitCostModel::Objective of candidate k (rounded alpha, continuous
 * variables re-solved), in the order computed — not necessarily monotone, the best is
 * returned; stationarity = KKT residual (FpResourceSolver::Stationarity, alpha fixed) of
 * the returned allocation's continuous variables.
 */
class FpAllocator : public SplitAllocator
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    FpAllocator();
    ~FpAllocator() override;

    /**
     * One evaluated allocation of the alternation.
     */
    struct Candidate
    {
        Allocation allocation;    //!< integer alpha, continuous variables re-solved
        double objective{0};      //!< SplitCostModel::Objective
        bool feasible{false};     //!< SplitCostModel::Violations empty
        double stationarity{0};   //!< KKT residual of the alpha-fixed re-solve
        uint32_t fpIterations{0}; //!< FP iterations of that re-solve
    };

    /**
     * Round alpha (per user: floor or ceil, the one with the lower weighted user cost with the
     * other variables fixed) and re-solve the continuous variables with alpha fixed.
     * @param solver block-1 solver of the round
     * @param x relaxed point (any association)
     * @param options block-1 options (optimizeAlpha is overridden to false)
     * @return the candidate
     */
    static Candidate RoundAndResolve(const FpResourceSolver& solver,
                                     const RelaxedPoint& x,
                                     const FpResourceOptions& options);

    /**
     * @param x a point whose alpha is integer-valued (rounded to nearest otherwise)
     * @return the allocation
     */
    static Allocation ToAllocation(const RelaxedPoint& x);

  protected:
    Allocation DoAllocate(const RoundState& state) override;

  private:
    /** Result of the association/block-1 alternation. */
    struct Stage
    {
        Candidate best;              //!< best candidate (feasible preferred)
        RelaxedPoint relaxed;        //!< last relaxed block-1 point
        std::vector<double> history; //!< objective of every candidate
        uint32_t candidates{0};      //!< candidates evaluated
    };

    /**
     * Steps 1-3 (see class doc) for given delay weights.
     * @param model cost model
     * @param weights delay weights (empty: 1)
     * @return the stage
     */
    Stage Alternate(const SplitCostModel& model, const std::vector<double>& weights) const;

    /**
     * @param best current best (updated)
     * @param c new candidate
     */
    static void Keep(Candidate& best, const Candidate& c);

    /** @return block-1 options from the attributes */
    FpResourceOptions BlockOptions() const;

    uint32_t m_maxOuterIterations; //!< block1 <-> block2 alternations
    uint32_t m_maxFpIterations;    //!< FP iterations per block-1 run
    double m_relTolerance;         //!< FP relative tolerance
    uint32_t m_cccpStarts;         //!< CCCP starting points
    double m_penaltyRho;           //!< CCCP exact penalty (0: auto)
    uint64_t m_seed;               //!< seed of the CCCP random starts
    uint32_t m_makespanIterations; //!< weight updates for the MAKESPAN aggregate
    bool m_bestGainStart;          //!< also start from the highest-gain association
    bool m_associationLp;          //!< run CCCP on the association LP (else search only)
    uint32_t m_candidateServers;   //!< candidate servers per user in the true-cost search
};

} // namespace ns3

#endif // EDGE_LLM_FP_ALLOCATOR_H
