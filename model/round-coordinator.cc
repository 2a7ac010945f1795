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
            .AddAttribute(
                "RoundTimeout",
                "A round ends at the latest this long after its start; devices not "
                "done by then are marked 'timeout' (0: 5 x the predicted makespan + 10 s)",
                TimeValue(Seconds(0)),
                MakeTimeAccessor(&RoundCoordinator::m_timeout),
                MakeTimeChecker(Seconds(0)))
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
    Simulator::Schedule(at, &RoundCoordinator::StartRound, this);
}

const std::vector<RoundReport>&
RoundCoordinator::GetReports() const
{
    return m_reports;
}

void
RoundCoordinator::StartRound()
{
    NS_LOG_FUNCTION(this << m_round);
    m_activeUsers.clear();
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        if (!m_depleted[n])
        {
            m_activeUsers.push_back(n);
        }
    }
    if (m_activeUsers.empty())
    {
        NS_LOG_WARN("every device left the training: no more rounds");
        m_allRoundsFinishedTrace();
        return;
    }
    // The allocator sees the devices still training, with fresh channel estimates.
    m_state = std::make_unique<RoundState>(m_base);
    m_state->users.clear();
    for (uint32_t n : m_activeUsers)
    {
        UserState u = m_base.users[n];
        for (uint32_t m = 0; m < m_base.servers.size(); ++m)
        {
            u.gain[m] = m_tier->EstimateGain(n, m);
        }
        m_state->users.push_back(u);
    }
    m_model = std::make_unique<SplitCostModel>(*m_state);
    m_allocation = m_allocator->Allocate(*m_state);

    m_inRound = true;
    m_roundStart = Simulator::Now().GetSeconds();
    double predictedMakespan = 0;
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        m_running[n] = Running{};
        m_running[n].status = m_depleted[n] ? "left" : "";
    }
    for (auto& s : m_servers)
    {
        s.app->Reset();
    }
    for (uint32_t k = 0; k < m_activeUsers.size(); ++k)
    {
        const uint32_t n = m_activeUsers[k];
        const UserAllocation& a = m_allocation.users[k];
        const UserState& u = m_state->users[k];
        const CostTerms t = m_model->UserTerms(k, a);
        predictedMakespan = std::max(predictedMakespan, t.TotalDelayS());
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
            plan.server = InetSocketAddress(m_tier->GetServerAddress(a.server), m_port);
            ServerJobPlan job;
            job.round = m_round;
            job.gradientBytes = static_cast<uint64_t>(std::llround(u.downlinkBits / 8));
            job.shareHz = a.edgeFreqHz;
            const SplitCostModel* model = m_model.get();
            job.timeEnergy = [model, k, a](double freqHz) {
                const CostTerms e = model->UserTerms(k,
                                                     a.server,
                                                     a.alpha,
                                                     a.powerW,
                                                     a.bandwidthHz,
                                                     a.freqHz,
                                                     freqHz);
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
    m_roundStartedTrace(m_round, m_allocation);
    const Time timeout =
        m_timeout.IsStrictlyPositive() ? m_timeout : Seconds(5 * predictedMakespan + 10);
    m_timeoutEvent = Simulator::Schedule(timeout, &RoundCoordinator::FinishRound, this, true);
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
    report.predictedObjective = m_model->Objective(m_allocation);
    report.predictedTotals = m_model->Totals(m_allocation);
    for (uint32_t n = 0; n < m_devices.size(); ++n)
    {
        Running& r = m_running[n];
        const Device& d = m_devices[n];
        if (r.active && !r.finished)
        {
            r.status = "timeout";
            d.client->Abort(); // resets (RST) the device's connection
            r.finished = true;
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
        rec.predicted = m_model->UserTerms(k, rec.allocation);
        const bool local = rec.allocation.server == UserAllocation::kNoServer;
        rec.bytesUp = local ? 0 : static_cast<uint64_t>(std::llround(u.payloadBits / 8));
        rec.bytesDown = local ? 0 : static_cast<uint64_t>(std::llround(u.downlinkBits / 8));
        rec.predictedDelayS = rec.predicted.TotalDelayS();
        rec.predictedEnergyJ = rec.predicted.deviceEnergyJ + rec.predicted.txEnergyJ;
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
    for (auto& s : m_servers)
    {
        s.app->Reset();
    }
    m_reports.push_back(report);
    m_roundFinishedTrace(report);
    ++m_round;
    if (m_round < m_rounds)
    {
        Simulator::ScheduleNow(&RoundCoordinator::StartRound, this);
    }
    else
    {
        m_allRoundsFinishedTrace();
    }
}

} // namespace ns3
