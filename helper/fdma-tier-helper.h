/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_TIER_HELPER_H
#define EDGE_LLM_FDMA_TIER_HELPER_H

#include "ns3/channel-tier-helper.h"
#include "ns3/fdma-helper.h"
#include "ns3/fdma-tier.h"

#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Installs the `fdma` tier (FdmaTier, registered as `--tier=fdma`) in a split-training
 * scenario: one FdmaNetDevice per server and per device on one FdmaChannel (the large-scale
 * loss as its PropagationLossModel, the fast fading kept apart as its FastFadingModel, the
 * drop's noise density), IPv4 10.0.0.0/8 (servers first), the FdmaTier (attributes
 * RateMarginDb, LinkAdaptation and CsiSource from --rateMarginDb, --linkAdaptation and --csi),
 * and per device a PowerDrawEnergyModel that draws the transmit power while a try is on the air
 * (FdmaHelper::InstallRadioEnergy).
 */
class FdmaTierHelper : public ChannelTierHelper
{
  public:
    /** @return the FdmaHelper (channel and device attributes before Build; pcap) */
    FdmaHelper& GetFdmaHelper();

    /** @return the tier (after InstallTier) */
    Ptr<FdmaTier> GetTier() const;

    void Configure(const SplitTrainingScenario& scenario, ObjectFactory& tier) override;
    void InstallDevices(const ChannelTierContext& context) override;
    Ptr<SplitChannelTier> InstallTier(const ChannelTierContext& context,
                                      const ObjectFactory& tier) override;
    Ptr<DeviceEnergyModel> InstallDeviceRadioEnergy(uint32_t user,
                                                    Ptr<EnergySource> battery) override;
    void EnablePcapOnServers(const std::string& prefix) override;
    NetDeviceContainer GetServerNetDevices() const override;
    NetDeviceContainer GetUserNetDevices() const override;

  private:
    FdmaHelper m_fdma;                         //!< devices, channel, pcap
    NetDeviceContainer m_serverDevices;        //!< per server
    NetDeviceContainer m_userDevices;          //!< per user
    std::vector<Ptr<FdmaNetDevice>> m_mobiles; //!< per user
    Ptr<FdmaTier> m_tier;                      //!< the tier
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_TIER_HELPER_H
