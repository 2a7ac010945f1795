/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-link-adapter.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

double
FdmaLinkAdapter::RateBps(const FdmaLinkAdaptationConfig& config,
                         const FdmaLinkParams& params,
                         double noisePsdWPerHz) const
{
    if (config.mode == FdmaLinkAdaptationConfig::FIXED || !m_hasReport)
    {
        return params.rateBps;
    }
    const double b = params.bandwidthHz;
    const double sinr = m_reportGain * params.txPowerW / (noisePsdWPerHz * b);
    const double backoff = std::pow(10.0, (config.snrGapDb + m_backoffDb) / 10.0);
    return std::max(b * std::log2(1.0 + sinr / backoff), b * config.minSpectralEfficiency);
}

void
FdmaLinkAdapter::Feedback(const FdmaLinkAdaptationConfig& config,
                          bool received,
                          double effectiveGain)
{
    if (effectiveGain > 0)
    {
        m_hasReport = true;
        m_reportGain = effectiveGain;
    }
    if (config.ollaStepDb <= 0)
    {
        return;
    }
    if (received)
    {
        const double down = config.ollaStepDb * config.blerTarget / (1.0 - config.blerTarget);
        m_backoffDb = std::max(0.0, m_backoffDb - down);
    }
    else
    {
        m_backoffDb = std::min(config.maxBackoffDb, m_backoffDb + config.ollaStepDb);
    }
}

bool
FdmaLinkAdapter::InOutage(const FdmaLinkAdaptationConfig& config,
                          const FdmaLinkParams& params,
                          double noisePsdWPerHz) const
{
    if (config.mode == FdmaLinkAdaptationConfig::FIXED || !m_hasReport)
    {
        return false;
    }
    const double sinr = m_reportGain * params.txPowerW / (noisePsdWPerHz * params.bandwidthHz);
    const double gap = std::pow(10.0, config.snrGapDb / 10.0);
    return std::log2(1.0 + sinr / gap) < config.minSpectralEfficiency;
}

void
FdmaLinkAdapter::Sound(double gain)
{
    if (gain > 0)
    {
        m_hasReport = true;
        m_reportGain = gain;
    }
}

bool
FdmaLinkAdapter::HasReport() const
{
    return m_hasReport;
}

double
FdmaLinkAdapter::GetBackoffDb() const
{
    return m_backoffDb;
}

} // namespace ns3
