/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// FpResourceSolver: the FP iteration of block 1 (auxiliaries, surrogate, accelerations) and
// its stationarity test; the surrogate solve itself is fpblock1::Block1 in fp-block1.cc.
#include "fp-resource-solver.h"

#include "fp-block1-internal.h"

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

using namespace fpblock1;

CostTerms
RelaxedUserTerms(const SplitCostModel& model, const RelaxedPoint& x, uint32_t n)
{
    return model.UserTerms(n,
                           x.server[n],
                           x.alpha[n],
                           x.powerW[n],
                           x.bandwidthHz[n],
                           x.freqHz[n],
                           x.edgeFreqHz[n]);
}

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
        const CostTerms t = RelaxedUserTerms(m_model, x, n);
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
        const CostTerms t = RelaxedUserTerms(m_model, x, n);
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
