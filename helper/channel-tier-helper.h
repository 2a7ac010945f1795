/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_CHANNEL_TIER_HELPER_H
#define EDGE_LLM_CHANNEL_TIER_HELPER_H

#include "ns3/device-energy-model.h"
#include "ns3/energy-source.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/round-state.h"
#include "ns3/split-channel-tier.h"

#include <cstdint>
#include <memory>
#include <string>

namespace ns3
{

struct SplitTrainingScenario;

/**
 * @ingroup edge-llm
 * @brief What a channel tier's helper is given to build its part of a scenario.
 */
struct ChannelTierContext
{
    NodeContainer servers;                          //!< one node per server (mobility installed)
    NodeContainer devices;                          //!< one node per user (mobility installed)
    Ptr<PropagationLossModel> loss;                 //!< large-scale loss (path loss + shadowing)
    Ptr<PropagationLossModel> fastFading;           //!< fast fading, or null (not chained to loss)
    const RoundState* state{nullptr};               //!< the drop: noise, powers, users' p_max
    const SplitTrainingScenario* scenario{nullptr}; //!< the scenario's options
};

/**
 * @ingroup edge-llm
 * @brief A channel tier's helper, as SplitTrainingHelper sees it: installs the tier's devices,
 * IPv4 and the tier object (a SplitChannelTier created from an ObjectFactory, so with the
 * attributes the user set), and each device's radio energy model.
 *
 * A tier is a plug-in: its model (a SplitChannelTier subclass with a TypeId) and a helper
 * deriving from this class, registered under a short name with
 * ChannelTierHelper::Registration in the helper's .cc file. `--tier` takes the short name or
 * the TypeId name (as `--allocator` does); SplitTrainingHelper::Build calls, in this order:
 * Configure, InstallDevices (before the Internet stack), InstallTier (after it and after the
 * fixed random streams of the stack, mobility and allocator), AssignStreams(7000), then
 * InstallDeviceRadioEnergy per device; GetTcpSegmentBytes sizes the training apps' segments.
 */
class ChannelTierHelper
{
  public:
    virtual ~ChannelTierHelper() = default;

    /**
     * Map the scenario's tier options (flags) to attributes of the tier (default: none).
     * @param scenario the scenario
     * @param tier the factory the tier will be created from (its TypeId is set)
     */
    virtual void Configure(const SplitTrainingScenario& scenario, ObjectFactory& tier);

    /**
     * Install devices that must come before the Internet stack (default: none).
     * @param context nodes, propagation, drop
     */
    virtual void InstallDevices(const ChannelTierContext& context);

    /**
     * Install the rest (devices, addresses) and create and set up the tier.
     * @param context nodes, propagation, drop
     * @param tier factory of the tier object (TypeId and attributes)
     * @return the tier
     */
    virtual Ptr<SplitChannelTier> InstallTier(const ChannelTierContext& context,
                                              const ObjectFactory& tier) = 0;

    /**
     * Fix the random streams of the tier's devices (default: none used).
     * @param stream first stream index
     * @return the number of streams used
     */
    virtual int64_t AssignStreams(int64_t stream);

    /**
     * Attach the user's radio energy model to its battery (after InstallTier).
     * @param user user index
     * @param battery the device's battery
     * @return the model (appended to the battery)
     */
    virtual Ptr<DeviceEnergyModel> InstallDeviceRadioEnergy(uint32_t user,
                                                            Ptr<EnergySource> battery) = 0;

    /** @return TCP segment size of the training apps, bytes (0: the apps' default) */
    virtual uint32_t GetTcpSegmentBytes() const;

    /**
     * pcap of every server interface (names <prefix>-<node>-<device>.pcap).
     * @param prefix file name prefix
     */
    virtual void EnablePcapOnServers(const std::string& prefix) = 0;

    /** @return the servers' net devices */
    virtual NetDeviceContainer GetServerNetDevices() const = 0;

    /** @return the devices' net devices */
    virtual NetDeviceContainer GetUserNetDevices() const = 0;

    /** Creates a tier's helper. */
    using Creator = std::unique_ptr<ChannelTierHelper> (*)();

    /**
     * Registers a tier (declare one as a static object in the tier helper's .cc file).
     */
    class Registration
    {
      public:
        /**
         * @param shortName the name `--tier` accepts besides the TypeId name (e.g. "fdma")
         * @param tierTypeName TypeId name of the tier's SplitChannelTier subclass
         * @param create creates the tier's helper
         */
        Registration(const std::string& shortName, const std::string& tierTypeName, Creator create);
    };

    /**
     * @param name a registered short name or a tier's TypeId name
     * @param flag where the name came from (for the error message), e.g. "--tier"
     * @return the tier's TypeId
     * @throws InputError naming the registered tiers if name is none of them
     */
    static TypeId LookupTier(const std::string& name, const std::string& flag = "--tier");

    /**
     * @param tier a registered tier's TypeId (see LookupTier)
     * @return a new helper for it
     */
    static std::unique_ptr<ChannelTierHelper> Create(TypeId tier);

    /** @return the registered tiers, "short (TypeId name)" separated by ", " */
    static std::string KnownTiers();
};

} // namespace ns3

#endif // EDGE_LLM_CHANNEL_TIER_HELPER_H
