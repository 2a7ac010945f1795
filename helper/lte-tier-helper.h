/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_LTE_TIER_HELPER_H
#define EDGE_LLM_LTE_TIER_HELPER_H

#include "ns3/channel-tier-helper.h"
#include "ns3/lte-helper.h"
#include "ns3/lte-tier.h"
#include "ns3/point-to-point-epc-helper.h"
#include "ns3/power-draw-energy-model.h"

#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Installs the `lte` tier (LteTier, registered as `--tier=lte`) in a split-training
 * scenario, on ns-3's LTE/EPC.
 *
 * One eNB per server, on its own node at the server's site (X2 between all eNBs); every device
 * is a UE attached to the eNB of its strongest server (large-scale loss). EPC:
 * PointToPointEpcHelper; each edge server is a node behind the PGW on a point-to-point link of
 * the tier's BackhaulDataRate and BackhaulDelay (subnet 1.0.m.0/30; UEs in 7.0.0.0/8). The
 * LTE spectrum channels carry the scenario's large-scale loss and fast fading (a
 * RangePropagationLossModel of unlimited range stands in for LteHelper's own path loss, so it
 * adds nothing). System bandwidth: the largest of 6, 15, 25, 50, 75, 100 RBs whose occupied
 * band (180 kHz per RB) fits 90 % of the server's band (20 MHz: 100 RBs). eNB power: the server's;
 * noise figures from the drop's noise density. ns-3's uplink power control is off (the UE transmits
 * at the allocator's p_n, see LteTier). Scheduler: EdgeLlmShareFfMacScheduler (the allocator's RB
 * shares). RLC UM with a 4 MB transmit buffer (TCP keeps up to 1 MB in flight).
 *
 * Radio energy: a PowerDrawEnergyModel per UE that draws the UE's uplink power while its
 * uplink spectrum PHY transmits a data frame (LteSpectrumPhy TxStart/TxEnd: every PUSCH
 * transmission, HARQ retransmissions included). PUCCH is ideal in ns-3 (control-only frames of
 * null bandwidth: no power drawn); SRS, RX and idle currents are not modelled yet.
 */
class LteTierHelper : public ChannelTierHelper
{
  public:
    /** @return the tier (after InstallTier) */
    Ptr<LteTier> GetTier() const;
    /** @return the LteHelper (after InstallTier) */
    Ptr<LteHelper> GetLteHelper() const;

    /**
     * @param bandwidthHz a server's band, Hz
     * @return the LTE bandwidth in RBs for it (0 if less than 6 RBs fit)
     */
    static uint16_t ResourceBlocksFor(double bandwidthHz);

    Ptr<SplitChannelTier> InstallTier(const ChannelTierContext& context,
                                      const ObjectFactory& tier) override;
    int64_t AssignStreams(int64_t stream) override;
    Ptr<DeviceEnergyModel> InstallDeviceRadioEnergy(uint32_t user,
                                                    Ptr<EnergySource> battery) override;
    uint32_t GetTcpSegmentBytes() const override;
    void EnablePcapOnServers(const std::string& prefix) override;
    NetDeviceContainer GetServerNetDevices() const override;
    NetDeviceContainer GetUserNetDevices() const override;

  private:
    Ptr<LteHelper> m_lte;               //!< LTE
    Ptr<PointToPointEpcHelper> m_epc;   //!< EPC
    NodeContainer m_enbNodes;           //!< one per server
    NetDeviceContainer m_enbDevices;    //!< per server
    NetDeviceContainer m_ueDevices;     //!< per user
    NetDeviceContainer m_serverDevices; //!< the servers' backhaul interfaces
    Ptr<LteTier> m_tier;                //!< the tier
};

} // namespace ns3

#endif // EDGE_LLM_LTE_TIER_HELPER_H
