/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_ALLOCATOR_H
#define EDGE_LLM_SPLIT_ALLOCATOR_H

#include "ns3/object.h"
#include "ns3/round-state.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief What one device did in a finished round, as measured by the simulator (the reward
 * signal of a learning allocator). Times in s, energies in J; NaN where the round did not get
 * that far.
 */
struct DeviceOutcome
{
    uint32_t device{0}; //!< device (global index, stable across rounds)
    int64_t index{-1};  //!< its index in the round's RoundState (-1: not in the round)
    std::string status; //!< done, depleted, aborted, stalled, deadline, out-of-coverage, left
    UserAllocation allocation;  //!< the decision it ran with
    double delayS{0};           //!< measured: round start -> backward end
    double predictedDelayS{0};  //!< cost model: compute + uplink + downlink
    double uplinkS{0};          //!< measured: activation transfer
    double downlinkS{0};        //!< measured: gradient transfer
    double computeEnergyJ{0};   //!< measured: device compute energy
    double radioEnergyJ{0};     //!< measured: device radio energy
    double edgeEnergyJ{0};      //!< measured: server GPU energy for this device
    double predictedEnergyJ{0}; //!< cost model: device compute + transmit energy
    double batteryJ{0};         //!< battery left at the end of the round
};

/**
 * @ingroup edge-llm
 * @brief The measured outcome of one round, handed to the allocator that planned it.
 */
struct RoundOutcome
{
    uint32_t round{0};                  //!< round (0-based)
    double startS{0};                   //!< simulation time at the start, s
    double endS{0};                     //!< simulation time at the end, s
    double predictedObjective{0};       //!< cost model objective of the decision
    std::vector<DeviceOutcome> devices; //!< every device, in device order
};

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
     * Called by the RoundCoordinator after every round it planned with this allocator, with
     * the measured results (a learning allocator's reward). Default: nothing.
     * @param outcome the finished round
     */
    virtual void NotifyRoundOutcome(const RoundOutcome& outcome);

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
