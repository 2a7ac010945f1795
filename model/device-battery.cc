/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "device-battery.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDeviceBattery");
NS_OBJECT_ENSURE_REGISTERED(DeviceBattery);

TypeId
DeviceBattery::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DeviceBattery")
            .SetParent<EnergySource>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<DeviceBattery>()
            .AddAttribute("InitialEnergyJ",
                          "Capacity of the battery, J (it starts full)",
                          DoubleValue(55440.0), // 15.4 Wh phone battery
                          MakeDoubleAccessor(&DeviceBattery::SetInitialEnergy,
                                             &DeviceBattery::GetInitialEnergy),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("SupplyVoltageV",
                          "Supply voltage, V: a model's current is its power / this voltage",
                          DoubleValue(3.85),
                          MakeDoubleAccessor(&DeviceBattery::SetSupplyVoltage,
                                             &DeviceBattery::GetSupplyVoltage),
                          MakeDoubleChecker<double>())
            .AddAttribute("LowBatteryThreshold",
                          "Share of the capacity at or below which the battery is depleted: "
                          "its models get HandleEnergyDepletion() at the instant the draw "
                          "reaches it (within one time step)",
                          DoubleValue(0.02),
                          MakeDoubleAccessor(&DeviceBattery::m_lowBatteryTh),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("HighBatteryThreshold",
                          "Share of the capacity above which a depleted battery counts as "
                          "recharged (energy harvesters): its models get "
                          "HandleEnergyRecharged() (a value below LowBatteryThreshold counts as "
                          "LowBatteryThreshold)",
                          DoubleValue(0.05),
                          MakeDoubleAccessor(&DeviceBattery::m_highBatteryTh),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("PeriodicEnergyUpdateInterval",
                          "Time between two periodic updates (the RemainingEnergy trace's "
                          "granularity while no model changes its draw; depletion does not "
                          "wait for it)",
                          TimeValue(Seconds(1.0)),
                          MakeTimeAccessor(&DeviceBattery::SetEnergyUpdateInterval,
                                           &DeviceBattery::GetEnergyUpdateInterval),
                          MakeTimeChecker())
            .AddTraceSource("RemainingEnergy",
                            "Remaining energy, J (at every update)",
                            MakeTraceSourceAccessor(&DeviceBattery::m_remainingEnergyJ),
                            "ns3::TracedValueCallback::Double")
            .AddTraceSource("Depleted",
                            "The battery reached its low-battery threshold",
                            MakeTraceSourceAccessor(&DeviceBattery::m_depletedTrace),
                            "ns3::DeviceBattery::DepletedTracedCallback");
    return tid;
}

DeviceBattery::DeviceBattery()
    : m_lastUpdateTime(Simulator::Now())
{
    NS_LOG_FUNCTION(this);
}

DeviceBattery::~DeviceBattery() = default;

void
DeviceBattery::DoInitialize()
{
    NS_LOG_FUNCTION(this);
    UpdateEnergySource(); // starts the periodic updates
    EnergySource::DoInitialize();
}

void
DeviceBattery::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_periodicEvent.Cancel();
    m_thresholdEvent.Cancel();
    m_replanEvent.Cancel();
    BreakDeviceEnergyModelRefCycle();
}

void
DeviceBattery::SetInitialEnergy(double initialEnergyJ)
{
    NS_LOG_FUNCTION(this << initialEnergyJ);
    NS_ABORT_MSG_IF(!(initialEnergyJ >= 0) || !std::isfinite(initialEnergyJ),
                    "DeviceBattery: InitialEnergyJ=" << initialEnergyJ
                                                     << " is not a non-negative energy");
    m_initialEnergyJ = initialEnergyJ;
    m_drainedJ = 0;
    m_drainedCompensationJ = 0;
    m_lastUpdateTime = Simulator::Now();
    m_depleted = false;
    m_thresholdEvent.Cancel();
    m_remainingEnergyJ = initialEnergyJ;
}

void
DeviceBattery::SetSupplyVoltage(double supplyVoltageV)
{
    NS_LOG_FUNCTION(this << supplyVoltageV);
    NS_ABORT_MSG_IF(!(supplyVoltageV > 0) || !std::isfinite(supplyVoltageV),
                    "DeviceBattery: SupplyVoltageV=" << supplyVoltageV
                                                     << " is not a positive voltage");
    m_supplyVoltageV = supplyVoltageV;
}

void
DeviceBattery::SetEnergyUpdateInterval(Time interval)
{
    NS_LOG_FUNCTION(this << interval);
    NS_ABORT_MSG_IF(!interval.IsStrictlyPositive(),
                    "DeviceBattery: PeriodicEnergyUpdateInterval=" << interval
                                                                   << " must be positive");
    m_energyUpdateInterval = interval;
}

Time
DeviceBattery::GetEnergyUpdateInterval() const
{
    return m_energyUpdateInterval;
}

double
DeviceBattery::GetSupplyVoltage() const
{
    return m_supplyVoltageV;
}

double
DeviceBattery::GetInitialEnergy() const
{
    return m_initialEnergyJ;
}

double
DeviceBattery::GetRemainingEnergy()
{
    UpdateEnergySource();
    return m_remainingEnergyJ.Get();
}

double
DeviceBattery::GetEnergyFraction()
{
    UpdateEnergySource();
    return m_initialEnergyJ > 0 ? m_remainingEnergyJ.Get() / m_initialEnergyJ : 0.0;
}

double
DeviceBattery::GetDrainedEnergy() const
{
    return m_drainedJ + m_drainedCompensationJ;
}

bool
DeviceBattery::IsDepleted() const
{
    return m_depleted;
}

void
DeviceBattery::UpdateEnergySource()
{
    NS_LOG_FUNCTION(this);
    const Time now = Simulator::Now();
    NS_ASSERT_MSG(now >= m_lastUpdateTime, "DeviceBattery: time went backwards");
    // total current of the models, less the harvesters' (EnergySource's sum)
    const double powerW = CalculateTotalCurrent() * m_supplyVoltageV;
    const double before = m_remainingEnergyJ.Get();
    if (now > m_lastUpdateTime)
    {
        // energy of this update, in double seconds (no rounding to the time resolution),
        // added to the drained energy by Neumaier's compensated summation
        const double energyJ = powerW * (now - m_lastUpdateTime).GetSeconds();
        const double sum = m_drainedJ + energyJ;
        if (std::abs(m_drainedJ) >= std::abs(energyJ))
        {
            m_drainedCompensationJ += (m_drainedJ - sum) + energyJ;
        }
        else
        {
            m_drainedCompensationJ += (energyJ - sum) + m_drainedJ;
        }
        m_drainedJ = sum;
        if (GetDrainedEnergy() < 0) // harvested past full: a battery holds its capacity
        {
            m_drainedJ = 0;
            m_drainedCompensationJ = 0;
        }
        m_lastUpdateTime = now;
    }
    m_remainingEnergyJ = m_initialEnergyJ - GetDrainedEnergy();
    NS_LOG_DEBUG("remaining " << m_remainingEnergyJ << " J, drain " << powerW << " W");

    const double remaining = m_remainingEnergyJ.Get();
    if (!m_depleted && remaining <= m_lowBatteryTh * m_initialEnergyJ)
    {
        Deplete();
    }
    else if (m_depleted &&
             remaining > std::max(m_highBatteryTh, m_lowBatteryTh) * m_initialEnergyJ &&
             remaining > m_depletedAtJ) // it depletes just above the low threshold
    {
        NS_LOG_INFO("battery recharged: " << remaining << " J");
        m_depleted = false;
        NotifyEnergyRecharged();
    }
    else if (remaining != before)
    {
        NotifyEnergyChanged();
    }

    if (!m_periodicEvent.IsRunning())
    {
        m_periodicAt = now + m_energyUpdateInterval;
        m_periodicEvent =
            Simulator::Schedule(m_energyUpdateInterval, &DeviceBattery::PeriodicUpdate, this);
    }
    PlanThresholdCheck(powerW);
    if (!m_depleted && !m_replanEvent.IsRunning())
    {
        // the caller changes its draw after this update: plan for that draw too
        m_replanEvent = Simulator::ScheduleNow(&DeviceBattery::PlanForNewDraw, this);
    }
}

void
DeviceBattery::PlanForNewDraw()
{
    PlanThresholdCheck(CalculateTotalCurrent() * m_supplyVoltageV);
}

void
DeviceBattery::PeriodicUpdate()
{
    UpdateEnergySource();
}

void
DeviceBattery::ThresholdUpdate()
{
    UpdateEnergySource();
}

void
DeviceBattery::Deplete()
{
    const double remaining = m_remainingEnergyJ.Get();
    NS_LOG_INFO("battery depleted: " << remaining << " J left");
    m_depleted = true;
    m_depletedAtJ = remaining;
    m_thresholdEvent.Cancel();
    NotifyEnergyDrained(); // HandleEnergyDepletion() on every model
    m_depletedTrace(remaining);
}

void
DeviceBattery::PlanThresholdCheck(double powerW)
{
    if (m_depleted || !(powerW > 0))
    {
        return; // a check already planned stays: it only costs an update
    }
    const Time now = Simulator::Now();
    const double stepS = TimeStep(1).GetSeconds();
    // Stop before the threshold, never past it: the battery depletes once the present draw
    // would reach the threshold within two time steps (the draw of one step is the finest
    // the simulator can resolve), with the rounding of the books on top, so the energy left
    // never falls below the threshold (a reserve of 0 never goes negative).
    const double marginJ =
        2 * powerW * stepS + 16 * std::numeric_limits<double>::epsilon() * m_initialEnergyJ;
    const double aboveJ = m_remainingEnergyJ.Get() - m_lowBatteryTh * m_initialEnergyJ;
    if (aboveJ <= marginJ)
    {
        Deplete();
        return;
    }
    const double inS = (aboveJ - marginJ) / powerW;
    // no check beyond the next periodic update: that update plans again (this also keeps the
    // cancelled checks within one interval of now)
    if (!(inS < (m_periodicAt - now).GetSeconds()))
    {
        return;
    }
    // rounded down to the time resolution (never past the margin), at least one step ahead
    const Time in = TimeStep(std::max<int64_t>(1, static_cast<int64_t>(std::floor(inS / stepS))));
    const Time at = now + in;
    if (m_thresholdEvent.IsRunning() && m_thresholdAt <= at)
    {
        return; // an earlier check is planned: it plans again
    }
    m_thresholdEvent.Cancel();
    m_thresholdAt = at;
    m_thresholdEvent = Simulator::Schedule(in, &DeviceBattery::ThresholdUpdate, this);
}

} // namespace ns3
