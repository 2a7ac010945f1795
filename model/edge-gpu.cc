/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "edge-gpu.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEdgeGpu");
NS_OBJECT_ENSURE_REGISTERED(EdgeGpu);

TypeId
EdgeGpu::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::EdgeGpu")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<EdgeGpu>()
            .AddAttribute("Policy",
                          "How jobs share the GPU: partitioned (paper: own share f^E_n), fcfs "
                          "(whole GPU, one at a time) or processor-sharing (equal split)",
                          EnumValue(EdgeGpu::PARTITIONED),
                          MakeEnumAccessor(&EdgeGpu::m_policy),
                          MakeEnumChecker(EdgeGpu::PARTITIONED,
                                          "partitioned",
                                          EdgeGpu::FCFS,
                                          "fcfs",
                                          EdgeGpu::PROCESSOR_SHARING,
                                          "processor-sharing"))
            .AddAttribute("FrequencyHz",
                          "Full GPU frequency f_m^max, Hz (FCFS and processor sharing)",
                          DoubleValue(2e9),
                          MakeDoubleAccessor(&EdgeGpu::m_frequencyHz),
                          MakeDoubleChecker<double>(1.0))
            .AddTraceSource("JobStart",
                            "A user's job starts its service",
                            MakeTraceSourceAccessor(&EdgeGpu::m_jobStartTrace),
                            "ns3::EdgeGpu::JobTracedCallback")
            .AddTraceSource("JobEnd",
                            "A user's job ends",
                            MakeTraceSourceAccessor(&EdgeGpu::m_jobEndTrace),
                            "ns3::EdgeGpu::JobTracedCallback");
    return tid;
}

EdgeGpu::EdgeGpu() = default;
EdgeGpu::~EdgeGpu() = default;

void
EdgeGpu::DoDispose()
{
    // Drop the jobs without bookkeeping (not CancelAll): a GPU may be disposed after
    // Simulator::Destroy (its last reference dropped by a helper or a test), when the
    // simulator's clock is gone; EventId::Cancel needs no simulator.
    for (auto& [user, job] : m_jobs)
    {
        job.end.Cancel();
    }
    m_sharingEvent.Cancel();
    m_jobs.clear();
    m_fcfsQueue.clear();
    Object::DoDispose();
}

EdgeGpu::Policy
EdgeGpu::GetPolicy() const
{
    return m_policy;
}

void
EdgeGpu::Submit(uint32_t user,
                double shareHz,
                TimeEnergyFunction timeEnergy,
                Callback<void, uint32_t> done)
{
    NS_LOG_FUNCTION(this << user << shareHz);
    NS_ASSERT_MSG(m_jobs.count(user) == 0, "user " << user << " already has a job on this GPU");
    Job job;
    job.shareHz = shareHz;
    job.timeEnergy = std::move(timeEnergy);
    job.done = done;
    job.submitted = Simulator::Now();
    if (m_policy == PROCESSOR_SHARING)
    {
        AdvanceSharing(); // the running jobs' progress so far, before the newcomer shares
    }
    m_jobs[user] = job;
    switch (m_policy)
    {
    case PARTITIONED:
        StartJob(user, shareHz);
        break;
    case FCFS:
        m_fcfsQueue.push_back(user);
        StartFcfs();
        break;
    case PROCESSOR_SHARING:
        m_jobs[user].running = true;
        m_jobs[user].started = Simulator::Now();
        m_waitS[user] = 0;
        m_jobStartTrace(user);
        RescheduleSharing();
        break;
    }
}

void
EdgeGpu::StartJob(uint32_t user, double freqHz)
{
    Job& job = m_jobs.at(user);
    const auto [seconds, energy] = job.timeEnergy(freqHz);
    job.running = true;
    job.started = Simulator::Now();
    m_waitS[user] = (job.started - job.submitted).GetSeconds();
    m_energyJ[user] += energy;
    m_totalEnergyJ += energy;
    m_jobStartTrace(user);
    job.end = Simulator::Schedule(Seconds(seconds), &EdgeGpu::EndJob, this, user);
}

