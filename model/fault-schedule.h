/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FAULT_SCHEDULE_H
#define EDGE_LLM_FAULT_SCHEDULE_H

#include "ns3/node-container.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Faults a user injects into a split-training run (flags --serverFailure, --outage,
 * --leave, --join, --frameErrorRate; the RoundCoordinator plays them, see doc/edge-llm.rst).
 *
 * Times are simulation times in s (the first round starts at 0.1 s); rounds count from 0.
 */
struct FaultSchedule
{
    /** An edge server fails at `atS` and, if recoverS is finite, comes back at `recoverS`. */
    struct ServerFailure
    {
        uint32_t server{0};                                       //!< server index
        double atS{0};                                            //!< failure time, s
        double recoverS{std::numeric_limits<double>::infinity()}; //!< recovery time, s
    };

    /** A device's link is down (both ways) from `fromS` to `toS`. */
    struct Outage
    {
        uint32_t user{0}; //!< device index
        double fromS{0};  //!< outage start, s
        double toS{0};    //!< outage end, s
    };

    /** A device leaves the training at `atS` (mid-round if a round is running). */
    struct Leave
    {
        uint32_t user{0}; //!< device index
        double atS{0};    //!< time it leaves, s
    };

    /** A device joins the training between rounds: it takes part from round `round` on. */
    struct Join
    {
        uint32_t user{0};  //!< device index
        uint32_t round{0}; //!< first round it trains in
    };

    std::vector<ServerFailure> serverFailures; //!< --serverFailure
    std::vector<Outage> outages;               //!< --outage
    std::vector<Leave> leaves;                 //!< --leave
    std::vector<Join> joins;                   //!< --join
    double frameErrorRate{0};                  //!< --frameErrorRate: per frame, every link

    /** @return true if nothing is scheduled */
    bool Empty() const;

    /**
     * Parse --serverFailure: comma-separated `M@T[-T2]` (server M fails at T s, recovers at T2).
     * @param text the flag's value ("" : none)
     * @param flag the flag's name, for errors
     * @throws InputError naming the flag and the syntax allowed
     */
    void ParseServerFailures(const std::string& text, const std::string& flag);
    /**
     * Parse --outage: comma-separated `N@T1-T2` (device N's link is down from T1 to T2 s).
     * @param text the flag's value
     * @param flag the flag's name, for errors
     * @throws InputError naming the flag and the syntax allowed
     */
    void ParseOutages(const std::string& text, const std::string& flag);
    /**
     * Parse --leave: comma-separated `N@T` (device N leaves the training at T s).
     * @param text the flag's value
     * @param flag the flag's name, for errors
     * @throws InputError naming the flag and the syntax allowed
     */
    void ParseLeaves(const std::string& text, const std::string& flag);
    /**
     * Parse --join: comma-separated `N@roundR` (device N joins before round R >= 1).
     * @param text the flag's value
     * @param flag the flag's name, for errors
     * @throws InputError naming the flag and the syntax allowed
     */
    void ParseJoins(const std::string& text, const std::string& flag);

    /**
     * Check indices and conflicts against the scenario's size.
     * @param users devices N
     * @param servers servers M
     * @throws InputError naming the flag and what is allowed
     */
    void Validate(uint32_t users, uint32_t servers) const;
};

/**
 * @ingroup edge-llm
 * Give every NetDevice of the nodes that supports it a receive error model losing each frame
 * with probability `rate` (ns-3's RateErrorModel, unit packet): fdma devices through their
 * ReceiveErrorModel attribute (the sender's ARQ retries a lost frame), Wi-Fi PHYs through
 * their post-reception error model (the MAC retries an unacknowledged MPDU).
 * @param nodes the nodes
 * @param rate frame error rate in [0, 1)
 * @return the devices that got an error model
 */
uint32_t InstallFrameErrorRate(const NodeContainer& nodes, double rate);

} // namespace ns3

#endif // EDGE_LLM_FAULT_SCHEDULE_H
