/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_CHANNEL_H
#define EDGE_LLM_FDMA_CHANNEL_H

#include "fdma-net-device.h"

#include "ns3/channel.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-model.h"

#include <map>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The air of the `fdma` tier: device-server links on disjoint sub-bands.
 *
 * A frame sent over a link arrives after its airtime plus the propagation delay. At its end the
 * receiver's SINR is computed from ns-3's propagation loss model (path loss, shadowing, fading,
 * current positions) over the link's sub-band and noise PSD; ns-3's ShannonSpectrumErrorModel
 * then decides whether the frame's bits fit the capacity b log2(1 + SINR) over its airtime.
 * Sub-bands of one cell are disjoint (FDMA), so links do not interfere.
 */
class FdmaChannel : public Channel
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    FdmaChannel();
    ~FdmaChannel() override;

    /**
     * @param device device to connect (called by FdmaNetDevice::Attach)
     */
    void Add(Ptr<FdmaNetDevice> device);

    /**
     * Send a frame over the air.
     * @param frame the frame
     * @param src sender
     * @param dst MAC address of the receiver
     * @param airtime duration of the frame
     * @param params the link's band, power and rate
     */
    void Transmit(Ptr<Packet> frame,
                  Ptr<FdmaNetDevice> src,
                  Mac48Address dst,
                  Time airtime,
                  const FdmaLinkParams& params);

    /**
     * Received power over a link now (loss model at the current positions; draws fading).
     * @param src sender
     * @param dst receiver
     * @param txPowerW transmit power
     * @return received power, W
     */
    double RxPowerW(Ptr<const FdmaNetDevice> src,
                    Ptr<const FdmaNetDevice> dst,
                    double txPowerW) const;

    /**
     * Gain (received / transmitted power) of the last frame received over a link.
     * @param src sender
     * @param dst receiver
     * @param gain set to the gain if a frame was received
     * @return false if no frame went that way yet
     */
    bool GetLastGain(Ptr<const FdmaNetDevice> src,
                     Ptr<const FdmaNetDevice> dst,
                     double& gain) const;

    /**
     * @param mac address
     * @return the device with that address, or null
     */
    Ptr<FdmaNetDevice> Find(Mac48Address mac) const;

    /** @return noise power spectral density, W/Hz */
    double GetNoisePsdWPerHz() const;

    // Channel
    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    /**
     * End of a reception: SINR, error model, delivery.
     * @param frame the frame
     * @param src sender
     * @param dst receiver
     * @param airtime duration
     * @param params link parameters
     */
    void EndReception(Ptr<Packet> frame,
                      Ptr<FdmaNetDevice> src,
                      Ptr<FdmaNetDevice> dst,
                      Time airtime,
                      FdmaLinkParams params);

    /**
     * @param bandwidthHz width of a sub-band
     * @return a one-bin spectrum model of that width (cached)
     */
    Ptr<const SpectrumModel> BandModel(double bandwidthHz);

    std::vector<Ptr<FdmaNetDevice>> m_devices;               //!< connected devices
    std::map<Mac48Address, Ptr<FdmaNetDevice>> m_byMac;      //!< by address
    Ptr<PropagationLossModel> m_loss;                        //!< loss model (chain)
    Ptr<PropagationDelayModel> m_delay;                      //!< delay model
    double m_noisePsdWPerHz{0};                              //!< noise PSD
    double m_centerFrequencyHz{2e9};                         //!< nominal carrier (spectrum bins)
    std::map<double, Ptr<const SpectrumModel>> m_bandModels; //!< cached one-bin models
    std::map<std::pair<Mac48Address, Mac48Address>, double> m_lastGain; //!< per (src, dst)
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_CHANNEL_H
