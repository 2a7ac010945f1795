/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-coordinator.h"

#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRoundCoordinator");
NS_OBJECT_ENSURE_REGISTERED(RoundCoordinator);

TypeId
RoundCoordinator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RoundCoordinator")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<RoundCoordinator>()
            .AddAttribute("Rounds",
                          "Training rounds to run",
                          UintegerValue(5),
                          MakeUintegerAccessor(&RoundCoordinator::m_rounds),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("RoundTimeout",
                          "Hard round deadline: devices not done this long after the round "
                          "start are marked 'deadline' (0: automatic deadline with progress "
                          "checks, see FloorThroughputBps, DeadlineFactor, StallWindow)",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&RoundCoordinator::m_timeout),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("HandoverHysteresisDb",
                          "A device changes server only if the allocator still moves it when "
                          "its current server's gain is raised by this margin, dB (0: none)",
                          DoubleValue(3.0),
                          MakeDoubleAccessor(&RoundCoordinator::m_hysteresisDb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("FloorThroughputBps",
                          "Throughput floor of the first round's automatic deadline, bit/s "
                          "(later rounds: the lowest goodput measured in the last round)",
                          DoubleValue(1e6),
                          MakeDoubleAccessor(&RoundCoordinator::m_floorAttributeBps),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("DeadlineFactor",
                          "Automatic deadline: this factor times the slowest device's compute "
                          "time + payload at the floor throughput",
                          DoubleValue(2.0),
                          MakeDoubleAccessor(&RoundCoordinator::m_deadlineFactor),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("CoverageRateBps",
                          "A device that cannot reach this uplink rate even alone on its best "
                          "server at full power (cost model on the round's CSI) sits the round "
                          "out as 'out-of-coverage', bit/s (0: everyone takes part)",
                          DoubleValue(1e5),
                          MakeDoubleAccessor(&RoundCoordinator::m_coverageRateBps),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("StallWindow",
                          "After the automatic deadline, a device that moved no payload byte "
                          "(nor, on tiers that report it, a link-layer block) and ran no "
                          "compute for this long is marked 'stalled'",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&RoundCoordinator::m_stallWindow),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("ForwardFraction",
                          "Share of the device's compute time spent in the forward pass (the "
                          "rest is the backward pass after the gradient arrives)",
                          DoubleValue(1.0 / 3),
                          MakeDoubleAccessor(&RoundCoordinator::m_forwardFraction),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("ServerPort",
                          "TCP port of the servers' training apps",
                          UintegerValue(50000),
                          MakeUintegerAccessor(&RoundCoordinator::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddTraceSource("RoundStarted",
                            "A round starts with the allocator's decision",
                            MakeTraceSourceAccessor(&RoundCoordinator::m_roundStartedTrace),
                            "ns3::RoundCoordinator::RoundStartedTracedCallback")
            .AddTraceSource("RoundFinished",
                            "A round ended: predicted and measured side by side",
                            MakeTraceSourceAccessor(&RoundCoordinator::m_roundFinishedTrace),
                            "ns3::RoundCoordinator::RoundFinishedTracedCallback")
            .AddTraceSource("AllRoundsFinished",
                            "The last round ended (or every device left the training)",
                            MakeTraceSourceAccessor(&RoundCoordinator::m_allRoundsFinishedTrace),
                            "ns3::TracedCallback::Void");
    return tid;
}

RoundCoordinator::RoundCoordinator() = default;
RoundCoordinator::~RoundCoordinator() = default;

void
RoundCoordinator::DoDispose()
{
    Simulator::Cancel(m_timeoutEvent);
    m_allocator = nullptr;
    m_tier = nullptr;
    m_devices.clear();
    m_servers.clear();
    Object::DoDispose();
}

void
RoundCoordinator::Setup(const RoundState& base,
                        Ptr<SplitAllocator> allocator,
                        Ptr<SplitChannelTier> tier,
                        const std::vector<Device>& devices,
                        const std::vector<Server>& servers)
{
    NS_ABORT_MSG_IF(devices.size() != base.users.size() || servers.size() != base.servers.size(),
                    "RoundCoordinator::Setup: one device per user and one server per server");
    m_base = base;
    m_allocator = allocator;
    m_tier = tier;
    m_devices = devices;
    m_servers = servers;
    m_depleted.assign(devices.size(), false);
    m_running.assign(devices.size(), Running{});
    m_currentServer.assign(devices.size(), UserAllocation::kNoServer);
    m_serverDown.assign(servers.size(), 0);
    m_outage.assign(devices.size(), 0);
    m_left.assign(devices.size(), false);
    m_joinRound.assign(devices.size(), 0);
    for (uint32_t n = 0; n < devices.size(); ++n)
    {
        devices[n].client->TraceConnectWithoutContext(
            "Phase",
            MakeCallback(&RoundCoordinator::ClientPhase, this));
        // a radio that is not a PowerDrawEnergyModel (wifi) shares the battery of the compute
        // model, which reports the depletion
        auto radio = DynamicCast<PowerDrawEnergyModel>(devices[n].radio);
        for (auto model : {devices[n].compute, radio})
        {
            if (model)
            {
                model->SetDepletionCallback(
                    MakeCallback(&RoundCoordinator::Depleted, this).Bind(n));
            }
        }
    }
    for (const auto& s : servers)
    {
        s.app->TraceConnectWithoutContext("Phase",
                                          MakeCallback(&RoundCoordinator::ServerPhase, this));
    }
}

void
RoundCoordinator::Start(Time at)
{
    m_floorBps = m_floorAttributeBps;
    ScheduleFaults();
    Simulator::Schedule(at, &RoundCoordinator::StartRoundGuarded, this);
}

const std::vector<RoundReport>&
RoundCoordinator::GetReports() const
{
    return m_reports;
}

void
RoundCoordinator::RethrowRoundError() const
{
    if (m_roundError)
    {
        std::rethrow_exception(m_roundError);
    }
}

void
RoundCoordinator::StartRoundGuarded()
{
    try
    {
        StartRound();
    }
    catch (...)
    {
        m_roundError = std::current_exception();
        Simulator::Stop();
    }
}

void
RoundCoordinator::StartRound()
{
    NS_LOG_FUNCTION(this << m_round);
    m_activeUsers.clear();
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        if (Participates(n))
        {
            m_activeUsers.push_back(n);
        }
    }
    if (m_activeUsers.empty() && !JoinsPending())
    {
        NS_LOG_WARN("every device left the training: no more rounds");
        m_allRoundsFinishedTrace();
        return;
    }
    // The allocator sees the devices still training and in coverage, with fresh channel
    // estimates.
    m_state = std::make_unique<RoundState>(EstimateRound());
    const std::vector<uint32_t> uncovered = DropOutOfCoverage(*m_state);
    std::vector<uint32_t> serverless;
    if (!AnyServerUp())
    {
        serverless = m_activeUsers; // every server is down: nobody trains this round
        m_activeUsers.clear();
        m_state->users.clear();
    }
    m_model = std::make_unique<SplitCostModel>(*m_state);
    m_inRound = true;
    m_roundStart = Simulator::Now().GetSeconds();
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        m_running[n] = Running{};
        m_running[n].status = m_depleted[n] || m_left[n] ? "left"
                              : m_round < m_joinRound[n] ? "not-joined"
                                                         : "";
    }
    for (uint32_t n : uncovered)
    {
        m_running[n].status = "out-of-coverage";
        m_tier->Detach(n);
    }
    for (uint32_t n : serverless)
    {
        m_running[n].status = "no-server";
        m_tier->Detach(n);
    }
    for (auto& s : m_servers)
    {
        s.app->Reset();
    }
    if (m_activeUsers.empty())
    {
        // nobody to plan: wait a stall window for devices to come back into coverage
        m_allocation = Allocation{};
        m_deadlineS = m_stallWindow.GetSeconds();
        m_roundStartedTrace(m_round, m_allocation);
        m_timeoutEvent =
            Simulator::Schedule(m_stallWindow, &RoundCoordinator::FinishRound, this, false);
        return;
    }
    m_allocation = PlanRound();
    for (uint32_t k = 0; k < m_activeUsers.size(); ++k)
    {
        StartDevice(k);
    }
    m_roundStartedTrace(m_round, m_allocation);
    ScheduleDeadline();
}

void
RoundCoordinator::StartDevice(uint32_t k)
{
    const uint32_t n = m_activeUsers[k];
    const UserAllocation& a = m_allocation.users[k];
    const UserState& u = m_state->users[k];
    const CostTerms t = m_model->UserTerms(k, a);
    m_currentServer[n] = a.server;
    Running& r = m_running[n];
    r.active = true;
    r.index = k;
    r.start = m_roundStart;
    const Device& d = m_devices[n];
    r.computeJ0 = d.compute ? d.compute->GetTotalEnergyConsumption() : 0;
    r.radioJ0 = d.radio ? d.radio->GetTotalEnergyConsumption() : 0;

    ClientRoundPlan plan;
    plan.round = m_round;
    plan.user = n;
    plan.local = a.server == UserAllocation::kNoServer;
    plan.forward = Seconds(t.deviceDelayS * m_forwardFraction);
    plan.backward = Seconds(t.deviceDelayS * (1 - m_forwardFraction));
    plan.computePowerW = t.deviceDelayS > 0 ? t.deviceEnergyJ / t.deviceDelayS : 0.0;
    plan.activationBytes = static_cast<uint64_t>(std::llround(u.payloadBits / 8));
    if (!plan.local)
    {
        m_tier->Apply(n, k, a, *m_model);
        if (m_outage[n] > 0)
        {
            r.outageSince = m_roundStart; // the link is down: planned, but off the air
            m_tier->Detach(n);
        }
        plan.server = InetSocketAddress(m_tier->GetServerAddress(a.server), m_port);
        ServerJobPlan job;
        job.round = m_round;
        job.gradientBytes = static_cast<uint64_t>(std::llround(u.downlinkBits / 8));
        job.shareHz = a.edgeFreqHz;
        const SplitCostModel* model = m_model.get();
        job.timeEnergy = [model, k, a](double freqHz) {
            const CostTerms e =
                model->UserTerms(k, a.server, a.alpha, a.powerW, a.bandwidthHz, a.freqHz, freqHz);
            return std::make_pair(e.edgeDelayS, e.edgeEnergyJ);
        };
        Ptr<EdgeGpu> gpu = m_servers[a.server].app->GetGpu();
        r.edgeJ0 = gpu->GetEnergyJ(n);
        m_servers[a.server].app->SetJob(n, job);
    }
    else
    {
        m_tier->Detach(n);
    }
    d.client->StartRound(plan);
}

RoundState
RoundCoordinator::EstimateRound() const
{
    RoundState s = m_base;
    s.users.clear();
    for (uint32_t n : m_activeUsers)
    {
        UserState u = m_base.users[n];
        for (uint32_t m = 0; m < m_base.servers.size(); ++m)
        {
            u.gain[m] = m_tier->EstimateGain(n, m);
        }
        s.users.push_back(u);
    }
    m_tier->DescribeLinks(s, m_activeUsers);
    return s;
}

std::vector<uint32_t>
RoundCoordinator::DropOutOfCoverage(RoundState& s)
{
    std::vector<uint32_t> dropped;
    if (m_coverageRateBps <= 0 || !AnyServerUp())
    {
        return dropped;
    }
    std::vector<bool> covered(s.NumUsers(), false);
    {
        const SplitCostModel model(s);
        for (uint32_t k = 0; k < s.NumUsers(); ++k)
        {
            for (uint32_t m = 0; m < s.NumServers() && !covered[k]; ++m)
            {
                if (m_serverDown[m] > 0)
                {
                    continue;
                }
                const double alone =
                    model.UplinkRateBps(k, m, s.users[k].pMaxW, s.servers[m].bandwidthHz);
                covered[k] = alone >= m_coverageRateBps;
            }
        }
    }
    std::vector<UserState> users;
    std::vector<uint32_t> active;
    for (uint32_t k = 0; k < s.NumUsers(); ++k)
    {
        if (covered[k])
        {
            users.push_back(s.users[k]);
            active.push_back(m_activeUsers[k]);
        }
        else
        {
            NS_LOG_INFO("device " << m_activeUsers[k] << ": out of coverage this round");
            dropped.push_back(m_activeUsers[k]);
        }
    }
    s.users = std::move(users);
    m_activeUsers = std::move(active);
    return dropped;
}

Allocation
RoundCoordinator::PlanRound()
{
    Allocation a = AllocateOnUpServers(*m_state);
    if (m_hysteresisDb <= 0)
    {
        return a;
    }
    double solveS = a.solveTimeS;
    std::vector<bool> offset(m_activeUsers.size(), false);
    // pass 2: the offset on the devices the allocator moved; pass 3: on every device, if
    // pass 2 moved others
    for (int pass = 2; pass <= 3; ++pass)
    {
        const std::vector<bool> moved = UnoffsetMoves(a, offset);
        if (std::none_of(moved.begin(), moved.end(), [](bool b) { return b; }))
        {
            break;
        }
        for (uint32_t k = 0; k < offset.size(); ++k)
        {
            offset[k] =
                offset[k] || moved[k] ||
                (pass == 3 && m_currentServer[m_activeUsers[k]] != UserAllocation::kNoServer);
        }
        a = AllocateOnUpServers(WithHandoverOffset(offset));
        solveS += a.solveTimeS;
    }
    a.solveTimeS = solveS;
    return a;
}

std::vector<bool>
RoundCoordinator::UnoffsetMoves(const Allocation& a, const std::vector<bool>& offset) const
{
    std::vector<bool> moved(m_activeUsers.size(), false);
    for (uint32_t k = 0; k < moved.size(); ++k)
    {
        const uint32_t current = m_currentServer[m_activeUsers[k]];
        moved[k] =
            !offset[k] && current != UserAllocation::kNoServer && a.users[k].server != current;
    }
    return moved;
}

RoundState
RoundCoordinator::WithHandoverOffset(const std::vector<bool>& offset) const
{
    RoundState s = *m_state;
    const double factor = std::pow(10.0, m_hysteresisDb / 10.0);
    for (uint32_t k = 0; k < offset.size(); ++k)
    {
        if (offset[k])
        {
            s.users[k].gain[m_currentServer[m_activeUsers[k]]] *= factor;
        }
    }
    return s;
}

double
RoundCoordinator::AutomaticDeadlineS() const
{
    // Whatever the GPU policy, a job ends once all of its server's work has run at full
    // frequency (or at its own share, if slower).
    std::vector<double> serverWorkS(m_state->NumServers(), 0.0);
    for (uint32_t k = 0; k < m_activeUsers.size(); ++k)
    {
        const UserAllocation& a = m_allocation.users[k];
        if (a.server != UserAllocation::kNoServer)
        {
            const double fMax = m_state->servers[a.server].fMaxHz;
            serverWorkS[a.server] +=
                m_model->UserTerms(k, a.server, a.alpha, a.powerW, a.bandwidthHz, a.freqHz, fMax)
                    .edgeDelayS;
        }
    }
    double worst = 0;
    for (uint32_t k = 0; k < m_activeUsers.size(); ++k)
    {
        const UserAllocation& a = m_allocation.users[k];
        const CostTerms t = m_model->UserTerms(k, a);
        double need = t.deviceDelayS;
        if (a.server != UserAllocation::kNoServer)
        {
            const UserState& u = m_state->users[k];
            need += std::max(t.edgeDelayS, serverWorkS[a.server]);
            need += (u.payloadBits + u.downlinkBits) / m_floorBps;
        }
        worst = std::max(worst, need);
    }
    return m_deadlineFactor * worst;
}

void
RoundCoordinator::ScheduleDeadline()
{
    if (m_timeout.IsStrictlyPositive())
    {
        m_deadlineS = m_timeout.GetSeconds();
        m_timeoutEvent = Simulator::Schedule(m_timeout, &RoundCoordinator::FinishRound, this, true);
        return;
    }
    m_deadlineS = AutomaticDeadlineS();
    const double firstSampleS = std::max(0.0, m_deadlineS - m_stallWindow.GetSeconds());
    NS_LOG_INFO("round " << m_round << ": automatic deadline " << m_deadlineS << " s (floor "
                         << m_floorBps << " bit/s)");
    m_timeoutEvent =
        Simulator::Schedule(Seconds(firstSampleS), &RoundCoordinator::CheckProgress, this);
}

uint64_t
RoundCoordinator::ProgressOf(uint32_t user) const
{
    const Running& r = m_running[user];
    uint64_t p = m_devices[user].client->GetGradientBytesReceived();
    const uint32_t server = m_allocation.users[r.index].server;
    if (server != UserAllocation::kNoServer)
    {
        p += m_servers[server].app->GetActivationBytesReceived(user);
    }
    for (double milestone : {r.forwardDone, r.activationIn, r.jobDone, r.gradientIn})
    {
        p += std::isnan(milestone) ? 0 : 1;
    }
    // blocks received below TCP: a slow link moves data long before a whole segment is in
    return p + (m_tier ? m_tier->LinkProgress(user) : 0);
}

bool
RoundCoordinator::Computing(uint32_t user) const
{
    const Running& r = m_running[user];
    Ptr<DeviceProcessor> processor = m_devices[user].client->GetProcessor();
    const bool deviceBusy = processor && processor->IsBusy();
    const bool serverBusy = !std::isnan(r.activationIn) && std::isnan(r.jobDone);
    return deviceBusy || serverBusy;
}

void
RoundCoordinator::CheckProgress()
{
    if (!m_inRound)
    {
        return;
    }
    for (uint32_t n : m_activeUsers)
    {
        Running& r = m_running[n];
        if (r.finished)
        {
            continue;
        }
        const uint64_t progress = ProgressOf(n);
        if (r.sampled && progress == r.progress && !Computing(n))
        {
            NS_LOG_INFO("device " << n << ": nothing moved for " << m_stallWindow.GetSeconds()
                                  << " s after the deadline: stalled");
            r.status = "stalled";
            r.finished = true;
            m_devices[n].client->Abort();
            continue;
        }
        r.progress = progress;
        r.sampled = true;
    }
    m_timeoutEvent = Simulator::Schedule(m_stallWindow, &RoundCoordinator::CheckProgress, this);
    MaybeFinish();
}

void
RoundCoordinator::UpdateFloorThroughput()
{
    double lowest = std::numeric_limits<double>::infinity();
    for (uint32_t n : m_activeUsers)
    {
        const Running& r = m_running[n];
        const UserAllocation& a = m_allocation.users[r.index];
        if (r.status != "done" || a.server == UserAllocation::kNoServer)
        {
            continue;
        }
        const UserState& u = m_state->users[r.index];
        const double up = r.activationIn - r.forwardDone;
        const double down = r.gradientIn - r.jobDone;
        if (up > 0)
        {
            lowest = std::min(lowest, u.payloadBits / up);
        }
        if (down > 0)
        {
            lowest = std::min(lowest, u.downlinkBits / down);
        }
    }
    if (std::isfinite(lowest))
    {
        m_floorBps = lowest;
    }
}

void
RoundCoordinator::ClientPhase(uint32_t round, uint32_t user, SplitTrainingClient::Phase phase)
{
    if (!m_inRound || round != m_round || !m_running[user].active)
    {
        return;
    }
    Running& r = m_running[user];
    const double now = Simulator::Now().GetSeconds();
    switch (phase)
    {
    case SplitTrainingClient::FORWARD_DONE:
        r.forwardDone = now;
        break;
    case SplitTrainingClient::GRADIENT_RECEIVED:
        r.gradientIn = now;
        break;
    case SplitTrainingClient::ROUND_DONE:
        r.done = now;
        r.finished = true;
        r.status = "done";
        MaybeFinish();
        break;
    case SplitTrainingClient::ABORTED:
        if (!r.finished)
        {
            r.finished = true;
            if (r.status.empty())
            {
                r.status = "aborted";
            }
            MaybeFinish();
        }
        break;
    }
}

void
RoundCoordinator::ServerPhase(uint32_t round, uint32_t user, SplitTrainingServer::Phase phase)
{
    if (!m_inRound || round != m_round || !m_running[user].active)
    {
        return;
    }
    const double now = Simulator::Now().GetSeconds();
    if (phase == SplitTrainingServer::ACTIVATION_RECEIVED)
    {
        m_running[user].activationIn = now;
    }
    else
    {
        m_running[user].jobDone = now;
    }
}

void
RoundCoordinator::Depleted(uint32_t user)
{
    if (m_depleted[user])
    {
        return;
    }
    NS_LOG_INFO("device " << user << ": battery empty, it leaves the training");
    m_depleted[user] = true;
    Running& r = m_running[user];
    if (m_inRound && r.active && !r.finished)
    {
        r.status = "depleted";
        // abort after the energy source finished its update
        Simulator::ScheduleNow(&SplitTrainingClient::Abort, m_devices[user].client);
    }
    // an empty battery powers no radio: the device goes off the air for good
    Simulator::ScheduleNow(&SplitChannelTier::Detach, m_tier, user);
}

void
RoundCoordinator::MaybeFinish()
{
    for (uint32_t n : m_activeUsers)
    {
        if (!m_running[n].finished)
        {
            return;
        }
    }
    // let every callback of this instant return before tearing the round down
    Simulator::Cancel(m_timeoutEvent);
    m_timeoutEvent = Simulator::ScheduleNow(&RoundCoordinator::FinishRound, this, false);
}

namespace
{
/**
 * @param report a finished round
 * @return what the allocator is told of it (devices that sat the round out get index -1)
 */
RoundOutcome
OutcomeOf(const RoundReport& report)
{
    RoundOutcome o{report.round, report.startS, report.endS, report.predictedObjective, {}};
    int64_t index = 0;
    for (const DeviceRoundRecord& r : report.devices)
    {
        const bool planned = r.status != "left" && r.status != "out-of-coverage";
        o.devices.push_back({r.user,
                             planned ? index++ : -1,
                             r.status,
                             r.allocation,
                             r.delayS,
                             r.predictedDelayS,
                             r.uplinkS,
                             r.downlinkS,
                             r.computeEnergyJ,
                             r.radioEnergyJ,
                             r.edgeEnergyJ,
                             r.predictedEnergyJ,
                             r.batteryJ});
    }
    return o;
}
} // namespace

void
RoundCoordinator::FinishRound(bool timeout)
{
    if (!m_inRound)
    {
        return;
    }
    NS_LOG_FUNCTION(this << m_round << timeout);
    m_inRound = false;
    const double now = Simulator::Now().GetSeconds();
    RoundReport report;
    report.round = m_round;
    report.allocator = m_allocation.allocator;
    report.startS = m_roundStart;
    report.endS = now;
    report.solveTimeS = m_allocation.solveTimeS;
    report.deadlineS = m_deadlineS;
    report.predictedObjective = m_model->Objective(m_allocation);
    report.predictedTotals = m_model->Totals(m_allocation);
    // the per-device prediction: on Wi-Fi each cell's airtime shared among its active
    // transfers (SplitCostModel::WifiSharedAirtimeTerms), elsewhere the allocator's terms
    const std::vector<CostTerms> predicted =
        m_model->WifiSharedAirtimeTerms(m_allocation, m_forwardFraction);
    double predictedMakespanS = 0;
    for (const CostTerms& t : predicted)
    {
        predictedMakespanS = std::max(predictedMakespanS, t.TotalDelayS());
    }
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        Running& r = m_running[n];
        const Device& d = m_devices[n];
        if (r.active && !r.finished)
        {
            r.status = "deadline";
            r.finished = true;
            d.client->Abort();
        }
        CloseOutage(r);
        if (r.outageS > 0 &&
            (r.status == "stalled" || r.status == "aborted" || r.status == "deadline"))
        {
            r.status = "outage"; // the link outage is why the round failed
        }
        if (r.active && r.status != "done")
        {
            // Drop what is still queued on its links (the connection's ends are reset: the
            // device's by Abort(), the server's by Reset() below, so TCP does not resend it).
            m_tier->Detach(n);
        }
        DeviceRoundRecord rec;
        rec.round = m_round;
        rec.user = n;
        rec.status = r.status;
        rec.outageS = r.outageS;
        const double nan = std::nan("");
        rec.deviceComputeS = rec.uplinkS = rec.serverWaitS = rec.serverComputeS = nan;
        rec.downlinkS = rec.delayS = nan;
        if (d.battery)
        {
            d.battery->UpdateEnergySource();
            rec.batteryJ = d.battery->GetRemainingEnergy();
        }
        if (!r.active)
        {
            rec.allocation.server = UserAllocation::kNoServer;
            rec.allocation.alpha = 0;
            report.devices.push_back(rec);
            continue;
        }
        const uint32_t k = r.index;
        rec.allocation = m_allocation.users[k];
        const UserState& u = m_state->users[k];
        rec.predicted = predicted[k];
        const bool local = rec.allocation.server == UserAllocation::kNoServer;
        rec.bytesUp = local ? 0 : static_cast<uint64_t>(std::llround(u.payloadBits / 8));
        rec.bytesDown = local ? 0 : static_cast<uint64_t>(std::llround(u.downlinkBits / 8));
        rec.predictedDelayS = rec.predicted.TotalDelayS();
        // the radio of an offloading device listens until the round ends (Wi-Fi; 0 on fdma)
        rec.predictedListenEnergyJ =
            local ? 0.0
                  : rec.predicted.listenEnergyJ +
                        u.radioIdlePowerW *
                            std::max(0.0, predictedMakespanS - rec.predicted.TotalDelayS());
        rec.predictedEnergyJ =
            rec.predicted.deviceEnergyJ + rec.predicted.txEnergyJ + rec.predictedListenEnergyJ;
        rec.computeEnergyJ = d.compute ? d.compute->GetTotalEnergyConsumption() - r.computeJ0 : 0;
        rec.radioEnergyJ = d.radio ? d.radio->GetTotalEnergyConsumption() - r.radioJ0 : 0;
        if (!local)
        {
            Ptr<EdgeGpu> gpu = m_servers[rec.allocation.server].app->GetGpu();
            rec.edgeEnergyJ = gpu->GetEnergyJ(n) - r.edgeJ0;
            if (!std::isnan(r.jobDone))
            {
                rec.serverWaitS = gpu->GetWaitS(n);
                rec.serverComputeS = gpu->GetComputeS(n);
            }
            rec.uplinkS = r.activationIn - r.forwardDone;
            rec.downlinkS = r.gradientIn - r.jobDone;
        }
        if (!std::isnan(r.done))
        {
            rec.delayS = r.done - r.start;
            rec.deviceComputeS =
                local ? r.done - r.start : (r.forwardDone - r.start) + (r.done - r.gradientIn);
        }
        report.devices.push_back(rec);
    }
    UpdateFloorThroughput();
    for (auto& s : m_servers)
    {
        s.app->Reset();
    }
    m_reports.push_back(report);
    m_roundFinishedTrace(report);
    m_allocator->NotifyRoundOutcome(OutcomeOf(report)); // a learning allocator's reward
    ++m_round;
    if (m_round < m_rounds)
    {
        Simulator::ScheduleNow(&RoundCoordinator::StartRoundGuarded, this);
    }
    else
    {
        m_allRoundsFinishedTrace();
    }
}

// ---- fault injection ---------------------------------------------------------------------------

void
RoundCoordinator::SetFaults(const FaultSchedule& faults)
{
    m_faults = faults;
}

void
RoundCoordinator::ScheduleFaults()
{
    const Time now = Simulator::Now();
    auto at = [now](double s) { return std::max(Seconds(s) - now, Time(0)); };
    for (const auto& f : m_faults.serverFailures)
    {
        NS_ABORT_MSG_IF(f.server >= m_servers.size(), "fault schedule: no server " << f.server);
        Simulator::Schedule(at(f.atS), &RoundCoordinator::ServerDown, this, f.server);
        if (std::isfinite(f.recoverS))
        {
            Simulator::Schedule(at(f.recoverS), &RoundCoordinator::ServerUp, this, f.server);
        }
    }
    for (const auto& o : m_faults.outages)
    {
        NS_ABORT_MSG_IF(o.user >= m_devices.size(), "fault schedule: no device " << o.user);
        Simulator::Schedule(at(o.fromS), &RoundCoordinator::OutageBegin, this, o.user);
        Simulator::Schedule(at(o.toS), &RoundCoordinator::OutageEnd, this, o.user);
    }
    for (const auto& l : m_faults.leaves)
    {
        NS_ABORT_MSG_IF(l.user >= m_devices.size(), "fault schedule: no device " << l.user);
        Simulator::Schedule(at(l.atS), &RoundCoordinator::Leave, this, l.user);
    }
    for (const auto& j : m_faults.joins)
    {
        NS_ABORT_MSG_IF(j.user >= m_devices.size(), "fault schedule: no device " << j.user);
        m_joinRound[j.user] = j.round;
    }
}

bool
RoundCoordinator::Participates(uint32_t n) const
{
    return !m_depleted[n] && !m_left[n] && m_round >= m_joinRound[n];
}

bool
RoundCoordinator::JoinsPending() const
{
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        if (!m_depleted[n] && !m_left[n] && m_round < m_joinRound[n] && m_joinRound[n] < m_rounds)
        {
            return true;
        }
    }
    return false;
}

bool
RoundCoordinator::AnyServerUp() const
{
    return std::any_of(m_serverDown.begin(), m_serverDown.end(), [](uint32_t d) { return d == 0; });
}

Allocation
RoundCoordinator::AllocateOnUpServers(const RoundState& s) const
{
    if (std::none_of(m_serverDown.begin(), m_serverDown.end(), [](uint32_t d) { return d > 0; }))
    {
        return m_allocator->Allocate(s);
    }
    std::vector<uint32_t> up; // allocator's server index -> ours
    RoundState view = s;
    view.servers.clear();
    for (uint32_t m = 0; m < s.NumServers(); ++m)
    {
        if (m_serverDown[m] == 0)
        {
            up.push_back(m);
            view.servers.push_back(s.servers[m]);
        }
    }
    for (UserState& u : view.users)
    {
        std::vector<double> gain;
        for (uint32_t m : up)
        {
            gain.push_back(u.gain[m]);
        }
        u.gain = std::move(gain);
    }
    Allocation a = m_allocator->Allocate(view);
    for (UserAllocation& u : a.users)
    {
        if (u.server != UserAllocation::kNoServer)
        {
            u.server = up.at(u.server);
        }
    }
    return a;
}

void
RoundCoordinator::ServerDown(uint32_t m)
{
    if (m_serverDown[m]++ > 0)
    {
        return; // already down
    }
    NS_LOG_INFO("server " << m << " fails at " << Simulator::Now().GetSeconds() << " s");
    for (uint32_t& current : m_currentServer)
    {
        if (current == m)
        {
            current = UserAllocation::kNoServer; // re-associated next round, no hysteresis
        }
    }
    if (!m_inRound)
    {
        return;
    }
    for (uint32_t n : m_activeUsers)
    {
        Running& r = m_running[n];
        if (r.finished || m_allocation.users[r.index].server != m || !std::isnan(r.gradientIn))
        {
            continue; // a device that has its gradient needs the server no more
        }
        r.status = "server-failed";
        r.finished = true;
        m_devices[n].client->Abort();
        m_tier->Detach(n);
    }
    m_servers[m].app->Reset(); // its GPU jobs and connections end with it
    MaybeFinish();
}

void
RoundCoordinator::ServerUp(uint32_t m)
{
    if (m_serverDown[m] == 0 || --m_serverDown[m] > 0)
    {
        return;
    }
    NS_LOG_INFO("server " << m << " recovers at " << Simulator::Now().GetSeconds()
                          << " s (serves from the next round on)");
}

void
RoundCoordinator::OutageBegin(uint32_t n)
{
    if (m_outage[n]++ > 0)
    {
        return;
    }
    NS_LOG_INFO("device " << n << ": link down at " << Simulator::Now().GetSeconds() << " s");
    Running& r = m_running[n];
    if (m_inRound && r.active && !r.finished &&
        m_allocation.users[r.index].server != UserAllocation::kNoServer)
    {
        r.outageSince = Simulator::Now().GetSeconds();
        m_tier->Detach(n); // frames queued or sent from now on are lost
    }
}

void
RoundCoordinator::OutageEnd(uint32_t n)
{
    if (m_outage[n] == 0 || --m_outage[n] > 0)
    {
        return;
    }
    NS_LOG_INFO("device " << n << ": link up at " << Simulator::Now().GetSeconds() << " s");
    Running& r = m_running[n];
    if (!m_inRound || !r.active || std::isnan(r.outageSince))
    {
        return;
    }
    CloseOutage(r);
    const UserAllocation& a = m_allocation.users[r.index];
    if (!r.finished && !m_depleted[n] && m_serverDown[a.server] == 0)
    {
        m_tier->Apply(n, r.index, a, *m_model); // the round's decision again
    }
}

void
RoundCoordinator::CloseOutage(Running& r) const
{
    if (!std::isnan(r.outageSince))
    {
        r.outageS += Simulator::Now().GetSeconds() - r.outageSince;
        r.outageSince = NAN;
    }
}

void
RoundCoordinator::Leave(uint32_t n)
{
    if (m_left[n])
    {
        return;
    }
    NS_LOG_INFO("device " << n << " leaves the training at " << Simulator::Now().GetSeconds()
                          << " s");
    m_left[n] = true;
    Running& r = m_running[n];
    m_tier->Detach(n);
    if (m_inRound && r.active && !r.finished)
    {
        r.status = "departed";
        r.finished = true;
        m_devices[n].client->Abort();
        MaybeFinish();
    }
}

} // namespace ns3