void
EdgeGpu::StartFcfs()
{
    if (m_fcfsQueue.empty() || m_jobs.at(m_fcfsQueue.front()).running)
    {
        return;
    }
    StartJob(m_fcfsQueue.front(), m_frequencyHz);
}

void
EdgeGpu::EndJob(uint32_t user)
{
    Job job = m_jobs.at(user);
    m_jobs.erase(user);
    m_computeS[user] = (Simulator::Now() - job.started).GetSeconds();
    m_jobEndTrace(user);
    if (m_policy == FCFS)
    {
        m_fcfsQueue.pop_front();
        StartFcfs();
    }
    if (!job.done.IsNull())
    {
        job.done(user);
    }
}

void
EdgeGpu::AdvanceSharing()
{
    const Time now = Simulator::Now();
    const Time last = m_lastAdvance;
    m_lastAdvance = now;
    // Times compared before the difference is converted: a clock that restarted (a GPU used
    // in a new simulation after Simulator::Destroy) gives no progress, and no negative Time is
    // converted (undefined in ns-3's int64x64 arithmetic).
    if (now <= last || m_jobs.empty())
    {
        return;
    }
    const double elapsed = (now - last).GetSeconds();
    const double speed = m_frequencyHz / m_jobs.size();
    for (auto& [user, job] : m_jobs)
    {
        const auto [seconds, energy] = job.timeEnergy(speed);
        const double done = std::min(job.remaining, elapsed / seconds);
        job.remaining -= done;
        m_energyJ[user] += done * energy;
        m_totalEnergyJ += done * energy;
    }
}

void
EdgeGpu::RescheduleSharing()
{
    Simulator::Cancel(m_sharingEvent);
    if (m_jobs.empty())
    {
        return;
    }
    const double speed = m_frequencyHz / m_jobs.size();
    double next = std::numeric_limits<double>::infinity();
    for (const auto& [user, job] : m_jobs)
    {
        next = std::min(next, job.remaining * job.timeEnergy(speed).first);
    }
    // round up so that the job is complete when the event fires
    m_sharingEvent = Simulator::Schedule(NanoSeconds(static_cast<int64_t>(std::ceil(next * 1e9))),
                                         &EdgeGpu::SharingEvent,
                                         this);
}

void
EdgeGpu::SharingEvent()
{
    AdvanceSharing();
    std::vector<uint32_t> finished;
    for (const auto& [user, job] : m_jobs)
    {
        if (job.remaining <= 1e-9)
        {
            finished.push_back(user);
        }
    }
    std::vector<std::pair<uint32_t, Callback<void, uint32_t>>> callbacks;
    for (uint32_t user : finished)
    {
        m_computeS[user] = (Simulator::Now() - m_jobs.at(user).started).GetSeconds();
        callbacks.emplace_back(user, m_jobs.at(user).done);
        m_jobs.erase(user);
        m_jobEndTrace(user);
    }
    RescheduleSharing();
    for (auto& [user, cb] : callbacks)
    {
        if (!cb.IsNull())
        {
            cb(user);
        }
    }
}

void
EdgeGpu::CancelAll()
{
    if (m_policy == PROCESSOR_SHARING)
    {
        AdvanceSharing();
    }
    for (auto& [user, job] : m_jobs)
    {
        Simulator::Cancel(job.end);
    }
    Simulator::Cancel(m_sharingEvent);
    m_jobs.clear();
    m_fcfsQueue.clear();
}

double
EdgeGpu::GetWaitS(uint32_t user) const
{
    auto it = m_waitS.find(user);
    return it == m_waitS.end() ? 0.0 : it->second;
}

double
EdgeGpu::GetComputeS(uint32_t user) const
{
    auto it = m_computeS.find(user);
    return it == m_computeS.end() ? 0.0 : it->second;
}

double
EdgeGpu::GetEnergyJ(uint32_t user) const
{
    auto it = m_energyJ.find(user);
    return it == m_energyJ.end() ? 0.0 : it->second;
}

double
EdgeGpu::GetTotalEnergyJ() const
{
    return m_totalEnergyJ;
}

} // namespace ns3
