/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-allocator.h"

#include "input-error.h"

#include "ns3/log.h"
#include "ns3/object-factory.h"

#include <chrono>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSplitAllocator");
NS_OBJECT_ENSURE_REGISTERED(SplitAllocator);

namespace
{
std::map<std::string, std::string>&
ShortNames()
{
    static std::map<std::string, std::string> names;
    return names;
}
} // namespace

TypeId
SplitAllocator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SplitAllocator").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

SplitAllocator::SplitAllocator() = default;
SplitAllocator::~SplitAllocator() = default;

Allocation
SplitAllocator::Allocate(const RoundState& state)
{
    NS_LOG_FUNCTION(this << state.NumUsers() << state.NumServers());
    state.Validate();
    const auto start = std::chrono::steady_clock::now();
    Allocation a = DoAllocate(state);
    a.solveTimeS = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (a.allocator.empty())
    {
        a.allocator = GetInstanceTypeId().GetName();
    }
    NS_ASSERT_MSG(a.users.size() == state.users.size(),
                  GetInstanceTypeId().GetName()
                      << " returned " << a.users.size() << " users for " << state.users.size());
    return a;
}

int64_t
SplitAllocator::AssignStreams(int64_t)
{
    return 0;
}

void
SplitAllocator::NotifyRoundOutcome(const RoundOutcome&)
{
}

void
SplitAllocator::RegisterShortName(const std::string& shortName, const std::string& typeIdName)
{
    ShortNames()[shortName] = typeIdName;
}

std::vector<std::pair<std::string, std::string>>
SplitAllocator::KnownAllocators()
{
    return {ShortNames().begin(), ShortNames().end()};
}

Ptr<SplitAllocator>
SplitAllocator::CreateByName(const std::string& name)
{
    std::string typeName = name;
    auto it = ShortNames().find(name);
    if (it != ShortNames().end())
    {
        typeName = it->second;
    }
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(typeName, &tid) || !tid.IsChildOf(GetTypeId()) ||
        !tid.HasConstructor())
    {
        std::string known;
        for (const auto& [s, t] : ShortNames())
        {
            known += (known.empty() ? "" : ", ") + s + " (" + t + ")";
        }
        throw InputError("allocator '" + name + "' is unknown; known allocators: " + known);
    }
    ObjectFactory factory(typeName);
    return factory.Create<SplitAllocator>();
}

} // namespace ns3
