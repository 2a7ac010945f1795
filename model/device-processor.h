/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_DEVICE_PROCESSOR_H
#define EDGE_LLM_DEVICE_PROCESSOR_H

#include "power-draw-energy-model.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The mobile device's compute unit (GPU/NPU) as timed busy periods.
 *
 * Run() keeps the unit busy for a duration at a power — both from SplitCostModel for the
 * round's split layer and frequency (kappa f^3 while busy) — drawing it through a
 * PowerDrawEnergyModel on the device's battery. One job at a time. If the battery dies during
 * a job, the job is abandoned and the failure callback fires.
 */
class DeviceProcessor : public Object
{
  public:
    /**
     * TracedCallback signature of busy periods.
     * @param duration busy time
     * @param powerW power while busy
     */
    typedef void (*BusyTracedCallback)(Time duration, double powerW);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    DeviceProcessor();
    ~DeviceProcessor() override;

    /**
     * @param model energy model drawing from the battery (may be null: no battery)
     */
    void SetEnergyModel(Ptr<PowerDrawEnergyModel> model);

    /** @return the energy model */
    Ptr<PowerDrawEnergyModel> GetEnergyModel() const;

    /**
     * Start a job.
     * @param duration busy time
     * @param powerW power while busy
     * @param done called at the end
     */
    void Run(Time duration, double powerW, Callback<void> done);

    /** Abandon the running job (no callback). */
    void Cancel();

    /** @return true while a job runs */
    bool IsBusy() const;

    /** @return busy time accumulated so far */
    Time GetBusyTime() const;

  protected:
    void DoDispose() override;

  private:
    /** End of the current job. */
    void Finish();

    Ptr<PowerDrawEnergyModel> m_energy;       //!< battery draw
    EventId m_end;                            //!< end of the current job
    Callback<void> m_done;                    //!< current job's callback
    Time m_started;                           //!< start of the current job
    Time m_busy;                              //!< accumulated busy time
    TracedCallback<Time, double> m_busyTrace; //!< a job started
};

} // namespace ns3

#endif // EDGE_LLM_DEVICE_PROCESSOR_H
