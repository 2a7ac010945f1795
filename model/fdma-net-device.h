/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_NET_DEVICE_H
#define EDGE_LLM_FDMA_NET_DEVICE_H

#include "fdma-link-adapter.h"

#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>

namespace ns3
{

class FdmaChannel;

/**
 * @ingroup edge-llm
 * @brief What the receiver measured on one try of a frame; fed back to the transmitter at the
 * end of the try's airtime (idealised feedback: no delay, no error) and reported by the
 * receiver's PhyRxMeasurement trace.
 */
struct FdmaFrameReport
{
    Mac48Address from;       //!< transmitter
    bool received{false};    //!< the error model accepted the frame
    double meanGain{0};      //!< mean linear power gain over the airtime (fast fading included)
    double effectiveGain{0}; //!< per unit power: gain whose Shannon rate is the mean capacity
    double capacityBps{0};   //!< mean Shannon capacity over the airtime
    double rateBps{0};       //!< rate the frame was sent at
    uint32_t chunks{0};      //!< chunks of constant SINR the airtime was evaluated in
    uint32_t bytes{0};       //!< bytes of the try (a transport block, or the whole frame)
    bool lastBlock{true};    //!< the try carries the frame's last block (received: pass it up)
};

/**
 * @ingroup edge-llm
 * @brief Per-device transmission counters (every link of the device, since its creation).
 */
struct FdmaTxCounters
{
    uint64_t frames{0};          //!< frames that went on the air (first tries)
    uint64_t blocks{0};          //!< transport blocks sent (first tries; frames if unsegmented)
    uint64_t attempts{0};        //!< tries of blocks, retransmissions included
    uint64_t retransmissions{0}; //!< tries after a lost one
    uint64_t delivered{0};       //!< frames the receiver accepted
    uint64_t arqDrops{0};        //!< frames dropped after MaxTransmissions lost tries of a block
    uint64_t outageWaits{0};     //!< waits of BlockDuration in outage (nothing sent)
    Time airtime;                //!< airtime of every try
};

/**
 * @ingroup edge-llm
 * @brief NetDevice of the `fdma` channel tier: one per mobile device and one per edge server.
 *
 * A mobile device has one full-duplex link to its current server on its own sub-band; a server
 * has one link per associated device. Each direction serialises frames over its own queue, so
 * uplink data and the TCP ACKs going the other way never contend (FDMA sub-bands, full duplex).
 * The rate of every frame comes from the link's FdmaLinkAdapter (attribute LinkAdaptation:
 * the round's planned rate, or adapted per frame to the receiver's latest SINR report).
 * Whether a try arrives is decided by ns-3's ShannonSpectrumErrorModel over the SINR of the
 * try's airtime (FdmaChannel); a lost try is retransmitted (link-layer ARQ, rate re-chosen) up
 * to MaxTransmissions tries before the frame is dropped and TCP sees the loss. Every try costs
 * airtime (PhyTxBegin/PhyTxEnd fire per try). Frames carry an Ethernet II header (pcap link
 * type EN10MB) and ARP runs as on a LAN: a mobile's broadcast reaches its server, a server's
 * reaches its devices.
 */
class FdmaNetDevice : public NetDevice
{
  public:
    /** Which end of the star this device is. */
    enum Role
    {
        MOBILE, //!< a mobile device: one link, to its server
        SERVER, //!< an edge server: one link per associated device
    };

    /**
     * TracedCallback signature of PHY transmissions.
     * @param packet the frame
     * @param txPowerW transmit power
     * @param duration airtime
     */
    typedef void (*PhyTxBeginTracedCallback)(Ptr<const Packet> packet,
                                             double txPowerW,
                                             Time duration);

    /**
     * TracedCallback signature of frames lost on the air.
     * @param packet the frame
     * @param capacityBps instantaneous Shannon capacity of the link
     * @param rateBps rate the frame was sent at
     */
    typedef void (*PhyRxDropTracedCallback)(Ptr<const Packet> packet,
                                            double capacityBps,
                                            double rateBps);

    /**
     * TracedCallback signature of a try going on the air.
     * @param packet the frame
     * @param attempt 1 for the first try, 2 for the first retransmission, …
     * @param rateBps rate chosen for this try
     */
    typedef void (*TxAttemptTracedCallback)(Ptr<const Packet> packet,
                                            uint32_t attempt,
                                            double rateBps);

