/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fp-resource-solver.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <Eigen/Core>
#include <algorithm>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFpResourceSolver");

namespace
{

const double kInf = std::numeric_limits<double>::infinity();
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

Block1::Block1(const SplitCostModel& model,
               const RelaxedPoint& start,
               bool optimizeAlpha,
               const std::vector<double>& weights)
    : m_model(model),
      m_state(model.GetState()),
      m_obj(model.GetState().objective),
      m_optAlpha(optimizeAlpha),
      m_N(model.GetState().NumUsers()),
      m_M(model.GetState().NumServers()),
      m_layers(model.GetState().layers)
{
    NS_ABORT_MSG_UNLESS(start.server.size() == m_N && start.alpha.size() == m_N &&
                            start.powerW.size() == m_N && start.bandwidthHz.size() == m_N &&
                            start.freqHz.size() == m_N && start.edgeFreqHz.size() == m_N,
                        "FpResourceSolver: every vector of the start point needs " << m_N
                                                                                   << " entries");
    NS_ABORT_MSG_UNLESS(weights.empty() || weights.size() == m_N,
                        "FpResourceSolver: delayWeights needs 0 or " << m_N << " entries");
    m_server = start.server;
    m_members.assign(m_M, {});
    {
        std::vector<uint32_t> count(m_M, 0);
        for (uint32_t m : m_server)
        {
            if (m < m_M)
            {
                ++count[m];
            }
        }
        for (uint32_t m = 0; m < m_M; ++m)
        {
            m_members[m].reserve(count[m]);
        }
    }
    for (uint32_t n = 0; n < m_N; ++n)
    {
        NS_ABORT_MSG_UNLESS(m_server[n] < m_M || m_server[n] == kNoServer,
                            "FpResourceSolver: user " << n << " on server " << m_server[n] << " of "
                                                      << m_M);
        if (m_server[n] != kNoServer)
        {
            m_members[m_server[n]].push_back(n);
        }
    }
    auto zeros = [this]() { return Eigen::ArrayXd::Zero(m_N); };
    m_w = weights.empty() ? Eigen::ArrayXd::Ones(m_N)
                          : Eigen::Map<const Eigen::ArrayXd>(weights.data(), m_N).eval();
    m_s = m_sd = m_cd = m_devT = m_devE = m_edgeT = m_edgeE = m_stab0 = zeros();
    m_pMax = m_pFloor = m_aLo = m_aHi = m_fOpt = m_fe0 = m_bLo = m_zero = zeros();
    m_z = m_v = m_q = zeros();
    m_phi = m_g = m_h = m_phiT = m_gT = m_hT = m_xT = m_dx = m_pT = zeros();
    m_free.assign(m_N, 1);
    m_mu.assign(m_M, 0.0);
    m_lambda.assign(m_M, 0.0);
    ReadModel();
    Import(start);
}

void
Block1::ReadModel()
{
    // Does the transfer time count in the objective delay? Ask the model, not the mode.
    CostTerms probe;
    probe.uplinkDelayS = 1.0;
    m_transferDelay = m_N > 0 && m_model.ObjectiveDelayS(0, probe) > 0;
    const double rmin = m_obj.minRateBps;
    for (uint32_t n = 0; n < m_N; ++n)
    {
        const UserState& u = m_state.users[n];
        const uint32_t m = m_server[n];
        m_pMax[n] = u.pMaxW;
        m_pFloor[n] = kPowerFloorRel * u.pMaxW;
        m_aLo[n] = std::max<double>(m_state.MinAlpha(), kAlphaFloor);
        m_aHi[n] = m_state.MaxAlpha(n);
        m_stab0[n] = m_model.Stability(n, 0.0); // Stab(a) = stab0 Y / (Y - a)
        m_s[n] = u.payloadBits;
        m_sd[n] = u.downlinkBits;
        // Coefficients of A(f) = omega_t w T1/f + omega_e E1 f^2 read from the model at unit
        // arguments: one device layer at f = 1 Hz.
        const uint32_t mProbe = m == kNoServer ? kNoServer : m;
        const double bProbe = m == kNoServer ? 1.0 : m_state.servers[m].bandwidthHz;
        CostTerms t = m_model.UserTerms(n, mProbe, 1.0, u.pMaxW, bProbe, 1.0, 1.0);
        m_devT[n] = t.deviceDelayS;
        m_devE[n] = t.deviceEnergyJ;
        {
            const double wt = m_obj.wTime * m_w[n];
            const double we = m_obj.wEnergy;
            double f = u.fMaxHz;
            if (we > 0 && m_devE[n] > 0)
            {
                f = std::min(u.fMaxHz, std::cbrt(wt * m_devT[n] / (2.0 * we * m_devE[n])));
            }
            m_fOpt[n] = std::max(f, kFreqFloorRel * u.fMaxHz);
        }
        if (m == kNoServer)
        {
            continue;
        }
        // B(fe) likewise: Y - 1 edge layers at fe = 1 Hz.
        const double edgeLayers = m_layers - 1.0;
        m_edgeT[n] = t.edgeDelayS / edgeLayers;
        m_edgeE[n] = t.edgeEnergyJ / edgeLayers;
        m_cd[n] = m_model.DownlinkSpectralEfficiency(n, m);
        {
            const double b1 = m_obj.wTime * m_w[n] * m_edgeT[n];
            const double b2 = m_obj.wEnergy * m_edgeE[n];
            m_fe0[n] = b2 > 0 ? std::cbrt(b1 / (2.0 * b2)) : kInf;
            // omega_t = 0 would put the optimum at 0 Hz: keep a positive share
            m_fe0[n] = std::max(m_fe0[n], kFreqFloorRel * m_state.servers[m].fMaxHz);
        }
        // Smallest bandwidth on which p_max still reaches r_min.
        if (rmin > 0)
        {
            auto excess = [&](double b) { return m_model.UplinkRateBps(n, m, u.pMaxW, b) - rmin; };
            const double bMax = m_state.servers[m].bandwidthHz;
            double hi = bMax;
            while (excess(hi) <= 0 && hi < 1e6 * bMax)
            {
                hi *= 4;
            }
            if (excess(hi) <= 0)
            {
                // r_min is out of reach on this server even with unlimited bandwidth: best
                // effort, p = p_max (the highest rate) and no rate floor; flagged infeasible
                NS_LOG_WARN("user " << n << " cannot reach r_min = " << rmin << " bit/s on server "
                                    << m << " at p_max = " << u.pMaxW << " W");
                m_feasible = false;
                m_pFloor[n] = u.pMaxW;
                m_bLo[n] = 0;
                continue;
            }
            double lo = hi / 4;
            while (excess(lo) > 0 && lo > 1e-30)
            {
                lo /= 4;
            }
            boost::uintmax_t it = 200;
            auto r =
                boost::math::tools::toms748_solve(excess,
                                                  lo,
                                                  hi,
                                                  boost::math::tools::eps_tolerance<double>(50),
                                                  it);
            // the upper end of the bracket meets r_min
            double b = r.second;
            while (excess(b) < 0)
            {
                b *= 1 + 1e-14;
            }
            m_bLo[n] = b;
        }
    }
}

void
Block1::Import(const RelaxedPoint& x)
{
    m_alpha = Eigen::Map<const Eigen::ArrayXd>(x.alpha.data(), m_N);
    m_p = Eigen::Map<const Eigen::ArrayXd>(x.powerW.data(), m_N);
    m_b = Eigen::Map<const Eigen::ArrayXd>(x.bandwidthHz.data(), m_N);
    m_f = Eigen::Map<const Eigen::ArrayXd>(x.freqHz.data(), m_N);
    m_fe = Eigen::Map<const Eigen::ArrayXd>(x.edgeFreqHz.data(), m_N);
}

void
Block1::Export(RelaxedPoint& x) const
{
    x.server = m_server;
    x.alpha.assign(m_alpha.data(), m_alpha.data() + m_N);
    x.powerW.assign(m_p.data(), m_p.data() + m_N);
    x.bandwidthHz.assign(m_b.data(), m_b.data() + m_N);
    x.freqHz.assign(m_f.data(), m_f.data() + m_N);
    x.edgeFreqHz.assign(m_fe.data(), m_fe.data() + m_N);
}

void
Block1::ToLog(Eigen::ArrayXd& u) const
{
    u.setZero(4 * m_N);
    for (uint32_t n = 0; n < m_N; ++n)
    {
        if (m_server[n] == kNoServer)
        {
            continue;
        }
        u[4 * n] = std::log(m_alpha[n]);
        u[4 * n + 1] = std::log(m_p[n]);
        u[4 * n + 2] = std::log(m_b[n]);
        u[4 * n + 3] = std::log(m_fe[n]);
    }
}

void
Block1::FromLog(const Eigen::ArrayXd& u)
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        if (m_server[n] == kNoServer)
        {
            continue;
        }
        if (m_optAlpha)
        {
            m_alpha[n] = std::exp(u[4 * n]);
        }
        m_p[n] = std::exp(u[4 * n + 1]);
        m_b[n] = std::exp(u[4 * n + 2]);
        m_fe[n] = std::exp(u[4 * n + 3]);
    }
}

