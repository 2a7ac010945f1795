/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_NET_DEVICE_H
#define EDGE_LLM_FDMA_NET_DEVICE_H

#include "ns3/data-rate.h"
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
 * @brief Parameters of one direction of a device-server link for the current round.
 */
struct FdmaLinkParams
{
    double bandwidthHz{0}; //!< sub-band width b_n
    double txPowerW{0};    //!< transmit power spread over the sub-band
    double rateBps{0};     //!< PHY rate chosen for the round (from the CSI estimate)
};

/**
 * @ingroup edge-llm
 * @brief NetDevice of the `fdma` channel tier: one per mobile device and one per edge server.
 *
 * A mobile device has one full-duplex link to its current server on its own sub-band; a server
 * has one link per associated device. Each direction serialises frames at the round's rate over
 * its own queue, so uplink data and the TCP ACKs going the other way never contend (FDMA
 * sub-bands, full duplex). Whether a frame arrives is decided at the receiver by ns-3's
 * ShannonSpectrumErrorModel from the instantaneous SINR (FdmaChannel), so a rate above the
 * link's capacity, e.g. in a fade, costs real frames. Frames carry an Ethernet II header (pcap
 * link type EN10MB) and ARP runs as on a LAN: a mobile's broadcast reaches its server, a
 * server's reaches its devices.
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
     * Called by the channel when a frame's reception ends.
     * @param frame the frame with its Ethernet header
     * @param success whether the Shannon error model accepted it
     * @param capacityBps instantaneous capacity
     * @param rateBps rate it was sent at
     */
    void Receive(Ptr<Packet> frame, bool success, double capacityBps, double rateBps);

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
    /** One direction towards one peer: parameters, queue and transmitter state. */
    struct Link
    {
        FdmaLinkParams params;         //!< rate, power, band
        std::deque<Ptr<Packet>> queue; //!< frames waiting
        bool busy{false};              //!< a frame is on the air
        EventId txEnd;                 //!< end of the current frame
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
     * End of a frame's airtime.
     * @param peer the link
     * @param frame the frame
     */
    void TransmitComplete(Mac48Address peer, Ptr<Packet> frame);
    /**
     * Drop all frames of a link.
     * @param link the link
     */
    void Flush(Link& link);

    Ptr<Node> m_node;                        //!< owner
    Ptr<FdmaChannel> m_channel;              //!< the channel
    Mac48Address m_address;                  //!< MAC address
    uint32_t m_ifIndex{0};                   //!< interface index
    uint16_t m_mtu{65000};                   //!< MTU (large: per-frame overhead < 0.1 %)
    uint32_t m_maxQueueFrames{1000};         //!< per-link queue limit
    Role m_role{MOBILE};                     //!< role
    std::map<Mac48Address, Link> m_links;    //!< links by peer
    NetDevice::ReceiveCallback m_rxCallback; //!< to the protocol stack
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous receiver

    TracedCallback<Ptr<const Packet>> m_macTxTrace;     //!< frame accepted for transmission
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace; //!< frame dropped before the air
    TracedCallback<Ptr<const Packet>> m_macRxTrace;     //!< frame delivered up
    TracedCallback<Ptr<const Packet>, double, Time> m_phyTxBeginTrace;  //!< airtime starts
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;                  //!< airtime ends
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;                  //!< received correctly
    TracedCallback<Ptr<const Packet>, double, double> m_phyRxDropTrace; //!< lost on the air
    TracedCallback<Ptr<const Packet>> m_snifferTrace; //!< every frame sent or received (pcap)
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_NET_DEVICE_H
