/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_TIER_H
#define EDGE_LLM_FDMA_TIER_H

#include "fdma-channel.h"
#include "fdma-net-device.h"
#include "split-channel-tier.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The `fdma` channel tier: every user on its own sub-band b_n of its server's band.
 *
 * CSI (attribute CsiSource): `measured` is what the network could know — per (device, server)
 * an exponentially weighted moving average (time constant CsiAveragingTime) of the gains the server
 * measured on the tries it received from the device on the serving link (fast fading averaged
 * out), and for the other servers the large-scale gain at the current positions (what RSRP
 * measurements of neighbour cells give); before the first measurement, the large-scale gain.
 * `positions` is the large-scale gain at the current positions for every server (an explicit
 * oracle of path loss and shadowing; it never sees a fast-fading draw).
 *
 * Apply() plans each direction's rate from that CSI with a margin,
 * r = b log2(1 + SNR / margin) (uplink at p_n, downlink at the server's constant PSD over the
 * same sub-band). Setup() gives every device the tier's LinkAdaptation: with `fixed` every
 * frame goes at the planned rate (the paper's model); with `adaptive` the planned rate is used
 * until the link's first SINR report, then the rate follows the reports frame by frame
 * (FdmaLinkAdapter).
 */
class FdmaTier : public SplitChannelTier
{
  public:
    /** Where the allocator's channel gains come from. */
    enum CsiSource
    {
        MEASURED,  //!< EWMA of the serving link's measured gains; large-scale for the others
        POSITIONS, //!< large-scale loss model at the current positions (oracle)
    };

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    FdmaTier();
    ~FdmaTier() override;

    /**
     * Set up the tier (after its attributes): the devices get the tier's LinkAdaptation and
     * the servers' measurements feed the CSI.
     * @param channel the channel
     * @param mobiles one device per user
     * @param servers one device per server
     * @param serverAddresses one address per server
     */
    void Setup(Ptr<FdmaChannel> channel,
               const std::vector<Ptr<FdmaNetDevice>>& mobiles,
               const std::vector<Ptr<FdmaNetDevice>>& servers,
               const std::vector<Ipv4Address>& serverAddresses);

    double EstimateGain(uint32_t user, uint32_t server) override;
    void Apply(uint32_t user,
               uint32_t k,
               const UserAllocation& a,
               const SplitCostModel& model) override;
    void Detach(uint32_t user) override;
    Ipv4Address GetServerAddress(uint32_t server) const override;
    bool EnforcesBandwidth() const override;
    /**
     * Transport blocks received on the user's links (uplink from its device, downlink from
     * every server): blocks started after the first of their frame (each one means the one
     * before it was received) plus frames delivered whole.
     * @param user user index
     * @return the count
     */
    uint64_t LinkProgress(uint32_t user) const override;

  protected:
    void DoDispose() override;

  private:
    /** A moving average of measured gains. */
    struct Ewma
    {
        bool valid{false}; //!< at least one measurement
        double gain{0};    //!< the average
        Time last;         //!< time of the latest measurement
    };

    /**
     * A server's receiver measured a try (its PhyRxMeasurement trace).
     * @param server server index
     * @param report what it measured
     */
    void Measured(uint32_t server, const FdmaFrameReport& report);

    Ptr<FdmaChannel> m_channel;                //!< the air
    std::vector<Ptr<FdmaNetDevice>> m_mobiles; //!< per user
    std::vector<Ptr<FdmaNetDevice>> m_servers; //!< per server
    std::vector<Ipv4Address> m_addresses;      //!< per server
    std::vector<uint32_t> m_attached;          //!< current server per user
    std::vector<uint32_t> m_serving;           //!< server of the user's latest Apply
    std::unordered_map<Mac48Address, uint32_t, Mac48AddressHash> m_userByMac; //!< user by address
    std::vector<std::vector<Ewma>> m_measured; //!< [user][server] measured gains
    double m_marginDb{0};                      //!< SNR margin of the planned rate
    CsiSource m_csiSource{MEASURED};           //!< where gains come from
    Time m_averagingTime{Seconds(1)};          //!< time constant of the moving average
    FdmaLinkAdaptationConfig::Mode m_linkAdaptation{FdmaLinkAdaptationConfig::ADAPTIVE}; //!< mode
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_TIER_H
