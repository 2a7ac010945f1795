/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_RUN_TIMING_H
#define EDGE_LLM_RUN_TIMING_H

#include "ns3/net-device-container.h"

#include <chrono>
#include <cstdint>
#include <ostream>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief What a run cost: wall and CPU time, events, frames on the air, peak memory.
 *
 * The timed form of a program (`edge-llm-split-training --timing`): construct it at the start
 * of main, call Print after the run. CPU is the process's user + system time and peak RSS its
 * largest resident set (getrusage), so both include set-up and output. Frames are what the
 * fdma devices put on the air (first tries of every frame, both directions); with transport
 * blocks and ARQ the tries are printed too. On other tiers the frame counts are 0 and
 * omitted. These are measurements for benchmarks and docs: nothing asserts them.
 */
class RunTiming
{
  public:
    RunTiming();

    /** What the process used so far. */
    struct Figures
    {
        double wallS{0};      //!< wall time since construction, s
        double cpuS{0};       //!< user + system CPU time of the process, s
        double simulatedS{0}; //!< simulated time reached, s
        uint64_t events{0};   //!< events the simulator executed
        uint64_t frames{0};   //!< fdma frames sent (first tries), devices and servers
        uint64_t tries{0};    //!< fdma tries (blocks and retransmissions included)
        double peakRssMb{0};  //!< peak resident set size, MB (10^6 bytes)
    };

    /**
     * @param devices every net device whose fdma counters count (others are skipped)
     * @return the figures now
     */
    Figures Measure(const NetDeviceContainer& devices) const;

    /**
     * Print one line: "timing: wall … s, CPU … s, simulated … s, … events, … frames, … tries,
     * … us CPU per frame, peak RSS … MB".
     * @param os stream
     * @param devices every net device whose fdma counters count
     */
    void Print(std::ostream& os, const NetDeviceContainer& devices) const;

  private:
    std::chrono::steady_clock::time_point m_start; //!< construction
};

} // namespace ns3

#endif // EDGE_LLM_RUN_TIMING_H