void
Block1::Repair()
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        const UserState& u = m_state.users[n];
        if (!(m_f[n] > 0) || m_f[n] > u.fMaxHz)
        {
            m_f[n] = m_fOpt[n];
        }
        if (m_server[n] == kNoServer)
        {
            continue;
        }
        m_alpha[n] = std::clamp(m_alpha[n], m_aLo[n], m_aHi[n]);
    }
    for (uint32_t m = 0; m < m_M; ++m)
    {
        const auto& us = m_members[m];
        if (us.empty())
        {
            continue;
        }
        const ServerState& srv = m_state.servers[m];
        const double k = static_cast<double>(us.size());
        // bandwidth: positive, >= b_lo, sum <= b_max
        double sumLo = 0;
        for (uint32_t n : us)
        {
            if (!(m_b[n] > 0) || !std::isfinite(m_b[n]))
            {
                m_b[n] = srv.bandwidthHz / k;
            }
            sumLo += m_bLo[n];
        }
        if (!(sumLo < srv.bandwidthHz))
        {
            // r_min cannot be met for everyone: shares proportional to need, r_min violated.
            m_feasible = false;
            NS_LOG_WARN("server " << m << ": the users need " << sumLo
                                  << " Hz to reach r_min at p_max, the server has "
                                  << srv.bandwidthHz);
            // best effort: shares proportional to max(b_lo, equal share)
            double sumW = 0;
            for (uint32_t n : us)
            {
                sumW += std::max(m_bLo[n], srv.bandwidthHz / k);
            }
            for (uint32_t n : us)
            {
                m_b[n] = srv.bandwidthHz * std::max(m_bLo[n], srv.bandwidthHz / k) / sumW;
            }
        }
        else
        {
            double sum = 0;
            for (uint32_t n : us)
            {
                m_b[n] = std::max(m_b[n], m_bLo[n]);
                sum += m_b[n];
            }
            if (sum > srv.bandwidthHz)
            {
                // shrink the parts above b_lo so that the sum fits
                const double t = (srv.bandwidthHz - sumLo) / (sum - sumLo);
                for (uint32_t n : us)
                {
                    m_b[n] = m_bLo[n] + t * (m_b[n] - m_bLo[n]);
                }
            }
        }
        // GPU: positive, sum <= f_max
        double sumFe = 0;
        for (uint32_t n : us)
        {
            if (!(m_fe[n] > 0) || !std::isfinite(m_fe[n]))
            {
                m_fe[n] = srv.fMaxHz / k;
            }
            sumFe += m_fe[n];
        }
        if (sumFe > srv.fMaxHz)
        {
            for (uint32_t n : us)
            {
                m_fe[n] *= srv.fMaxHz / sumFe;
            }
        }
        // power within [max(p_min(b), floor), p_max]
        for (uint32_t n : us)
        {
            const double lo = std::max(m_model.MinPowerW(n, m, m_b[n]), m_pFloor[n]);
            if (!(m_p[n] > 0) || !std::isfinite(m_p[n]))
            {
                m_p[n] = m_pMax[n];
            }
            m_p[n] = std::clamp(m_p[n], std::min(lo, m_pMax[n]), m_pMax[n]);
        }
    }
}

