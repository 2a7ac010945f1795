/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-cost-model.h"

#include "input-error.h"

#include "ns3/assert.h"

#include <algorithm>
#include <boost/math/special_functions/expint.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <tuple>

namespace ns3
{

namespace
{
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kEulerGamma = 0.57721566490153286061;
const double kInf = std::numeric_limits<double>::infinity();
/// Relative size below which a term of the asymptotic series no longer changes the sum.
constexpr double kSeriesEps = 1e-17;
/// Safeguard on the series length (t >= 50 needs at most ~50 terms).
constexpr int kSeriesMaxTerms = 200;
/// Up to this t, e^t E2 and e^t E3 follow from e^t E1 by the recurrence E(n+1) = (e^-t -
/// t E(n))/n without loss (t e^t E1 <= 0.6); above it, Boost.Math computes them.
constexpr double kRecurrenceMaxT = 1.0;

/// E1 in double precision: Boost.Math's rational approximations, 2 ulp, ~30 ns (its default
/// policy promotes to long double: ~10x slower for no accuracy that matters here).
using NoPromotion = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/**
 * @param t argument, > 0
 * @return e^t E1(t)
 */
double
ScaledE1(double t)
{
    return std::exp(t) * boost::math::expint(1, t, NoPromotion());
}

/**
 * ErgodicLog by the asymptotic series in x (small x, t = 1/x > kErgodicSeriesSwitch):
 * F = sum_k>=1 (-1)^(k+1) (k-1)! x^k, F' = sum_k>=1 (-1)^(k+1) k! x^(k-1),
 * F'' = sum_k>=2 (-1)^(k+1) k! (k-1) x^(k-2), F - x F' = sum_k>=2 (-1)^k (k-1)! (k-1) x^k.
 * Summed until every term is below kSeriesEps of its sum or the terms start to grow.
 * @param x mean SNR, 0 < x < 1/kErgodicSeriesSwitch
 * @return the terms
 */
ErgodicLogTerms
ErgodicLogSeries(double x)
{
    ErgodicLogTerms out;
    double fact = 1.0;    // (k-1)!
    double xPow = 1.0;    // x^(k-1)
    double lastD2 = kInf; // |previous F'' term|
    for (int k = 1; k <= kSeriesMaxTerms; ++k)
    {
        const double sign = (k % 2 == 1) ? 1.0 : -1.0;
        const double tD1 = sign * fact * k * xPow;           // k! x^(k-1)
        const double tV = tD1 * x / k;                       // (k-1)! x^k
        const double tD2 = k >= 2 ? tD1 * (k - 1) / x : 0.0; // k! (k-1) x^(k-2)
        const double tVmx = -tV * (k - 1);                   // (k-1)! (1-k) x^k
        if (k >= 3 && std::abs(tD2) > lastD2)
        {
            break; // the asymptotic series starts to diverge: stop at its smallest term
        }
        out.value += tV;
        out.d1 += tD1;
        out.d2 += tD2;
        out.valueMinusXd1 += tVmx;
        lastD2 = k >= 2 ? std::abs(tD2) : kInf;
        if (k >= 3 && std::abs(tV) <= kSeriesEps * std::abs(out.value) &&
            std::abs(tD1) <= kSeriesEps * std::abs(out.d1) &&
            std::abs(tD2) <= kSeriesEps * std::abs(out.d2) &&
            std::abs(tVmx) <= kSeriesEps * std::abs(out.valueMinusXd1))
        {
            break;
        }
        fact *= k;
        xPow *= x;
    }
    return out;
}

} // namespace

ErgodicLogTerms
ErgodicLog(double x)
{
    ErgodicLogTerms out;
    if (!(x > 0))
    {
        out.d1 = 1.0;  // E[H]
        out.d2 = -2.0; // -E[H^2]
        return out;
    }
    const double t = 1.0 / x;
    if (t > kErgodicSeriesSwitch)
    {
        return ErgodicLogSeries(x);
    }
    // e^t E_n(t) for n = 1, 2, 3
    const double g1 = ScaledE1(t);
    double g2;
    double g3;
    if (t <= kRecurrenceMaxT)
    {
        g2 = 1.0 - t * g1;
        g3 = 0.5 * (1.0 - t * g2);
    }
    else
    {
        const double et = std::exp(t);
        g2 = et * boost::math::expint(2, t);
        g3 = et * boost::math::expint(3, t);
    }
    out.value = g1;
    out.d1 = t * g2;
    out.d2 = -2.0 * t * t * (g2 - g3);
    out.valueMinusXd1 = g1 - g2;
    return out;
}

double
ErgodicLogValue(double x)
{
    if (!(x > 0))
    {
        return 0.0;
    }
    const double t = 1.0 / x;
    if (t > kErgodicSeriesSwitch)
    {
        return ErgodicLogSeries(x).value;
    }
    return ScaledE1(t);
}

double
ErgodicLogInverse(double y)
{
    if (!(y > 0))
    {
        return 0.0;
    }
    // ln(1 + x e^-gamma) <= F(x) <= ln(1 + x) (Jensen twice): the root lies in [lo, hi]
    const double lo = std::expm1(y);
    const double hi = lo * std::exp(kEulerGamma);
    if (!std::isfinite(hi))
    {
        return kInf;
    }
    auto f = [y](double x) {
        const ErgodicLogTerms e = ErgodicLog(x);
        return std::make_tuple(e.value - y, e.d1);
    };
    boost::uintmax_t iterations = 100;
    double x = boost::math::tools::newton_raphson_iterate(f,
                                                          lo,
                                                          lo,
                                                          hi,
                                                          std::numeric_limits<double>::digits - 2,
                                                          iterations);
    for (int i = 0; i < 64 && ErgodicLogValue(x) < y; ++i)
    {
        x *= 1.0 + 4.0 * std::numeric_limits<double>::epsilon(); // round up onto F(x) >= y
    }
    return x;
}

CostTerms&
CostTerms::operator+=(const CostTerms& o)
{
    deviceDelayS += o.deviceDelayS;
    edgeDelayS += o.edgeDelayS;
    uplinkDelayS += o.uplinkDelayS;
    downlinkDelayS += o.downlinkDelayS;
    deviceEnergyJ += o.deviceEnergyJ;
    edgeEnergyJ += o.edgeEnergyJ;
    txEnergyJ += o.txEnergyJ;
    listenEnergyJ += o.listenEnergyJ;
    stability += o.stability;
    return *this;
}

uint32_t
TopServersByGain(const std::vector<double>& gain, uint32_t k, uint32_t* best)
{
    // insertion into a sorted list of k: one pass over the servers
    auto better = [&gain](uint32_t x, uint32_t y) {
        return gain[x] > gain[y] || (gain[x] == gain[y] && x < y);
    };
    const uint32_t M = static_cast<uint32_t>(gain.size());
    uint32_t count = 0;
    for (uint32_t m = 0; m < M && k > 0; ++m)
    {
        if (count == k && !better(m, best[k - 1]))
        {
            continue;
        }
        uint32_t i = count < k ? count++ : k - 1;
        while (i > 0 && better(m, best[i - 1]))
        {
            best[i] = best[i - 1];
            --i;
        }
        best[i] = m;
    }
    return count;
}

SplitCostModel::SplitCostModel(const RoundState& state, uint32_t candidateServers)
    : m_state(state),
      m_candK(candidateServers),
      m_candRateModel(state.objective.rateModel)
{
    const uint32_t N = static_cast<uint32_t>(state.users.size());
    const uint32_t M = static_cast<uint32_t>(state.servers.size());
    if (m_candK == 0 || m_candK >= M)
    {
        m_candK = 0; // the round's gains are as compact as the copy would be
        return;
    }
    m_candServer.assign(static_cast<size_t>(N) * m_candK, UserAllocation::kNoServer);
    m_candGain.assign(m_candServer.size(), 0.0);
    for (uint32_t n = 0; n < N; ++n)
    {
        const std::vector<double>& g = state.users[n].gain;
        const size_t first = static_cast<size_t>(n) * m_candK;
        const uint32_t count = TopServersByGain(g, m_candK, m_candServer.data() + first);
        for (uint32_t i = 0; i < count; ++i)
        {
            m_candGain[first + i] = g[m_candServer[first + i]];
        }
    }
    m_candSe.assign(m_candServer.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t i = 0; i < m_candServer.size(); ++i)
    {
        if (m_candServer[i] != UserAllocation::kNoServer)
        {
            m_candSe[i] = ComputeDownlinkSe(static_cast<uint32_t>(i / m_candK), m_candServer[i]);
        }
    }
}

const RoundState&
SplitCostModel::GetState() const
{
    return m_state;
}

RateDerivatives
SplitCostModel::UplinkRate(uint32_t n, uint32_t m, double p, double b) const
{
    if (Wifi())
    {
        return WifiUplinkRate(n, m, p, b);
    }
    if (Ergodic())
    {
        return ErgodicUplinkRate(n, m, p, b);
    }
    RateDerivatives d;
    const double gamma = Gain(n, m) / m_state.noisePsdWPerHz;
    const double x = gamma * p / b;
    const double onePlus = 1.0 + x;
    const double log2OnePlus = std::log1p(x) / kLn2;
    d.r = b * log2OnePlus;
    d.dp = gamma / (onePlus * kLn2);
    d.db = log2OnePlus - x / (onePlus * kLn2);
    d.dpp = -gamma * gamma / (b * onePlus * onePlus * kLn2);
    d.dbb = -x * x / (b * onePlus * onePlus * kLn2);
    d.dpb = gamma * x / (b * onePlus * onePlus * kLn2);
    return d;
}

RateDerivatives
SplitCostModel::ErgodicUplinkRate(uint32_t n, uint32_t m, double p, double b) const
{
    RateDerivatives d;
    const double gamma = Gain(n, m) / m_state.noisePsdWPerHz;
    const double x = gamma * p / b;
    const ErgodicLogTerms e = ErgodicLog(x);
    d.r = b * e.value / kLn2;
    d.dp = gamma * e.d1 / kLn2;
    d.db = e.valueMinusXd1 / kLn2;
    const double curvature = e.d2 / (b * kLn2); // F''/(b ln 2)
    d.dpp = gamma * gamma * curvature;
    d.dbb = x * x * curvature;
    d.dpb = -gamma * x * curvature;
    return d;
}

double
SplitCostModel::WifiPhyRateBps(const WifiLinkInputs& w, double snr)
{
    return std::min(w.maxPhyRateBps, ShannonRateBps(w.channelWidthHz, snr / w.snrGap));
}

RateDerivatives
SplitCostModel::WifiUplinkRate(uint32_t n, uint32_t m, double p, double b) const
{
    const WifiLinkInputs& w = m_state.wifi;
    RateDerivatives d;
    // r = c b R(p), c = eta_mac / B_m, R = min(R_max, W log2(1 + gamma p)), gamma = g/(s2 W G)
    const double c = w.macEfficiency / m_state.servers[m].bandwidthHz;
    const double gamma = Gain(n, m) / (m_state.noisePsdWPerHz * w.channelWidthHz * w.snrGap);
    const double shannon = ShannonRateBps(w.channelWidthHz, gamma * p);
    if (shannon >= w.maxPhyRateBps)
    {
        d.r = c * b * w.maxPhyRateBps; // the top MCS: more power buys nothing
        d.db = c * w.maxPhyRateBps;
        return d;
    }
    const double onePlus = 1.0 + gamma * p;
    const double dR = w.channelWidthHz * gamma / (onePlus * kLn2);
    d.r = c * b * shannon;
    d.dp = c * b * dR;
    d.db = c * shannon;
    d.dpp = -c * b * dR * gamma / onePlus;
    d.dpb = c * dR;
    return d;
}

void
SplitCostModel::WifiTxEnergyDerivatives(uint32_t n,
                                        uint32_t m,
                                        double p,
                                        double b,
                                        const RateDerivatives& r,
                                        CostTermsGradient* g,
                                        CostTermsHessian* h) const
{
    // E = K p b / r, K = s / (eta_PA B_m)
    const double k =
        m_state.users[n].payloadBits / (m_state.wifi.paEfficiency * m_state.servers[m].bandwidthHz);
    const double r1 = 1.0 / r.r;
    const double r2 = r1 * r1;
    const double r3 = r2 * r1;
    if (g)
    {
        g->dP.txEnergyJ = k * b * (r1 - p * r.dp * r2);
        g->dB.txEnergyJ = k * p * (r1 - b * r.db * r2);
    }
    if (h)
    {
        h->pp.txEnergyJ = k * b * (-2.0 * r.dp * r2 - p * r.dpp * r2 + 2.0 * p * r.dp * r.dp * r3);
        h->bb.txEnergyJ = k * p * (-2.0 * r.db * r2 - b * r.dbb * r2 + 2.0 * b * r.db * r.db * r3);
        h->pb.txEnergyJ = k * (r1 - p * r.dp * r2 - b * r.db * r2 - p * b * r.dpb * r2 +
                               2.0 * p * b * r.dp * r.db * r3);
    }
}

double
SplitCostModel::SpectralEfficiency(double snr) const
{
    if (Ergodic())
    {
        return ErgodicLogValue(snr) / kLn2;
    }
    return ShannonRateBps(1.0, snr);
}

double
SplitCostModel::ComputeDownlinkSe(uint32_t n, uint32_t m) const
{
    const ServerState& s = m_state.servers[m];
    if (Wifi())
    {
        // the AP sends over the whole channel; b / B_m of its airtime is the user's
        const WifiLinkInputs& w = m_state.wifi;
        const double snr = Gain(n, m) * s.txPowerW / (w.channelWidthHz * m_state.noisePsdWPerHz);
        return w.macEfficiency * WifiPhyRateBps(w, snr) / s.bandwidthHz;
    }
    return SpectralEfficiency(Gain(n, m) * s.txPowerW / (s.bandwidthHz * m_state.noisePsdWPerHz));
}

double
SplitCostModel::DownlinkRateWithMarginBps(uint32_t n, uint32_t m, double b, double snrMargin) const
{
    const ServerState& s = m_state.servers[m];
    if (Wifi())
    {
        const WifiLinkInputs& w = m_state.wifi;
        const double snr =
            Gain(n, m) * s.txPowerW / (w.channelWidthHz * m_state.noisePsdWPerHz * snrMargin);
        return b * w.macEfficiency * WifiPhyRateBps(w, snr) / s.bandwidthHz;
    }
    return b * SpectralEfficiency(Gain(n, m) * s.txPowerW /
                                  (s.bandwidthHz * m_state.noisePsdWPerHz * snrMargin));
}

void
SplitCostModel::ValidateLinks(const RoundState& state, const std::string& where)
{
    const double limit = kMaxBestCaseTransfer;
    const double noise = state.noisePsdWPerHz;
    // per server: 1 / (sigma^2 b_m^max) and limit b_m^max / ln 2, so that the loop over the
    // N x M pairs needs no division in the usual case
    std::vector<double> invNoiseBand(state.servers.size());
    std::vector<double> limitBand(state.servers.size());
    for (size_t m = 0; m < state.servers.size(); ++m)
    {
        invNoiseBand[m] = 1.0 / (noise * state.servers[m].bandwidthHz);
        limitBand[m] = limit * state.servers[m].bandwidthHz / kLn2;
    }
    for (size_t n = 0; n < state.users.size(); ++n)
    {
        const UserState& u = state.users[n];
        // the uplink must carry s_n in at most limit s, and with at most limit J at p_max
        const double upBits = u.payloadBits * std::max(1.0, u.pMaxW);
        for (size_t m = 0; m < state.servers.size(); ++m)
        {
            const ServerState& s = state.servers[m];
            const double b = s.bandwidthHz;
            const double upSnr = u.gain[m] * u.pMaxW * invNoiseBand[m];
            const double downSnr = u.gain[m] * s.txPowerW * invNoiseBand[m];
            // Cheap test first: log1p(x) >= x / (1 + x), so bits / r <= limit holds when
            // bits (1 + x) <= limit b x / ln 2; the logarithm is only taken when that fails.
            auto enough = [&](double snr, double bits) {
                return bits * (1.0 + snr) <= limitBand[m] * snr ||
                       bits / ShannonRateBps(b, snr) <= limit;
            };
            if (enough(upSnr, upBits) && enough(downSnr, u.downlinkBits))
            {
                continue;
            }
            // Smallest gain that passes: snr >= expm1(bits ln 2 / (limit b)) on each link.
            const double upGain = std::expm1(upBits * kLn2 / (limit * b)) * noise * b / u.pMaxW;
            const double downGain =
                std::expm1(u.downlinkBits * kLn2 / (limit * b)) * noise * b / s.txPowerW;
            const double upRate = ShannonRateBps(b, upSnr);
            const double downRate = ShannonRateBps(b, downSnr);
            const std::string user = "users[" + std::to_string(n) + "]";
            const std::string server = "servers[" + std::to_string(m) + "]";
            std::ostringstream os;
            os << where << ": ";
            if (std::isfinite(upGain) && std::isfinite(downGain))
            {
                os << user << ".gain[" << m << "] = " << u.gain[m] << " gives no usable link to "
                   << server << ": ";
            }
            else
            {
                // no representable gain is enough: the payload is too large for the band
                os << user << "."
                   << (std::isfinite(upGain) ? "downlink_bits = " : "payload_bits = ")
                   << (std::isfinite(upGain) ? u.downlinkBits : u.payloadBits)
                   << " cannot be sent over " << server << "'s band with any gain: ";
            }
            os << "at p_max = " << u.pMaxW << " W over the server's whole band (" << b
               << " Hz) the uplink needs " << u.payloadBits / upRate << " s and "
               << u.pMaxW * u.payloadBits / upRate << " J for payload_bits, the downlink "
               << u.downlinkBits / downRate << " s for downlink_bits; allowed: at most " << limit
               << " s or J each";
            if (std::isfinite(upGain) && std::isfinite(downGain))
            {
                os << ", i.e. a gain >= " << std::max(upGain, downGain)
                   << " for this user and server";
            }
            throw InputError(os.str());
        }
    }
}

double
SplitCostModel::MinPowerW(uint32_t n, uint32_t m, double b) const
{
    const double rmin = m_state.objective.minRateBps;
    if (rmin <= 0)
    {
        return 0.0;
    }
    if (Wifi())
    {
        // (b / B_m) eta_mac W log2(1 + g p / (sigma^2 W Gamma)) >= r_min
        const WifiLinkInputs& w = m_state.wifi;
        const double phyNeeded = rmin * m_state.servers[m].bandwidthHz / (b * w.macEfficiency);
        if (phyNeeded > w.maxPhyRateBps)
        {
            return kInf;
        }
        return m_state.noisePsdWPerHz * w.channelWidthHz * w.snrGap / Gain(n, m) *
               std::expm1(phyNeeded / w.channelWidthHz * kLn2);
    }
    const double noiseOverGain = m_state.noisePsdWPerHz * b / Gain(n, m);
    if (Ergodic())
    {
        return noiseOverGain * ErgodicLogInverse(rmin / b * kLn2);
    }
    return noiseOverGain * std::expm1(rmin / b * kLn2);
}

double
SplitCostModel::DeviceLayerCost(uint32_t n, double f) const
{
    const UserState& u = m_state.users[n];
    const ObjectiveSettings& o = m_state.objective;
    const double cyclesPerLayer = DeviceCyclesPerLayer(n);
    return o.wTime * cyclesPerLayer / f + o.wEnergy * u.kappa * f * f * cyclesPerLayer;
}

double
SplitCostModel::EdgeLayerCost(uint32_t n, uint32_t m, double fe) const
{
    const ServerState& s = m_state.servers[m];
    const ObjectiveSettings& o = m_state.objective;
    const double cyclesPerLayer = EdgeCyclesPerLayer(n, m);
    return o.wTime * cyclesPerLayer / fe + o.wEnergy * s.kappa * fe * fe * cyclesPerLayer;
}

CostTerms
SplitCostModel::UserTerms(uint32_t n,
                          uint32_t m,
                          double alpha,
                          double p,
                          double b,
                          double f,
                          double fe) const
{
    NS_ASSERT_MSG(n < m_state.users.size(), "user " << n << " out of range");
    const UserState& u = m_state.users[n];
    CostTerms t;
    const double deviceCycles = alpha * u.flopsPerLayer / (u.cores * u.flopsPerCycle);
    if (alpha > 0)
    {
        t.deviceDelayS = f > 0 ? deviceCycles / f : kInf;
        t.deviceEnergyJ = u.kappa * f * f * deviceCycles;
    }
    t.stability = Stability(n, alpha);
    const double edgeLayers = m_state.layers - alpha;
    if (m == UserAllocation::kNoServer || edgeLayers <= 0)
    {
        return t; // trains alone: no transfer, no edge part
    }
    OffloadTerms(n, m, alpha, p, b, fe, t);
    return t;
}

double
SplitCostModel::OffloadTerms(uint32_t n,
                             uint32_t m,
                             double alpha,
                             double p,
                             double b,
                             double fe,
                             CostTerms& t) const
{
    NS_ASSERT_MSG(m < m_state.servers.size(), "server " << m << " out of range");
    const UserState& u = m_state.users[n];
    const ServerState& s = m_state.servers[m];
    const double edgeLayers = m_state.layers - alpha;
    const double edgeCycles = edgeLayers * u.flopsPerLayer / (s.cores * s.flopsPerCycle);
    t.edgeDelayS = fe > 0 ? edgeCycles / fe : kInf;
    t.edgeEnergyJ = s.kappa * fe * fe * edgeCycles;
    const double r = UplinkRateBps(n, m, p, b);
    t.uplinkDelayS = r > 0 ? u.payloadBits / r : kInf;
    t.txEnergyJ = r > 0 ? p * u.payloadBits / r : kInf;
    const double rd = DownlinkRateBps(n, m, b);
    t.downlinkDelayS = rd > 0 ? u.downlinkBits / rd : kInf;
    if (Wifi())
    {
        // drawn over the own airtime s / (eta_mac R(p)) = (b / B_m) s / r
        t.txEnergyJ =
            r > 0 ? p * b * u.payloadBits / (m_state.wifi.paEfficiency * s.bandwidthHz * r) : kInf;
        t.listenEnergyJ =
            u.radioIdlePowerW * (t.deviceDelayS + t.edgeDelayS + t.uplinkDelayS + t.downlinkDelayS);
    }
    return r;
}

CostTerms
SplitCostModel::UserTerms(uint32_t n, const UserAllocation& a) const
{
    return UserTerms(n, a.server, a.alpha, a.powerW, a.bandwidthHz, a.freqHz, a.edgeFreqHz);
}

CostTerms
SplitCostModel::Totals(const Allocation& a) const
{
    CostTerms sum;
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        sum += UserTerms(n, a.users[n]);
    }
    return sum;
}

