/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ROUND_COORDINATOR_H
#define EDGE_LLM_ROUND_COORDINATOR_H

#include "device-battery.h"
#include "fault-schedule.h"
#include "power-draw-energy-model.h"
#include "split-channel-tier.h"
#include "split-cost-model.h"
#include "split-training-client.h"
#include "split-training-server.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/split-allocator.h"
#include "ns3/traced-callback.h"

#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief One device in one round: the decision, the prediction and the measurement.
 *
 * Times in s, energies in J; measured fields are NaN where the round did not get that far.
 */
struct DeviceRoundRecord
{
    uint32_t round{0};                //!< round
    uint32_t user{0};                 //!< user (device) index
    std::string status;               //!< why the device's round ended (RoundCoordinator statuses)
    UserAllocation allocation;        //!< the allocator's decision
    uint64_t bytesUp{0};              //!< activation payload bytes
    uint64_t bytesDown{0};            //!< gradient payload bytes
    CostTerms predicted;              //!< cost model terms for the decision
    double predictedDelayS{0};        //!< compute + uplink + downlink, cost model
    double predictedEnergyJ{0};       //!< device compute + transmit + listening energy, cost model
    double predictedListenEnergyJ{0}; //!< radio listening until the round's predicted end
    double deviceComputeS{0};         //!< measured: forward + backward busy time
    double uplinkS{0};                //!< measured: forward end -> activation at the server
    double serverWaitS{0};            //!< measured: activation in -> job start
    double serverComputeS{0};         //!< measured: job start -> job end
    double downlinkS{0};              //!< measured: job end -> gradient at the device
    double delayS{0};                 //!< measured: round start -> backward end
    double computeEnergyJ{0};         //!< measured: device compute energy (battery)
    double radioEnergyJ{0};           //!< measured: device radio energy (battery)
    double edgeEnergyJ{0};            //!< measured: server GPU energy for this user
    double batteryJ{0};               //!< battery left at the end of the round
    double outageS{0};                //!< time its link was down (--outage) during its round, s
};

/**
 * @ingroup edge-llm
 * @brief One round: the allocator's view and outcome, all devices.
 */
struct RoundReport
{
    uint32_t round{0};                      //!< round
    std::string allocator;                  //!< allocator name
    double startS{0};                       //!< simulation time at the start
    double endS{0};                         //!< simulation time at the end
    double solveTimeS{0};                   //!< allocator wall time (all planning passes)
    double deadlineS{0};                    //!< deadline after the start (hard or automatic), s
    double predictedObjective{0};           //!< cost model objective of the decision
    CostTerms predictedTotals;              //!< cost model terms summed over devices
    std::vector<DeviceRoundRecord> devices; //!< one per device
};

