/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-cost-model.h"

#include "ns3/assert.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{

namespace
{
constexpr double kLn2 = 0.69314718055994530942;
const double kInf = std::numeric_limits<double>::infinity();
} // namespace

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
    stability += o.stability;
    return *this;
}

SplitCostModel::SplitCostModel(const RoundState& state)
    : m_state(state)
{
}

const RoundState&
SplitCostModel::GetState() const
{
    return m_state;
}

double
SplitCostModel::Stability(uint32_t n, double alpha) const
{
    const UserState& u = m_state.users[n];
    const double left = 1.0 - alpha / m_state.layers;
    if (left <= 0)
    {
        return kInf;
    }
    return 2.0 * u.lipschitz * u.lipschitz / (u.datasetSize * left);
}

double
SplitCostModel::UplinkRateBps(uint32_t n, uint32_t m, double p, double b) const
{
    if (b <= 0 || p <= 0)
    {
        return 0.0;
    }
    const double snr = m_state.users[n].gain[m] * p / (m_state.noisePsdWPerHz * b);
    return b * std::log2(1.0 + snr);
}

RateDerivatives
SplitCostModel::UplinkRate(uint32_t n, uint32_t m, double p, double b) const
{
    RateDerivatives d;
    const double gamma = m_state.users[n].gain[m] / m_state.noisePsdWPerHz;
    const double x = gamma * p / b;
    const double onePlus = 1.0 + x;
    d.r = b * std::log1p(x) / kLn2;
    d.dp = gamma / (onePlus * kLn2);
    d.db = std::log1p(x) / kLn2 - x / (onePlus * kLn2);
    d.dpp = -gamma * gamma / (b * onePlus * onePlus * kLn2);
    d.dbb = -x * x / (b * onePlus * onePlus * kLn2);
    d.dpb = gamma * x / (b * onePlus * onePlus * kLn2);
    return d;
}

double
SplitCostModel::DownlinkSpectralEfficiency(uint32_t n, uint32_t m) const
{
    const ServerState& s = m_state.servers[m];
    return std::log2(1.0 + m_state.users[n].gain[m] * s.txPowerW /
                               (s.bandwidthHz * m_state.noisePsdWPerHz));
}

double
SplitCostModel::DownlinkRateBps(uint32_t n, uint32_t m, double b) const
{
    return b > 0 ? b * DownlinkSpectralEfficiency(n, m) : 0.0;
}

double
SplitCostModel::MinPowerW(uint32_t n, uint32_t m, double b) const
{
    const double rmin = m_state.objective.minRateBps;
    if (rmin <= 0)
    {
        return 0.0;
    }
    return m_state.noisePsdWPerHz * b / m_state.users[n].gain[m] * std::expm1(rmin / b * kLn2);
}

double
SplitCostModel::DeviceLayerCost(uint32_t n, double f) const
{
    const UserState& u = m_state.users[n];
    const ObjectiveSettings& o = m_state.objective;
    const double cyclesPerLayer = u.flopsPerLayer / (u.cores * u.flopsPerCycle);
    return o.wTime * cyclesPerLayer / f + o.wEnergy * u.kappa * f * f * cyclesPerLayer;
}

