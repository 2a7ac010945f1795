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

namespace
{

/**
 * One block-1 solve (FpResourceSolver::Solve): the FP iteration on a Block1 working state, the
 * acceptance of each step (the objective never rises) and the SQUAREM extrapolation.
 */
class FpIteration
{
  public:
    /**
     * Repairs the start and records its objective.
     * @param solver the solver (its model, its Stationarity)
     * @param start starting point
     * @param options options
     */
    FpIteration(const FpResourceSolver& solver,
                const RelaxedPoint& start,
                const FpResourceOptions& options);

    /// Iterates until converged, a step is rejected or maxIterations is reached.
    void Run();

    /// @return the result: the last accepted point, its prices and its stationarity
    FpResourceResult Finish();

  private:
    /// One FP iteration from the point held in m_w: auxiliaries in closed form, surrogate
    /// solved. @return the new objective
    double Step();
    /// One FP step, accepted if it does not raise K, else undone.
    /// @return true if the iteration goes on (not done, iterations left)
    bool AcceptedStep();
    /// Accept the point in m_w with objective kNew (it does not raise K); sets m_done if
    /// converged. @param kNew its objective
    void Accept(double kNew);
    /// A plain FP step that raised K (inexact surrogate): undo it and stop.
    /// @param kNew the objective it reached
    void Reject(double kNew);
    /// SQUAREM (Varadhan & Roland 2008, S3) from x0 = m_u0, x1 = m_u1 and the point in m_w
    /// (x2), then one stabilising FP step, kept only if it does not raise K.
    void Extrapolate();

