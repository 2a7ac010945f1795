/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "device-processor.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDeviceProcessor");
NS_OBJECT_ENSURE_REGISTERED(DeviceProcessor);

TypeId
DeviceProcessor::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DeviceProcessor")
                            .SetParent<Object>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<DeviceProcessor>()
                            .AddTraceSource("Busy",
                                            "A job starts (duration, power W)",
                                            MakeTraceSourceAccessor(&DeviceProcessor::m_busyTrace),
                                            "ns3::DeviceProcessor::BusyTracedCallback");
    return tid;
}

DeviceProcessor::DeviceProcessor() = default;
DeviceProcessor::~DeviceProcessor() = default;

void
DeviceProcessor::DoDispose()
{
    Simulator::Cancel(m_end);
    m_energy = nullptr;
    m_done = MakeNullCallback<void>();
    Object::DoDispose();
}

void
DeviceProcessor::SetEnergyModel(Ptr<PowerDrawEnergyModel> model)
{
    m_energy = model;
}

Ptr<PowerDrawEnergyModel>
DeviceProcessor::GetEnergyModel() const
{
    return m_energy;
}

void
DeviceProcessor::Run(Time duration, double powerW, Callback<void> done)
{
    NS_LOG_FUNCTION(this << duration << powerW);
    NS_ASSERT_MSG(!IsBusy(), "DeviceProcessor runs one job at a time");
    m_done = done;
    m_started = Simulator::Now();
    m_busyTrace(duration, powerW);
    if (m_energy)
    {
        m_energy->SetPowerW(powerW);
    }
    m_end = Simulator::Schedule(duration, &DeviceProcessor::Finish, this);
}

void
DeviceProcessor::Finish()
{
    m_busy += Simulator::Now() - m_started;
    if (m_energy)
    {
        m_energy->SetPowerW(0);
    }
    Callback<void> done = m_done;
    m_done = MakeNullCallback<void>();
    if (!done.IsNull())
    {
        done();
    }
}

void
DeviceProcessor::Cancel()
{
    if (m_end.IsRunning())
    {
        Simulator::Cancel(m_end);
        m_busy += Simulator::Now() - m_started;
        if (m_energy)
        {
            m_energy->SetPowerW(0);
        }
    }
    m_done = MakeNullCallback<void>();
}

bool
DeviceProcessor::IsBusy() const
{
    return m_end.IsRunning();
}

Time
DeviceProcessor::GetBusyTime() const
{
    return m_busy + (IsBusy() ? Simulator::Now() - m_started : Time(0));
}

} // namespace ns3