    /**
     * TracedCallback signature of ARQ events (retransmission decided, frame dropped).
     * @param packet the frame
     * @param tries tries so far
     */
    typedef void (*ArqTracedCallback)(Ptr<const Packet> packet, uint32_t tries);

    /**
     * TracedCallback signature of the receiver's per-try measurement.
     * @param report what the receiver measured
     */
    typedef void (*PhyRxMeasurementTracedCallback)(const FdmaFrameReport& report);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    FdmaNetDevice();
    ~FdmaNetDevice() override;

    /**
     * @param role MOBILE or SERVER
     */
    void SetRole(Role role);
    /** @return the role */
    Role GetRole() const;

    /**
     * Connect to the channel (once).
     * @param channel the channel
     */
    void Attach(Ptr<FdmaChannel> channel);

    /**
     * Set (or replace) the link towards a peer for the coming frames. A mobile keeps one link:
     * setting a new peer moves it (re-association); frames queued for the old peer are dropped.
     * @param peer MAC address of the peer device
     * @param params transmit parameters of this device towards the peer
     */
    void SetLink(Mac48Address peer, const FdmaLinkParams& params);

    /**
     * Remove the link towards a peer (its queued frames are dropped).
     * @param peer MAC address of the peer
     */
    void RemoveLink(Mac48Address peer);

    /**
     * @param peer MAC address of the peer
     * @return the link's parameters (all zero if there is no link)
     */
    FdmaLinkParams GetLink(Mac48Address peer) const;

    /**
     * Called by the channel when a try's reception ends (after the propagation delay).
     * @param frame the frame with its Ethernet header
     * @param report what was measured; report.received: the error model accepted it
     */
    void Receive(Ptr<Packet> frame, const FdmaFrameReport& report);

    /**
     * Called by the channel for a try its SINR let through.
     * @param frame the frame
     * @return true if the ReceiveErrorModel corrupts it (the try counts as lost)
     */
    bool ReceiveErrorModelLoses(Ptr<Packet> frame) const;

    /** @return the transmission counters of every link of this device */
    const FdmaTxCounters& GetTxCounters() const;

    /**
     * @param peer MAC address of a peer
     * @return the transmission counters of the link towards that peer, since this device was
     *         created (kept when the link is removed or moved; all zero if never linked)
     */
    FdmaTxCounters GetTxCounters(Mac48Address peer) const;

    /**
     * @param peer MAC address of the peer
     * @return the link adaptation state towards the peer (null if there is no link)
     */
    const FdmaLinkAdapter* GetLinkAdapter(Mac48Address peer) const;

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

  private:
    /** @return the rate choice configured by the attributes */
    FdmaLinkAdaptationConfig AdaptationConfig() const;

    /** One direction towards one peer: parameters, queue and transmitter state. */
    struct Link
    {
        FdmaLinkParams params;             //!< planned rate, power, band
        std::deque<Ptr<Packet>> queue;     //!< frames waiting
        Ptr<Packet> current;               //!< frame on the air or waiting for its next try
        uint32_t sentBytes{0};             //!< bytes of the current frame received so far
        uint32_t blockBytes{0};            //!< bytes of the current block (0: not cut yet)
        uint32_t tries{0};                 //!< tries of the current block so far
        double missingBits{0};             //!< IR-HARQ: information the receiver still lacks
        uint32_t tryBytes{0};              //!< bytes the try on the air carries
        Time tryAirtime;                   //!< airtime of the try on the air
        bool busy{false};                  //!< a try is on the air (or waiting in outage)
        bool waiting{false};               //!< waiting in outage for OutageWaitEnd
        EventId txEnd;                     //!< end of the current try
        FdmaLinkAdapter adapter;           //!< rate choice
        FdmaTxCounters* counters{nullptr}; //!< this peer's entry of m_peerCounters (stable)
    };

