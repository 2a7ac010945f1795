/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FP_BLOCK1_INTERNAL_H
#define EDGE_LLM_FP_BLOCK1_INTERNAL_H

// Block 1's working state (class fpblock1::Block1), shared by fp-block1.cc (the surrogate and
// its per-server Newton solves) and fp-resource-solver.cc (the FP iteration around it).
// Internal: not published as "ns3/...", not part of the module header (it needs Eigen).

#include "fp-resource-solver.h"

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <vector>

namespace ns3
{

/// Internals of block 1 (FpResourceSolver); see doc/edge-llm.rst, "Allocators".
namespace fpblock1
{

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr uint32_t kNoServer = UserAllocation::kNoServer;

/// Power floor relative to p_max when no rate floor keeps p away from 0 (PAPER mode, r_min = 0).
constexpr double kPowerFloorRel = 1e-9;
/// Frequency floors relative to f_max and f_m^max (omega_t = 0 would put the optima at 0 Hz).
constexpr double kFreqFloorRel = 1e-9;
/// Relative floor of alpha when alpha_min = 0 (the transform alpha A needs alpha > 0).
constexpr double kAlphaFloor = 1e-9;
/// Newton on one variable stops when the step is below this, relative.
constexpr double kNewtonRelStep = 1e-13;
/// ... or takes a step below this (relative) without evaluating the function again: Newton
/// converges quadratically, so the next step would be of order its square.
constexpr double kNewtonLastStep = 1e-8;
/// Share Newton stops when the Newton decrement is below this, relative to the server's sum.
constexpr double kShareDecrement = 1e-16;
/// Iteration cap of every inner Newton loop (never reached in practice; a safeguard).
constexpr int kMaxInner = 100;

/// Where the constrained p-optimum of a fixed b lies.
enum class PState : uint8_t
{
    INTERIOR, //!< G_p = 0 inside (p_min(b), p_max)
    AT_MAX,   //!< p = p_max
    AT_MIN,   //!< p = p_min(b) (rate floor) or the power floor
};

/// Value and derivatives of the bandwidth value function phi(b) = min_p G(p, b).
struct PbValue
{
    double phi{0}; //!< phi(b)
    double d1{0};  //!< phi'(b)
    double d2{0};  //!< phi''(b)
    double p{0};   //!< the minimising p
    PState state{PState::INTERIOR};
};

/**
 * The working state of one block-1 solve: per-user constants read from the cost model once,
 * the current point, the auxiliaries and scratch buffers (allocated once per Solve()).
 */
class Block1
{
  public:
    Block1(const SplitCostModel& model,
           const RelaxedPoint& start,
           bool optimizeAlpha,
           const std::vector<double>& weights);

    bool m_polishPower{true}; //!< exact p-step after each surrogate solve
    /// Newton-decrement tolerance of the per-server solves, relative to the server's surrogate
    /// sum: loose while FP still moves a lot, kShareDecrement near the end.
    double m_shareTol{kShareDecrement};

    /// Fill the per-user constants (coefficients of A, B, stability; bounds).
    void ReadModel();
    /// Make the point feasible (clamps, projections onto the server capacities).
    void Repair();
    /// Relaxed objective at the current point, through SplitCostModel::UserTerms.
    double Objective() const;
    /// Auxiliaries z, v, q in closed form at the current point.
    void UpdateAuxiliaries();
    /// Solve the surrogate for the current auxiliaries, starting at the current point.
    void SolveSurrogate();
    /// Copy the point out.
    void Export(RelaxedPoint& x) const;
    /// Copy the point in (same association).
    void Import(const RelaxedPoint& x);
    /// Pack log(alpha, p, b, fe) of the users with a server into u (size 4N; 0 elsewhere).
    void ToLog(Eigen::ArrayXd& u) const;
    /// Unpack u (see ToLog); the point may be infeasible afterwards (call Repair()).
    void FromLog(const Eigen::ArrayXd& u);

    std::vector<double> m_mu;     //!< bandwidth price per server
    std::vector<double> m_lambda; //!< GPU price per server
    bool m_feasible{true};        //!< r_min attainable on every server

  private:
    /// Exact p-step of user n on the true objective for its current b (block coordinate).
    void PolishPower(uint32_t n);
    /// Alpha step of user n: min z a^2 + q (Y-a)^2 + omega_s Stab(a).
    void SolveAlpha(uint32_t n);
    /// GPU shares of server m (price lambda_m).
    void SolveGpu(uint32_t m);
    /// Bandwidth and power of server m (price mu_m).
    void SolveBandwidth(uint32_t m);
    /// phi(b) of user n with the inner p-problem solved from pStart.
    PbValue EvalPb(uint32_t n, double b, double pStart) const;
    /// psi(fe) of user n and derivatives.
    void EvalFe(uint32_t n, double fe, double& v, double& d1, double& d2) const;
    /// B(fe) and derivatives (weighted edge cost per layer).
    void EdgeCost(uint32_t n, double fe, double& B, double& B1, double& B2) const;

    /**
     * Feasible-start equality-constrained Newton on sum_n phi_n(x_n) s.t. sum x_n = cap,
     * x_n >= lb_n (Boyd & Vandenberghe §10.2 with an active set on lb and backtracking).
     * Every accepted step decreases the sum, so the FP surrogate never rises.
     * @return the multiplier of the sum constraint
     */
    template <typename EvalFn, typename AcceptFn>
    double ShareNewton(const std::vector<uint32_t>& users,
                       Eigen::ArrayXd& x,
                       const Eigen::ArrayXd& lb,
                       EvalFn eval,
                       AcceptFn accept);

    const SplitCostModel& m_model;
    const RoundState& m_state;
    const ObjectiveSettings& m_obj;
    const bool m_optAlpha;
    const uint32_t m_N;
    const uint32_t m_M;
    const double m_layers;
    bool m_transferDelay{false}; //!< uplink/downlink times count in the objective

    std::vector<uint32_t> m_server;
    std::vector<std::vector<uint32_t>> m_members;

    // per-user constants
    Eigen::ArrayXd m_w, m_s, m_sd, m_cd, m_devT, m_devE, m_edgeT, m_edgeE, m_stab0;
    Eigen::ArrayXd m_pMax, m_pFloor, m_aLo, m_aHi, m_fOpt, m_fe0, m_bLo, m_zero;
    // point
    Eigen::ArrayXd m_alpha, m_p, m_b, m_f, m_fe;
    // auxiliaries
    Eigen::ArrayXd m_z, m_v, m_q;
    // share-Newton buffers
    Eigen::ArrayXd m_phi, m_g, m_h, m_phiT, m_gT, m_hT, m_xT, m_dx, m_pT;
    std::vector<uint8_t> m_free;
};

} // namespace fpblock1
} // namespace ns3

#endif // EDGE_LLM_FP_BLOCK1_INTERNAL_H
