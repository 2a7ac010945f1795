/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_CHANNEL_H
#define EDGE_LLM_FDMA_CHANNEL_H

#include "fdma-net-device.h"

#include "ns3/channel.h"
#include "ns3/event-id.h"
#include "ns3/mobility-model.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-error-model.h"
#include "ns3/spectrum-model.h"

#include <cstring>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Hash of a MAC address (its six bytes), for unordered maps keyed by address.
 */
struct Mac48AddressHash
{
    /**
     * @param mac address
     * @return hash
     */
    std::size_t operator()(const Mac48Address& mac) const
    {
        uint8_t bytes[6];
        mac.CopyTo(bytes);
        uint64_t v = 0;
        std::memcpy(&v, bytes, sizeof(bytes));
        return std::hash<uint64_t>()(v);
    }
};

/**
 * @ingroup edge-llm
 * @brief The air of the `fdma` tier: device-server links on disjoint sub-bands.
 *
 * The gain of a link is the large-scale gain (attribute PropagationLossModel: path loss and
 * shadowing, at the current positions) times an optional fast-fading gain (attribute
 * FastFadingModel, a PropagationLossModel applied on top). A frame's airtime is cut into
 * chunks of about CoherenceTime (at most MaxChunksPerFrame); the channel is sampled at the
 * end of each chunk (positions and fading at that instant) and ns-3's
 * ShannonSpectrumErrorModel, fed one chunk per period of constant SINR, decides whether the
 * frame's bits fit the capacity over its airtime. The verdict is known at the end of the
 * airtime (the transmitter's feedback, FdmaFrameReport) and the frame reaches the receiver
 * after the propagation delay. Sub-bands of one cell are disjoint (FDMA): links do not
 * interfere.
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
     * Start a try of a frame: its airtime begins now; the channel samples it chunk by chunk.
     * @param frame the frame
     * @param src sender
     * @param dst MAC address of the receiver
     * @param airtime duration of the try
     * @param params the link's band, power and the try's rate
     * @param bytes bytes the try carries (a transport block of the frame; 0: the whole frame)
     * @param lastBlock the try carries the frame's last block (the receiver passes the frame
     *        up when it arrives)
     * @return id of the transmission, for EndTransmission
     */
    uint64_t Transmit(Ptr<Packet> frame,
                      Ptr<FdmaNetDevice> src,
                      Mac48Address dst,
                      Time airtime,
                      const FdmaLinkParams& params,
                      uint32_t bytes = 0,
                      bool lastBlock = true);

    /**
     * End of a try's airtime (called by the sender then): last sample, the error model's
     * verdict, delivery to the receiver after the propagation delay.
     * @param id what Transmit returned
     * @return the receiver's report (the sender's idealised feedback)
     */
    FdmaFrameReport EndTransmission(uint64_t id);

    /**
     * Large-scale received power over a link now: the PropagationLossModel (path loss,
     * shadowing) at the current positions, no fast fading.
     * @param src sender
     * @param dst receiver
     * @param txPowerW transmit power
     * @return received power, W
     */
    double RxPowerW(Ptr<const FdmaNetDevice> src,
                    Ptr<const FdmaNetDevice> dst,
                    double txPowerW) const;

    /**
     * A draw of the fast-fading power gain of a link now (1 without a FastFadingModel).
     * @param src sender
     * @param dst receiver
     * @return linear gain
     */
    double FastFadingGain(Ptr<const FdmaNetDevice> src, Ptr<const FdmaNetDevice> dst) const;

    /**
     * @param airtime a try's airtime
     * @return how many chunks the channel evaluates it in
     */
    uint32_t ChunkCount(Time airtime) const;

    /**
     * @param mac address
     * @return the device with that address, or null
     */
    Ptr<FdmaNetDevice> Find(Mac48Address mac) const;

    /** @return true if the channel has a FastFadingModel (its gains change within a frame) */
    bool HasFastFading() const;

    /** @return noise power spectral density, W/Hz */
    double GetNoisePsdWPerHz() const;

    // Channel
    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    /** One chunk of constant SINR. */
    struct Chunk
    {
        double gain;   //!< linear power gain (large-scale x fast fading)
        double sinr;   //!< SINR
        Time duration; //!< length
    };

    /** A try on the air. */
    struct OnAir
    {
        Ptr<Packet> frame;              //!< the frame
        Ptr<FdmaNetDevice> src;         //!< sender
        Ptr<FdmaNetDevice> dst;         //!< receiver (null: no such device)
        Ptr<MobilityModel> srcMobility; //!< sender's position
        Ptr<MobilityModel> dstMobility; //!< receiver's position
        FdmaLinkParams params;          //!< band, power, rate of the try
        uint32_t bytes{0};              //!< bytes of the try
        bool lastBlock{true};           //!< carries the frame's last block
        Time airtime;                   //!< duration
        Time delay;                     //!< propagation delay
        uint32_t chunks{1};             //!< chunks to sample
        std::vector<Chunk> sampled;     //!< chunks so far (equal SINRs merged)
        std::vector<EventId> samples;   //!< pending chunk samples
    };

    /**
     * Sample the channel of a try at the end of its chunk i.
     * @param id the try
     * @param i chunk index
     */
    void SampleChunk(uint64_t id, uint32_t i);

    /**
     * Sample the channel of a try for its chunk i (now: the chunk's end).
     * @param tx the try
     * @param i chunk index
     */
    void Sample(OnAir& tx, uint32_t i);

    /**
     * @param tx the try
     * @param i chunk index
     * @return end of chunk i, relative to the start of the airtime
     */
    static Time ChunkEnd(const OnAir& tx, uint32_t i);

    /**
     * The error model over the sampled chunks, and what the receiver measured.
     * @param tx the try
     * @return the report
     */
    FdmaFrameReport Evaluate(const OnAir& tx);

    /**
     * Linear power gain of a link now: large-scale loss times fast fading.
     * @param tx the try
     * @return gain
     */
    double Gain(const OnAir& tx) const;

    /**
     * Hand a try to its receiver.
     * @param frame the frame
     * @param dst receiver
     * @param report what was measured
     */
    static void Deliver(Ptr<Packet> frame, Ptr<FdmaNetDevice> dst, FdmaFrameReport report);

    /**
     * @param bandwidthHz width of a sub-band
     * @return a one-bin spectrum model of that width (cached)
     */
    Ptr<const SpectrumModel> BandModel(double bandwidthHz);

    std::vector<Ptr<FdmaNetDevice>> m_devices; //!< connected devices
    std::unordered_map<Mac48Address, Ptr<FdmaNetDevice>, Mac48AddressHash> m_byMac; //!< by address
    Ptr<PropagationLossModel> m_loss;       //!< large-scale loss (chain)
    Ptr<PropagationLossModel> m_fading;     //!< fast fading (null: none)
    Ptr<PropagationDelayModel> m_delay;     //!< delay model
    double m_noisePsdWPerHz{0};             //!< noise PSD
    double m_centerFrequencyHz{2e9};        //!< nominal carrier (spectrum bins)
    Time m_coherenceTime{MilliSeconds(20)}; //!< target chunk length
    uint32_t m_maxChunks{16};               //!< chunks per try, at most
    std::unordered_map<double, Ptr<const SpectrumModel>> m_bandModels; //!< cached one-bin models
    Ptr<ShannonSpectrumErrorModel> m_errorModel; //!< ns-3's verdict (StartRx resets it per try)
    std::unordered_map<uint64_t, OnAir> m_onAir; //!< tries on the air, by id
    uint64_t m_nextId{0};                        //!< next transmission id
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_CHANNEL_H