    /**
     * Queue a frame for one peer and start sending if idle.
     * @param peer destination
     * @param frame frame with Ethernet header
     * @return false if dropped (no link, queue full)
     */
    bool Enqueue(Mac48Address peer, Ptr<Packet> frame);
    /**
     * Start the next frame of a link if it is idle.
     * @param peer the link
     */
    void StartNext(Mac48Address peer);
    /**
     * End of a wait in outage: sound the channel, then try again.
     * @param peer the link
     */
    void OutageWaitEnd(Mac48Address peer);
    /**
     * End of a try's airtime: the receiver's feedback, then ARQ.
     * @param peer the link
     * @param frame the frame
     * @param id the channel's transmission id
     */
    void TransmitComplete(Mac48Address peer, Ptr<Packet> frame, uint64_t id);
    /**
     * After a try: keep the frame for another try, or finish it (received or ARQ drop).
     * @param link the link
     * @param received whether the try got through
     * @param peerCounters counters of the link's peer
     */
    void ConcludeTry(Link& link, bool received, FdmaTxCounters& peerCounters);
    /**
     * @param bytes bytes of the try (a block or a whole frame)
     * @param rateBps its rate
     * @return its airtime (one byte of PHY framing, rounded up to the next ns, plus 1 ns)
     */
    static Time Airtime(uint32_t bytes, double rateBps);
    /**
     * Drop all frames of a link.
     * @param link the link
     */
    void Flush(Link& link);

    Ptr<Node> m_node;                //!< owner
    Ptr<FdmaChannel> m_channel;      //!< the channel
    Mac48Address m_address;          //!< MAC address
    uint32_t m_ifIndex{0};           //!< interface index
    uint16_t m_mtu{65000};           //!< MTU (large: per-frame overhead < 0.1 %)
    uint32_t m_maxQueueFrames{1000}; //!< per-link queue limit
    Role m_role{MOBILE};             //!< role
    uint32_t m_maxTransmissions{8};  //!< ARQ: tries per block
    FdmaLinkAdaptationConfig::Mode m_linkAdaptation{FdmaLinkAdaptationConfig::ADAPTIVE}; //!< mode
    double m_snrGapDb{0};                 //!< constant SNR gap of the rate mapping, dB
    double m_blerTarget{0.3};             //!< outer loop's target share of lost tries
    double m_ollaStepDb{0.5};             //!< outer loop's step per lost try, dB
    double m_maxBackoffDb{30};            //!< outer loop's largest back-off, dB
    double m_minSpectralEfficiency{0.15}; //!< lowest adaptive rate per Hz, bit/s/Hz
    Time m_blockDuration;                 //!< adaptive: longest block airtime (0: whole frames)
    bool m_incrementalRedundancy{false};  //!< HARQ keeps what lost tries carried
    Ptr<ErrorModel> m_receiveErrorModel;  //!< frame errors on top of the SINR (null: none)
    FdmaTxCounters m_counters;            //!< transmission counters
    std::map<Mac48Address, FdmaTxCounters> m_peerCounters; //!< the same, per peer
    std::map<Mac48Address, Link> m_links;                  //!< links by peer
    NetDevice::ReceiveCallback m_rxCallback;               //!< to the protocol stack
    NetDevice::PromiscReceiveCallback m_promiscCallback;   //!< promiscuous receiver

    TracedCallback<Ptr<const Packet>> m_macTxTrace;     //!< frame accepted for transmission
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace; //!< frame dropped before the air
    TracedCallback<Ptr<const Packet>> m_macRxTrace;     //!< frame delivered up
    TracedCallback<Ptr<const Packet>, double, Time> m_phyTxBeginTrace;  //!< airtime starts
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;                  //!< airtime ends
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;                  //!< received correctly
    TracedCallback<Ptr<const Packet>, double, double> m_phyRxDropTrace; //!< lost on the air
    TracedCallback<Ptr<const Packet>> m_snifferTrace; //!< every frame sent or received (pcap)
    TracedCallback<Ptr<const Packet>, uint32_t, double> m_txAttemptTrace; //!< a try starts
    TracedCallback<Ptr<const Packet>, uint32_t> m_arqRetransmissionTrace; //!< try lost, retry
    TracedCallback<Ptr<const Packet>, uint32_t> m_arqDropTrace;           //!< last try lost
    TracedCallback<const FdmaFrameReport&> m_phyRxMeasurementTrace;       //!< every try received
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_NET_DEVICE_H