double
Block1::Objective() const
{
    double sum = 0;
    for (uint32_t n = 0; n < m_N; ++n)
    {
        const CostTerms t =
            m_model.UserTerms(n, m_server[n], m_alpha[n], m_p[n], m_b[n], m_f[n], m_fe[n]);
        sum += m_obj.wTime * m_w[n] * m_model.ObjectiveDelayS(n, t) +
               m_obj.wEnergy * t.TotalEnergyJ() + m_obj.wStability * t.stability;
    }
    return sum;
}

void
Block1::EdgeCost(uint32_t n, double fe, double& B, double& B1, double& B2) const
{
    const double b1 = m_obj.wTime * m_w[n] * m_edgeT[n];
    const double b2 = m_obj.wEnergy * m_edgeE[n];
    B = b1 / fe + b2 * fe * fe;
    B1 = -b1 / (fe * fe) + 2.0 * b2 * fe;
    B2 = 2.0 * b1 / (fe * fe * fe) + 2.0 * b2;
}

void
Block1::UpdateAuxiliaries()
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        const uint32_t m = m_server[n];
        if (m == kNoServer)
        {
            continue;
        }
        // alpha A(f): z = A/(2 alpha); (Y - alpha) B(fe): q = B/(2 (Y - alpha))
        const double A =
            m_obj.wTime * m_w[n] * m_devT[n] / m_f[n] + m_obj.wEnergy * m_devE[n] * m_f[n] * m_f[n];
        double B, B1, B2;
        EdgeCost(n, m_fe[n], B, B1, B2);
        m_z[n] = A / (2.0 * m_alpha[n]);
        m_q[n] = B / (2.0 * (m_layers - m_alpha[n]));
        // (p s)(1/r): v = (1/r) / (2 p s)
        const double r = m_model.UplinkRateBps(n, m, m_p[n], m_b[n]);
        m_v[n] = 1.0 / (2.0 * m_p[n] * m_s[n] * r);
    }
}

void
Block1::SolveAlpha(uint32_t n)
{
    const double Y = m_layers;
    const double z = m_z[n];
    const double q = m_q[n];
    const double c = m_obj.wStability * m_stab0[n] * Y; // omega_s Stab(a) = c / (Y - a)
    auto deriv = [&](double a, double& d1, double& d2) {
        const double e = Y - a;
        d1 = 2.0 * z * a - 2.0 * q * e + c / (e * e);
        d2 = 2.0 * z + 2.0 * q + 2.0 * c / (e * e * e);
    };
    double lo = m_aLo[n];
    double hi = m_aHi[n];
    double d1, d2;
    deriv(lo, d1, d2);
    if (d1 >= 0)
    {
        m_alpha[n] = lo;
        return;
    }
    deriv(hi, d1, d2);
    if (d1 <= 0)
    {
        m_alpha[n] = hi;
        return;
    }
    double a = std::clamp(m_alpha[n], lo, hi);
    for (int i = 0; i < kMaxInner; ++i)
    {
        deriv(a, d1, d2);
        if (d1 > 0)
        {
            hi = a;
        }
        else
        {
            lo = a;
        }
        double an = a - d1 / d2;
        if (std::abs(an - a) <= kNewtonRelStep * a)
        {
            a = an;
            break;
        }
        if (!(an > lo && an < hi))
        {
            an = 0.5 * (lo + hi);
        }
        a = an;
        if (hi - lo <= kNewtonRelStep * hi)
        {
            break;
        }
    }
    m_alpha[n] = std::clamp(a, m_aLo[n], m_aHi[n]);
}

void
Block1::EvalFe(uint32_t n, double fe, double& v, double& d1, double& d2) const
{
    double B, B1, B2;
    EdgeCost(n, fe, B, B1, B2);
    if (m_optAlpha)
    {
        // surrogate B^2 / (4 q)
        const double q = m_q[n];
        v = B * B / (4.0 * q);
        d1 = B * B1 / (2.0 * q);
        d2 = (B1 * B1 + B * B2) / (2.0 * q);
    }
    else
    {
        // alpha fixed: (Y - alpha) B(fe) is convex already, no transform needed
        const double e = m_layers - m_alpha[n];
        v = e * B;
        d1 = e * B1;
        d2 = e * B2;
    }
}