double
SplitCostModel::Objective(const Allocation& a) const
{
    const ObjectiveSettings& o = m_state.objective;
    double energy = 0;
    double stability = 0;
    double delaySum = 0;
    double delayMax = 0;
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        CostTerms t = UserTerms(n, a.users[n]);
        const double d = ObjectiveDelayS(n, t);
        delaySum += d;
        delayMax = std::max(delayMax, d);
        energy += t.TotalEnergyJ();
        stability += t.stability;
    }
    const double delay = o.delay == DelayAggregate::SUM ? delaySum : delayMax;
    return Weighted(o.wTime, delay) + Weighted(o.wEnergy, energy) +
           Weighted(o.wStability, stability);
}

double
SplitCostModel::OptimalDeviceFrequency(const UserState& u, const ObjectiveSettings& o)
{
    if (o.wEnergy <= 0 || u.kappa <= 0)
    {
        return u.fMaxHz;
    }
    return std::min(u.fMaxHz, std::cbrt(o.wTime / (2.0 * u.kappa * o.wEnergy)));
}

std::vector<std::string>
SplitCostModel::Violations(const Allocation& a, double relTol) const
{
    // The checks compare numbers; a message (and its stream) is only built for a violation.
    std::vector<std::string> out;
    if (a.users.size() != m_state.users.size())
    {
        out.push_back("allocation has " + std::to_string(a.users.size()) + " users, the round " +
                      std::to_string(m_state.users.size()));
        return out;
    }
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        const size_t before = out.size();
        AppendUserViolations(n, a.users[n], relTol, out);
        if (out.size() == before)
        {
            AppendNonFiniteCost(n, a.users[n], out);
        }
    }
    AppendServerViolations(a, relTol, out);
    if (out.empty() && !std::isfinite(Objective(a)))
    {
        out.push_back("every user's cost is finite but the objective overflows the largest double "
                      "(weights or workloads too large)");
    }
    return out;
}

