/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_DEVICE_BATTERY_H
#define EDGE_LLM_DEVICE_BATTERY_H

#include "ns3/energy-source.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief A device's battery on ns-3's energy framework, with exact books and an exact
 * depletion instant.
 *
 * It behaves as ns-3's BasicEnergySource from its models' point of view: a capacity
 * (InitialEnergyJ), a supply voltage (SupplyVoltageV), a periodic update
 * (PeriodicEnergyUpdateInterval), a low-battery threshold (LowBatteryThreshold, a share of the
 * capacity) below which every DeviceEnergyModel on it gets HandleEnergyDepletion() (and the
 * Depleted trace fires), a high-battery threshold above which a depleted battery reports
 * HandleEnergyRecharged() (energy harvesters), HandleEnergyChanged() on every other update that
 * changed the energy, the remaining energy and the remaining fraction, and the RemainingEnergy
 * trace. Its models follow the framework's contract: they call UpdateEnergySource() before
 * their current changes, so the battery sees a piecewise-constant total current.
 *
 * Why it exists (ns-3 3.37):
 * - Exact books. BasicEnergySource computes each update's energy as current x voltage x
 *   duration held in a Time, which truncates every update to 1 nJ; over thousands of updates
 *   the battery and its models' own energies drift apart by far more than 1e-9 relative. This
 *   battery integrates in double seconds (total current x voltage x duration.GetSeconds()) and
 *   keeps the energy drained since it was full in a compensated (Neumaier) sum, not in the
 *   remaining energy (near a large capacity, small draws would round away): the drained energy
 *   (GetDrainedEnergy()) agrees with the sum of its models' energies to rounding, and capacity -
 *   remaining adds the rounding of one subtraction (the last bit of the capacity).
 * - Exact depletion. BasicEnergySource only notices the threshold at its next update: a model
 *   could overdraw it between two updates (it asserts so in debug builds), so the threshold
 *   had to be a reserve larger than any draw between updates. This battery computes, at every
 *   update, when the present draw reaches the threshold; if that is before the next periodic
 *   update it schedules an update just before that instant (rounded down to the time
 *   resolution), and it depletes as soon as the present draw would reach the threshold within
 *   two time steps (plus the books' rounding, 16 ulp of the capacity). The depletion comes at
 *   most two time steps before the crossing, whatever the periodic interval, and the remaining
 *   energy never falls below the threshold (a threshold of 0 never leaves a negative energy).
 *   Those checks are at most one periodic interval ahead, so cancelling them does not grow the
 *   event queue.
 *
 * Harvested power (EnergySource::ConnectEnergyHarvester) is subtracted from the current as in
 * ns-3; the battery does not fill beyond its capacity.
 */
class DeviceBattery : public EnergySource
{
  public:
    /**
     * TracedCallback signature of the depletion.
     * @param remainingJ energy left when the threshold was reached, J
     */
    typedef void (*DepletedTracedCallback)(double remainingJ);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    DeviceBattery();
    ~DeviceBattery() override;

    // EnergySource
    double GetInitialEnergy() const override;
    double GetSupplyVoltage() const override;
    /** @return the energy left after bringing the battery up to date, J */
    double GetRemainingEnergy() override;
    /** @return the share of the capacity left after bringing the battery up to date */
    double GetEnergyFraction() override;
    /**
     * Integrate the present total current up to now, then check the thresholds and plan the
     * next update. The models call this before their current changes.
     */
    void UpdateEnergySource() override;

    /**
     * Refill the battery to a new capacity (as from new; clears the depletion).
     * @param initialEnergyJ capacity, J (>= 0)
     */
    void SetInitialEnergy(double initialEnergyJ);

    /**
     * @param supplyVoltageV supply voltage, V (> 0)
     */
    void SetSupplyVoltage(double supplyVoltageV);

    /**
     * @param interval time between two periodic updates (> 0)
     */
    void SetEnergyUpdateInterval(Time interval);

    /** @return the time between two periodic updates */
    Time GetEnergyUpdateInterval() const;

    /**
     * Energy drawn since the battery was full, up to the last update (harvested energy
     * counts negative): capacity - remaining, without the rounding of that subtraction.
     * @return the drained energy, J
     */
    double GetDrainedEnergy() const;

    /** @return true while the battery is at or below its low-battery threshold */
    bool IsDepleted() const;

  protected:
    void DoInitialize() override;

  private:
    void DoDispose() override;

    /** The periodic update. */
    void PeriodicUpdate();

    /** The update planned just before the threshold crossing. */
    void ThresholdUpdate();

    /** Mark the battery depleted and tell its models (HandleEnergyDepletion). */
    void Deplete();

    /**
     * Schedule an update at the instant the present draw reaches the low-battery threshold,
     * if that comes before the next periodic update.
     * @param powerW present drain, W
     */
    void PlanThresholdCheck(double powerW);

    /**
     * Plan the threshold check for the draw the models have now. Runs right after an update
     * (ScheduleNow): a model updates the battery before it changes its draw, so the draw of the
     * update itself is the old one.
     */
    void PlanForNewDraw();

    double m_initialEnergyJ{0};             //!< capacity, J
    double m_supplyVoltageV{0};             //!< supply voltage, V
    double m_lowBatteryTh{0};               //!< low threshold, share of the capacity
    double m_highBatteryTh{0};              //!< high threshold, share of the capacity
    Time m_energyUpdateInterval;            //!< periodic update interval
    double m_drainedJ{0};                   //!< drained energy (Neumaier sum)
    double m_drainedCompensationJ{0};       //!< the sum's running compensation
    Time m_lastUpdateTime;                  //!< time of the last integration
    bool m_depleted{false};                 //!< at or below the low threshold
    double m_depletedAtJ{0};                //!< energy left when it depleted, J
    EventId m_periodicEvent;                //!< next periodic update
    Time m_periodicAt;                      //!< its time
    EventId m_thresholdEvent;               //!< update at the threshold crossing
    EventId m_replanEvent;                  //!< PlanForNewDraw after the present event
    Time m_thresholdAt;                     //!< its time
    TracedValue<double> m_remainingEnergyJ; //!< remaining energy, J
    TracedCallback<double> m_depletedTrace; //!< depletion
};

} // namespace ns3

#endif // EDGE_LLM_DEVICE_BATTERY_H
