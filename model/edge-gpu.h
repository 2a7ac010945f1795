/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_EDGE_GPU_H
#define EDGE_LLM_EDGE_GPU_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <functional>
#include <map>
#include <utility>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The edge server's GPU shared among its users' server-side training jobs.
 *
 * A job is one user's layers alpha+1 … Upsilon, forward and backward. Its duration and energy
 * at any GPU frequency come from SplitCostModel (passed in as a function), so the GPU holds no
 * formula of its own. Policies:
 *  - PARTITIONED (the paper): each job runs at once on its own share f^E_n of the frequency;
 *  - FCFS: one job at a time at the full frequency, in arrival order;
 *  - PROCESSOR_SHARING: the running jobs share the full frequency equally.
 */
class EdgeGpu : public Object
{
  public:
    /** How jobs share the GPU. */
    enum Policy
    {
        PARTITIONED,       //!< fixed share f^E_n per job (paper)
        FCFS,              //!< whole GPU, one job at a time
        PROCESSOR_SHARING, //!< whole GPU, equal split among running jobs
    };

    /** Duration (s) and energy (J) of a whole job if run at a given frequency (Hz). */
    using TimeEnergyFunction = std::function<std::pair<double, double>(double)>;

    /**
     * TracedCallback signature of job events.
     * @param user the user whose job it is
     */
    typedef void (*JobTracedCallback)(uint32_t user);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    EdgeGpu();
    ~EdgeGpu() override;

    /**
     * Submit a job.
     * @param user user index (one job per user at a time)
     * @param shareHz the user's share f^E_n (used by PARTITIONED)
     * @param timeEnergy duration and energy of the job at a frequency
     * @param done called with the user index when the job ends
     */
    void Submit(uint32_t user,
                double shareHz,
                TimeEnergyFunction timeEnergy,
                Callback<void, uint32_t> done);

    /** Drop every job (round timeout). */
    void CancelAll();

    /**
     * @param user user
     * @return time the user's last job waited before it started, s
     */
    double GetWaitS(uint32_t user) const;

    /**
     * @param user user
     * @return time from start to end of the user's last job, s
     */
    double GetComputeS(uint32_t user) const;

    /**
     * @param user user
     * @return energy spent on the user's jobs so far, J
     */
    double GetEnergyJ(uint32_t user) const;

    /** @return energy spent on all jobs so far, J */
    double GetTotalEnergyJ() const;

    /** @return the policy */
    Policy GetPolicy() const;

  protected:
    void DoDispose() override;

  private:
    /** A job in the GPU. */
    struct Job
    {
        double shareHz{0};             //!< PARTITIONED share
        TimeEnergyFunction timeEnergy; //!< cost at a frequency
        Callback<void, uint32_t> done; //!< completion
        Time submitted;                //!< arrival
        Time started;                  //!< start of service
        double remaining{1.0};         //!< fraction of the job left (PROCESSOR_SHARING)
        EventId end;                   //!< completion event (PARTITIONED, FCFS)
        bool running{false};           //!< in service
    };

    /** Start queued FCFS work. */
    void StartFcfs();
    /**
     * Start serving a job.
     * @param user user
     * @param freqHz frequency it runs at
     */
    void StartJob(uint32_t user, double freqHz);
    /**
     * A PARTITIONED or FCFS job ends.
     * @param user user
     */
    void EndJob(uint32_t user);
    /** Bring processor-sharing progress and energy up to now. */
    void AdvanceSharing();
    /** Schedule the next processor-sharing completion. */
    void RescheduleSharing();
    /** A processor-sharing job may have ended. */
    void SharingEvent();

    Policy m_policy{PARTITIONED};             //!< policy
    double m_frequencyHz{2e9};                //!< full GPU frequency f_m^max
    std::map<uint32_t, Job> m_jobs;           //!< jobs by user
    std::deque<uint32_t> m_fcfsQueue;         //!< FCFS arrival order
    Time m_lastAdvance;                       //!< processor-sharing bookkeeping time
    EventId m_sharingEvent;                   //!< next processor-sharing completion
    std::map<uint32_t, double> m_waitS;       //!< last wait per user
    std::map<uint32_t, double> m_computeS;    //!< last service time per user
    std::map<uint32_t, double> m_energyJ;     //!< energy per user
    double m_totalEnergyJ{0};                 //!< all energy
    TracedCallback<uint32_t> m_jobStartTrace; //!< a job starts
    TracedCallback<uint32_t> m_jobEndTrace;   //!< a job ends
};

} // namespace ns3

#endif // EDGE_LLM_EDGE_GPU_H