namespace
{
/**
 * Append "user n: <message>" to a violation list; the message is written only when called.
 * @param out the list
 * @param n user
 * @param write writes the message to a stream
 */
template <class Write>
void
SayUser(std::vector<std::string>& out, uint32_t n, Write&& write)
{
    std::ostringstream os;
    os << "user " << n << ": ";
    write(os);
    out.push_back(os.str());
}
} // namespace

void
SplitCostModel::AppendNonFiniteCost(uint32_t n,
                                    const UserAllocation& x,
                                    std::vector<std::string>& out) const
{
    // The objective must be finite: a user whose decision is otherwise valid but whose cost is
    // +inf or NaN (a local-only user with omega_s > 0, a rate that underflows) is reported
    // with the terms that make it so.
    const CostTerms t = UserTerms(n, x);
    if (std::isfinite(UserObjective(n, t)))
    {
        return;
    }
    SayUser(out, n, [&](std::ostream& os) {
        const ObjectiveSettings& o = m_state.objective;
        const bool transfer = o.mode == ObjectiveMode::DELAY_AWARE;
        os << "its cost in the objective is not finite:";
        auto term = [&](bool counts, const char* name, double v, const char* unit) {
            if (counts && !std::isfinite(v))
            {
                os << " " << name << " = " << v << unit;
            }
        };
        term(o.wTime > 0, "device delay", t.deviceDelayS, " s");
        term(o.wTime > 0, "edge delay", t.edgeDelayS, " s");
        term(o.wTime > 0 && transfer, "uplink delay", t.uplinkDelayS, " s");
        term(o.wTime > 0 && transfer, "downlink delay", t.downlinkDelayS, " s");
        term(o.wEnergy > 0, "device energy", t.deviceEnergyJ, " J");
        term(o.wEnergy > 0, "edge energy", t.edgeEnergyJ, " J");
        term(o.wEnergy > 0, "transmit energy", t.txEnergyJ, " J");
        term(o.wStability > 0, "stability", t.stability, "");
        if (x.alpha >= m_state.layers && o.wStability > 0)
        {
            os << " (alpha = Upsilon = " << m_state.layers
               << ": training every layer on the device makes 2L^2/(k(1 - alpha/Upsilon)) "
                  "infinite; only objective.w_stability = 0 allows it)";
        }
    });
}