/**
 * @ingroup edge-llm
 * @brief Runs the training rounds: CSI → allocator → decision applied → devices and servers
 * train over the network → measured delay and energy next to the cost model's prediction.
 *
 * Rounds are synchronous: the next starts when every active device has ended its round. A
 * device's status says why it ended:
 *  - `done`: trained its round;
 *  - `out-of-coverage`: sat the round out: even alone on its best server at full power the
 *    round's CSI gives it less than CoverageRateBps (the allocator never sees it; a device
 *    nobody can serve would otherwise take the whole band under a delay-sum objective);
 *  - `depleted`: its battery reached the reserve during the round (`left` in later rounds);
 *  - `aborted`: its connection failed (TCP gave up) or a message was malformed;
 *  - `stalled`: automatic deadline passed and nothing moved for a StallWindow (no payload byte
 *    arrived either way, no link-layer block either on tiers that report them
 *    (SplitChannelTier::LinkProgress), no compute ran): typically out of coverage or a link
 *    that died;
 *  - `deadline`: the hard deadline RoundTimeout struck first.
 *
 * Injected faults (SetFaults, see FaultSchedule) add:
 *  - `server-failed`: its server failed before the gradient reached the device; the failed
 *    server is left out of the allocator's RoundState (its devices are re-associated) until it
 *    recovers;
 *  - `no-server`: sat the round out: every server was down at the round start;
 *  - `outage`: its round ended `stalled`, `aborted` or `deadline` after a link outage hit it
 *    (a round that survives an outage ends `done`; DeviceRoundRecord::outageS says how long
 *    the link was down);
 *  - `departed`: it left the training during the round (`left` in later rounds);
 *  - `not-joined`: it joins in a later round.
 *
 * Deadline. With RoundTimeout > 0 it is a hard deadline. Otherwise (default) it comes from what
 * the network has shown, not from the cost model's rate prediction: D = DeadlineFactor × max
 * over devices of (device compute + edge compute bound + payload bits / floor throughput),
 * where compute times are the simulated ones (the model's, which the processors execute; the
 * edge bound covers any GPU policy: all of the server's work at full frequency) and the floor is
 * the lowest per-device goodput (payload bits / transfer time, uplink or downlink) measured in
 * the last round that measured any, FloorThroughputBps before that. From D − StallWindow on,
 * progress is sampled every StallWindow; a device that moved no payload byte, received no
 * link-layer block and reached no milestone since the last sample, while not computing, is
 * `stalled`; a device still making progress is never failed.
 *
 * Hysteresis. With HandoverHysteresisDb = H > 0 a device changes server only if the allocator
 * still moves it when its current server's gain is raised by H dB (a cell-individual offset).
 * The offset is applied lazily so that devices that do not want to move are planned with their
 * true gains: the allocator first sees the true gains; if it moves devices, it plans again with
 * the offset on those devices' current servers; if that moves further devices, a last pass puts
 * the offset on every device's current server. The round's predictions (devices.csv), the link
 * rates and the deadline are priced with the true gains.
 */
class RoundCoordinator : public Object
{
  public:
    /**
     * TracedCallback signature of round starts.
     * @param round round
     * @param allocation the decision (indices of the devices still training)
     */
    typedef void (*RoundStartedTracedCallback)(uint32_t round, const Allocation& allocation);

    /**
     * TracedCallback signature of round ends.
     * @param report the round
     */
    typedef void (*RoundFinishedTracedCallback)(const RoundReport& report);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    RoundCoordinator();
    ~RoundCoordinator() override;

    /** Everything of one device the coordinator drives. */
    struct Device
    {
        Ptr<SplitTrainingClient> client;   //!< training app
        Ptr<DeviceBattery> battery;        //!< battery (may be null)
        Ptr<PowerDrawEnergyModel> compute; //!< compute draw
        Ptr<DeviceEnergyModel> radio;      //!< radio energy (fdma: draw; wifi: Wi-Fi model)
    };

    /** Everything of one server. */
    struct Server
    {
        Ptr<SplitTrainingServer> app; //!< training app
    };

    /**
     * @param base per-user and per-server parameters (gains are re-estimated every round)
     * @param allocator the allocator
     * @param tier the channel tier
     * @param devices one per user of base
     * @param servers one per server of base
     */
    void Setup(const RoundState& base,
               Ptr<SplitAllocator> allocator,
               Ptr<SplitChannelTier> tier,
               const std::vector<Device>& devices,
               const std::vector<Server>& servers);

    /**
     * Schedule the first round.
     * @param at when
     */
    void Start(Time at);

    /**
     * Inject faults (before Start): server failures and recoveries, link outages, devices that
     * leave or join. The frame error rate is the helper's (InstallFrameErrorRate).
     * @param faults the schedule (indices checked by FaultSchedule::Validate)
     */
    void SetFaults(const FaultSchedule& faults);

    /** @return reports of the rounds finished so far */
    const std::vector<RoundReport>& GetReports() const;

    /**
     * Rethrow the error that stopped the simulation inside a round (e.g. an allocator's
     * InputError), if any. An exception must not cross Simulator::Run (the event being run would
     * never be freed), so a round that fails stores it, stops the simulator and leaves it to the
     * caller of Simulator::Run.
     */
    void RethrowRoundError() const;

