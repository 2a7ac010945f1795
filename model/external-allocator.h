/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_EXTERNAL_ALLOCATOR_H
#define EDGE_LLM_EXTERNAL_ALLOCATOR_H

#include "ns3/split-allocator.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief An allocator written in any language: a program that speaks JSON lines over its
 * stdin and stdout.
 *
 * The program (attribute Command, split into words like a shell does: quotes and backslashes,
 * no variables, pipes or redirections) is started at the first Allocate and runs until the
 * allocator is disposed. Every line the simulator writes is one JSON object:
 *  - `{"type": "state", "round": R, "request": K, "state": {…}}` for every Allocate call; the
 *    state is a round instance in the format edge-llm-allocate reads (WriteRoundStateJson). The
 *    program answers with ONE line: an allocation in the format edge-llm-allocate writes
 *    (WriteAllocationJson; only "users" is required);
 *  - `{"type": "results", "round": R, "outcome": {…}}` after every round the RoundCoordinator
 *    ran (WriteRoundOutcomeJson): the measured per-device results. No answer is expected.
 *
 * R is the number of results sent so far (the RoundCoordinator's round), K counts every request
 * (a round with handover hysteresis may ask more than once). At the end the program's stdin is
 * closed; it should exit (it is killed after TimeoutS).
 *
 * Every answer is checked: JSON syntax and types (ReadAllocationJson), then the constraints the
 * simulator needs to apply it (Validate). A malformed answer, a violated constraint, a program
 * that exits or closes its stdout, no answer within TimeoutS, or a command that cannot be
 * started raise one InputError naming the command, the round and request and what was wrong;
 * the program is killed and reaped first. Its stderr is the simulator's.
 */
class ExternalAllocator : public SplitAllocator
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

    ExternalAllocator();
    ~ExternalAllocator() override;

    void NotifyRoundOutcome(const RoundOutcome& outcome) override;

    /** @return process id of the running program, or -1 when none runs */
    pid_t GetPid() const;

    /**
     * Split a command line into words: blanks separate words; single quotes keep everything
     * literally; double quotes keep everything but backslash-escaped " and \; a backslash
     * outside quotes keeps the next character.
     * @param command the command line
     * @return the words
     * @throws InputError for an unterminated quote or a trailing backslash
     */
    static std::vector<std::string> SplitCommand(const std::string& command);

    /**
     * The constraints an answer must meet: per user a server index < M, or -1 with alpha =
     * Upsilon (local-only, on a device whose memory limit holds every layer); for a served user
     * alpha_min <= alpha <= alpha_max(n), 0 < p <= p_max, b > 0, f^E > 0; 0 < f <= f_max; per
     * server the users' bandwidths and GPU shares at most b_max and f_max (relative tolerance
     * 1e-6). The rate floor r_min and the objective's finiteness are the allocator's business, as
     * for the built-in ones.
     * @param a the answer
     * @param state the round
     * @return one line per violation (empty when valid)
     */
    static std::vector<std::string> Validate(const Allocation& a, const RoundState& state);

  protected:
    Allocation DoAllocate(const RoundState& state) override;
    void DoDispose() override;

  private:
    /** Start the program (posix_spawnp with two pipes). */
    void Start();
    /**
     * Write one line to the program's stdin within TimeoutS.
     * @param line the line without its newline
     */
    void Send(const std::string& line);
    /** Fail if the program wrote anything since its last answer (it would be stale). */
    void CheckNothingUnasked();
    /** @return the program's next line (without the newline), read within TimeoutS */
    std::string Receive();
    /**
     * Kill and reap the program, then throw.
     * @param message what went wrong
     * @param graceS how long to wait for a program that is ending to report its exit status
     */
    [[noreturn]] void Fail(const std::string& message, double graceS = 0);
    /**
     * @param graceS how long to wait for the program to exit by itself
     * @return how it ended ("exited with status 3", "was killed by signal 11 (…)"), or empty
     *         when it is still running
     */
    std::string Reap(double graceS);
    /**
     * Stop the program: close its stdin, wait up to graceS for it to exit, kill it, reap it.
     * @param graceS seconds to wait before SIGKILL
     */
    void Stop(double graceS);
    /** @return "external allocator 'CMD', round R, request K" for messages */
    std::string Where() const;

    std::string m_command; //!< the program and its arguments
    double m_timeoutS{30}; //!< deadline of every answer and write, s
    pid_t m_pid{-1};       //!< the program, -1 when none
    int m_toChild{-1};     //!< write end of its stdin
    int m_fromChild{-1};   //!< read end of its stdout
    std::string m_buffer;  //!< bytes read after the last complete line
    uint32_t m_round{0};   //!< results sent so far
    uint64_t m_request{0}; //!< requests sent so far
    bool m_failed{false};  //!< the program failed: refuse further requests
};

} // namespace ns3

#endif // EDGE_LLM_EXTERNAL_ALLOCATOR_H