void
SplitCostModel::AppendUserViolations(uint32_t n,
                                     const UserAllocation& x,
                                     double relTol,
                                     std::vector<std::string>& out) const
{
    const UserState& u = m_state.users[n];
    if (x.freqHz <= 0 || x.freqHz > u.fMaxHz * (1 + relTol))
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "device frequency " << x.freqHz << " Hz outside (0, f_max = " << u.fMaxHz << "]";
        });
    }
    if (x.alpha < m_state.MinAlpha())
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "alpha " << x.alpha << " below the minimum " << m_state.MinAlpha();
        });
    }
    if (x.server == UserAllocation::kNoServer)
    {
        AppendLocalOnlyViolations(n, x, out);
        return;
    }
    if (x.server >= m_state.servers.size())
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "server " << x.server << " does not exist (0 … " << m_state.servers.size() - 1
               << ")";
        });
        return;
    }
    AppendOffloadViolations(n, x, relTol, out);
}

void
SplitCostModel::AppendLocalOnlyViolations(uint32_t n,
                                          const UserAllocation& x,
                                          std::vector<std::string>& out) const
{
    const UserState& u = m_state.users[n];
    if (x.alpha != m_state.layers)
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "no server but alpha " << x.alpha << " < Upsilon = " << m_state.layers
               << " (only local-only training may skip the server)";
        });
    }
    else if (u.maxDeviceLayers != 0 && u.maxDeviceLayers < m_state.layers)
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "trains all " << m_state.layers
               << " layers on the device, above its memory limit max_device_layers = "
               << u.maxDeviceLayers;
        });
    }
}

