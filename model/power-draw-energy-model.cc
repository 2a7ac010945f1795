/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "power-draw-energy-model.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPowerDrawEnergyModel");
NS_OBJECT_ENSURE_REGISTERED(PowerDrawEnergyModel);

TypeId
PowerDrawEnergyModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PowerDrawEnergyModel")
            .SetParent<DeviceEnergyModel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<PowerDrawEnergyModel>()
            .AddTraceSource("PowerW",
                            "Power drawn from the energy source, W",
                            MakeTraceSourceAccessor(&PowerDrawEnergyModel::m_powerTrace),
                            "ns3::TracedValueCallback::Double");
    return tid;
}

PowerDrawEnergyModel::PowerDrawEnergyModel() = default;
PowerDrawEnergyModel::~PowerDrawEnergyModel() = default;

void
PowerDrawEnergyModel::DoDispose()
{
    m_source = nullptr;
    m_depletionCallback = MakeNullCallback<void>();
    DeviceEnergyModel::DoDispose();
}

void
PowerDrawEnergyModel::SetEnergySource(Ptr<EnergySource> source)
{
    m_source = source;
}

void
PowerDrawEnergyModel::SetPowerW(double powerW)
{
    NS_LOG_FUNCTION(this << powerW);
    NS_ASSERT_MSG(powerW >= 0, "negative power " << powerW);
    if (m_depleted)
    {
        return; // an empty battery powers nothing
    }
    if (m_source)
    {
        m_source->UpdateEnergySource(); // integrate the old draw up to now
        if (m_depleted)
        {
            return; // the update found the battery empty
        }
    }
    const Time now = Simulator::Now();
    m_accountedJ += m_powerW * (now - m_lastChange).GetSeconds();
    m_lastChange = now;
    m_powerW = powerW;
    m_powerTrace = powerW;
}

double
PowerDrawEnergyModel::GetPowerW() const
{
    return m_powerW;
}

bool
PowerDrawEnergyModel::IsDepleted() const
{
    return m_depleted;
}

void
PowerDrawEnergyModel::SetDepletionCallback(Callback<void> callback)
{
    m_depletionCallback = callback;
}

double
PowerDrawEnergyModel::GetTotalEnergyConsumption() const
{
    return m_accountedJ + m_powerW * (Simulator::Now() - m_lastChange).GetSeconds();
}

void
PowerDrawEnergyModel::ChangeState(int)
{
}

void
PowerDrawEnergyModel::HandleEnergyDepletion()
{
    NS_LOG_FUNCTION(this);
    if (m_depleted)
    {
        return;
    }
    const Time now = Simulator::Now();
    m_accountedJ += m_powerW * (now - m_lastChange).GetSeconds();
    m_lastChange = now;
    m_powerW = 0;
    m_powerTrace = 0;
    m_depleted = true;
    if (!m_depletionCallback.IsNull())
    {
        m_depletionCallback();
    }
}

void
PowerDrawEnergyModel::HandleEnergyRecharged()
{
    m_depleted = false;
}

void
PowerDrawEnergyModel::HandleEnergyChanged()
{
}

double
PowerDrawEnergyModel::DoGetCurrentA() const
{
    if (!m_source || m_powerW == 0)
    {
        return 0.0;
    }
    return m_powerW / m_source->GetSupplyVoltage();
}

} // namespace ns3
