/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// WifiTier: what the cost model needs to price Wi-Fi links (the prediction path), apart from the
// tier's air-side code in wifi-tier.cc.
#include "wifi-tier.h"

#include "ns3/he-phy.h"
#include "ns3/wifi-tx-vector.h"

#include <cmath>

namespace ns3
{

namespace
{
constexpr double kWifiChannelWidthHz = 20e6; //!< every cell's channel
constexpr uint16_t kGuardIntervalNs = 800;   //!< HE default guard interval
constexpr uint8_t kHeMcsCount = 12;          //!< HE MCS 0 … 11
/// IEEE 802.11ax-2021 Table 27-51: receiver minimum input sensitivity, 20 MHz, MCS 0 … 11, dBm
constexpr double kSensitivityDbm[kHeMcsCount] =
    {-82, -79, -77, -74, -70, -66, -65, -64, -59, -57, -54, -52};
/// The noise floor behind that table: -174 dBm/Hz + 10 log10(20 MHz) + 10 dB noise figure + 5 dB
/// implementation margin (the standard's derivation of its sensitivities)
constexpr double kSensitivityNoiseDbm = -174.0 + 73.0103 + 10.0 + 5.0;
} // namespace

void
WifiTier::ComputeMcsGap()
{
    double logGapSum = 0;
    for (uint8_t i = 0; i < kHeMcsCount; ++i)
    {
        WifiTxVector v;
        v.SetMode(HePhy::GetHeMcs(i));
        v.SetPreambleType(WIFI_PREAMBLE_HE_SU);
        v.SetChannelWidth(static_cast<uint16_t>(kWifiChannelWidthHz / 1e6));
        v.SetGuardInterval(kGuardIntervalNs);
        v.SetNss(1);
        v.SetNTx(1);
        const double rate = static_cast<double>(HePhy::GetHeMcs(i).GetDataRate(v));
        const double snr = std::pow(10.0, (kSensitivityDbm[i] - kSensitivityNoiseDbm) / 10.0);
        logGapSum += std::log(snr / std::expm1(rate / kWifiChannelWidthHz * std::log(2.0)));
        m_maxPhyRateBps = rate;
    }
    m_snrGap = std::exp(logGapSum / kHeMcsCount);
}

double
WifiTier::GetSnrGap() const
{
    return m_snrGap;
}

double
WifiTier::GetMaxPhyRateBps() const
{
    return m_maxPhyRateBps;
}

void
WifiTier::SetRadioPower(uint32_t user, double idlePowerW, double paEfficiency)
{
    m_idlePowerW.at(user) = idlePowerW;
    m_paEfficiency = paEfficiency;
}

void
WifiTier::DescribeLinks(RoundState& state, const std::vector<uint32_t>& users) const
{
    WifiLinkInputs& w = state.wifi;
    w.enabled = true;
    w.channelWidthHz = kWifiChannelWidthHz;
    w.snrGap = m_snrGap;
    w.maxPhyRateBps = m_maxPhyRateBps;
    w.macEfficiency = m_macEfficiency;
    w.paEfficiency = m_paEfficiency;
    for (size_t k = 0; k < users.size() && k < state.users.size(); ++k)
    {
        state.users[k].radioIdlePowerW = m_idlePowerW.at(users[k]);
    }
}

} // namespace ns3
