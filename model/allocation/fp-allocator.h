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
 * @brief The paper's allocator (doc/edge-llm.rst, "Allocators"): fractional programming for the
 * resources and the split (block 1, FpResourceSolver) alternated with CCCP association (block 2,
 * AssociationSolver::Cccp), then alpha rounded and the continuous variables re-solved.
 *
 * SUM aggregate:
 *  1. association: AssociationSolver::Greedy() (and, with BestGainStart, every user on its
 *     highest-gain server); block 1 with relaxed alpha from the equal-share start of each.
 *     With two starts, both run StartProbeIterations (1) FP iterations and only the one with
 *     the lower relaxed objective continues to convergence (on 88 random instances, 20-200
 *     users, both presets and aggregates, this never ended worse than running both to
 *     convergence);
 *  2. up to MaxOuterIterations times: the association step with alpha (rounded to nearest),
 *     p, f fixed; the moved users get the equal share and every server is re-normalised
 *     (AssociationSolver::Apply); block 1 again (relaxed alpha, warm start). The alternation
 *     stops when the association step keeps the association or block 1 no longer lowers the
 *     relaxed objective. Association step:
 *     - AssociationLp = true (default), the paper's block 2: AssociationSolver::Cccp, CCCP on
 *       the exact-penalty LP solved by GLPK, columns only for each user's CandidateServers (4)
 *       highest-gain servers and its current one, starts current / LP relaxation / greedy
 *       (CccpStarts = 3; the remaining starts are skipped once a start ends at the best
 *       association so far), PenaltyValues = 1 automatic rho (0.1 x the cost scale; or
 *       PenaltyRho), each LP warm-started from the previous basis. The LP relaxation is
 *       solved first; when its solution is the current association (as after block 1 has
 *       settled the shares: every capacity row is tight), the CCCP step from the current
 *       association provably stays there and is answered without another simplex call
 *       (CccpOptions::certifyCurrent). Then the true-cost search
 *       (AssociationSolver::TrueCostSearch) from CCCP's result and (SearchFromCurrent) from
 *       the current association, the better kept;
 *     - AssociationLp = false: the true-cost search from the current association alone, no
 *       LP. On the 88 instances above both modes ended at the same objective except one
 *       (realistic, 50 x 10, MAKESPAN: the LP mode 0.23 % lower) and the 6 checked by the
 *       CandidateCccpMatchesTheFullCccpAndTheSearch test; on the benchmark instances (paper
 *       preset, 10-1000 users) both give the same objective and the LP mode costs 1.1-1.25x the
 *       time at 200-1000 users (see doc/edge-llm.rst for the measured table);
 *  3. after every block-1 run: alpha rounded per user (floor or ceil, whichever gives the lower
 *     user cost with the other variables fixed), then block 1 with alpha fixed (the continuous
 *     variables re-solved; that problem is convex in log-variables, so block 1 reaches its
 *     global optimum; skipped when block 1 converged and rounding kept every alpha, and the
 *     alpha-fixed KKT residual is within tolerance: the relaxed solution is then already
 *     the alpha-fixed one); the allocation with the lowest SplitCostModel::Objective among the
 *     feasible ones (SplitCostModel::Violations empty) is returned;
 *  4. swap-with-resolve (instances of at most ResolveMaxUsers = 20 users): the association
 *     step prices a change with alpha, p, f fixed, so a change that only pays once block 1
 *     re-solves the resources is never made (realistic preset, 3 users x 2 servers, seed 17:
 *     +0.62 % above exhaustive enumeration without this step). The ResolveTrials = 3 single
 *     moves or pairwise swaps of the best candidate with the lowest linear association cost
 *     (AssociationSolver::Costs) are re-solved by block 1 (relaxed, rounded, re-solved); an
 *     improvement is kept and the step repeats (at most 5 rounds). With it FP matched the
 *     exhaustive optimum on all 200 tiny instances tried (seeds 1-100, both presets).
 *
 * MAKESPAN aggregate (omega_t max_n delay_n + energy + stability): the epigraph form
 * min T s.t. delay_n <= T has the Lagrangian omega_t sum_n w_n delay_n + energy + stability
 * with w on the simplex. Steps 1-3 run with w_n = 1/N; then MakespanIterations times the
 * weights move toward the slowest users, w_n <- w_n exp(eta_k (delay_n / max delay - 1)),
 * eta_k = 5/sqrt(k), normalised, and block 1 (relaxed alpha, warm start, association fixed)
 * plus rounding and re-solve run with the new weights; the best allocation by the true
 * (makespan) objective is kept; step 4 runs last, with the final weights. The association
 * step uses the SUM costs of AssociationSolver (a heuristic for MAKESPAN).
 *
 * Allocation diagnostics: iterations = number of candidate allocations evaluated (one per
 * block-1 run: the initial one, one per outer alternation, one per makespan weight update, one
 * per swap-with-resolve trial);
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

    /**
     * RoundAndResolve that skips the feasibility check (SplitCostModel::Violations) when the
     * candidate cannot beat a feasible incumbent anyway (its feasible flag is then false).
     * @param solver block-1 solver of the round
     * @param x relaxed point
     * @param options block-1 options
     * @param incumbent best candidate so far (null: always check)
     * @param relaxed the block-1 result x comes from (null: unknown). If it converged and
     *        rounding keeps every alpha, x is already solved for these alpha: the re-solve is
     *        skipped when FpResourceSolver::Stationarity (alpha fixed) is within the options'
     *        stationarityTolerance (fpIterations = 0 then)
     * @return the candidate
     */
    static Candidate RoundAndResolve(const FpResourceSolver& solver,
                                     const RelaxedPoint& x,
                                     const FpResourceOptions& options,
                                     const Candidate* incumbent,
                                     const FpResourceResult* relaxed);

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
     * Swap-with-resolve (see the class doc): single moves and pairwise swaps of the best
     * candidate re-solved by block 1, on instances of at most ResolveMaxUsers users.
     * @param model cost model
     * @param weights delay weights (empty: 1)
     * @param stage the stage (best, history and candidates updated)
     */
    void SwapWithResolve(const SplitCostModel& model,
                         const std::vector<double>& weights,
                         Stage& stage) const;

    /**
     * @param best current best (updated)
     * @param c new candidate
     */
    static void Keep(Candidate& best, const Candidate& c);

    /** @return block-1 options from the attributes */
    FpResourceOptions BlockOptions() const;

    uint32_t m_maxOuterIterations;   //!< block1 <-> block2 alternations
    uint32_t m_maxFpIterations;      //!< FP iterations per block-1 run
    double m_relTolerance;           //!< FP relative tolerance
    uint32_t m_cccpStarts;           //!< CCCP starting points
    double m_penaltyRho;             //!< CCCP exact penalty (0: auto)
    uint64_t m_seed;                 //!< seed of the CCCP random starts
    uint32_t m_makespanIterations;   //!< weight updates for the MAKESPAN aggregate
    bool m_bestGainStart;            //!< also start from the highest-gain association
    bool m_associationLp;            //!< run CCCP on the association LP (else search only)
    uint32_t m_candidateServers;     //!< candidate servers per user (LP columns, searches)
    uint32_t m_penaltyValues;        //!< automatic rho values per CCCP start
    uint32_t m_startProbeIterations; //!< FP iterations of both starts before one is dropped
    bool m_searchFromCurrent;        //!< AssociationLp: also search from the current association
    uint32_t m_resolveTrials;        //!< swap-with-resolve: changes re-solved per round
    uint32_t m_resolveMaxUsers;      //!< swap-with-resolve: only up to this many users
};

} // namespace ns3

#endif // EDGE_LLM_FP_ALLOCATOR_H
