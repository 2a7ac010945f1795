/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_LINK_ADAPTER_H
#define EDGE_LLM_FDMA_LINK_ADAPTER_H

#include <cstdint>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Parameters of one direction of a device-server link for the current round.
 */
struct FdmaLinkParams
{
    double bandwidthHz{0}; //!< sub-band width b_n
    double txPowerW{0};    //!< transmit power spread over the sub-band
    double rateBps{0};     //!< PHY rate planned for the round (from the allocator's CSI)
};

/**
 * @ingroup edge-llm
 * @brief How an fdma transmitter chooses the rate of each frame (see FdmaLinkAdapter).
 */
struct FdmaLinkAdaptationConfig
{
    /** Rate choice. */
    enum Mode
    {
        FIXED,    //!< the round's planned rate for every frame (the paper's model)
        ADAPTIVE, //!< per frame, from the receiver's most recent SINR report
    };

    Mode mode{ADAPTIVE};                //!< rate choice
    double snrGapDb{0};                 //!< constant SNR gap of the Shannon mapping, dB
    double blerTarget{0.1};             //!< outer loop: target share of lost tries
    double ollaStepDb{0.5};             //!< outer loop: back-off added per lost try, dB (0: off)
    double maxBackoffDb{30};            //!< outer loop: largest back-off, dB
    double minSpectralEfficiency{0.15}; //!< lowest rate per Hz the PHY sends at, bit/s/Hz
};

/**
 * @ingroup edge-llm
 * @brief Link adaptation of one direction of an fdma link: the rate of every frame (and of
 * every retransmission).
 *
 * FIXED sends at the rate the tier planned for the round. ADAPTIVE maps the receiver's most
 * recent report, the frame's effective SINR (kept per unit transmit power, so a new power or
 * sub-band of the next round is accounted for), to the Shannon rate
 * r = b log2(1 + SINR / (gap · backoff)), at least minSpectralEfficiency · b. The back-off is
 * an outer loop as in LTE/NR link adaptation: every lost try adds ollaStepDb, every received
 * one removes ollaStepDb · target / (1 − target), so the share of lost tries settles at the
 * target when the channel moves between frames; it never goes below 0 dB, so on a steady
 * channel the rate is the capacity. Before the first report the planned rate is used.
 * The feedback is idealised: the transmitter knows each try's outcome and SINR at the end of
 * its airtime, without delay or error.
 */
class FdmaLinkAdapter
{
  public:
    /**
     * Rate of the next frame or try.
     * @param config rate choice
     * @param params the link's band, power and planned rate
     * @param noisePsdWPerHz receiver noise PSD
     * @return rate, bit/s
     */
    double RateBps(const FdmaLinkAdaptationConfig& config,
                   const FdmaLinkParams& params,
                   double noisePsdWPerHz) const;

    /**
     * The receiver's feedback on a try.
     * @param config rate choice (outer-loop steps)
     * @param received whether the try got through
     * @param effectiveGain SINR report per unit power: effective SINR · noise · b / p
     *        (ignored unless positive)
     */
    void Feedback(const FdmaLinkAdaptationConfig& config, bool received, double effectiveGain);

    /**
     * Whether the latest report puts the link in outage: its capacity, with the SNR gap but
     * without the outer loop's back-off, is below minSpectralEfficiency (ADAPTIVE with a
     * report only; 3GPP's CQI 0, "out of range": a scheduler does not send then).
     * @param config rate choice
     * @param params the link's band and power
     * @param noisePsdWPerHz receiver noise PSD
     * @return true if in outage
     */
    bool InOutage(const FdmaLinkAdaptationConfig& config,
                  const FdmaLinkParams& params,
                  double noisePsdWPerHz) const;

    /**
     * A channel measurement without a data try (a sounding reference signal): replaces the
     * report, leaves the outer loop alone.
     * @param gain gain per unit power, as in Feedback (ignored unless positive)
     */
    void Sound(double gain);

    /** @return true once a report arrived */
    bool HasReport() const;

    /** @return the outer loop's back-off, dB */
    double GetBackoffDb() const;

  private:
    bool m_hasReport{false}; //!< a report arrived
    double m_reportGain{0};  //!< most recent effective gain
    double m_backoffDb{0};   //!< outer-loop back-off
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_LINK_ADAPTER_H
