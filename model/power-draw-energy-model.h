/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_POWER_DRAW_ENERGY_MODEL_H
#define EDGE_LLM_POWER_DRAW_ENERGY_MODEL_H

#include "ns3/callback.h"
#include "ns3/device-energy-model.h"
#include "ns3/energy-source.h"
#include "ns3/nstime.h"
#include "ns3/traced-value.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief A DeviceEnergyModel that draws a power set by its owner (compute unit or radio).
 *
 * The owner calls SetPowerW() whenever its draw changes (e.g. kappa f^3 while the device
 * processor is busy, p_n while the radio transmits, 0 when idle). The energy source is brought
 * up to date before every change, so the battery integrates exactly the piecewise-constant
 * draw. When the source is depleted the model stops drawing and calls its depletion callback.
 */
class PowerDrawEnergyModel : public DeviceEnergyModel
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    PowerDrawEnergyModel();
    ~PowerDrawEnergyModel() override;

    /**
     * Change the power drawn from now on.
     * @param powerW new draw, W (>= 0)
     */
    void SetPowerW(double powerW);

    /** @return the current draw, W */
    double GetPowerW() const;

    /** @return true once the source reported depletion */
    bool IsDepleted() const;

    /**
     * @param callback called once when the energy source is depleted
     */
    void SetDepletionCallback(Callback<void> callback);

    // DeviceEnergyModel
    void SetEnergySource(Ptr<EnergySource> source) override;
    double GetTotalEnergyConsumption() const override;
    void ChangeState(int newState) override;
    void HandleEnergyDepletion() override;
    void HandleEnergyRecharged() override;
    void HandleEnergyChanged() override;

  protected:
    void DoDispose() override;

  private:
    double DoGetCurrentA() const override;

    Ptr<EnergySource> m_source;         //!< battery
    double m_powerW{0};                 //!< current draw
    double m_accountedJ{0};             //!< energy up to m_lastChange
    Time m_lastChange;                  //!< time of the last power change
    bool m_depleted{false};             //!< source reported depletion
    Callback<void> m_depletionCallback; //!< owner's reaction
    TracedValue<double> m_powerTrace;   //!< draw, for traces
};

} // namespace ns3

#endif // EDGE_LLM_POWER_DRAW_ENERGY_MODEL_H
