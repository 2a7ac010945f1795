/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "channel-tier-helper.h"

#include "ns3/input-error.h"

#include <map>

namespace ns3
{

namespace
{

/// A registered tier.
struct TierEntry
{
    std::string typeName;              //!< TypeId name of the tier
    ChannelTierHelper::Creator create; //!< creates its helper
};

/// @return the registered tiers by short name (built on first use: registrations run during
/// static initialisation, in no defined order)
std::map<std::string, TierEntry>&
Registry()
{
    static std::map<std::string, TierEntry> registry;
    return registry;
}

} // namespace

void
ChannelTierHelper::Configure(const SplitTrainingScenario& /* scenario */, ObjectFactory& /* tier */)
{
}

void
ChannelTierHelper::InstallDevices(const ChannelTierContext& /* context */)
{
}

int64_t
ChannelTierHelper::AssignStreams(int64_t /* stream */)
{
    return 0;
}

uint32_t
ChannelTierHelper::GetTcpSegmentBytes() const
{
    return 0;
}

ChannelTierHelper::Registration::Registration(const std::string& shortName,
                                              const std::string& tierTypeName,
                                              Creator create)
{
    Registry()[shortName] = TierEntry{tierTypeName, create};
}

std::string
ChannelTierHelper::KnownTiers()
{
    std::string known;
    for (const auto& [shortName, entry] : Registry())
    {
        known += (known.empty() ? "" : ", ") + shortName + " (" + entry.typeName + ")";
    }
    return known;
}

TypeId
ChannelTierHelper::LookupTier(const std::string& name, const std::string& flag)
{
    for (const auto& [shortName, entry] : Registry())
    {
        if (name == shortName || name == entry.typeName)
        {
            TypeId tid;
            if (TypeId::LookupByNameFailSafe(entry.typeName, &tid) &&
                tid.IsChildOf(SplitChannelTier::GetTypeId()) && tid.HasConstructor())
            {
                return tid;
            }
        }
    }
    Require(false, flag, name, "a channel tier: " + KnownTiers());
    return TypeId(); // not reached
}

std::unique_ptr<ChannelTierHelper>
ChannelTierHelper::Create(TypeId tier)
{
    for (const auto& [shortName, entry] : Registry())
    {
        if (entry.typeName == tier.GetName())
        {
            return entry.create();
        }
    }
    throw InputError("channel tier " + tier.GetName() +
                     " has no registered helper; known tiers: " + KnownTiers());
}

} // namespace ns3
