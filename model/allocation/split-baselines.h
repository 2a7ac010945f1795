/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_BASELINES_H
#define EDGE_LLM_SPLIT_BASELINES_H

#include "fp-resource-solver.h"
#include "split-allocator.h"

#include "ns3/split-cost-model.h"

#include <cstdint>
#include <random>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Building blocks shared by the baseline allocators (and the exhaustive oracle).
 *
 * Every cost is evaluated by SplitCostModel; every continuous re-solve is FpResourceSolver.
 * FpResourceSolver minimises the SUM form of the objective (default delay weights): under the
 * MAKESPAN aggregate the baselines therefore re-solve resources for the sum surrogate, while
 * every choice among discrete candidates (alpha) uses the configured aggregate.
 */
class BaselineTools
{
  public:
    /**
     * @param state round
     * @param n user
     * @return alpha_min … alpha_max(n), every allowed integer split of a user with a server
     */
    static std::vector<uint32_t> AlphaRange(const RoundState& state, uint32_t n);

    /**
     * @param x relaxed point
     * @param alpha integer split per user
     * @return the allocation (users without a server: p = b = f^E = 0)
     */
    static Allocation FromRelaxed(const RelaxedPoint& x, const std::vector<uint32_t>& alpha);

    /**
     * Continuous variables p, b, f, f^E for a fixed association and integer alpha:
     * FpResourceSolver::Solve(InitialPoint(server, alpha), optimizeAlpha = false).
     * @param model cost model of the round
     * @param server association
     * @param alpha integer split per user
     * @param result if not null, receives the solver's result
     * @return the allocation
     */
    static Allocation SolveResources(const SplitCostModel& model,
                                     const std::vector<uint32_t>& server,
                                     const std::vector<uint32_t>& alpha,
                                     FpResourceResult* result = nullptr);

    /**
     * Per-user integer alpha from candidates with every other variable fixed: coordinate
     * descent on SplitCostModel::Objective (configured aggregate), one user at a time, until no
     * user changes (a single pass is exact for SUM, where alpha is separable given resources).
     * @param model cost model
     * @param a allocation changed in place (alpha only)
     * @param candidates per user, the allowed values (non-empty)
     * @return number of users whose alpha changed
     */
    static uint32_t ChooseAlpha(const SplitCostModel& model,
                                Allocation& a,
                                const std::vector<std::vector<uint32_t>>& candidates);

    /**
     * Block 1 of the paper for a fixed association: FP with relaxed alpha from InitialPoint,
     * alpha rounded to floor or ceiling per user by the cost model (ChooseAlpha with the relaxed
     * resources), then the continuous variables re-solved for the rounded alpha.
     * @param model cost model
     * @param server association
     * @param history if not null, receives the relaxed FP history then the final objective
     * @param iterations if not null, receives the FP iterations of both solves
     * @return the allocation
     */
    static Allocation OptimiseForAssociation(const SplitCostModel& model,
                                             const std::vector<uint32_t>& server,
                                             std::vector<double>* history = nullptr,
                                             uint32_t* iterations = nullptr);

    /**
     * Portable uniform double in [0, 1) from a 64-bit engine (the <random> distributions are
     * implementation-defined; this keeps seeded baselines identical across platforms).
     * @param rng engine
     * @return value
     */
    static double Unit(std::mt19937_64& rng);
};

/**
 * @ingroup edge-llm
 * @brief Edge-only baseline: the device trains no layer (alpha = 0) and sends its input
 * embeddings; greedy association; p, b, f, f^E re-solved by FpResourceSolver for alpha = 0.
 *
 * alpha = 0 is below the privacy minimum alpha_min >= 1, so SplitCostModel::Violations reports
 * one "alpha 0 below the minimum" line per user: that is the point of this baseline (it shows
 * what the privacy constraint costs). The resources are solved on a copy of the round with
 * objective.minDeviceLayers = 0. The payload is the activation size at the split, as for any
 * other alpha (the embedding output has the block-output shape).
 */
class EdgeOnlyAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;
};

/**
 * @ingroup edge-llm
 * @brief Local-only baseline: every device trains the whole model (alpha = Upsilon, no server).
 *
 * server = UserAllocation::kNoServer, f = SplitCostModel::OptimalDeviceFrequency (closed form),
 * p = b = f^E = 0. The stability bound 2 L^2/(k (1 - alpha/Upsilon)) is infinite at
 * alpha = Upsilon, so SplitCostModel::Objective is +inf: report it as unbounded, not as a
 * number; compare delay and energy (SplitCostModel::Totals) instead.
 */
class LocalOnlyAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;
};

/**
 * @ingroup edge-llm
 * @brief Fixed-split baseline: alpha = FixedSplitLayer for everyone (0: Upsilon/2), clamped to
 * [alpha_min, alpha_max(n)]; greedy association; equal shares per server; p = p_max;
 * f = f_max. Nothing is optimised.
 */
class FixedSplitAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;

  private:
    uint32_t m_layer{0}; //!< split layer, 0: Upsilon/2
};

/**
 * @ingroup edge-llm
 * @brief The paper's "alternating optimisation" baseline: integer alpha <-> resources.
 *
 * Greedy association, alpha starts mid-range (rounded down). Each iteration: p, b, f, f^E
 * re-solved by FpResourceSolver for the current integer alpha, then every user's best integer
 * alpha in range with those resources fixed (BaselineTools::ChooseAlpha); stops when no alpha
 * changes or after MaxIterations. The best allocation seen is returned; the history holds the
 * objective after each resource solve.
 */
class AlternatingOptimizationAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;

  private:
    uint32_t m_maxIterations{20}; //!< alpha <-> resources rounds
};

/**
 * @ingroup edge-llm
 * @brief Base of the seeded random baselines: a std::mt19937_64 seeded from the "Seed"
 * attribute at the first Allocate (or AssignStreams); it then advances from round to round, so
 * the same seed gives the same sequence of decisions.
 */
class RandomizedAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

    /**
     * Re-seed from the stream index (seed = stream).
     * @param stream stream index
     * @return 1
     */
    int64_t AssignStreams(int64_t stream) override;

  protected:
    /** @return the engine, seeded on first use */
    std::mt19937_64& Rng();

  private:
    uint64_t m_seed{1};    //!< seed
    bool m_seeded{false};  //!< engine seeded from m_seed
    std::mt19937_64 m_rng; //!< engine
};

/**
 * @ingroup edge-llm
 * @brief The paper's "optimise alpha only" baseline: random feasible resources, best alpha.
 *
 * Greedy association. Per server, the bandwidth and GPU capacity are split among its users by
 * uniform random weights (a flat Dirichlet draw: exponential variates, normalised); p ~
 * U(p_min(b), p_max] with p_min(b) the power reaching r_min on that share (p_max if r_min is
 * out of reach); f ~ U(0.1, 1] f_max. Then every user's best integer alpha for those resources.
 */
class AlphaOnlyAllocator : public RandomizedAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;
};

/**
 * @ingroup edge-llm
 * @brief The paper's "optimise resources only" baseline: random integer alpha uniform in
 * [alpha_min, alpha_max(n)], greedy association, p, b, f, f^E by FpResourceSolver.
 */
class ResourceOnlyAllocator : public RandomizedAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

  protected:
    Allocation DoAllocate(const RoundState& state) override;
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_BASELINES_H