PbValue
Block1::EvalPb(uint32_t n, double b, double pStart) const
{
    const uint32_t m = m_server[n];
    const double we = m_obj.wEnergy;
    const double v = m_v[n];
    const double s = m_s[n];
    const double D = m_transferDelay ? m_obj.wTime * m_w[n] : 0.0; // weight of the uplink time
    const double Dd = D * m_sd[n] / m_cd[n]; // downlink time weight: D s'/(c' b)
    // G(p, b) = we v s^2 p^2 + h(r(p, b)) + Dd / b,  h(r) = we / (4 v r^2) + D s / r
    const double ev = we * v * s * s;
    double lo = std::max(m_model.MinPowerW(n, m, b), m_pFloor[n]);
    const double hiP = m_pMax[n];
    lo = std::min(lo, hiP);
    const double loP = lo;
    double hi = hiP;
    double p = std::clamp(pStart, loP, hiP);
    RateDerivatives rd;
    double h1 = 0, h2 = 0, Gp = 0, Gpp = 0;
    PState state = PState::INTERIOR;
    auto evalAt = [&](double pp) {
        rd = m_model.UplinkRate(n, m, pp, b);
        const double r = rd.r;
        const double ir = 1.0 / r;
        const double ir2 = ir * ir;
        h1 = -we / (2.0 * v) * ir2 * ir - D * s * ir2;
        h2 = 1.5 * we / v * ir2 * ir2 + 2.0 * D * s * ir2 * ir;
        Gp = 2.0 * ev * pp + h1 * rd.dp;
        Gpp = 2.0 * ev + h2 * rd.dp * rd.dp + h1 * rd.dpp;
    };
    bool loEval = false;
    bool hiEval = false;
    double lastStep = 0; // a final Newton step taken without an evaluation (INTERIOR only)
    for (int i = 0; i < kMaxInner; ++i)
    {
        evalAt(p);
        if (p == loP)
        {
            loEval = true;
        }
        if (p == hiP)
        {
            hiEval = true;
        }
        if (Gp >= 0)
        {
            hi = p;
            if (p == loP)
            {
                state = PState::AT_MIN;
                break;
            }
        }
        else
        {
            lo = p;
            if (p == hiP)
            {
                state = PState::AT_MAX;
                break;
            }
        }
        if (Gp == 0)
        {
            break; // stationary (e.g. the surrogate does not depend on p at all)
        }
        const double step = Gpp > 0 ? -Gp / Gpp : (Gp > 0 ? -kInf : kInf);
        double pn = p + step;
        if (std::abs(step) <= kNewtonRelStep * p)
        {
            break; // p is within the tolerance of the root; derivatives are at p
        }
        if (Gpp > 0 && pn > lo && pn < hi && std::abs(step) <= kNewtonLastStep * p)
        {
            // the last Newton step (quadratic convergence: pn is the root to ~step^2) is taken
            // without evaluating at pn; phi and phi' below are moved to pn to second order
            lastStep = step;
            break;
        }
        if (pn <= lo)
        {
            pn = (lo == loP && !loEval) ? loP : (lo > 0 ? std::sqrt(lo * hi) : 0.5 * hi);
        }
        else if (pn >= hi)
        {
            pn = (hi == hiP && !hiEval) ? hiP : std::sqrt(lo * hi);
        }
        if (hi - lo <= kNewtonRelStep * hi && (lo != loP || loEval) && (hi != hiP || hiEval))
        {
            break; // the root is bracketed by two evaluated points
        }
        p = pn;
    }
    PbValue out;
    out.p = p + lastStep;
    out.state = state;
    const double r = rd.r;
    const double ir = 1.0 / r;
    out.phi = ev * p * p + we / (4.0 * v) * ir * ir + D * s * ir + Dd / b;
    // (lastStep = -Gp/Gpp: phi(p + step) = phi + Gp step + Gpp step^2 / 2 to third order)
    out.phi += lastStep * (Gp + 0.5 * Gpp * lastStep);
    const double Gb = h1 * rd.db - Dd / (b * b);
    const double Gbb = h2 * rd.db * rd.db + h1 * rd.dbb + 2.0 * Dd / (b * b * b);
    const double Gpb = h2 * rd.dp * rd.db + h1 * rd.dpb;
    switch (state)
    {
    case PState::INTERIOR:
        out.d1 = Gb + Gpb * lastStep; // G_b at p + lastStep to second order
        out.d2 = Gbb - Gpb * Gpb / Gpp;
        break;
    case PState::AT_MAX:
        out.d1 = Gb;
        out.d2 = Gbb;
        break;
    case PState::AT_MIN:
        if (p > m_pFloor[n] && m_obj.minRateBps > 0)
        {
            // p = p_min(b) on r(p, b) = r_min: p' = -r_b/r_p, p'' by implicit differentiation
            const double dp = -rd.db / rd.dp;
            const double dpp = -(rd.dpp * dp * dp + 2.0 * rd.dpb * dp + rd.dbb) / rd.dp;
            out.d1 = Gb + Gp * dp;
            out.d2 = Gbb + 2.0 * Gpb * dp + Gpp * dp * dp + Gp * dpp;
        }
        else
        {
            out.d1 = Gb;
            out.d2 = Gbb;
        }
        break;
    }
    // rounding in the Schur complement (or a phi that does not depend on b): keep a positive
    // curvature on the scale of phi
    const double floorD2 = 1e-12 * (std::abs(out.phi) + std::abs(out.d1) * b) / (b * b);
    if (!(out.d2 > floorD2))
    {
        out.d2 = std::max({Gbb, floorD2, 1e-300});
    }
    return out;
}

