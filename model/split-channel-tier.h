/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_CHANNEL_TIER_H
#define EDGE_LLM_SPLIT_CHANNEL_TIER_H

#include "split-cost-model.h"

#include "ns3/ipv4-address.h"
#include "ns3/object.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief How the allocator's radio decisions reach the air: the small interface every channel
 * tier (fdma, wifi, and later lte) implements for the RoundCoordinator.
 */
class SplitChannelTier : public Object
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    /**
     * Channel state the allocator will see: linear power gain from user to server now.
     * @param user user index
     * @param server server index
     * @return gain
     */
    virtual double EstimateGain(uint32_t user, uint32_t server) = 0;

    /**
     * Apply a user's decision for the coming round (association, power, band, rates).
     * @param user user index (device)
     * @param k the user's index in the round's RoundState (the round holds only the devices
     *          still training, so k differs from user once a device has left)
     * @param a its allocation
     * @param model the round's cost model (rates are computed there, for index k)
     */
    virtual void Apply(uint32_t user,
                       uint32_t k,
                       const UserAllocation& a,
                       const SplitCostModel& model) = 0;

    /**
     * Take a user off the air (it trains alone or left the training).
     * @param user user index
     */
    virtual void Detach(uint32_t user) = 0;

    /**
     * @param server server index
     * @return the server's IPv4 address
     */
    virtual Ipv4Address GetServerAddress(uint32_t server) const = 0;

    /**
     * @return true if the tier enforces the bandwidth shares b_n (FDMA); false if the users
     * contend for the channel (Wi-Fi), in which case b_n is only the allocator's model
     */
    virtual bool EnforcesBandwidth() const = 0;

    /**
     * Progress of a user's links below the transport layer, for the coordinator's stall check:
     * a count (of the tier's own units, e.g. transport blocks received) that grows while the
     * user's data moves on the air, even when no whole packet has arrived yet (a 64 kB TCP
     * segment on a link slowed to tens of kbit/s takes longer than the StallWindow). Only
     * changes of it matter. Tiers that deliver whole packets only return 0 (the default).
     * @param user user index
     * @return the count, both directions of every link of the user
     */
    virtual uint64_t LinkProgress(uint32_t /* user */) const
    {
        return 0;
    }

    /**
     * Add what the tier knows of how its links carry traffic to the round the allocator sees
     * (e.g. the Wi-Fi tier's airtime pricing, RoundState::wifi, and the radios' idle power).
     * The default adds nothing (the fdma rates).
     * @param state the round, gains already estimated
     * @param users per entry of state.users, the device (user index) it stands for
     */
    virtual void DescribeLinks(RoundState& state, const std::vector<uint32_t>& users) const;

  protected:
    /**
     * A transmit power the allocator chose, as the radio's setting: dBm, clamped to the radio's
     * range (a non-positive power is the minimum).
     * @param powerW the power, W
     * @param minDbm the radio's lowest setting, dBm
     * @param maxDbm its highest, dBm (below minDbm: minDbm)
     * @return the setting, dBm
     */
    static double ClampedTxPowerDbm(double powerW, double minDbm, double maxDbm);
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_CHANNEL_TIER_H
