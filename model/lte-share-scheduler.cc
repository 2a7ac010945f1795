/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lte-share-scheduler.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/lte-common.h"
#include "ns3/lte-vendor-specific-parameters.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLteShareScheduler");
NS_OBJECT_ENSURE_REGISTERED(EdgeLlmShareFfMacScheduler);

TypeId
EdgeLlmShareFfMacScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::EdgeLlmShareFfMacScheduler")
            .SetParent<FfMacScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<EdgeLlmShareFfMacScheduler>()
            .AddAttribute("CqiValidityTtis",
                          "TTIs (1 ms) a CQI or uplink SINR report stays valid",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&EdgeLlmShareFfMacScheduler::m_cqiValidityTtis),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("HarqEnabled",
                          "Retransmit TBs on HARQ NACKs (up to 3 times)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&EdgeLlmShareFfMacScheduler::m_harqOn),
                          MakeBooleanChecker())
            .AddAttribute("UlGrantMcs",
                          "MCS of random-access (RAR) uplink grants, 0..15",
                          UintegerValue(0),
                          MakeUintegerAccessor(&EdgeLlmShareFfMacScheduler::m_ulGrantMcs),
                          MakeUintegerChecker<uint8_t>(0, 15));
    return tid;
}

EdgeLlmShareFfMacScheduler::EdgeLlmShareFfMacScheduler()
{
    m_amc = CreateObject<LteAmc>();
    m_cschedSapProvider = new MemberCschedSapProvider<EdgeLlmShareFfMacScheduler>(this);
    m_schedSapProvider = new MemberSchedSapProvider<EdgeLlmShareFfMacScheduler>(this);
}

EdgeLlmShareFfMacScheduler::~EdgeLlmShareFfMacScheduler() = default;

void
EdgeLlmShareFfMacScheduler::DoDispose()
{
    m_ues.clear();
    m_dlBuffers.clear();
    m_dlHarqQ.clear();
    m_ulMaps.clear();
    delete m_cschedSapProvider;
    delete m_schedSapProvider;
    m_cschedSapProvider = nullptr;
    m_schedSapProvider = nullptr;
    m_amc = nullptr;
    FfMacScheduler::DoDispose();
}

void
EdgeLlmShareFfMacScheduler::SetFfMacCschedSapUser(FfMacCschedSapUser* s)
{
    m_cschedSapUser = s;
}

void
EdgeLlmShareFfMacScheduler::SetFfMacSchedSapUser(FfMacSchedSapUser* s)
{
    m_schedSapUser = s;
}

FfMacCschedSapProvider*
EdgeLlmShareFfMacScheduler::GetFfMacCschedSapProvider()
{
    return m_cschedSapProvider;
}

FfMacSchedSapProvider*
EdgeLlmShareFfMacScheduler::GetFfMacSchedSapProvider()
{
    return m_schedSapProvider;
}

void
EdgeLlmShareFfMacScheduler::SetLteFfrSapProvider(LteFfrSapProvider* s)
{
    m_ffrSapProvider = s;
}

LteFfrSapUser*
EdgeLlmShareFfMacScheduler::GetLteFfrSapUser()
{
    return nullptr; // takes no FFR indications
}

void
EdgeLlmShareFfMacScheduler::SetShares(uint16_t rnti, double ulShare, double dlShare)
{
    NS_LOG_FUNCTION(this << rnti << ulShare << dlShare);
    NS_ABORT_MSG_UNLESS(ulShare > 0 && ulShare <= 1 && dlShare > 0 && dlShare <= 1,
                        "EdgeLlmShareFfMacScheduler::SetShares: shares must be in (0, 1], got "
                            << ulShare << " and " << dlShare);
    Ue& ue = m_ues[rnti];
    ue.ulShare = ulShare;
    ue.dlShare = dlShare;
}

void
EdgeLlmShareFfMacScheduler::ClearShares(uint16_t rnti)
{
    auto it = m_ues.find(rnti);
    if (it != m_ues.end())
    {
        it->second.ulShare = -1;
        it->second.dlShare = -1;
    }
}

std::pair<double, double>
EdgeLlmShareFfMacScheduler::GetShares(uint16_t rnti) const
{
    auto it = m_ues.find(rnti);
    if (it == m_ues.end())
    {
        return {-1, -1};
    }
    return {it->second.ulShare, it->second.dlShare};
}

uint64_t
EdgeLlmShareFfMacScheduler::GetUlRbsGranted(uint16_t rnti) const
{
    auto it = m_ues.find(rnti);
    return it == m_ues.end() ? 0 : it->second.ulRbsGranted;
}