template <typename EvalFn, typename AcceptFn>
double
Block1::ShareNewton(const std::vector<uint32_t>& users,
                    Eigen::ArrayXd& x,
                    const Eigen::ArrayXd& lb,
                    EvalFn eval,
                    AcceptFn accept)
{
    double total = 0;
    for (uint32_t n : users)
    {
        eval(n, x[n], m_phi[n], m_g[n], m_h[n]);
        accept(n);
        total += m_phi[n];
    }
    double mu = 0;
    for (int it = 0; it < kMaxInner; ++it)
    {
        // active set: users at their lower bound stay there unless they want more
        for (uint32_t n : users)
        {
            m_free[n] = !(lb[n] > 0 && x[n] <= lb[n] * (1 + 1e-12));
        }
        for (int pass = 0; pass < 4; ++pass)
        {
            double sInv = 0;
            double sGh = 0;
            for (uint32_t n : users)
            {
                if (m_free[n])
                {
                    sInv += 1.0 / m_h[n];
                    sGh += m_g[n] / m_h[n];
                }
            }
            mu = sInv > 0 ? -sGh / sInv : 0.0;
            bool changed = false;
            for (uint32_t n : users)
            {
                if (!m_free[n] && m_g[n] + mu < 0)
                {
                    m_free[n] = 1;
                    changed = true;
                }
            }
            if (!changed)
            {
                break;
            }
        }
        double dec = 0;
        double tMax = 1.0;
        for (uint32_t n : users)
        {
            if (!m_free[n])
            {
                m_dx[n] = 0;
                continue;
            }
            const double dx = -(m_g[n] + mu) / m_h[n];
            m_dx[n] = dx;
            dec += dx * dx * m_h[n];
            if (dx < 0)
            {
                // fraction to the boundary: at most 90 % of the way to 0, exactly onto lb
                const double floor = lb[n] > 0.1 * x[n] ? lb[n] : 0.1 * x[n];
                tMax = std::min(tMax, (floor - x[n]) / dx);
            }
        }
        if (!(dec > m_shareTol * std::abs(total)))
        {
            break;
        }
        double t = std::max(tMax, 0.0);
        bool ok = false;
        for (int ls = 0; ls < 60 && t > 0; ++ls)
        {
            double trial = 0;
            for (uint32_t n : users)
            {
                if (!m_free[n])
                {
                    trial += m_phi[n];
                    continue;
                }
                double xn = x[n] + t * m_dx[n];
                if (lb[n] > 0 && xn < lb[n] * (1 + 1e-12))
                {
                    xn = lb[n];
                }
                m_xT[n] = xn;
                eval(n, xn, m_phiT[n], m_gT[n], m_hT[n]);
                trial += m_phiT[n];
            }
            if (trial <= total - 0.25 * t * dec)
            {
                ok = true;
                total = trial;
                break;
            }
            t *= 0.5;
        }
        if (!ok)
        {
            break;
        }
        for (uint32_t n : users)
        {
            if (m_free[n])
            {
                x[n] = m_xT[n];
                m_phi[n] = m_phiT[n];
                m_g[n] = m_gT[n];
                m_h[n] = m_hT[n];
                accept(n);
            }
        }
    }
    return mu;
}

void
Block1::SolveGpu(uint32_t m)
{
    const auto& us = m_members[m];
    const double cap = m_state.servers[m].fMaxHz;
    double sum0 = 0;
    double sum = 0;
    for (uint32_t n : us)
    {
        sum0 += m_fe0[n];
        sum += m_fe[n];
    }
    if (sum0 <= cap)
    {
        // every user's unconstrained minimiser fits: lambda = 0
        for (uint32_t n : us)
        {
            m_fe[n] = m_fe0[n];
        }
        m_lambda[m] = 0;
        return;
    }
    if (sum < cap)
    {
        // move towards the unconstrained minimisers until the capacity binds (descent by
        // convexity); if some fe0 is infinite, scale up instead (psi decreasing there)
        if (std::isfinite(sum0))
        {
            const double t = (cap - sum) / (sum0 - sum);
            for (uint32_t n : us)
            {
                m_fe[n] += t * (m_fe0[n] - m_fe[n]);
            }
        }
        else
        {
            for (uint32_t n : us)
            {
                m_fe[n] *= cap / sum;
            }
        }
    }
    m_lambda[m] = ShareNewton(
        us,
        m_fe,
        m_zero, // lower bound 0 (fraction-to-the-boundary keeps fe > 0)
        [this](uint32_t n, double x, double& v, double& d1, double& d2) {
            EvalFe(n, x, v, d1, d2);
        },
        [](uint32_t) {});
}

void
Block1::SolveBandwidth(uint32_t m)
{
    const auto& us = m_members[m];
    const double cap = m_state.servers[m].bandwidthHz;
    if (!m_feasible)
    {
        // keep the repaired shares; only p moves
        double sumLo = 0;
        for (uint32_t n : us)
        {
            sumLo += m_bLo[n];
        }
        if (!(sumLo < cap))
        {
            for (uint32_t n : us)
            {
                m_p[n] = EvalPb(n, m_b[n], m_p[n]).p;
            }
            m_mu[m] = 0;
            return;
        }
    }
    double sum = 0;
    for (uint32_t n : us)
    {
        sum += m_b[n];
    }
    if (sum < cap)
    {
        for (uint32_t n : us)
        {
            m_b[n] *= cap / sum; // phi is decreasing in b: more is never worse
        }
    }
    m_mu[m] = ShareNewton(
        us,
        m_b,
        m_bLo,
        [this](uint32_t n, double x, double& v, double& d1, double& d2) {
            const PbValue pb = EvalPb(n, x, m_p[n]);
            v = pb.phi;
            d1 = pb.d1;
            d2 = pb.d2;
            m_pT[n] = pb.p;
        },
        [this](uint32_t n) { m_p[n] = m_pT[n]; });
}