    const FpResourceSolver& m_solver;   //!< the solver
    const FpResourceOptions& m_options; //!< options
    Block1 m_w;                         //!< working state
    FpResourceResult m_res;             //!< the result being built
    double m_k;                         //!< objective of the last accepted point
    RelaxedPoint m_best;                //!< last accepted point
    double m_bestStationarity{-1};      //!< Stationarity(m_best) once computed (-1: not yet)
    std::vector<double> m_mu;           //!< bandwidth prices of the last accepted point
    std::vector<double> m_lambda;       //!< GPU prices of the last accepted point
    bool m_done{false};                 //!< converged or a step was rejected
    Eigen::ArrayXd m_u0, m_u1, m_u2;    //!< SQUAREM: x0, x1, x2 in log coordinates
    Eigen::ArrayXd m_r, m_v;            //!< SQUAREM: first and second differences
    double m_stepMax{4.0};              //!< SQUAREM step-length bound, adapted
};

FpIteration::FpIteration(const FpResourceSolver& solver,
                         const RelaxedPoint& start,
                         const FpResourceOptions& options)
    : m_solver(solver),
      m_options(options),
      m_w(solver.Model(), start, options.optimizeAlpha, options.delayWeights)
{
    m_w.m_polishPower = options.exactPowerStep;
    m_w.m_shareTol = 1e-8;
    m_w.Repair();
    m_k = m_w.Objective();
    m_res.initialObjective = m_k;
    m_res.feasible = m_w.m_feasible;
    m_w.Export(m_best);
    m_mu = m_w.m_mu;
    m_lambda = m_w.m_lambda;
}

double
FpIteration::Step()
{
    m_w.UpdateAuxiliaries();
    m_w.SolveSurrogate();
    ++m_res.iterations;
    return m_w.Objective();
}

bool
FpIteration::AcceptedStep()
{
    const double kNew = Step();
    if (!(kNew <= m_k))
    {
        Reject(kNew);
        return false;
    }
    Accept(kNew);
    return !m_done && m_res.iterations < m_options.maxIterations;
}

void
FpIteration::Accept(double kNew)
{
    const double drop = m_k - kNew;
    // inexact surrogate solves while the objective still drops a lot (each accepted
    // Newton step lowers the surrogate, so K stays monotone), exact ones near the end; a
    // stall only counts as convergence if the step that stalled was solved exactly
    const bool exactStep = m_w.m_shareTol <= kShareDecrement;
    m_w.m_shareTol = std::clamp(1e-4 * drop / std::abs(kNew), kShareDecrement, 1e-8);
    m_k = kNew;
    if (!std::isfinite(m_k))
    {
        // e.g. a local-only user (infinite stability term): no progress to measure
        m_res.objectiveHistory.push_back(m_k);
        m_w.Export(m_best);
        m_bestStationarity = -1;
        m_done = true;
        return;
    }
    m_res.objectiveHistory.push_back(m_k);
    m_w.Export(m_best);
    m_bestStationarity = -1;
    m_mu = m_w.m_mu;
    m_lambda = m_w.m_lambda;
    if (drop <= m_options.relTolerance * std::abs(m_k))
    {
        if (m_options.stationarityTolerance <= 0 || (exactStep && drop <= 1e-15 * std::abs(m_k)) ||
            (m_bestStationarity =
                 m_solver.Stationarity(m_best, !m_options.optimizeAlpha, m_options.delayWeights)) <=
                m_options.stationarityTolerance)
        {
            m_res.converged = true;
            m_done = true;
        }
    }
}

void
FpIteration::Reject(double kNew)
{
    ++m_res.rejectedSteps;
    m_res.maxRejectedRise = std::max(m_res.maxRejectedRise, (kNew - m_k) / std::abs(m_k));
    NS_LOG_LOGIC("FP step raised K from " << m_k << " to " << kNew << "; previous point kept");
    m_w.Import(m_best);
    m_res.converged = true;
    m_done = true;
}

void
FpIteration::Run()
{
    while (!m_done && m_res.iterations < m_options.maxIterations)
    {
        // plain FP step x1 = T(x0)
        if (m_options.accelerate)
        {
            m_w.ToLog(m_u0);
        }
        if (!AcceptedStep() || !m_options.accelerate)
        {
            continue;
        }
        // second step x2 = T(x1)
        m_w.ToLog(m_u1);
        if (!AcceptedStep())
        {
            continue;
        }
        Extrapolate();
    }
}

void
FpIteration::Extrapolate()
{
    // SQUAREM in log coordinates:
    // x' = x0 - 2 a r + a^2 v, r = u1 - u0, v = u2 - 2 u1 + u0, a = -|r|/|v| <= -1
    m_w.ToLog(m_u2);
    m_r = m_u1 - m_u0;
    m_v = m_u2 - m_u1 - m_r;
    const double nr = std::sqrt(m_r.square().sum());
    const double nv = std::sqrt(m_v.square().sum());
    if (!(nv > 0) || !(nr > 0))
    {
        return;
    }
    const double a = -std::min(m_stepMax, std::max(1.0, nr / nv));
    if (a == -1.0)
    {
        return; // the extrapolation would land on x2
    }
    m_w.FromLog(m_u0 - 2.0 * a * m_r + a * a * m_v);
    m_w.Repair();
    const double k3 = Step(); // stabilising FP step from the extrapolated point
    if (k3 <= m_k)
    {
        Accept(k3);
        if (-a >= m_stepMax)
        {
            m_stepMax *= 4.0;
        }
    }
    else
    {
        // extrapolation did not pay: back to x2 (no FP step was rejected)
        ++m_res.rejectedExtrapolations;
        m_w.Import(m_best); // m_best is still x2: nothing was accepted since
        m_stepMax = std::max(1.0, -a / 2.0);
    }
}

FpResourceResult
FpIteration::Finish()
{
    if (m_res.objectiveHistory.empty())
    {
        m_res.objectiveHistory.push_back(m_k);
    }
    m_res.point = m_best;
    m_res.bandwidthPrice = m_mu;
    m_res.gpuPrice = m_lambda;
    // the convergence test may have evaluated it at this very point already
    if (m_bestStationarity >= 0)
    {
        m_res.stationarity = m_bestStationarity;
    }
    else
    {
        m_res.stationarity =
            m_options.finalStationarity
                ? m_solver.Stationarity(m_best, !m_options.optimizeAlpha, m_options.delayWeights)
                : std::numeric_limits<double>::quiet_NaN();
    }
    return m_res;
}

} // namespace

FpResourceResult
FpResourceSolver::Solve(const RelaxedPoint& start, const FpResourceOptions& options) const
{
    FpIteration iteration(*this, start, options);
    iteration.Run();
    return iteration.Finish();
}

