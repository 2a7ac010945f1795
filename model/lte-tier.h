/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_LTE_TIER_H
#define EDGE_LLM_LTE_TIER_H

#include "lte-share-scheduler.h"
#include "split-channel-tier.h"

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/lte-helper.h"
#include "ns3/net-device-container.h"
#include "ns3/nstime.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The `lte` channel tier (first milestone): ns-3's LTE/EPC, one eNB per server site,
 * the devices as UEs, every edge server a node behind the PGW.
 *
 * CSI: the large-scale loss at the current positions from the UE to each eNB (what RSRP
 * measurements give). Apply() sets the UE's uplink power to the allocator's p_n (ns-3's uplink
 * power control is switched off by LteTierHelper, so LteUePhy transmits PUSCH at exactly its
 * TxPower; p_n is clamped to [MinTxPowerDbm, MaxTxPowerDbm]). By default the UE stays in the
 * cell it attached to at the start (its strongest server's); its traffic reaches the allocated
 * server through the PGW. With Handover (experimental) the UE is handed over (X2) to the
 * allocated server's cell, and its share follows it to its new RNTI on HandoverEndOk. The
 * allocator's b_n, as a share b_n / (server band) of the serving cell (at least MinShare), is
 * the UE's uplink and downlink RB share in the eNB's EdgeLlmShareFfMacScheduler
 * (EnforcesBandwidth() is true).
 */
class LteTier : public SplitChannelTier
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    LteTier();
    ~LteTier() override;

    /**
     * Set up the tier (LteTierHelper::InstallTier calls it).
     * @param lte the LTE helper (handovers)
     * @param enbs one eNB device per server
     * @param ues one UE device per user
     * @param loss large-scale loss (CSI)
     * @param serverAddresses one address per server
     */
    void Setup(Ptr<LteHelper> lte,
               const NetDeviceContainer& enbs,
               const NetDeviceContainer& ues,
               Ptr<PropagationLossModel> loss,
               const std::vector<Ipv4Address>& serverAddresses);

    /**
     * What EstimateGain needs to price links with LTE's rates (LteEffectiveGain).
     * @param noisePsdWPerHz N0, W/Hz
     * @param rbs the cells' RBs
     * @param serverBandHz per server, Hz
     * @param userPowerW per user, the reference power (p_max), W
     */
    void SetPlanning(double noisePsdWPerHz,
                     uint16_t rbs,
                     const std::vector<double>& serverBandHz,
                     const std::vector<double>& userPowerW);

    /**
     * CSI: the large-scale gain at the current positions from the UE to the server's eNB (what
     * RSRP gives); with PlanWithLteRates, mapped to the gain at which the cost model's rate is
     * LTE's at the reference allocation (p_max, the server band split equally among the users,
     * at least one server band per user): LteEffectiveGain.
     * @param user user index
     * @param server server index
     * @return the gain the allocator plans with
     */
    double EstimateGain(uint32_t user, uint32_t server) override;
    void Apply(uint32_t user,
               uint32_t k,
               const UserAllocation& a,
               const SplitCostModel& model) override;
    void Detach(uint32_t user) override;
    Ipv4Address GetServerAddress(uint32_t server) const override;
    bool EnforcesBandwidth() const override;

    /**
     * @param server server index
     * @return its band (SetPlanning), Hz
     */
    double GetServerBandHz(uint32_t server) const;

    /** @return the backhaul rate from the PGW to each server */
    DataRate GetBackhaulDataRate() const;
    /** @return the backhaul one-way delay from the PGW to each server */
    Time GetBackhaulDelay() const;

    /**
     * @param powerW a transmit power, W
     * @return the UE power it gives, dBm, clamped to [MinTxPowerDbm, MaxTxPowerDbm]
     */
    double ClampTxPowerDbm(double powerW) const;

    /**
     * @param user user index
     * @return the index of the server whose eNB serves the UE now (kNoServer if none)
     */
    uint32_t GetServingServer(uint32_t user) const;

    /**
     * @param user user index
     * @return the scheduler of the eNB serving the UE (null if none or not ours)
     */
    Ptr<EdgeLlmShareFfMacScheduler> GetScheduler(uint32_t user) const;

    /**
     * TracedCallback signature of Applied.
     * @param user user index
     * @param server server index the round's traffic goes to
     * @param txPowerDbm the UE's uplink power set, dBm
     */
    typedef void (*AppliedCallback)(uint32_t user, uint32_t server, double txPowerDbm);

    /**
     * TracedCallback signature of Handover.
     * @param user user index
     * @param from server index of the source cell
     * @param to server index of the target cell
     * @param ok true: the UE is in the target cell; false: the handover failed
     */
    typedef void (*HandoverCallback)(uint32_t user, uint32_t from, uint32_t to, bool ok);

    /** @return true if each cell has its own carrier (SeparateCarriers) */
    bool GetSeparateCarriers() const;
    /** @return handovers completed so far */
    uint32_t GetHandoversCompleted() const;
    /** @return handovers that failed so far */
    uint32_t GetHandoversFailed() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * Give the user's share (or none) to the scheduler of its serving eNB, if connected.
     * @param user user index
     */
    void ApplyShare(uint32_t user);
    /**
     * A UE's RRC connection is established (LteUeRrc ConnectionEstablished).
     * @param user user index
     */
    void ConnectionEstablished(uint32_t user, uint64_t, uint16_t, uint16_t);
    /**
     * Bring the UE to its target server's cell (X2 handover) if it is elsewhere and connected,
     * else give its share to its serving cell's scheduler.
     * @param user user index
     */
    void Reassociate(uint32_t user);
    /**
     * A UE's handover succeeded (LteUeRrc HandoverEndOk): it has a new RNTI in the target cell.
     * @param user user index
     */
    void HandoverEndOk(uint32_t user, uint64_t, uint16_t cellId, uint16_t rnti);
    /**
     * A UE's handover failed (LteUeRrc HandoverEndError).
     * @param user user index
     */
    void HandoverEndError(uint32_t user, uint64_t, uint16_t cellId, uint16_t rnti);

  private:
    Ptr<LteHelper> m_lte;                 //!< handovers
    NetDeviceContainer m_enbs;            //!< per server
    NetDeviceContainer m_ues;             //!< per user
    Ptr<PropagationLossModel> m_loss;     //!< CSI
    std::vector<Ipv4Address> m_addresses; //!< per server
    DataRate m_backhaulRate;              //!< PGW - server link rate
    Time m_backhaulDelay;                 //!< PGW - server link delay
    double m_minTxPowerDbm{-40};          //!< lowest UE power
    double m_maxTxPowerDbm{23};           //!< highest UE power (P_cmax)
    double m_minShare{0.01};              //!< smallest RB share
    std::vector<double> m_shares;         //!< per user, -1: none
    std::vector<uint32_t> m_target;       //!< per user, server's cell
    std::vector<uint32_t> m_handoverFrom; //!< per user, or kNoServer
    bool m_handover{false};               //!< follow the allocator
    bool m_separateCarriers{false};       //!< a carrier per cell
    uint32_t m_handoversOk{0};            //!< statistics
    uint32_t m_handoversFailed{0};        //!< statistics
    TracedCallback<uint32_t, uint32_t, uint32_t, bool> m_handoverTrace; //!< Handover
    bool m_planWithLteRates{true};                                      //!< LteEffectiveGain
    double m_noisePsd{0};                                               //!< N0, W/Hz
    uint16_t m_rbs{0};                                                  //!< cell RBs
    std::vector<double> m_serverBandHz;                                 //!< per server
    std::vector<double> m_userPowerW;                                   //!< per user
    TracedCallback<uint32_t, uint32_t, double> m_appliedTrace;          //!< Applied
};

} // namespace ns3

#endif // EDGE_LLM_LTE_TIER_H