  protected:
    void DoDispose() override;

  private:
    /** Per-device state of the running round. */
    struct Running
    {
        uint64_t progress{0};     //!< payload bytes + milestones at the last progress sample
        bool sampled{false};      //!< progress sampled at least once
        bool active{false};       //!< takes part in this round
        bool finished{false};     //!< done or abandoned
        uint32_t index{0};        //!< index in the round's RoundState
        double start{0};          //!< round start
        double forwardDone{NAN};  //!< forward end
        double activationIn{NAN}; //!< activation at the server
        double jobDone{NAN};      //!< server job end
        double gradientIn{NAN};   //!< gradient at the device
        double done{NAN};         //!< backward end
        double computeJ0{0};      //!< compute energy at the round start
        double radioJ0{0};        //!< radio energy at the round start
        double edgeJ0{0};         //!< edge energy at the round start
        double outageSince{NAN};  //!< start of the link outage in progress (NaN: none)
        double outageS{0};        //!< link outage time within the round
        std::string status;       //!< outcome
    };

    std::exception_ptr m_roundError; //!< what stopped the simulation in a round (or null)

    /// StartRound with any exception stored and the simulator stopped (see RethrowRoundError)
    void StartRoundGuarded();
    void StartRound();
    /**
     * Apply the round's decision for one device and start its round.
     * @param k the device's index in the round (m_activeUsers, m_state)
     */
    void StartDevice(uint32_t k);
    /** @return the round's state: the active devices with fresh channel estimates */
    RoundState EstimateRound() const;
    /**
     * Remove the devices out of coverage (see CoverageRateBps) from the round.
     * @param s the round's state, in the order of m_activeUsers (both are filtered)
     * @return the devices removed
     */
    std::vector<uint32_t> DropOutOfCoverage(RoundState& s);
    /**
     * Call the allocator with handover hysteresis (see the class description).
     * @return the decision for m_state (summed solve time of all passes)
     */
    Allocation PlanRound();
    /**
     * @param offset per round index: raise the gain of the device's current server
     * @return m_state with the hysteresis offset applied
     */
    RoundState WithHandoverOffset(const std::vector<bool>& offset) const;
    /**
     * @param a a decision for m_state
     * @param offset per round index: the offset is already applied
     * @return per round index: the device changes server without an offset
     */
    std::vector<bool> UnoffsetMoves(const Allocation& a, const std::vector<bool>& offset) const;
    /** @return the automatic deadline after the round start, s (see the class description) */
    double AutomaticDeadlineS() const;
    /** Schedule the hard deadline or the first progress sample. */
    void ScheduleDeadline();
    /** Sample every unfinished device's progress; fail those that stalled. */
    void CheckProgress();
    /**
     * @param user device
     * @return payload bytes it moved this round (both ways) + milestones it reached
     */
    uint64_t ProgressOf(uint32_t user) const;
    /**
     * @param user device
     * @return true while its processor or its server's GPU works for it
     */
    bool Computing(uint32_t user) const;
    /** Lower the floor throughput to the lowest goodput this round measured (if any). */
    void UpdateFloorThroughput();
    /**
     * @param round round
     * @param user user
     * @param phase milestone
     */
    void ClientPhase(uint32_t round, uint32_t user, SplitTrainingClient::Phase phase);
    /**
     * @param round round
     * @param user user
     * @param phase milestone
     */
    void ServerPhase(uint32_t round, uint32_t user, SplitTrainingServer::Phase phase);
    /**
     * @param user user whose battery is empty
     */
    void Depleted(uint32_t user);
    // ---- fault injection (FaultSchedule) ----
    /** Schedule the fault events of m_faults. */
    void ScheduleFaults();
    /**
     * @param n device
     * @return true if it trains in the current round (not depleted, not left, joined)
     */
    bool Participates(uint32_t n) const;
    /** @return true if some device has not joined yet and may still join */
    bool JoinsPending() const;
    /** @return true if at least one server is up */
    bool AnyServerUp() const;
    /**
     * Call the allocator on the servers that are up (down ones are left out of its RoundState;
     * its server indices are mapped back).
     * @param s the round's state on every server
     * @return the decision, server indices of s
     */
    Allocation AllocateOnUpServers(const RoundState& s) const;
    /**
     * A server fails: devices still waiting for it end `server-failed`.
     * @param m server
     */
    void ServerDown(uint32_t m);
    /**
     * A server recovers (from the next round on).
     * @param m server
     */
    void ServerUp(uint32_t m);
    /**
     * A device's link goes down.
     * @param n device
     */
    void OutageBegin(uint32_t n);
    /**
     * A device's link comes back.
     * @param n device
     */
    void OutageEnd(uint32_t n);
    /**
     * Close the outage time of a device's round at the current time.
     * @param r the device's round
     */
    void CloseOutage(Running& r) const;
    /**
     * A device leaves the training.
     * @param n device
     */
    void Leave(uint32_t n);