// ---- CSCHED --------------------------------------------------------------------------------

void
EdgeLlmShareFfMacScheduler::DoCschedCellConfigReq(
    const FfMacCschedSapProvider::CschedCellConfigReqParameters& p)
{
    NS_LOG_FUNCTION(this << p.m_ulBandwidth << p.m_dlBandwidth);
    m_cell = p;
    m_rarRbs.assign(m_cell.m_ulBandwidth, 0);
}

void
EdgeLlmShareFfMacScheduler::DoCschedUeConfigReq(
    const FfMacCschedSapProvider::CschedUeConfigReqParameters& p)
{
    NS_LOG_FUNCTION(this << p.m_rnti << +p.m_transmissionMode);
    m_ues[p.m_rnti].txMode = p.m_transmissionMode;
}

void
EdgeLlmShareFfMacScheduler::DoCschedLcConfigReq(
    const FfMacCschedSapProvider::CschedLcConfigReqParameters& /* p */)
{
    // logical channels become known through their RLC buffer reports
}

void
EdgeLlmShareFfMacScheduler::DoCschedLcReleaseReq(
    const FfMacCschedSapProvider::CschedLcReleaseReqParameters& p)
{
    for (uint8_t lcid : p.m_logicalChannelIdentity)
    {
        m_dlBuffers.erase({p.m_rnti, lcid});
    }
}

void
EdgeLlmShareFfMacScheduler::DoCschedUeReleaseReq(
    const FfMacCschedSapProvider::CschedUeReleaseReqParameters& p)
{
    NS_LOG_FUNCTION(this << p.m_rnti);
    const uint16_t rnti = p.m_rnti;
    m_ues.erase(rnti);
    for (auto it = m_dlBuffers.begin(); it != m_dlBuffers.end();)
    {
        it = it->first.first == rnti ? m_dlBuffers.erase(it) : std::next(it);
    }
    auto sameRnti = [rnti](const auto& e) { return e.m_rnti == rnti; };
    m_dlHarqQ.erase(std::remove_if(m_dlHarqQ.begin(), m_dlHarqQ.end(), sameRnti), m_dlHarqQ.end());
    m_rach.erase(std::remove_if(m_rach.begin(), m_rach.end(), sameRnti), m_rach.end());
}

// ---- SCHED: reports ------------------------------------------------------------------------

void
EdgeLlmShareFfMacScheduler::DoSchedDlRlcBufferReq(
    const FfMacSchedSapProvider::SchedDlRlcBufferReqParameters& p)
{
    m_dlBuffers[{p.m_rnti, p.m_logicalChannelIdentity}] = p;
}

void
EdgeLlmShareFfMacScheduler::DoSchedDlPagingBufferReq(
    const FfMacSchedSapProvider::SchedDlPagingBufferReqParameters& /* p */)
{
    NS_LOG_WARN("paging is not supported: ignored");
}

void
EdgeLlmShareFfMacScheduler::DoSchedDlMacBufferReq(
    const FfMacSchedSapProvider::SchedDlMacBufferReqParameters& /* p */)
{
    NS_LOG_WARN("MAC control elements are not scheduled: ignored");
}

void
EdgeLlmShareFfMacScheduler::DoSchedDlRachInfoReq(
    const FfMacSchedSapProvider::SchedDlRachInfoReqParameters& p)
{
    m_rach.insert(m_rach.end(), p.m_rachList.begin(), p.m_rachList.end());
}

void
EdgeLlmShareFfMacScheduler::DoSchedDlCqiInfoReq(
    const FfMacSchedSapProvider::SchedDlCqiInfoReqParameters& p)
{
    for (const CqiListElement_s& cqi : p.m_cqiList)
    {
        auto it = m_ues.find(cqi.m_rnti);
        if (cqi.m_cqiType != CqiListElement_s::P10 || it == m_ues.end() || cqi.m_wbCqi.empty())
        {
            continue; // subband reports unused
        }
        it->second.dlCqi = cqi.m_wbCqi.at(0);
        it->second.dlCqiTti = m_tti;
        it->second.hasDlCqi = true;
    }
}

void
EdgeLlmShareFfMacScheduler::DoSchedUlNoiseInterferenceReq(
    const FfMacSchedSapProvider::SchedUlNoiseInterferenceReqParameters& /* p */)
{
}

void
EdgeLlmShareFfMacScheduler::DoSchedUlSrInfoReq(
    const FfMacSchedSapProvider::SchedUlSrInfoReqParameters& /* p */)
{
    // ns-3's UEs report their buffers by BSR
}

