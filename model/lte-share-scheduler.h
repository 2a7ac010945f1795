/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_LTE_SHARE_SCHEDULER_H
#define EDGE_LLM_LTE_SHARE_SCHEDULER_H

#include "ns3/ff-mac-csched-sap.h"
#include "ns3/ff-mac-sched-sap.h"
#include "ns3/ff-mac-scheduler.h"
#include "ns3/lte-amc.h"

#include <array>
#include <deque>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief An LTE MAC scheduler (FemtoForum FfMacScheduler API) that gives every UE its share of
 * the cell's resource blocks, uplink and downlink, written for the `lte` tier.
 *
 * Shares: SetShares() gives a UE (by RNTI) an uplink and a downlink share of the cell, in
 * (0, 1]. A UE with a share reserves it: in every TTI it earns share x (cell RBs) credit and is
 * granted the whole RBs of its credit (at least the minimum allocation: 3 contiguous uplink RBs,
 * 1 downlink RB group; it waits while its credit is below it), whether or not other UEs are
 * idle; an idle UE's credit is reset. If the shares of the cell's UEs add up to more than 1 they
 * are scaled down to add up to 1. The RBs no share reserves are split equally among the active
 * UEs without a share (so with no shares set the scheduler divides the cell equally among the
 * active UEs, like a round robin).
 *
 * HARQ: a NACKed downlink TB is sent again (same RB groups if free, else as many free ones) up
 * to 3 retransmissions before any new data of the UE; a failed uplink TB is granted again on its
 * RBs 8 TTIs later (synchronous UL HARQ), up to 3 retransmissions, before new grants. Random
 * access: each RACH preamble gets a RAR grant at UlGrantMcs of the fewest RBs that carry it.
 * Link adaptation is ns-3's: the downlink MCS from the UE's wideband CQI (LteAmc), the uplink
 * MCS from the lowest SINR over the granted RBs (SRS or PUSCH reports per the UlCqiFilter
 * attribute) through LteAmc's CQI table. Not supported: MIMO beyond what the DCI carries per
 * layer, FFR restrictions (the eNB's FFR algorithm must be the no-op one), paging.
 */
class EdgeLlmShareFfMacScheduler : public FfMacScheduler
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId();

    EdgeLlmShareFfMacScheduler();
    ~EdgeLlmShareFfMacScheduler() override;

    void SetFfMacCschedSapUser(FfMacCschedSapUser* s) override;
    void SetFfMacSchedSapUser(FfMacSchedSapUser* s) override;
    FfMacCschedSapProvider* GetFfMacCschedSapProvider() override;
    FfMacSchedSapProvider* GetFfMacSchedSapProvider() override;
    void SetLteFfrSapProvider(LteFfrSapProvider* s) override;
    LteFfrSapUser* GetLteFfrSapUser() override;

    /**
     * Set a UE's shares of the cell (they stay until changed, cleared or the UE leaves).
     * @param rnti the UE's RNTI in this cell
     * @param ulShare uplink share of the cell's RBs, (0, 1]
     * @param dlShare downlink share of the cell's RB groups, (0, 1]
     */
    void SetShares(uint16_t rnti, double ulShare, double dlShare);
    /**
     * The UE goes back to an equal share of what no share reserves.
     * @param rnti the UE's RNTI
     */
    void ClearShares(uint16_t rnti);
    /**
     * @param rnti a UE's RNTI
     * @return its (uplink, downlink) shares as set, or (-1, -1) if none
     */
    std::pair<double, double> GetShares(uint16_t rnti) const;
    /**
     * @param rnti a UE's RNTI
     * @return resource blocks granted to it on the uplink so far (new transmissions)
     */
    uint64_t GetUlRbsGranted(uint16_t rnti) const;

    friend class MemberCschedSapProvider<EdgeLlmShareFfMacScheduler>;
    friend class MemberSchedSapProvider<EdgeLlmShareFfMacScheduler>;

  protected:
    void DoDispose() override;

  private:
    /// A downlink HARQ process.
    struct DlHarq
    {
        bool busy{false};                                   //!< waiting for feedback
        uint32_t age{0};                                    //!< TTIs since sent
        DlDciListElement_s dci;                             //!< as sent last
        std::vector<std::vector<RlcPduListElement_s>> pdus; //!< per LC, per layer
    };

    /// An uplink HARQ slot (synchronous: 8 per UE).
    struct UlHarq
    {
        bool valid{false};      //!< a grant was sent in this slot
        uint8_t retx{0};        //!< retransmissions so far
        UlDciListElement_s dci; //!< the grant
    };

    /// What the scheduler keeps of a UE.
    struct Ue
    {
        uint8_t txMode{0};            //!< transmission mode
        double ulShare{-1};           //!< set share, -1 for none
        double dlShare{-1};           //!< set share, -1 for none
        double ulCredit{0};           //!< uplink RBs earned, not yet granted
        double dlCredit{0};           //!< downlink RBGs earned, not yet granted
        uint32_t ulBuffer{0};         //!< bytes reported by BSR, less what was granted
        uint8_t dlCqi{1};             //!< wideband CQI
        uint32_t dlCqiTti{0};         //!< when received
        bool hasDlCqi{false};         //!< a CQI was received
        std::vector<double> ulSinrDb; //!< per RB, empty if unknown
        uint32_t ulSinrTti{0};        //!< when received
        std::array<DlHarq, 8> dlHarq; //!< processes
        uint8_t lastDlHarq{0};        //!< the process used last
        std::array<UlHarq, 8> ulHarq; //!< slots
        uint64_t ulRbsGranted{0};     //!< statistics
    };

    // CSCHED SAP
    void DoCschedCellConfigReq(const FfMacCschedSapProvider::CschedCellConfigReqParameters& p);
    void DoCschedUeConfigReq(const FfMacCschedSapProvider::CschedUeConfigReqParameters& p);
    void DoCschedLcConfigReq(const FfMacCschedSapProvider::CschedLcConfigReqParameters& p);
    void DoCschedLcReleaseReq(const FfMacCschedSapProvider::CschedLcReleaseReqParameters& p);
    void DoCschedUeReleaseReq(const FfMacCschedSapProvider::CschedUeReleaseReqParameters& p);
    // SCHED SAP
    void DoSchedDlRlcBufferReq(const FfMacSchedSapProvider::SchedDlRlcBufferReqParameters& p);
    void DoSchedDlPagingBufferReq(const FfMacSchedSapProvider::SchedDlPagingBufferReqParameters& p);
    void DoSchedDlMacBufferReq(const FfMacSchedSapProvider::SchedDlMacBufferReqParameters& p);
    void DoSchedDlTriggerReq(const FfMacSchedSapProvider::SchedDlTriggerReqParameters& p);
    void DoSchedDlRachInfoReq(const FfMacSchedSapProvider::SchedDlRachInfoReqParameters& p);
    void DoSchedDlCqiInfoReq(const FfMacSchedSapProvider::SchedDlCqiInfoReqParameters& p);
    void DoSchedUlTriggerReq(const FfMacSchedSapProvider::SchedUlTriggerReqParameters& p);
    void DoSchedUlNoiseInterferenceReq(
        const FfMacSchedSapProvider::SchedUlNoiseInterferenceReqParameters& p);
    void DoSchedUlSrInfoReq(const FfMacSchedSapProvider::SchedUlSrInfoReqParameters& p);
    void DoSchedUlMacCtrlInfoReq(const FfMacSchedSapProvider::SchedUlMacCtrlInfoReqParameters& p);
    void DoSchedUlCqiInfoReq(const FfMacSchedSapProvider::SchedUlCqiInfoReqParameters& p);

    /// @return RBs per downlink RB group (36.213 table 7.1.6.1-1)
    uint16_t RbgSize() const;
    /**
     * Per-TTI share of each candidate UE: set shares (scaled to add up to at most 1) and the
     * rest split equally among the candidates without one.
     * @param candidates RNTIs with data to send
     * @param uplink uplink or downlink shares
     * @return share per candidate, in the same order
     */
    std::vector<double> SharesOf(const std::vector<uint16_t>& candidates, bool uplink) const;
    /**
     * RAR grants for the pending random accesses.
     * @param ret the DL config to fill
     */
    void GrantRandomAccess(FfMacSchedSapUser::SchedDlConfigIndParameters& ret);
    /**
     * Downlink HARQ retransmissions (buffered feedback first).
     * @param feedback this TTI's feedback
     * @param rbgMap RB groups in use (updated)
     * @param ret the DL config to fill
     * @return RNTIs served
     */
    std::vector<uint16_t> DlRetransmissions(const std::vector<DlInfoListElement_s>& feedback,
                                            std::vector<bool>& rbgMap,
                                            FfMacSchedSapUser::SchedDlConfigIndParameters& ret);
    /**
     * New downlink transmissions, by share.
     * @param served RNTIs already served this TTI
     * @param rbgMap RB groups in use (updated)
     * @param ret the DL config to fill
     */
    void DlNewTransmissions(const std::vector<uint16_t>& served,
                            std::vector<bool>& rbgMap,
                            FfMacSchedSapUser::SchedDlConfigIndParameters& ret);
    /**
     * One UE's new downlink TB on the given RB groups.
     * @param rnti the UE
     * @param rbgs its RB groups
     * @return the TB's build-data element
     */
    BuildDataListElement_s BuildDlTb(uint16_t rnti, const std::vector<uint16_t>& rbgs);
    /**
     * Uplink HARQ retransmissions.
     * @param feedback this TTI's feedback
     * @param rbMap RBs in use (updated)
     * @param ret the UL config to fill
     * @return RNTIs served
     */
    std::vector<uint16_t> UlRetransmissions(const std::vector<UlInfoListElement_s>& feedback,
                                            std::vector<uint16_t>& rbMap,
                                            FfMacSchedSapUser::SchedUlConfigIndParameters& ret);
    /**
     * @param ue a UE
     * @param rbStart first RB
     * @param rbLen RBs
     * @return uplink MCS for the grant (0 without SINR; -1 out of range)
     */
    int UlMcs(const Ue& ue, uint16_t rbStart, uint16_t rbLen) const;

    FfMacCschedSapUser* m_cschedSapUser{nullptr};         //!< MAC side
    FfMacSchedSapUser* m_schedSapUser{nullptr};           //!< MAC side
    FfMacCschedSapProvider* m_cschedSapProvider{nullptr}; //!< our side
    FfMacSchedSapProvider* m_schedSapProvider{nullptr};   //!< our side
    LteFfrSapProvider* m_ffrSapProvider{nullptr};         //!< unused (no-op FFR only)
    Ptr<LteAmc> m_amc;                                    //!< ns-3's AMC (CQI/MCS/TB tables)
    FfMacCschedSapProvider::CschedCellConfigReqParameters m_cell; //!< cell configuration
    std::map<uint16_t, Ue> m_ues;                                 //!< by RNTI
    /// RLC buffer status by (RNTI, LCID)
    std::map<std::pair<uint16_t, uint8_t>, FfMacSchedSapProvider::SchedDlRlcBufferReqParameters>
        m_dlBuffers;
    std::vector<RachListElement_s> m_rach;      //!< pending random accesses
    std::vector<DlInfoListElement_s> m_dlHarqQ; //!< NACKs not yet retransmitted
    std::vector<uint16_t> m_rarRbs;             //!< UL RBs of this TTI's RAR grants (RNTI)
    std::deque<std::pair<uint16_t, std::vector<uint16_t>>> m_ulMaps; //!< sfnSf -> RB owners
    uint32_t m_tti{0};                                               //!< TTIs seen (DL triggers)
    uint8_t m_ulGrantMcs{0};                                         //!< RAR grant MCS
    uint32_t m_cqiValidityTtis{1000};                                //!< CQI lifetime
    bool m_harqOn{true};                                             //!< HARQ retransmissions
};

} // namespace ns3

#endif // EDGE_LLM_LTE_SHARE_SCHEDULER_H
