/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FP_RESOURCE_SOLVER_H
#define EDGE_LLM_FP_RESOURCE_SOLVER_H

#include "ns3/split-cost-model.h"

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
    std::vector<uint32_t> server;    //!< association (fixed in block 1)
    std::vector<double> alpha;       //!< relaxed split, [alpha_min, alpha_max]
    std::vector<double> powerW;      //!< p_n
    std::vector<double> bandwidthHz; //!< b_n
    std::vector<double> freqHz;      //!< f_n
    std::vector<double> edgeFreqHz;  //!< f^E_n
};

/**
 * @ingroup edge-llm
 * SplitCostModel::UserTerms of user n at a relaxed point (its server, alpha, p, b, f, f^E);
 * the one place the relaxed objectives of FpResourceSolver and NlpReferenceAllocator read the
 * cost model.
 * @param model the cost model of the round
 * @param x relaxed point
 * @param n user
 * @return the user's cost terms
 */
CostTerms RelaxedUserTerms(const SplitCostModel& model, const RelaxedPoint& x, uint32_t n);

/**
 * @ingroup edge-llm
 * @brief Options of the block-1 solver.
 */
struct FpResourceOptions
{
    bool optimizeAlpha{true};    //!< false: alpha stays as given (re-solve after rounding)
    uint32_t maxIterations{100}; //!< FP outer iterations (auxiliaries <-> surrogate)
    double relTolerance{1e-7};   //!< stop when the objective improves less than this (relative)
    /**
     * Per-user weights w_n of the delay term (empty: 1 for every user). Block 1 then minimises
     * sum_n [omega_t w_n delay_n + omega_e energy_n + omega_s stability_n]; FpAllocator uses it
     * for the MAKESPAN aggregate (Lagrangian of the epigraph form, sum w_n = 1).
     */
    std::vector<double> delayWeights;
    /**
     * Besides relTolerance, keep iterating while the stationarity residual (see
     * FpResourceSolver::Stationarity) is above this, as long as the objective still decreases
     * by more than 1e-15 relative; 0 disables the check (stop on relTolerance alone).
     */
    double stationarityTolerance{1e-6};
    /**
     * Accelerate the FP fixed-point map with SQUAREM (two FP steps, an extrapolation in log
     * coordinates, one stabilising FP step; the extrapolated point is kept only if it lowers
     * the objective, so the history stays non-increasing). false: the paper's plain iteration.
     */
    bool accelerate{true};
    /**
     * After each surrogate solve, minimise the true objective over p_n exactly for the new b_n
     * (a block-coordinate step: 1-D, unimodal, monotone). The quadratic transform alone
     * converges slowly where the energy per bit is flat in p (PAPER mode, low SNR: hundreds
     * of iterations); false: the paper's plain FP.
     */
    bool exactPowerStep{true};
    /**
     * Compute FpResourceResult::stationarity at the end when the convergence test has not
     * (false: it is NaN then; for short probe runs whose residual nobody reads).
     */
    bool finalStationarity{true};
};

/**
 * @ingroup edge-llm
 * @brief Outcome of block 1.
 */
struct FpResourceResult
{
    RelaxedPoint point;     //!< final point
    uint32_t iterations{0}; //!< FP iterations run (surrogate solves)
    /**
     * Relaxed objective (RelaxedObjective with the options' weights) after each accepted FP
     * iteration, non-increasing; a SQUAREM extrapolation that did not pay counts in
     * iterations but adds no entry. Never empty (holds the start's value if nothing was
     * accepted).
     */
    std::vector<double> objectiveHistory;
    double stationarity{0};             //!< KKT residual of the relaxed problem at the end
                                        //!< (NaN if not computed, see finalStationarity)
    double initialObjective{0};         //!< relaxed objective of the (repaired) start
    std::vector<double> bandwidthPrice; //!< mu_m of the last surrogate solve (objective/Hz)
    std::vector<double> gpuPrice;       //!< lambda_m of the last surrogate solve (objective/Hz)
    bool converged{false};              //!< stopped on the tolerance, not on maxIterations
    uint32_t rejectedSteps{0};          //!< surrogate steps that raised the objective (undone)
    uint32_t rejectedExtrapolations{0}; //!< SQUAREM extrapolations that did not pay
    double maxRejectedRise{0};          //!< largest such rise, relative to the objective
    bool feasible{true};                //!< false if r_min cannot be met on some server
};

