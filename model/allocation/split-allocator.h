/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_ALLOCATOR_H
#define EDGE_LLM_SPLIT_ALLOCATOR_H

#include "round-state.h"

#include "ns3/object.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Base of every allocator: one decision per round from a RoundState.
 *
 * Concrete allocators are chosen by TypeId (e.g. "ns3::FpAllocator") and configured through
 * attributes. Allocate() validates the state, times the solve and stamps the allocator's name.
 */
class SplitAllocator : public Object
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    SplitAllocator();
    ~SplitAllocator() override;

    /**
     * Decide split layer, power, bandwidth, device frequency, GPU share and association.
     * @param state the round
     * @return the allocation (allocator, iterations, objective history, solve time filled in)
     */
    Allocation Allocate(const RoundState& state);

    /**
     * Assign fixed random streams to the allocator's random variables.
     * @param stream first stream index
     * @return number of streams used
     */
    virtual int64_t AssignStreams(int64_t stream);

    /**
     * @param name short name ("fp", "edge-only", …) or TypeId name ("ns3::FpAllocator")
     * @return the allocator, default attributes
     * @throws InputError for an unknown name (the message lists the known ones)
     */
    static Ptr<SplitAllocator> CreateByName(const std::string& name);

    /**
     * @return (short name, TypeId name) of every registered allocator
     */
    static std::vector<std::pair<std::string, std::string>> KnownAllocators();

    /**
     * Register a short name for CreateByName (done once per allocator class).
     * @param shortName e.g. "fp"
     * @param typeIdName e.g. "ns3::FpAllocator"
     */
    static void RegisterShortName(const std::string& shortName, const std::string& typeIdName);

  protected:
    /**
     * @param state validated round
     * @return the decision; Allocate() fills in name and solve time
     */
    virtual Allocation DoAllocate(const RoundState& state) = 0;
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_ALLOCATOR_H
