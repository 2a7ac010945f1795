/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FP_RESOURCE_SOLVER_H
#define EDGE_LLM_FP_RESOURCE_SOLVER_H

#include "split-cost-model.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief A relaxed point of block 1: real alpha and the continuous resources per user.
 */
struct RelaxedPoint
{
    std::vector<uint32_t> server; //!< association (fixed in block 1)
    std::vector<double> alpha;    //!< relaxed split, [alpha_min, alpha_max]
    std::vector<double> powerW;   //!< p_n
    std::vector<double> bandwidthHz; //!< b_n
    std::vector<double> freqHz;      //!< f_n
    std::vector<double> edgeFreqHz;  //!< f^E_n
};

/**
 * @ingroup edge-llm
 * @brief Options of the block-1 solver.
 */
struct FpResourceOptions
{
    bool optimizeAlpha{true};      //!< false: alpha stays as given (re-solve after rounding)
    uint32_t maxIterations{100};   //!< FP outer iterations (auxiliaries <-> surrogate)
    double relTolerance{1e-7};     //!< stop when the objective improves less than this (relative)
};

/**
 * @ingroup edge-llm
 * @brief Outcome of block 1.
 */
struct FpResourceResult
{
    RelaxedPoint point;                   //!< final point
    uint32_t iterations{0};               //!< FP iterations run
    std::vector<double> objectiveHistory; //!< relaxed objective after each iteration
    double stationarity{0};               //!< KKT residual of the relaxed problem at the end
};

/**
 * @ingroup edge-llm
 * @brief Block 1 of the paper's algorithm: for a fixed association, fractional programming.
 *
 * The quadratic transform a c = min_y (a^2 y + c^2/(4y)) is applied to alpha A(f),
 * (p s)(1/r) and (Upsilon - alpha) B(f^E), with auxiliaries z, v, q updated in closed form;
 * for fixed auxiliaries the surrogate is convex and is solved by pricing the per-server sums
 * (bandwidth, GPU frequency) with one multiplier each: per-user subproblems plus a 1-D search
 * per server multiplier. The objective is non-increasing over iterations.
 */
class FpResourceSolver
{
  public:
    /**
     * @param model the cost model of the round
     */
    explicit FpResourceSolver(const SplitCostModel& model);

    /**
     * @param start starting point (association fixed; every vector of size N, values feasible)
     * @param options options
     * @return the solution
     */
    FpResourceResult Solve(const RelaxedPoint& start, const FpResourceOptions& options) const;

    /**
     * A feasible starting point: equal shares per server, p_max, f at its closed form, alpha
     * in the middle of its range (or as given in alpha when not empty).
     * @param server association
     * @param alpha initial alpha per user (empty: mid-range)
     * @return the point
     */
    RelaxedPoint InitialPoint(const std::vector<uint32_t>& server,
                              const std::vector<double>& alpha = {}) const;

    /**
     * @param x a relaxed point
     * @return the objective of the relaxed problem at x (cost model, real alpha)
     */
    double RelaxedObjective(const RelaxedPoint& x) const;

  private:
    const SplitCostModel& m_model; //!< the cost model
};

} // namespace ns3

#endif // EDGE_LLM_FP_RESOURCE_SOLVER_H