    /** Finish the round if every active device is finished. */
    void MaybeFinish();
    /**
     * @param timeout the round timed out
     */
    void FinishRound(bool timeout);

    uint32_t m_rounds{5};                    //!< rounds to run
    Time m_timeout;                          //!< hard round deadline (0: automatic)
    double m_hysteresisDb{3};                //!< re-association margin, dB
    double m_floorAttributeBps{1e6};         //!< first round's floor throughput, bit/s
    double m_deadlineFactor{2};              //!< factor of the automatic deadline
    double m_coverageRateBps{1e5};           //!< minimum rate alone on the best server, bit/s
    Time m_stallWindow;                      //!< progress sampling period
    double m_floorBps{0};                    //!< floor throughput of this round, bit/s
    double m_deadlineS{0};                   //!< this round's deadline after its start, s
    std::vector<uint32_t> m_currentServer;   //!< per device: server of its last round
    double m_forwardFraction{1.0 / 3};       //!< device forward share of its compute
    uint16_t m_port{50000};                  //!< server port
    RoundState m_base;                       //!< static parameters
    Ptr<SplitAllocator> m_allocator;         //!< allocator
    Ptr<SplitChannelTier> m_tier;            //!< channel tier
    std::vector<Device> m_devices;           //!< devices
    std::vector<Server> m_servers;           //!< servers
    std::vector<bool> m_depleted;            //!< battery empty
    std::vector<Running> m_running;          //!< per device, this round
    std::vector<uint32_t> m_activeUsers;     //!< round index -> user
    uint32_t m_round{0};                     //!< current round
    bool m_inRound{false};                   //!< a round is running
    double m_roundStart{0};                  //!< its start
    std::unique_ptr<RoundState> m_state;     //!< the round's state
    std::unique_ptr<SplitCostModel> m_model; //!< the round's cost model
    Allocation m_allocation;                 //!< the round's decision
    EventId m_timeoutEvent;                  //!< hard deadline or next progress sample
    std::vector<RoundReport> m_reports;      //!< finished rounds
    FaultSchedule m_faults;                  //!< injected faults
    std::vector<uint32_t> m_serverDown;      //!< per server: failures in progress
    std::vector<uint32_t> m_outage;          //!< per device: link outages in progress
    std::vector<bool> m_left;                //!< per device: left the training (--leave)
    std::vector<uint32_t> m_joinRound;       //!< per device: first round it trains in
    TracedCallback<uint32_t, const Allocation&> m_roundStartedTrace; //!< round started
    TracedCallback<const RoundReport&> m_roundFinishedTrace;         //!< round finished
    TracedCallback<> m_allRoundsFinishedTrace;                       //!< training finished
};

} // namespace ns3

#endif // EDGE_LLM_ROUND_COORDINATOR_H