void
SplitCostModel::AppendOffloadViolations(uint32_t n,
                                        const UserAllocation& x,
                                        double relTol,
                                        std::vector<std::string>& out) const
{
    const UserState& u = m_state.users[n];
    if (x.alpha > m_state.MaxAlpha(n))
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "alpha " << x.alpha << " above the maximum " << m_state.MaxAlpha(n)
               << " (Upsilon - 1 or the memory limit)";
        });
    }
    if (x.powerW <= 0 || x.powerW > u.pMaxW * (1 + relTol))
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "power " << x.powerW << " W outside (0, p_max = " << u.pMaxW << "]";
        });
    }
    if (x.bandwidthHz <= 0)
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "bandwidth " << x.bandwidthHz << " Hz is not positive";
        });
    }
    if (x.edgeFreqHz <= 0)
    {
        SayUser(out, n, [&](std::ostream& os) {
            os << "edge frequency share " << x.edgeFreqHz << " Hz is not positive";
        });
    }
    const double rmin = m_state.objective.minRateBps;
    if (rmin > 0)
    {
        const double r = UplinkRateBps(n, x.server, x.powerW, x.bandwidthHz);
        if (r < rmin * (1 - relTol))
        {
            SayUser(out, n, [&](std::ostream& os) {
                os << "uplink rate " << r << " bit/s below r_min = " << rmin;
            });
        }
    }
}

