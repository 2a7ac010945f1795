/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Block 1 of the paper's algorithm, the surrogate solve of one FP iteration: per-user alpha
// and power steps, per-server Newton on the bandwidth and GPU shares (class fpblock1::Block1).
#include "fp-block1-internal.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <boost/math/tools/roots.hpp>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFpBlock1");

namespace fpblock1
{

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

} // namespace fpblock1
} // namespace ns3