void
Block1::PolishPower(uint32_t n)
{
    // min_p s (omega_e p + D) / r(p, b) on [max(p_min(b), floor), p_max]. Its derivative has
    // the sign of N(p) = omega_e r - (omega_e p + D) r_p, increasing in p (N' = -(omega_e p + D)
    // r_pp > 0): unimodal, the minimiser is the clamped root of N.
    const uint32_t m = m_server[n];
    const double b = m_b[n];
    const double we = m_obj.wEnergy;
    const double D = m_transferDelay ? m_obj.wTime * m_w[n] : 0.0;
    const double hiP = m_pMax[n];
    const double loP = std::min(std::max(m_model.MinPowerW(n, m, b), m_pFloor[n]), hiP);
    double lo = loP;
    double hi = hiP;
    bool loEval = false;
    bool hiEval = false;
    double p = std::clamp(m_p[n], loP, hiP);
    for (int i = 0; i < kMaxInner; ++i)
    {
        const RateDerivatives rd = m_model.UplinkRate(n, m, p, b);
        const double N = we * rd.r - (we * p + D) * rd.dp;
        const double dN = -(we * p + D) * rd.dpp;
        loEval = loEval || p == loP;
        hiEval = hiEval || p == hiP;
        if (N >= 0)
        {
            hi = p;
            if (p == loP)
            {
                break;
            }
        }
        else
        {
            lo = p;
            if (p == hiP)
            {
                break;
            }
        }
        double pn = dN > 0 ? p - N / dN : (N >= 0 ? lo : hi);
        if (std::abs(pn - p) <= kNewtonRelStep * p)
        {
            break;
        }
        if (dN > 0 && pn > lo && pn < hi && std::abs(pn - p) <= kNewtonLastStep * p)
        {
            // quadratic convergence: the root is within ~kNewtonLastStep^2 of pn, so the
            // evaluation at pn would only confirm it (its step is below kNewtonRelStep)
            p = pn;
            break;
        }
        if (pn <= lo)
        {
            pn = (lo == loP && !loEval) ? loP : std::sqrt(lo * hi);
        }
        else if (pn >= hi)
        {
            pn = (hi == hiP && !hiEval) ? hiP : std::sqrt(lo * hi);
        }
        if (hi - lo <= kNewtonRelStep * hi && (lo != loP || loEval) && (hi != hiP || hiEval))
        {
            break;
        }
        p = pn;
    }
    m_p[n] = p;
}

void
Block1::SolveSurrogate()
{
    for (uint32_t n = 0; n < m_N; ++n)
    {
        m_f[n] = m_fOpt[n]; // min A(f)^2/(4z) = min A(f): closed form
        if (m_optAlpha && m_server[n] != kNoServer)
        {
            SolveAlpha(n);
        }
    }
    for (uint32_t m = 0; m < m_M; ++m)
    {
        if (m_members[m].empty())
        {
            continue;
        }
        SolveGpu(m);
        SolveBandwidth(m);
        if (m_polishPower)
        {
            for (uint32_t n : m_members[m])
            {
                PolishPower(n);
            }
        }
    }
}

} // namespace

FpResourceSolver::FpResourceSolver(const SplitCostModel& model)
    : m_model(model)
{
}

RelaxedPoint
FpResourceSolver::InitialPoint(const std::vector<uint32_t>& server,
                               const std::vector<double>& alpha) const
{
    const RoundState& st = m_model.GetState();
    const uint32_t N = st.NumUsers();
    NS_ABORT_MSG_UNLESS(server.size() == N,
                        "InitialPoint: association has " << server.size() << " entries, the round "
                                                         << N << " users");
    NS_ABORT_MSG_UNLESS(alpha.empty() || alpha.size() == N,
                        "InitialPoint: alpha has " << alpha.size() << " entries, expected 0 or "
                                                   << N);
    RelaxedPoint x;
    x.server = server;
    x.alpha.resize(N);
    x.powerW.resize(N);
    x.bandwidthHz.assign(N, 0.0); // Repair() gives equal shares (>= b_lo)
    x.edgeFreqHz.assign(N, 0.0);
    x.freqHz.resize(N);
    for (uint32_t n = 0; n < N; ++n)
    {
        const UserState& u = st.users[n];
        x.powerW[n] = server[n] == UserAllocation::kNoServer ? 0.0 : u.pMaxW;
        x.freqHz[n] = SplitCostModel::OptimalDeviceFrequency(u, st.objective);
        if (!alpha.empty())
        {
            x.alpha[n] = alpha[n];
        }
        else if (server[n] == UserAllocation::kNoServer)
        {
            x.alpha[n] = st.layers;
        }
        else
        {
            x.alpha[n] = 0.5 * (std::max<double>(st.MinAlpha(), 1.0) + st.MaxAlpha(n));
        }
    }
    Block1 w(m_model, x, true, {});
    w.Repair();
    w.Export(x);
    for (uint32_t n = 0; n < N; ++n)
    {
        if (server[n] == UserAllocation::kNoServer)
        {
            x.powerW[n] = x.bandwidthHz[n] = x.edgeFreqHz[n] = 0.0;
        }
    }
    return x;
}

double
FpResourceSolver::RelaxedObjective(const RelaxedPoint& x,
                                   const std::vector<double>& delayWeights) const
{
    const ObjectiveSettings& o = m_model.GetState().objective;
    double sum = 0;
    for (uint32_t n = 0; n < x.server.size(); ++n)
    {
        const CostTerms t = m_model.UserTerms(n,
                                              x.server[n],
                                              x.alpha[n],
                                              x.powerW[n],
                                              x.bandwidthHz[n],
                                              x.freqHz[n],
                                              x.edgeFreqHz[n]);
        const double w = delayWeights.empty() ? 1.0 : delayWeights[n];
        sum += o.wTime * w * m_model.ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
               o.wStability * t.stability;
    }
    return sum;
}