void
SplitCostModel::AppendServerViolations(const Allocation& a,
                                       double relTol,
                                       std::vector<std::string>& out) const
{
    std::vector<double> bandSum(m_state.servers.size(), 0.0);
    std::vector<double> freqSum(m_state.servers.size(), 0.0);
    for (const UserAllocation& x : a.users)
    {
        if (x.server < m_state.servers.size())
        {
            bandSum[x.server] += x.bandwidthHz;
            freqSum[x.server] += x.edgeFreqHz;
        }
    }
    for (uint32_t m = 0; m < m_state.servers.size(); ++m)
    {
        const ServerState& s = m_state.servers[m];
        if (bandSum[m] > s.bandwidthHz * (1 + relTol))
        {
            std::ostringstream os;
            os << "server " << m << ": users' bandwidth " << bandSum[m]
               << " Hz exceeds b_max = " << s.bandwidthHz;
            out.push_back(os.str());
        }
        if (freqSum[m] > s.fMaxHz * (1 + relTol))
        {
            std::ostringstream os;
            os << "server " << m << ": users' GPU frequency " << freqSum[m]
               << " Hz exceeds f_max = " << s.fMaxHz;
            out.push_back(os.str());
        }
    }
}

// ---- derivative primitive (added for the NLP reference allocator) ----------------------------

