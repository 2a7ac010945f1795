/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_TIER_H
#define EDGE_LLM_FDMA_TIER_H

#include "fdma-channel.h"
#include "fdma-net-device.h"
#include "split-channel-tier.h"

#include "ns3/ipv4-address.h"

#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The `fdma` channel tier: every user on its own sub-band b_n of its server's band.
 *
 * Gains (attribute GainSource) are estimated either from the channel's loss model at the
 * current positions (one draw of any fading model in the chain, i.e. CSI at the start of the
 * round), or from the last frame the server received from the device (the previous round's
 * measurement; positions for links not used yet). Rates are set from that
 * estimate with a margin: r = b log2(1 + SNR / margin), uplink at p_n, downlink at the server's
 * constant PSD over the same sub-band; a fade below the margin then loses frames.
 */
class FdmaTier : public SplitChannelTier
{
  public:
    /** Where the allocator's channel gains come from. */
    enum GainSource
    {
        POSITIONS,  //!< loss model at the current positions
        LAST_FRAME, //!< measured on the last frame received over the uplink
    };

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    FdmaTier();
    ~FdmaTier() override;

    /**
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

  protected:
    void DoDispose() override;

  private:
    Ptr<FdmaChannel> m_channel;                //!< the air
    std::vector<Ptr<FdmaNetDevice>> m_mobiles; //!< per user
    std::vector<Ptr<FdmaNetDevice>> m_servers; //!< per server
    std::vector<Ipv4Address> m_addresses;      //!< per server
    std::vector<uint32_t> m_attached;          //!< current server per user
    double m_marginDb{0};                      //!< SNR margin of the rate choice
    GainSource m_gainSource{POSITIONS};        //!< where gains come from
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_TIER_H