/**
 * @ingroup edge-llm
 * @brief Block 1 of the paper's algorithm: for a fixed association, fractional programming.
 *
 * Problem (relaxed): per user n on server m, minimise
 *   alpha A(f) + (Upsilon - alpha) B(f^E) + omega_e p s / r(p, b) + omega_s Stab(alpha)
 *   [+ omega_t w_n (s/r + s'/(b c'_n)) in DELAY_AWARE mode]
 * (A = SplitCostModel::DeviceLayerCost, B = EdgeLayerCost with the time part weighted by w_n;
 * c'_n = DownlinkSpectralEfficiency) over alpha in [MinAlpha, MaxAlpha(n)], 0 < p <= p_max,
 * 0 < f <= f_max, b > 0, f^E > 0, with sum_n b_n <= b_m^max and sum_n f^E_n <= f_m^max per
 * server and, when r_min > 0, r(p, b) >= r_min. The capacities are written with <=: the
 * bandwidth sum always binds at the optimum (every term decreases in b), the GPU sum binds
 * exactly when the users' unconstrained optima argmin B exceed f_m^max (price > 0).
 *
 * Iteration (the paper's FP): the quadratic transform a c = min_y (a^2 y + c^2/(4y)) on
 * alpha A(f) (z = A/(2 alpha)), (p s)(1/r) (v = 1/(2 p s r)) and (Upsilon - alpha) B(f^E)
 * (q = B/(2 (Upsilon - alpha))); for fixed z, v, q the surrogate separates:
 *  - f: closed form argmin A (SplitCostModel::OptimalDeviceFrequency for w_n = 1);
 *  - alpha: 1-D Newton on z a^2 + q (Upsilon - a)^2 + omega_s Stab(a);
 *  - f^E: per server, sum_n B(f^E_n)^2/(4 q_n) s.t. sum f^E_n <= f^max;
 *  - (p, b): per server, sum_n phi_n(b_n) s.t. sum b_n = b^max, where phi_n(b) = min_p of the
 *    surrogate over p_min(b) <= p <= p_max (1-D Newton on p, clamped; phi', phi'' from the
 *    envelope theorem, with p = p_min(b) differentiated implicitly on r = r_min).
 *  Both per-server problems are solved by a feasible-start equality-constrained Newton method
 *  (the sum constraint's multiplier is its price) with backtracking, so the surrogate never
 *  rises even if stopped early; the step is exact to rounding in practice.
 * With alpha fixed (optimizeAlpha = false, the re-solve after rounding) the z, q transforms
 * are dropped: f^E minimises (Upsilon - alpha) B(f^E) directly (convex).
 * Additions (both keep the objective non-increasing; both can be switched off):
 *  - exactPowerStep: after each surrogate solve, p is minimised on the true objective for the
 *    new b (the quadratic transform alone crawls where p s / r is flat in p);
 *  - accelerate: SQUAREM extrapolation of the FP map in log coordinates, kept only if it
 *    lowers the objective.
 * Every accepted iterate is feasible; a step that raised the objective (numerical
 * inexactness) is undone and the solve stops (counted in rejectedSteps).
 * Rate floor: b_lo,n = smallest b on which p_max reaches r_min; if sum b_lo > b^max on a server
 * (or a user cannot reach r_min at all), the result is flagged infeasible and solved best
 * effort (shares proportional to need, or p = p_max without floor for that user).
 *
 * The per-user coefficients of A, B and Stab (cycles per layer at unit frequency, kappa,
 * 2 L^2/k) are read from SplitCostModel once per solve (UserTerms at unit arguments,
 * Stability(n, 0)); rates, their derivatives and p_min come from the model at every use; the
 * objective history is SplitCostModel's objective.
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
     * The block-1 objective: sum_n [omega_t w_n delay_n + omega_e energy_n + omega_s stab_n]
     * evaluated by SplitCostModel::UserTerms with real alpha (w_n = 1: the SUM aggregate;
     * FpAllocator handles MAKESPAN through the weights).
     * @param x a relaxed point
     * @param delayWeights w_n (empty: all 1)
     * @return the objective of the relaxed problem at x (cost model, real alpha)
     */
    double RelaxedObjective(const RelaxedPoint& x,
                            const std::vector<double>& delayWeights = {}) const;

    /**
     * KKT residual of the relaxed block-1 problem at x (0 at a KKT point), dimensionless:
     * for every user n and variable x_j of it (alpha unless alphaFixed, f, f^E, p, b) with
     * box [lo, hi], res = |x_j - clamp(x_j - x_j^2 dL/dx_j / K_n, lo, hi)| / x_j, where K_n is
     * the user's weighted cost and L the Lagrangian with the server multipliers mu_m
     * (bandwidth) and lambda_m (GPU) set to their least-squares estimates at x (weights
     * (x_j/K_n)^2, clipped at 0) and, when r_n = r_min is active, the rate multiplier
     * nu_n >= 0 estimated from dL/dp = 0. Plus, for a positive multiplier, the
     * complementarity min(|sum - cap|/cap, price * cap / K_m) (K_m: the server's users' cost).
     * Gradients come from SplitCostModel::UserTermsGradient. Interior: res is the relative
     * change of K_n for a relative change of x_j (an elasticity). Lower bounds are the
     * solver's floors (p >= 1e-9 p_max without a rate floor, f >= 1e-9 f_max,
     * f^E >= 1e-9 f_m^max; degenerate weights such as omega_t = 0 put optima there); a user
     * whose rate floor is out of reach is checked with p fixed.
     * @param x relaxed point (feasible)
     * @param alphaFixed true: alpha is not a variable
     * @param delayWeights w_n (empty: all 1)
     * @return max over users, variables and servers
     */
    double Stationarity(const RelaxedPoint& x,
                        bool alphaFixed,
                        const std::vector<double>& delayWeights = {}) const;

    /** @return the cost model */
    const SplitCostModel& Model() const
    {
        return m_model;
    }

  private:
    const SplitCostModel& m_model; //!< the cost model
};

} // namespace ns3

#endif // EDGE_LLM_FP_RESOURCE_SOLVER_H
