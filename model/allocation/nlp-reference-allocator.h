/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_NLP_REFERENCE_ALLOCATOR_H
#define EDGE_LLM_NLP_REFERENCE_ALLOCATOR_H

#include "fp-resource-solver.h"
#include "split-allocator.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Outcome of one IPOPT solve of the relaxed (or alpha-fixed) block-1 problem.
 */
struct NlpReferenceResult
{
    RelaxedPoint point;                   //!< best feasible point found (the start if none better)
    double objective{0};                  //!< relaxed objective at point (cost model, real alpha)
    uint32_t iterations{0};               //!< IPOPT iterations
    std::vector<double> objectiveHistory; //!< objective per IPOPT iteration (regular mode only)
    bool success{false};                  //!< IPOPT reported (acceptably) solved
    bool usedIpoptPoint{false};           //!< point is IPOPT's final iterate (else the start)
    std::string status;                   //!< IPOPT's return status, readable
    double dualInfeasibility{0};          //!< IPOPT's scaled dual infeasibility at the end
};

/**
 * @ingroup edge-llm
 * @brief General-purpose NLP reference for block 1: the relaxed problem solved by IPOPT.
 *
 * The association is fixed to AssociationSolver::Greedy() (highest gain with room): the NLP has
 * no integer variables, so it is a reference for the paper's block 1 (FpResourceSolver) on the
 * same association, not for the CCCP association of block 2.
 *
 * Variables per user, scaled to O(1): alpha/Upsilon in [alpha_min, alpha_max(n)]/Upsilon
 * (relaxed), p/p_max, b/b_m^max, f/f_max, f^E/f_m^max, each in [1e-7, 1] (the small lower bound
 * keeps IPOPT's relaxed bounds strictly positive). Constraints per server with users:
 * sum b <= b_m^max and sum f^E <= f_m^max; per user r(p, b) >= r_min when r_min > 0; with the
 * MAKESPAN aggregate an epigraph variable tau with delay_n <= tau. The objective is the
 * SplitCostModel objective with real alpha, divided by its value at the start (equal shares,
 * p_max, closed-form f, mid-range alpha); values come from SplitCostModel::UserTerms /
 * UserObjective, first and second derivatives from SplitCostModel::UserTermsGradient and
 * UserTermsHessian. IPOPT (MUMPS, adaptive barrier, tol = Tolerance on the scaled problem)
 * uses the exact Hessian of the Lagrangian by default (about 12-20 iterations from N = 10 to
 * N = 1000); ExactHessian = false switches to its limited-memory quasi-Newton approximation,
 * which needs hundreds to thousands of iterations on these instances and often stops at
 * "acceptable" accuracy or at MaxIterations.
 *
 * After the relaxed solve, every alpha is rounded to the floor or ceiling that the cost model
 * prices lower (for MAKESPAN, delay counts only above the relaxed makespan), and the problem is
 * re-solved with alpha fixed (bounds lo = hi). A non-success IPOPT status keeps the best feasible
 * point (IPOPT's projected final iterate, the rounded relaxed point, or the start) and logs it.
 * Allocation::iterations is the sum of IPOPT iterations of both solves, objectiveHistory their
 * concatenated per-iteration objectives, stationarity the final scaled dual infeasibility.
 */
class NlpReferenceAllocator : public SplitAllocator
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    NlpReferenceAllocator();
    ~NlpReferenceAllocator() override;

    /**
     * Solve the relaxed block-1 problem for a fixed association with IPOPT.
     * @param state the round (validated by the caller)
     * @param server association, one server per user (no kNoServer)
     * @param fixedAlpha empty: alpha is a variable; else alpha per user held fixed
     * @param start starting point (empty server vector: equal shares, p_max, closed-form f,
     *              mid-range alpha or fixedAlpha)
     * @return the result (never throws for solver failures)
     */
    NlpReferenceResult SolveRelaxed(const RoundState& state,
                                    const std::vector<uint32_t>& server,
                                    const std::vector<double>& fixedAlpha = {},
                                    const RelaxedPoint& start = {}) const;

    /**
     * What DoAllocate does, on a given association instead of Greedy(): relaxed solve, rounding
     * of alpha, alpha-fixed re-solve, best feasible point (solve time and name not filled in).
     * @param state the round (validated by the caller)
     * @param server association, one server per user (no kNoServer)
     * @return the allocation
     */
    Allocation AllocateOnAssociation(const RoundState& state,
                                     const std::vector<uint32_t>& server) const;

    /**
     * The objective of the relaxed problem (configured delay aggregate) at a point with real
     * alpha, evaluated with SplitCostModel.
     * @param model cost model
     * @param x point
     * @return objective
     */
    static double RelaxedObjective(const SplitCostModel& model, const RelaxedPoint& x);

    /**
     * The starting point used when none is given: equal shares per server, p_max (raised to the
     * r_min power when that is <= p_max), closed-form f, alpha mid-range or as given.
     * @param model cost model
     * @param server association
     * @param alpha alpha per user (empty: mid-range)
     * @return the point
     */
    static RelaxedPoint EqualSharePoint(const SplitCostModel& model,
                                        const std::vector<uint32_t>& server,
                                        const std::vector<double>& alpha = {});

  protected:
    Allocation DoAllocate(const RoundState& state) override;

  private:
    uint32_t m_maxIterations; //!< IPOPT max_iter per solve
    double m_tolerance;       //!< IPOPT tol (on the scaled problem)
    bool m_exactHessian;      //!< exact Hessian (else limited-memory)
};

} // namespace ns3

#endif // EDGE_LLM_NLP_REFERENCE_ALLOCATOR_H