namespace
{

/// Per-user cost and weighted gradients at a relaxed point (FpResourceSolver::Stationarity).
struct UserGradients
{
    std::vector<double> K;           //!< weighted cost K_n
    std::vector<double> ga, gp, gb;  //!< dK/dalpha, dK/dp, dK/db (rate multiplier folded in)
    std::vector<double> gf, gfe;     //!< dK/df, dK/df^E
    std::vector<uint8_t> pinned;     //!< at (p_max, b_lo): b cannot decrease
    std::vector<uint8_t> rateActive; //!< 1: r_n = r_min; 2: r_min out of reach (p fixed)
};

/// Least-squares multiplier estimates and per-server sums (FpResourceSolver::Stationarity).
struct ServerPrices
{
    std::vector<double> mu;      //!< bandwidth multiplier per server
    std::vector<double> lam;     //!< GPU multiplier per server
    std::vector<double> bandSum; //!< sum of the users' b_n
    std::vector<double> freqSum; //!< sum of the users' f^E_n
    std::vector<double> costSum; //!< sum of the users' K_n
};

/**
 * The users' weighted costs and gradients at x; where r_n = r_min binds below p_max, the rate
 * multiplier nu_n >= 0 (from dK/dp = 0) is folded into g_p and g_b.
 * @param model the cost model
 * @param x relaxed point
 * @param delayWeights w_n (empty: all 1)
 * @return per-user costs, gradients and flags
 */
UserGradients
ComputeUserGradients(const SplitCostModel& model,
                     const RelaxedPoint& x,
                     const std::vector<double>& delayWeights)
{
    const RoundState& st = model.GetState();
    const ObjectiveSettings& o = st.objective;
    const uint32_t N = st.NumUsers();
    const double rmin = o.minRateBps;
    UserGradients g;
    for (auto* v : {&g.K, &g.ga, &g.gp, &g.gb, &g.gf, &g.gfe})
    {
        v->resize(N);
    }
    g.pinned.assign(N, 0);
    g.rateActive.assign(N, 0);
    auto weighted = [&](uint32_t n, const CostTerms& t) {
        const double w = delayWeights.empty() ? 1.0 : delayWeights[n];
        return o.wTime * w * model.ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
               o.wStability * t.stability;
    };
    for (uint32_t n = 0; n < N; ++n)
    {
        const uint32_t m = x.server[n];
        const CostTerms t = RelaxedUserTerms(model, x, n);
        g.K[n] = weighted(n, t);
        const CostTermsGradient d = model.UserTermsGradient(n,
                                                            m,
                                                            x.alpha[n],
                                                            x.powerW[n],
                                                            x.bandwidthHz[n],
                                                            x.freqHz[n],
                                                            x.edgeFreqHz[n]);
        g.ga[n] = weighted(n, d.dAlpha);
        g.gf[n] = weighted(n, d.dF);
        if (m == UserAllocation::kNoServer)
        {
            continue;
        }
        g.gp[n] = weighted(n, d.dP);
        g.gb[n] = weighted(n, d.dB);
        g.gfe[n] = weighted(n, d.dFe);
        if (rmin > 0)
        {
            const RateDerivatives rd = model.UplinkRate(n, m, x.powerW[n], x.bandwidthHz[n]);
            if (rd.r < rmin * (1 - 1e-9))
            {
                // the rate floor is violated (out of reach): checked with p fixed, no floor
                g.rateActive[n] = 2;
                g.gp[n] = 0;
            }
            else if (rd.r <= rmin * (1 + 1e-9))
            {
                g.rateActive[n] = 1;
                const double pMax = st.users[n].pMaxW;
                if (x.powerW[n] >= pMax * (1 - 1e-12))
                {
                    g.pinned[n] = 1; // multipliers settled per server (UserResidual)
                }
                else
                {
                    const double nu = std::max(0.0, g.gp[n] / rd.dp);
                    g.gp[n] -= nu * rd.dp;
                    g.gb[n] -= nu * rd.db;
                }
            }
        }
    }
    return g;
}

/**
 * Least-squares estimates of the servers' multipliers mu_m (bandwidth) and lambda_m (GPU) at x,
 * weights (x_j/K_n)^2, clipped at 0; pinned users do not enter mu_m.
 * @param st the round
 * @param x relaxed point
 * @param g the users' costs and gradients
 * @return the multipliers and the per-server sums
 */
ServerPrices
EstimateServerPrices(const RoundState& st, const RelaxedPoint& x, const UserGradients& g)
{
    const uint32_t N = st.NumUsers();
    const uint32_t M = st.NumServers();
    ServerPrices p;
    for (auto* v : {&p.mu, &p.lam, &p.bandSum, &p.freqSum, &p.costSum})
    {
        v->assign(M, 0.0);
    }
    std::vector<double> num(M, 0.0), den(M, 0.0), numF(M, 0.0), denF(M, 0.0);
    for (uint32_t n = 0; n < N; ++n)
    {
        const uint32_t m = x.server[n];
        if (m == UserAllocation::kNoServer)
        {
            continue;
        }
        p.bandSum[m] += x.bandwidthHz[n];
        p.freqSum[m] += x.edgeFreqHz[n];
        p.costSum[m] += g.K[n];
        const double wb = std::pow(x.bandwidthHz[n] / g.K[n], 2);
        const double wf = std::pow(x.edgeFreqHz[n] / g.K[n], 2);
        if (!g.pinned[n])
        {
            num[m] += wb * g.gb[n];
            den[m] += wb;
        }
        numF[m] += wf * g.gfe[n];
        denF[m] += wf;
    }
    for (uint32_t m = 0; m < M; ++m)
    {
        p.mu[m] = den[m] > 0 ? std::max(0.0, -num[m] / den[m]) : 0.0;
        p.lam[m] = denF[m] > 0 ? std::max(0.0, -numF[m] / denF[m]) : 0.0;
    }
    return p;
}

/**
 * Relative projected-gradient step of one variable: |v - clamp(v - v^2 g / k, lo, hi)| / v
 * (0 for v <= 0).
 */
double
ProjectedStep(double v, double g, double k, double lo, double hi)
{
    if (!(v > 0))
    {
        return 0.0;
    }
    const double moved = std::clamp(v - v * v * g / k, lo, hi);
    return std::abs(v - moved) / v;
}

/**
 * The users' part of the stationarity residual: the max of res and every user's projected
 * steps (f, alpha unless fixed, f^E, p, b; the sign conditions of the multipliers for a user
 * pinned at (p_max, b_lo)).
 * @param model the cost model
 * @param x relaxed point
 * @param alphaFixed true: alpha is not a variable
 * @param g the users' costs and gradients
 * @param p the servers' multipliers
 * @param res the residual so far
 * @return the residual
 */
double
UserResidual(const SplitCostModel& model,
             const RelaxedPoint& x,
             bool alphaFixed,
             const UserGradients& g,
             const ServerPrices& p,
             double res)
{
    const RoundState& st = model.GetState();
    for (uint32_t n = 0; n < st.NumUsers(); ++n)
    {
        const UserState& u = st.users[n];
        const uint32_t m = x.server[n];
        const double k = std::abs(g.K[n]) > 0 ? std::abs(g.K[n]) : 1.0;
        res = std::max(res,
                       ProjectedStep(x.freqHz[n], g.gf[n], k, kFreqFloorRel * u.fMaxHz, u.fMaxHz));
        if (m == UserAllocation::kNoServer)
        {
            continue;
        }
        if (!alphaFixed)
        {
            res = std::max(res,
                           ProjectedStep(x.alpha[n],
                                         g.ga[n],
                                         k,
                                         std::max<double>(st.MinAlpha(), 0.0),
                                         st.MaxAlpha(n)));
        }
        const double feLo = std::min(x.edgeFreqHz[n], kFreqFloorRel * st.servers[m].fMaxHz);
        res = std::max(res, ProjectedStep(x.edgeFreqHz[n], g.gfe[n] + p.lam[m], k, feLo, kInf));
        if (g.pinned[n])
        {
            // (p, b) = (p_max, b_lo): nu from the b-equation must be >= 0 and the p_max
            // multiplier eta = nu r_p - g_p >= 0
            const RateDerivatives rd = model.UplinkRate(n, m, x.powerW[n], x.bandwidthHz[n]);
            const double nuB = (g.gb[n] + p.mu[m]) / rd.db;
            const double eta = nuB * rd.dp - g.gp[n];
            res = std::max(res, std::max(0.0, -nuB * rd.db) * x.bandwidthHz[n] / k);
            res = std::max(res, std::max(0.0, -eta) * x.powerW[n] / k);
            continue;
        }
        // nu carries the rate floor; otherwise the solver's power floor is the bound
        const double pLo = g.rateActive[n] ? x.powerW[n] : kPowerFloorRel * u.pMaxW;
        res = std::max(res, ProjectedStep(x.powerW[n], g.gp[n], k, pLo, u.pMaxW));
        res = std::max(res, ProjectedStep(x.bandwidthHz[n], g.gb[n] + p.mu[m], k, 0.0, kInf));
    }
    return res;
}

/**
 * The servers' part of the stationarity residual: for a positive multiplier, the
 * complementarity min(|sum - cap|/cap, price * cap / K_m).
 * @param st the round
 * @param p the servers' multipliers and sums
 * @param res the residual so far
 * @return the max of res and every server's complementarity
 */
double
ComplementarityResidual(const RoundState& st, const ServerPrices& p, double res)
{
    for (uint32_t m = 0; m < st.NumServers(); ++m)
    {
        const ServerState& s = st.servers[m];
        if (p.costSum[m] <= 0)
        {
            continue;
        }
        if (p.mu[m] > 0)
        {
            res = std::max(res,
                           std::min(std::abs(p.bandSum[m] - s.bandwidthHz) / s.bandwidthHz,
                                    p.mu[m] * s.bandwidthHz / p.costSum[m]));
        }
        if (p.lam[m] > 0)
        {
            res = std::max(res,
                           std::min(std::abs(p.freqSum[m] - s.fMaxHz) / s.fMaxHz,
                                    p.lam[m] * s.fMaxHz / p.costSum[m]));
        }
    }
    return res;
}

} // namespace

double
FpResourceSolver::Stationarity(const RelaxedPoint& x,
                               bool alphaFixed,
                               const std::vector<double>& delayWeights) const
{
    const UserGradients g = ComputeUserGradients(m_model, x, delayWeights);
    const ServerPrices p = EstimateServerPrices(m_model.GetState(), x, g);
    const double res = UserResidual(m_model, x, alphaFixed, g, p, 0.0);
    return ComplementarityResidual(m_model.GetState(), p, res);
}

} // namespace ns3