FpResourceResult
FpResourceSolver::Solve(const RelaxedPoint& start, const FpResourceOptions& options) const
{
    FpResourceResult res;
    Block1 w(m_model, start, options.optimizeAlpha, options.delayWeights);
    w.m_polishPower = options.exactPowerStep;
    w.m_shareTol = 1e-8;
    w.Repair();
    double k = w.Objective();
    res.initialObjective = k;
    res.feasible = w.m_feasible;
    RelaxedPoint best; // last accepted point
    w.Export(best);
    double bestStationarity = -1; // Stationarity(best) once computed (-1: not yet)
    std::vector<double> mu = w.m_mu;
    std::vector<double> lambda = w.m_lambda;
    // One FP iteration from the point held in w: auxiliaries in closed form, surrogate solved.
    auto fpStep = [&]() {
        w.UpdateAuxiliaries();
        w.SolveSurrogate();
        ++res.iterations;
        return w.Objective();
    };
    // Accept the point in w with objective kNew if it does not raise K; true: converged.
    bool done = false;
    auto accept = [&](double kNew) {
        const double drop = k - kNew;
        // inexact surrogate solves while the objective still drops a lot (each accepted
        // Newton step lowers the surrogate, so K stays monotone), exact ones near the end; a
        // stall only counts as convergence if the step that stalled was solved exactly
        const bool exactStep = w.m_shareTol <= kShareDecrement;
        w.m_shareTol = std::clamp(1e-4 * drop / std::abs(kNew), kShareDecrement, 1e-8);
        k = kNew;
        if (!std::isfinite(k))
        {
            // e.g. a local-only user (infinite stability term): no progress to measure
            res.objectiveHistory.push_back(k);
            w.Export(best);
            bestStationarity = -1;
            done = true;
            return;
        }
        res.objectiveHistory.push_back(k);
        w.Export(best);
        bestStationarity = -1;
        mu = w.m_mu;
        lambda = w.m_lambda;
        if (drop <= options.relTolerance * std::abs(k))
        {
            if (options.stationarityTolerance <= 0 || (exactStep && drop <= 1e-15 * std::abs(k)) ||
                (bestStationarity =
                     Stationarity(best, !options.optimizeAlpha, options.delayWeights)) <=
                    options.stationarityTolerance)
            {
                res.converged = true;
                done = true;
            }
        }
    };
    // A plain FP step that raised K (inexact surrogate): undo it and stop.
    auto reject = [&](double kNew) {
        ++res.rejectedSteps;
        res.maxRejectedRise = std::max(res.maxRejectedRise, (kNew - k) / std::abs(k));
        NS_LOG_LOGIC("FP step raised K from " << k << " to " << kNew << "; previous point kept");
        w.Import(best);
        res.converged = true;
        done = true;
    };
    Eigen::ArrayXd u0, u1, u2, r, v;
    double stepMax = 4.0; // SQUAREM step-length bound, adapted
    while (!done && res.iterations < options.maxIterations)
    {
        // plain FP step x1 = T(x0)
        if (options.accelerate)
        {
            w.ToLog(u0);
        }
        double k1 = fpStep();
        if (!(k1 <= k))
        {
            reject(k1);
            break;
        }
        accept(k1);
        if (done || !options.accelerate || res.iterations >= options.maxIterations)
        {
            continue;
        }
        // second step x2 = T(x1)
        w.ToLog(u1);
        double k2 = fpStep();
        if (!(k2 <= k))
        {
            reject(k2);
            break;
        }
        accept(k2);
        if (done || res.iterations >= options.maxIterations)
        {
            continue;
        }
        // SQUAREM (Varadhan & Roland 2008, S3) in log coordinates:
        // x' = x0 - 2 a r + a^2 v, r = u1 - u0, v = u2 - 2 u1 + u0, a = -|r|/|v| <= -1
        w.ToLog(u2);
        r = u1 - u0;
        v = u2 - u1 - r;
        const double nr = std::sqrt(r.square().sum());
        const double nv = std::sqrt(v.square().sum());
        if (!(nv > 0) || !(nr > 0))
        {
            continue;
        }
        const double a = -std::min(stepMax, std::max(1.0, nr / nv));
        if (a == -1.0)
        {
            continue; // the extrapolation would land on x2
        }
        w.FromLog(u0 - 2.0 * a * r + a * a * v);
        w.Repair();
        const double k3 = fpStep(); // stabilising FP step from the extrapolated point
        if (k3 <= k)
        {
            accept(k3);
            if (-a >= stepMax)
            {
                stepMax *= 4.0;
            }
        }
        else
        {
            // extrapolation did not pay: back to x2 (no FP step was rejected)
            ++res.rejectedExtrapolations;
            w.Import(best); // best is still x2: nothing was accepted since
            stepMax = std::max(1.0, -a / 2.0);
        }
    }
    if (res.objectiveHistory.empty())
    {
        res.objectiveHistory.push_back(k);
    }
    res.point = best;
    res.bandwidthPrice = mu;
    res.gpuPrice = lambda;
    // the convergence test may have evaluated it at this very point already
    if (bestStationarity >= 0)
    {
        res.stationarity = bestStationarity;
    }
    else
    {
        res.stationarity = options.finalStationarity
                               ? Stationarity(best, !options.optimizeAlpha, options.delayWeights)
                               : std::numeric_limits<double>::quiet_NaN();
    }
    return res;
}