CostTermsGradient
SplitCostModel::UserTermsGradient(uint32_t n,
                                  uint32_t m,
                                  double alpha,
                                  double p,
                                  double b,
                                  double f,
                                  double fe) const
{
    NS_ASSERT_MSG(n < m_state.users.size(), "user " << n << " out of range");
    const UserState& u = m_state.users[n];
    CostTermsGradient g;
    // device: T = alpha c / f, E = kappa_1 f^2 alpha c, c = psi/(C D)
    const double c = DeviceCyclesPerLayer(n);
    g.dAlpha.deviceDelayS = c / f;
    g.dF.deviceDelayS = -alpha * c / (f * f);
    g.dAlpha.deviceEnergyJ = u.kappa * f * f * c;
    g.dF.deviceEnergyJ = 2.0 * u.kappa * f * alpha * c;
    // stability: 2 L^2 / (k (1 - alpha/Upsilon))
    const double left = 1.0 - alpha / m_state.layers;
    g.dAlpha.stability =
        2.0 * u.lipschitz * u.lipschitz / (u.datasetSize * m_state.layers * left * left);
    const double edgeLayers = m_state.layers - alpha;
    if (m == UserAllocation::kNoServer || edgeLayers <= 0)
    {
        return g;
    }
    NS_ASSERT_MSG(m < m_state.servers.size(), "server " << m << " out of range");
    const ServerState& s = m_state.servers[m];
    // edge: T = (Upsilon - alpha) ce / fe, E = kappa_2 fe^2 (Upsilon - alpha) ce
    const double ce = EdgeCyclesPerLayer(n, m);
    g.dAlpha.edgeDelayS = -ce / fe;
    g.dFe.edgeDelayS = -edgeLayers * ce / (fe * fe);
    g.dAlpha.edgeEnergyJ = -s.kappa * fe * fe * ce;
    g.dFe.edgeEnergyJ = 2.0 * s.kappa * fe * edgeLayers * ce;
    // uplink: time s/r, energy p s/r
    const RateDerivatives r = UplinkRate(n, m, p, b);
    const double invR2 = 1.0 / (r.r * r.r);
    g.dP.uplinkDelayS = -u.payloadBits * r.dp * invR2;
    g.dB.uplinkDelayS = -u.payloadBits * r.db * invR2;
    g.dP.txEnergyJ = u.payloadBits / r.r - p * u.payloadBits * r.dp * invR2;
    g.dB.txEnergyJ = -p * u.payloadBits * r.db * invR2;
    // downlink: s' / (b SE)
    g.dB.downlinkDelayS = -u.downlinkBits / (b * b * DownlinkSpectralEfficiency(n, m));
    if (Wifi())
    {
        WifiTxEnergyDerivatives(n, m, p, b, r, &g, nullptr);
        for (CostTerms* x : {&g.dAlpha, &g.dP, &g.dB, &g.dF, &g.dFe})
        {
            x->listenEnergyJ = u.radioIdlePowerW * x->TotalDelayS();
        }
    }
    return g;
}