double
SplitCostModel::EdgeLayerCost(uint32_t n, uint32_t m, double fe) const
{
    const ServerState& s = m_state.servers[m];
    const ObjectiveSettings& o = m_state.objective;
    const double cyclesPerLayer = m_state.users[n].flopsPerLayer / (s.cores * s.flopsPerCycle);
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
    NS_ASSERT_MSG(m < m_state.servers.size(), "server " << m << " out of range");
    const ServerState& s = m_state.servers[m];
    const double edgeCycles = edgeLayers * u.flopsPerLayer / (s.cores * s.flopsPerCycle);
    t.edgeDelayS = fe > 0 ? edgeCycles / fe : kInf;
    t.edgeEnergyJ = s.kappa * fe * fe * edgeCycles;
    const double r = UplinkRateBps(n, m, p, b);
    t.uplinkDelayS = r > 0 ? u.payloadBits / r : kInf;
    t.txEnergyJ = r > 0 ? p * u.payloadBits / r : kInf;
    const double rd = DownlinkRateBps(n, m, b);
    t.downlinkDelayS = rd > 0 ? u.downlinkBits / rd : kInf;
    return t;
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
SplitCostModel::ObjectiveDelayS(uint32_t, const CostTerms& t) const
{
    double d = t.deviceDelayS + t.edgeDelayS;
    if (m_state.objective.mode == ObjectiveMode::DELAY_AWARE)
    {
        d += t.uplinkDelayS + t.downlinkDelayS;
    }
    return d;
}

double
SplitCostModel::UserObjective(uint32_t n, const CostTerms& t) const
{
    const ObjectiveSettings& o = m_state.objective;
    return o.wTime * ObjectiveDelayS(n, t) + o.wEnergy * t.TotalEnergyJ() +
           o.wStability * t.stability;
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
    return o.wTime * delay + o.wEnergy * energy + o.wStability * stability;
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
    std::vector<std::string> out;
    auto say = [&out](uint32_t n, const std::string& what) {
        std::ostringstream os;
        os << "user " << n << ": " << what;
        out.push_back(os.str());
    };
    if (a.users.size() != m_state.users.size())
    {
        out.push_back("allocation has " + std::to_string(a.users.size()) + " users, the round " +
                      std::to_string(m_state.users.size()));
        return out;
    }
    std::vector<double> bandSum(m_state.servers.size(), 0.0);
    std::vector<double> freqSum(m_state.servers.size(), 0.0);
    for (uint32_t n = 0; n < a.users.size(); ++n)
    {
        const UserAllocation& x = a.users[n];
        const UserState& u = m_state.users[n];
        std::ostringstream os;
        if (x.freqHz <= 0 || x.freqHz > u.fMaxHz * (1 + relTol))
        {
            os << "device frequency " << x.freqHz << " Hz outside (0, f_max = " << u.fMaxHz << "]";
            say(n, os.str());
            os.str("");
        }
        if (x.alpha < m_state.MinAlpha())
        {
            os << "alpha " << x.alpha << " below the minimum " << m_state.MinAlpha();
            say(n, os.str());
            os.str("");
        }
        if (x.server == UserAllocation::kNoServer)
        {
            if (x.alpha != m_state.layers)
            {
                os << "no server but alpha " << x.alpha << " < Upsilon = " << m_state.layers
                   << " (only local-only training may skip the server)";
                say(n, os.str());
            }
            continue;
        }
        if (x.server >= m_state.servers.size())
        {
            os << "server " << x.server << " does not exist (0 … " << m_state.servers.size() - 1
               << ")";
            say(n, os.str());
            continue;
        }
        if (x.alpha > m_state.MaxAlpha(n))
        {
            os << "alpha " << x.alpha << " above the maximum " << m_state.MaxAlpha(n)
               << " (Upsilon - 1 or the memory limit)";
            say(n, os.str());
            os.str("");
        }
        if (x.powerW <= 0 || x.powerW > u.pMaxW * (1 + relTol))
        {
            os << "power " << x.powerW << " W outside (0, p_max = " << u.pMaxW << "]";
            say(n, os.str());
            os.str("");
        }
        if (x.bandwidthHz <= 0)
        {
            os << "bandwidth " << x.bandwidthHz << " Hz is not positive";
            say(n, os.str());
            os.str("");
        }
        if (x.edgeFreqHz <= 0)
        {
            os << "edge frequency share " << x.edgeFreqHz << " Hz is not positive";
            say(n, os.str());
            os.str("");
        }
        const double rmin = m_state.objective.minRateBps;
        if (rmin > 0 && UplinkRateBps(n, x.server, x.powerW, x.bandwidthHz) < rmin * (1 - relTol))
        {
            os << "uplink rate " << UplinkRateBps(n, x.server, x.powerW, x.bandwidthHz)
               << " bit/s below r_min = " << rmin;
            say(n, os.str());
        }
        bandSum[x.server] += x.bandwidthHz;
        freqSum[x.server] += x.edgeFreqHz;
    }
    for (uint32_t m = 0; m < m_state.servers.size(); ++m)
    {
        const ServerState& s = m_state.servers[m];
        std::ostringstream os;
        if (bandSum[m] > s.bandwidthHz * (1 + relTol))
        {
            os << "server " << m << ": users' bandwidth " << bandSum[m] << " Hz exceeds b_max = "
               << s.bandwidthHz;
            out.push_back(os.str());
            os.str("");
        }
        if (freqSum[m] > s.fMaxHz * (1 + relTol))
        {
            os << "server " << m << ": users' GPU frequency " << freqSum[m]
               << " Hz exceeds f_max = " << s.fMaxHz;
            out.push_back(os.str());
        }
    }
    return out;
}

} // namespace ns3