double
FpResourceSolver::Stationarity(const RelaxedPoint& x,
                               bool alphaFixed,
                               const std::vector<double>& delayWeights) const
{
    const RoundState& st = m_model.GetState();
    const ObjectiveSettings& o = st.objective;
    const uint32_t N = st.NumUsers();
    const uint32_t M = st.NumServers();
    const double rmin = o.minRateBps;
    // per user: cost, gradients (with the rate multiplier folded into g_b)
    std::vector<double> K(N), ga(N), gp(N), gb(N), gf(N), gfe(N);
    std::vector<uint8_t> pinned(N, 0); // at (p_max, b_lo): b cannot decrease
    std::vector<uint8_t> rateActive(N, 0);
    std::vector<double> nu(N, 0.0), rp(N, 0.0);
    auto weighted = [&](uint32_t n, const CostTerms& t) {
        const double w = delayWeights.empty() ? 1.0 : delayWeights[n];
        return o.wTime * w * m_model.ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
               o.wStability * t.stability;
    };
    for (uint32_t n = 0; n < N; ++n)
    {
        const uint32_t m = x.server[n];
        const CostTerms t = m_model.UserTerms(n,
                                              m,
                                              x.alpha[n],
                                              x.powerW[n],
                                              x.bandwidthHz[n],
                                              x.freqHz[n],
                                              x.edgeFreqHz[n]);
        K[n] = weighted(n, t);
        const CostTermsGradient g = m_model.UserTermsGradient(n,
                                                              m,
                                                              x.alpha[n],
                                                              x.powerW[n],
                                                              x.bandwidthHz[n],
                                                              x.freqHz[n],
                                                              x.edgeFreqHz[n]);
        ga[n] = weighted(n, g.dAlpha);
        gf[n] = weighted(n, g.dF);
        if (m == UserAllocation::kNoServer)
        {
            continue;
        }
        gp[n] = weighted(n, g.dP);
        gb[n] = weighted(n, g.dB);
        gfe[n] = weighted(n, g.dFe);
        if (rmin > 0)
        {
            const RateDerivatives rd = m_model.UplinkRate(n, m, x.powerW[n], x.bandwidthHz[n]);
            if (rd.r < rmin * (1 - 1e-9))
            {
                // the rate floor is violated (out of reach): checked with p fixed, no floor
                rateActive[n] = 2;
                gp[n] = 0;
            }
            else if (rd.r <= rmin * (1 + 1e-9))
            {
                rateActive[n] = 1;
                const double pMax = st.users[n].pMaxW;
                if (x.powerW[n] >= pMax * (1 - 1e-12))
                {
                    pinned[n] = 1; // multipliers settled per server below
                }
                else
                {
                    nu[n] = std::max(0.0, gp[n] / rd.dp);
                    gp[n] -= nu[n] * rd.dp;
                    gb[n] -= nu[n] * rd.db;
                }
                rp[n] = rd.db; // keep r_b for pinned users
            }
        }
    }
    // least-squares multipliers per server
    std::vector<double> mu(M, 0.0), lam(M, 0.0), bandSum(M, 0.0), freqSum(M, 0.0), costSum(M, 0.0);
    {
        std::vector<double> num(M, 0.0), den(M, 0.0), numF(M, 0.0), denF(M, 0.0);
        for (uint32_t n = 0; n < N; ++n)
        {
            const uint32_t m = x.server[n];
            if (m == UserAllocation::kNoServer)
            {
                continue;
            }
            bandSum[m] += x.bandwidthHz[n];
            freqSum[m] += x.edgeFreqHz[n];
            costSum[m] += K[n];
            const double wb = std::pow(x.bandwidthHz[n] / K[n], 2);
            const double wf = std::pow(x.edgeFreqHz[n] / K[n], 2);
            if (!pinned[n])
            {
                num[m] += wb * gb[n];
                den[m] += wb;
            }
            numF[m] += wf * gfe[n];
            denF[m] += wf;
        }
        for (uint32_t m = 0; m < M; ++m)
        {
            mu[m] = den[m] > 0 ? std::max(0.0, -num[m] / den[m]) : 0.0;
            lam[m] = denF[m] > 0 ? std::max(0.0, -numF[m] / denF[m]) : 0.0;
        }
    }
    double res = 0;
    auto proj = [&](double v, double g, double k, double lo, double hi) {
        if (!(v > 0))
        {
            return 0.0;
        }
        const double moved = std::clamp(v - v * v * g / k, lo, hi);
        return std::abs(v - moved) / v;
    };
    for (uint32_t n = 0; n < N; ++n)
    {
        const UserState& u = st.users[n];
        const uint32_t m = x.server[n];
        const double k = std::abs(K[n]) > 0 ? std::abs(K[n]) : 1.0;
        res = std::max(res, proj(x.freqHz[n], gf[n], k, kFreqFloorRel * u.fMaxHz, u.fMaxHz));
        if (m == UserAllocation::kNoServer)
        {
            continue;
        }
        if (!alphaFixed)
        {
            res = std::max(
                res,
                proj(x.alpha[n], ga[n], k, std::max<double>(st.MinAlpha(), 0.0), st.MaxAlpha(n)));
        }
        const double feLo = std::min(x.edgeFreqHz[n], kFreqFloorRel * st.servers[m].fMaxHz);
        res = std::max(res, proj(x.edgeFreqHz[n], gfe[n] + lam[m], k, feLo, kInf));
        if (pinned[n])
        {
            // (p, b) = (p_max, b_lo): nu from the b-equation must be >= 0 and the p_max
            // multiplier eta = nu r_p - g_p >= 0
            const RateDerivatives rd = m_model.UplinkRate(n, m, x.powerW[n], x.bandwidthHz[n]);
            const double nuB = (gb[n] + mu[m]) / rd.db;
            const double eta = nuB * rd.dp - gp[n];
            res = std::max(res, std::max(0.0, -nuB * rd.db) * x.bandwidthHz[n] / k);
            res = std::max(res, std::max(0.0, -eta) * x.powerW[n] / k);
            continue;
        }
        // nu carries the rate floor; otherwise the solver's power floor is the bound
        const double pLo = rateActive[n] ? x.powerW[n] : kPowerFloorRel * u.pMaxW;
        res = std::max(res, proj(x.powerW[n], gp[n], k, pLo, u.pMaxW));
        res = std::max(res, proj(x.bandwidthHz[n], gb[n] + mu[m], k, 0.0, kInf));
    }
    for (uint32_t m = 0; m < M; ++m)
    {
        const ServerState& s = st.servers[m];
        if (costSum[m] <= 0)
        {
            continue;
        }
        if (mu[m] > 0)
        {
            res = std::max(res,
                           std::min(std::abs(bandSum[m] - s.bandwidthHz) / s.bandwidthHz,
                                    mu[m] * s.bandwidthHz / costSum[m]));
        }
        if (lam[m] > 0)
        {
            res = std::max(res,
                           std::min(std::abs(freqSum[m] - s.fMaxHz) / s.fMaxHz,
                                    lam[m] * s.fMaxHz / costSum[m]));
        }
    }
    return res;
}

} // namespace ns3