CostTermsHessian
SplitCostModel::UserTermsHessian(uint32_t n,
                                 uint32_t m,
                                 double alpha,
                                 double p,
                                 double b,
                                 double f,
                                 double fe) const
{
    NS_ASSERT_MSG(n < m_state.users.size(), "user " << n << " out of range");
    const UserState& u = m_state.users[n];
    CostTermsHessian h;
    // device: T = alpha c / f, E = kappa_1 f^2 alpha c
    const double c = DeviceCyclesPerLayer(n);
    h.alphaF.deviceDelayS = -c / (f * f);
    h.ff.deviceDelayS = 2.0 * alpha * c / (f * f * f);
    h.alphaF.deviceEnergyJ = 2.0 * u.kappa * f * c;
    h.ff.deviceEnergyJ = 2.0 * u.kappa * alpha * c;
    // stability: 2 L^2 / (k (1 - alpha/Upsilon))
    const double left = 1.0 - alpha / m_state.layers;
    h.alphaAlpha.stability = 4.0 * u.lipschitz * u.lipschitz /
                             (u.datasetSize * m_state.layers * m_state.layers * left * left * left);
    const double edgeLayers = m_state.layers - alpha;
    if (m == UserAllocation::kNoServer || edgeLayers <= 0)
    {
        return h;
    }
    NS_ASSERT_MSG(m < m_state.servers.size(), "server " << m << " out of range");
    const ServerState& s = m_state.servers[m];
    // edge: T = (Upsilon - alpha) ce / fe, E = kappa_2 fe^2 (Upsilon - alpha) ce
    const double ce = EdgeCyclesPerLayer(n, m);
    h.alphaFe.edgeDelayS = ce / (fe * fe);
    h.feFe.edgeDelayS = 2.0 * edgeLayers * ce / (fe * fe * fe);
    h.alphaFe.edgeEnergyJ = -2.0 * s.kappa * fe * ce;
    h.feFe.edgeEnergyJ = 2.0 * s.kappa * edgeLayers * ce;
    // uplink: time w = s/r, energy p w
    const RateDerivatives r = UplinkRate(n, m, p, b);
    const double sz = u.payloadBits;
    const double r2 = r.r * r.r;
    const double r3 = r2 * r.r;
    const double wP = -sz * r.dp / r2;
    const double wB = -sz * r.db / r2;
    const double wPP = sz * (2.0 * r.dp * r.dp / r3 - r.dpp / r2);
    const double wPB = sz * (2.0 * r.dp * r.db / r3 - r.dpb / r2);
    const double wBB = sz * (2.0 * r.db * r.db / r3 - r.dbb / r2);
    h.pp.uplinkDelayS = wPP;
    h.pb.uplinkDelayS = wPB;
    h.bb.uplinkDelayS = wBB;
    h.pp.txEnergyJ = 2.0 * wP + p * wPP;
    h.pb.txEnergyJ = wB + p * wPB;
    h.bb.txEnergyJ = p * wBB;
    // downlink: s' / (b SE)
    h.bb.downlinkDelayS = 2.0 * u.downlinkBits / (b * b * b * DownlinkSpectralEfficiency(n, m));
    if (Wifi())
    {
        WifiTxEnergyDerivatives(n, m, p, b, r, nullptr, &h);
        for (CostTerms* x :
             {&h.alphaAlpha, &h.alphaF, &h.alphaFe, &h.pp, &h.pb, &h.bb, &h.ff, &h.feFe})
        {
            x->listenEnergyJ = u.radioIdlePowerW * x->TotalDelayS();
        }
    }
    return h;
}

} // namespace ns3
