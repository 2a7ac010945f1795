/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_LTE_RATE_MAP_H
#define EDGE_LLM_LTE_RATE_MAP_H

#include <cstdint>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The one mapping from what an eNB knows of a link (its wideband SINR, i.e. its CQI) to
 * the cost model's rate, so that the allocator plans with LTE's rates.
 *
 * LTE spectral efficiency at a wideband SINR (LteSpectralEfficiency): the SINR gives a CQI as
 * ns-3's LteAmc assigns it (Shannon with the SNR gap Gamma = -ln(5 BER) / 1.5 of a target BER
 * of 5e-5, then the 3GPP 36.213 table 7.2.3-1 CQI efficiency at or below it; CQI 0 is out of
 * range), the CQI an MCS (LteAmc::GetMcsFromCqi) and the MCS a transport block for the RBs
 * (3GPP 36.213 tables 7.1.7.2.1-1 / 8.6.1-1, LteAmc::Get{Ul,Dl}TbSizeFromMcs). The efficiency
 * is the TB's bits per 1 ms TTI over the RBs' 180 kHz each: it carries every PHY overhead the
 * TB tables carry (reference signals, control region, coding).
 *
 * Cost-model gain (LteEffectiveGain): the cost model prices an allocation (p, b) with
 * b log2(1 + p g / (N0 b)). LTE carries, on the share b / B of a server band B, RBs of occupied
 * band kappa b (kappa = RBs x 180 kHz / B, 0.9 at 20 MHz) at SINR p g / (N0 kappa b). The
 * effective gain g' makes the two rates equal at a reference allocation (p_ref, b_ref):
 * b_ref log2(1 + p_ref g' / (N0 b_ref)) = kappa b_ref SE(p_ref g / (N0 kappa b_ref)). A link out
 * of range (CQI 0) gets g' = 1e-3 g (30 dB worse: an allocator does not use it).
 */

/**
 * @param sinr linear wideband SINR
 * @param rbs resource blocks of the transport block (1..110)
 * @param uplink uplink (PUSCH TB table) or downlink (PDSCH)
 * @return LTE spectral efficiency, bit/s/Hz over the RBs' 180 kHz each (0 out of range)
 */
double LteSpectralEfficiency(double sinr, uint16_t rbs, bool uplink);

/**
 * @param gain large-scale gain g (linear)
 * @param powerW reference power p_ref, W
 * @param bandHz reference band b_ref (of the server band), Hz
 * @param occupied kappa: LTE occupied band (RBs x 180 kHz) over the server band
 * @param noisePsdWPerHz N0, W/Hz
 * @param rbs RBs of the reference allocation
 * @param uplink uplink or downlink tables
 * @return the effective gain g' the cost model prices the link with
 */
double LteEffectiveGain(double gain,
                        double powerW,
                        double bandHz,
                        double occupied,
                        double noisePsdWPerHz,
                        uint16_t rbs,
                        bool uplink);

} // namespace ns3

#endif // EDGE_LLM_LTE_RATE_MAP_H
