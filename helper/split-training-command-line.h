/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_COMMAND_LINE_H
#define EDGE_LLM_SPLIT_TRAINING_COMMAND_LINE_H

#include "ns3/split-training-helper.h"
#include "ns3/strict-flags.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The scenario flags every split-training program shares (--users, --servers, --preset,
 * --tier, --wTime, --seed, …), added to an ns-3 CommandLine and turned into a validated
 * SplitTrainingScenario.
 *
 * edge-llm-split-training and edge-llm-compare both use it, so a scenario is written the same
 * way on both command lines. Flags that only one program has (outputs, --allocator or
 * --allocators, --runs) stay in that program.
 */
class SplitTrainingCommandLine
{
  public:
    static constexpr uint32_t kMaxUsers = 100000;   //!< largest --users
    static constexpr uint32_t kMaxServers = 10000;  //!< largest --servers
    static constexpr uint64_t kMaxLinks = 10000000; //!< largest --users x --servers
    static constexpr uint32_t kMaxRounds = 1000000; //!< largest --rounds

    /** The defaults of the examples: 10 devices, 2 servers, hex layout, realistic preset. */
    SplitTrainingCommandLine();

    /**
     * Add the scenario flags, each with its range, to a program's flags (also --RngSeed as
     * another name of --seed).
     * @param flags the program's flags
     */
    void AddTo(StrictFlags& flags);

    /**
     * The scenario of replication `run`: the flags' values, validated, with the drop seeded by
     * --seed and run (the same seed and run give the same drop in every program).
     * @param run ns-3 run number (1, 2, …)
     * @return the scenario (allocator left at its default; the caller sets it)
     * @throws InputError for a bad flag value, naming the flag and what is allowed
     */
    SplitTrainingScenario Scenario(uint32_t run) const;

    /**
     * Check --allocatorCommand and --allocatorTimeoutS against the allocators the program
     * runs and make them the defaults of ExternalAllocator's Command and TimeoutS.
     * @param allocators the allocator names the program will create
     * @throws InputError for --allocatorCommand without the allocator external, or a
     *         timeout that is not a positive number of seconds
     */
    void ConfigureExternalAllocator(const std::vector<std::string>& allocators) const;

    /**
     * The programs' answer to an error that ends a run, called inside `catch (...)`: destroys
     * the events of an interrupted run (an error inside the run) and prints one line,
     * "<program>: error: <what>" for an InputError, "<program>: error: out of memory; use
     * fewer <fewer>" for std::bad_alloc. Any other exception is rethrown.
     * @param program the program's name
     * @param fewer the flags that make the run smaller, for the out-of-memory message
     * @return 2, the programs' exit code for an error
     */
    static int ReportRunError(const std::string& program, const std::string& fewer);

    /**
     * Seed ns-3's RNG for replication `run` (RngSeedManager seed and run).
     * @param run ns-3 run number
     */
    void SeedRng(uint32_t run) const;

    /** @return --seed */
    uint32_t GetSeed() const;

    /** @return the scenario template (what the flags set, before validation) */
    const SplitTrainingScenario& GetTemplate() const;

  private:
    /**
     * Scenario: the drop (users, servers, layout, preset and LLM profile).
     * @param flags the flag set to add to
     */
    void AddDropFlags(StrictFlags& flags);
    /**
     * Objective and allocator flags.
     * @param flags the flag set to add to
     */
    void AddObjectiveFlags(StrictFlags& flags);
    /**
     * Tier, rounds and battery flags.
     * @param flags the flag set to add to
     */
    void AddRunFlags(StrictFlags& flags);
    /**
     * Channel, mobility, link and deadline flags.
     * @param flags the flag set to add to
     */
    void AddRadioFlags(StrictFlags& flags);
    /**
     * Seed and fault-injection flags.
     * @param flags the flag set to add to
     */
    void AddSeedAndFaultFlags(StrictFlags& flags);
    SplitTrainingScenario m_sc;             //!< flag targets
    std::string m_objective{"delay-aware"}; //!< --objective
    std::string m_delay{"sum"};             //!< --delay
    double m_wTime{1};                      //!< --wTime
    double m_wEnergy{1};                    //!< --wEnergy
    double m_wStability{1};                 //!< --wStability
    double m_minRateBps{0};                 //!< --minRateBps
    uint32_t m_minDeviceLayers{1};          //!< --minDeviceLayers
    std::string m_rateModel{"snapshot"};    //!< --rateModel
    uint32_t m_seed{1};                     //!< --seed
    double m_deadlineS{0};                  //!< --roundDeadlineS (old name --roundTimeoutS)
    double m_batteryUpdateS{10};            //!< --batteryUpdateS
    std::string m_allocatorCommand;         //!< --allocatorCommand
    double m_allocatorTimeoutS{0};          //!< --allocatorTimeoutS (0: attribute's value)
    // ---- fault injection flags (FaultSchedule) ----
    std::string m_serverFailure; //!< --serverFailure
    std::string m_outage;        //!< --outage
    std::string m_leave;         //!< --leave
    std::string m_join;          //!< --join
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_COMMAND_LINE_H