void
EdgeLlmShareFfMacScheduler::DoSchedUlMacCtrlInfoReq(
    const FfMacSchedSapProvider::SchedUlMacCtrlInfoReqParameters& p)
{
    for (const MacCeListElement_s& ce : p.m_macCeList)
    {
        auto it = m_ues.find(ce.m_rnti);
        if (ce.m_macCeType != MacCeListElement_s::BSR || it == m_ues.end())
        {
            continue;
        }
        uint32_t bytes = 0;
        for (uint8_t level : ce.m_macCeValue.m_bufferStatus)
        {
            bytes += BufferSizeLevelBsr::BsrId2BufferSize(level);
        }
        it->second.ulBuffer = bytes;
    }
}

void
EdgeLlmShareFfMacScheduler::DoSchedUlCqiInfoReq(
    const FfMacSchedSapProvider::SchedUlCqiInfoReqParameters& p)
{
    const bool srs = p.m_ulCqi.m_type == UlCqi_s::SRS;
    const bool pusch = p.m_ulCqi.m_type == UlCqi_s::PUSCH;
    if ((srs && m_ulCqiFilter != FfMacScheduler::SRS_UL_CQI) ||
        (pusch && m_ulCqiFilter != FfMacScheduler::PUSCH_UL_CQI) || (!srs && !pusch))
    {
        return;
    }
    const uint16_t rbs = m_cell.m_ulBandwidth;
    if (srs)
    {
        uint16_t rnti = 0;
        for (const auto& vsp : p.m_vendorSpecificList)
        {
            if (vsp.m_type == SRS_CQI_RNTI_VSP)
            {
                rnti = DynamicCast<SrsCqiRntiVsp>(vsp.m_value)->GetRnti();
            }
        }
        auto it = m_ues.find(rnti);
        if (it == m_ues.end() || p.m_ulCqi.m_sinr.size() < rbs)
        {
            return;
        }
        it->second.ulSinrDb.resize(rbs);
        for (uint16_t i = 0; i < rbs; ++i)
        {
            it->second.ulSinrDb[i] = LteFfConverter::fpS11dot3toDouble(p.m_ulCqi.m_sinr[i]);
        }
        it->second.ulSinrTti = m_tti;
        return;
    }
    auto map = std::find_if(m_ulMaps.begin(), m_ulMaps.end(), [&p](const auto& e) {
        return e.first == p.m_sfnSf;
    });
    if (map == m_ulMaps.end())
    {
        return;
    }
    for (uint16_t i = 0; i < rbs && i < p.m_ulCqi.m_sinr.size(); ++i)
    {
        auto it = m_ues.find(map->second[i]);
        if (map->second[i] == 0 || it == m_ues.end())
        {
            continue;
        }
        const double sinr = LteFfConverter::fpS11dot3toDouble(p.m_ulCqi.m_sinr[i]);
        if (it->second.ulSinrDb.size() != rbs)
        {
            it->second.ulSinrDb.assign(rbs, sinr); // RBs not measured yet: this one's value
        }
        it->second.ulSinrDb[i] = sinr;
        it->second.ulSinrTti = m_tti;
    }
    m_ulMaps.erase(map);
}

// ---- shares ---------------------------------------------------------------------------------

uint16_t
EdgeLlmShareFfMacScheduler::RbgSize() const
{
    const uint16_t rbs = m_cell.m_dlBandwidth;
    return rbs <= 10 ? 1 : rbs <= 26 ? 2 : rbs <= 63 ? 3 : 4;
}

std::vector<double>
EdgeLlmShareFfMacScheduler::SharesOf(const std::vector<uint16_t>& candidates, bool uplink) const
{
    double reserved = 0;
    for (const auto& [rnti, ue] : m_ues)
    {
        reserved += std::max(0.0, uplink ? ue.ulShare : ue.dlShare);
    }
    const double scale = reserved > 1 ? 1 / reserved : 1;
    uint32_t without = 0;
    for (uint16_t rnti : candidates)
    {
        const Ue& ue = m_ues.at(rnti);
        without += (uplink ? ue.ulShare : ue.dlShare) > 0 ? 0 : 1;
    }
    const double rest = std::max(0.0, 1 - reserved * scale);
    std::vector<double> shares;
    for (uint16_t rnti : candidates)
    {
        const Ue& ue = m_ues.at(rnti);
        const double set = uplink ? ue.ulShare : ue.dlShare;
        shares.push_back(set > 0 ? set * scale : rest / without);
    }
    return shares;
}

} // namespace ns3
