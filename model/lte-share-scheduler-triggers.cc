/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * EdgeLlmShareFfMacScheduler: the per-TTI decisions (downlink and uplink triggers).
 */
#include "lte-share-scheduler.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/lte-common.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLteShareSchedulerTriggers");

namespace
{

constexpr uint8_t kHarqProcesses = 8;   //!< HARQ processes per UE (FDD)
constexpr uint32_t kDlHarqTimeout = 11; //!< TTIs without feedback before a DL process is freed
constexpr uint8_t kMaxRetx = 3;         //!< HARQ retransmissions of a TB
constexpr uint16_t kMinUlRbs = 3;       //!< smallest uplink grant (7 bytes at MCS 0)
constexpr size_t kUlMapsKept = 16;      //!< uplink RB maps kept for PUSCH SINR reports
constexpr uint16_t kRlcHeaderBytes = 2; //!< smallest RLC header

/// A UL grant with the fields the MAC and the UE read.
UlDciListElement_s
MakeUlDci(uint16_t rnti, uint16_t rbStart, uint16_t rbLen, uint8_t mcs, uint16_t tbBytes)
{
    UlDciListElement_s dci;
    dci.m_rnti = rnti;
    dci.m_rbStart = rbStart;
    dci.m_rbLen = rbLen;
    dci.m_mcs = mcs;
    dci.m_tbSize = tbBytes;
    dci.m_ndi = 1;
    dci.m_cceIndex = 0;
    dci.m_aggrLevel = 1;
    dci.m_ueTxAntennaSelection = 3; // no antenna selection
    dci.m_hopping = false;
    dci.m_n2Dmrs = 0;
    dci.m_tpc = 0; // power control is off in the tier
    dci.m_cqiRequest = false;
    dci.m_ulIndex = 0; // TDD only
    dci.m_dai = 1;     // TDD only
    dci.m_freqHopping = 0;
    dci.m_pdcchPowerOffset = 0;
    return dci;
}

/// RB groups set in a type-0 bitmap.
std::vector<uint16_t>
RbgsOf(uint32_t bitmap)
{
    std::vector<uint16_t> rbgs;
    for (uint16_t i = 0; i < 32; ++i)
    {
        if (bitmap & (1u << i))
        {
            rbgs.push_back(i);
        }
    }
    return rbgs;
}

/// Indices of candidates by decreasing credit (ties: the order given).
template <class F>
std::vector<size_t>
ByCredit(size_t n, F credit)
{
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&credit](size_t a, size_t b) {
        return credit(a) > credit(b);
    });
    return order;
}

} // namespace

// ---- downlink -------------------------------------------------------------------------------

void
EdgeLlmShareFfMacScheduler::DoSchedDlTriggerReq(
    const FfMacSchedSapProvider::SchedDlTriggerReqParameters& p)
{
    NS_LOG_FUNCTION(this << (p.m_sfnSf >> 4) << (p.m_sfnSf & 0xF));
    ++m_tti;
    for (auto& [rnti, ue] : m_ues)
    {
        ue.ulHarq[m_tti % kHarqProcesses].valid = false; // this TTI's slot starts empty
        for (DlHarq& h : ue.dlHarq)
        {
            if (h.busy && ++h.age > kDlHarqTimeout)
            {
                h.busy = false; // feedback lost
                h.pdus.clear();
            }
        }
    }
    FfMacSchedSapUser::SchedDlConfigIndParameters ret;
    GrantRandomAccess(ret);
    std::vector<bool> rbgMap(m_cell.m_dlBandwidth / RbgSize(), false);
    const std::vector<uint16_t> served = DlRetransmissions(p.m_dlInfoList, rbgMap, ret);
    DlNewTransmissions(served, rbgMap, ret);
    ret.m_nrOfPdcchOfdmSymbols = 1;
    if (!ret.m_buildDataList.empty() || !ret.m_buildRarList.empty())
    {
        m_schedSapUser->SchedDlConfigInd(ret);
    }
}

void
EdgeLlmShareFfMacScheduler::GrantRandomAccess(FfMacSchedSapUser::SchedDlConfigIndParameters& ret)
{
    m_rarRbs.assign(m_cell.m_ulBandwidth, 0);
    uint16_t start = 0;
    size_t granted = 0;
    for (const RachListElement_s& rach : m_rach)
    {
        uint16_t len = 1;
        while (start + len <= m_cell.m_ulBandwidth &&
               m_amc->GetUlTbSizeFromMcs(m_ulGrantMcs, len) < rach.m_estimatedSize)
        {
            ++len;
        }
        if (start + len > m_cell.m_ulBandwidth)
        {
            break; // no room left in this TTI: the rest wait
        }
        const uint16_t tbBytes = m_amc->GetUlTbSizeFromMcs(m_ulGrantMcs, len) / 8;
        BuildRarListElement_s rar;
        rar.m_rnti = rach.m_rnti;
        rar.m_grant.m_rnti = rach.m_rnti;
        rar.m_grant.m_rbStart = start;
        rar.m_grant.m_rbLen = len;
        rar.m_grant.m_tbSize = tbBytes;
        rar.m_grant.m_mcs = m_ulGrantMcs;
        rar.m_grant.m_hopping = false;
        rar.m_grant.m_tpc = 0;
        rar.m_grant.m_cqiRequest = false;
        rar.m_grant.m_ulDelay = false;
        ret.m_buildRarList.push_back(rar);
        std::fill(m_rarRbs.begin() + start, m_rarRbs.begin() + start + len, rach.m_rnti);
        auto ue = m_ues.find(rach.m_rnti);
        if (ue != m_ues.end())
        {
            UlHarq& slot = ue->second.ulHarq[m_tti % kHarqProcesses];
            slot = {true, 0, MakeUlDci(rach.m_rnti, start, len, m_ulGrantMcs, tbBytes)};
        }
        start += len;
        ++granted;
    }
    m_rach.erase(m_rach.begin(), m_rach.begin() + granted);
}

std::vector<uint16_t>
EdgeLlmShareFfMacScheduler::DlRetransmissions(const std::vector<DlInfoListElement_s>& feedback,
                                              std::vector<bool>& rbgMap,
                                              FfMacSchedSapUser::SchedDlConfigIndParameters& ret)
{
    std::vector<DlInfoListElement_s> all;
    all.swap(m_dlHarqQ);
    all.insert(all.end(), feedback.begin(), feedback.end());
    std::vector<uint16_t> served;
    for (const DlInfoListElement_s& fb : all)
    {
        auto it = m_ues.find(fb.m_rnti);
        if (it == m_ues.end() || fb.m_harqProcessId >= kHarqProcesses)
        {
            continue;
        }
        DlHarq& h = it->second.dlHarq[fb.m_harqProcessId];
        std::vector<bool> nack;
        for (auto s : fb.m_harqStatus)
        {
            nack.push_back(s == DlInfoListElement_s::NACK);
        }
        const bool anyNack = std::find(nack.begin(), nack.end(), true) != nack.end();
        const uint8_t rv =
            h.dci.m_rv.empty() ? 0 : *std::max_element(h.dci.m_rv.begin(), h.dci.m_rv.end());
        if (!h.busy || !anyNack || !m_harqOn || rv >= kMaxRetx)
        {
            h.busy = false; // done: delivered, or given up (RLC/TCP recover)
            h.pdus.clear();
            continue;
        }
        if (std::find(served.begin(), served.end(), fb.m_rnti) != served.end())
        {
            m_dlHarqQ.push_back(fb); // one TB per UE and TTI
            continue;
        }
        std::vector<uint16_t> rbgs = RbgsOf(h.dci.m_rbBitmap);
        const bool sameFree = std::none_of(rbgs.begin(), rbgs.end(), [&rbgMap](uint16_t r) {
            return r >= rbgMap.size() || rbgMap[r];
        });
        if (!sameFree)
        {
            std::vector<uint16_t> other;
            for (uint16_t r = 0; r < rbgMap.size() && other.size() < rbgs.size(); ++r)
            {
                if (!rbgMap[r])
                {
                    other.push_back(r);
                }
            }
            if (other.size() < rbgs.size())
            {
                m_dlHarqQ.push_back(fb); // no room in this TTI
                continue;
            }
            rbgs = other;
        }
        DlDciListElement_s dci = h.dci;
        dci.m_rbBitmap = 0;
        for (uint16_t r : rbgs)
        {
            rbgMap[r] = true;
            dci.m_rbBitmap |= (1u << r);
        }
        BuildDataListElement_s el;
        el.m_rnti = fb.m_rnti;
        el.m_rlcPduList = h.pdus;
        for (size_t layer = 0; layer < dci.m_ndi.size(); ++layer)
        {
            dci.m_ndi[layer] = 0;
            if (layer < nack.size() && nack[layer])
            {
                ++dci.m_rv[layer];
                continue;
            }
            dci.m_rv[layer] = 0; // this layer was received: an empty TB
            dci.m_mcs[layer] = 0;
            dci.m_tbsSize[layer] = 0;
            for (auto& lc : el.m_rlcPduList)
            {
                if (layer < lc.size())
                {
                    lc[layer].m_size = 0;
                }
            }
        }
        el.m_dci = dci;
        h.dci = dci;
        h.age = 0;
        ret.m_buildDataList.push_back(el);
        served.push_back(fb.m_rnti);
    }
    return served;
}

void
EdgeLlmShareFfMacScheduler::DlNewTransmissions(const std::vector<uint16_t>& served,
                                               std::vector<bool>& rbgMap,
                                               FfMacSchedSapUser::SchedDlConfigIndParameters& ret)
{
    std::vector<uint16_t> candidates;
    for (auto& [rnti, ue] : m_ues)
    {
        const bool fresh = ue.hasDlCqi && m_tti - ue.dlCqiTti <= m_cqiValidityTtis;
        const bool freeProcess = !m_harqOn || std::any_of(ue.dlHarq.begin(),
                                                          ue.dlHarq.end(),
                                                          [](const DlHarq& h) { return !h.busy; });
        bool data = false;
        for (auto it = m_dlBuffers.lower_bound({rnti, 0});
             it != m_dlBuffers.end() && it->first.first == rnti;
             ++it)
        {
            const auto& b = it->second;
            data = data || b.m_rlcTransmissionQueueSize > 0 || b.m_rlcRetransmissionQueueSize > 0 ||
                   b.m_rlcStatusPduSize > 0;
        }
        const bool served0 = std::find(served.begin(), served.end(), rnti) != served.end();
        if (data && freeProcess && !served0 && !(fresh && ue.dlCqi == 0))
        {
            candidates.push_back(rnti);
        }
        else if (!data)
        {
            ue.dlCredit = 0; // idle: nothing saved up
        }
    }
    if (candidates.empty())
    {
        return;
    }
    const std::vector<double> shares = SharesOf(candidates, false);
    const double rbgs = rbgMap.size();
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        Ue& ue = m_ues.at(candidates[i]);
        ue.dlCredit = std::min(ue.dlCredit + shares[i] * rbgs, rbgs);
    }
    for (size_t i :
         ByCredit(candidates.size(), [&](size_t k) { return m_ues.at(candidates[k]).dlCredit; }))
    {
        Ue& ue = m_ues.at(candidates[i]);
        const auto want = static_cast<size_t>(std::floor(ue.dlCredit + 1e-9));
        std::vector<uint16_t> mine;
        for (uint16_t r = 0; r < rbgMap.size() && mine.size() < want; ++r)
        {
            if (!rbgMap[r])
            {
                mine.push_back(r);
                rbgMap[r] = true;
            }
        }
        if (mine.empty())
        {
            continue; // below the minimum allocation (1 RBG), or the band is full
        }
        ue.dlCredit -= mine.size();
        ret.m_buildDataList.push_back(BuildDlTb(candidates[i], mine));
    }
}

BuildDataListElement_s
EdgeLlmShareFfMacScheduler::BuildDlTb(uint16_t rnti, const std::vector<uint16_t>& rbgs)
{
    Ue& ue = m_ues.at(rnti);
    const uint8_t layers =
        std::max<uint8_t>(1, TransmissionModesLayers::TxMode2LayerNum(ue.txMode));
    const bool fresh = ue.hasDlCqi && m_tti - ue.dlCqiTti <= m_cqiValidityTtis;
    const uint8_t mcs = fresh ? m_amc->GetMcsFromCqi(ue.dlCqi) : 0;
    const auto tbBytes =
        static_cast<uint16_t>(m_amc->GetDlTbSizeFromMcs(mcs, rbgs.size() * RbgSize()) / 8);
    uint8_t process = 0;
    if (m_harqOn)
    {
        for (uint8_t k = 1; k <= kHarqProcesses; ++k)
        {
            process = (ue.lastDlHarq + k) % kHarqProcesses;
            if (!ue.dlHarq[process].busy)
            {
                break;
            }
        }
        ue.lastDlHarq = process;
    }
    std::vector<FfMacSchedSapProvider::SchedDlRlcBufferReqParameters*> active;
    for (auto it = m_dlBuffers.lower_bound({rnti, 0});
         it != m_dlBuffers.end() && it->first.first == rnti;
         ++it)
    {
        auto& b = it->second;
        if (b.m_rlcTransmissionQueueSize > 0 || b.m_rlcRetransmissionQueueSize > 0 ||
            b.m_rlcStatusPduSize > 0)
        {
            active.push_back(&b);
        }
    }
    BuildDataListElement_s el;
    el.m_rnti = rnti;
    const auto perLc = static_cast<uint16_t>(tbBytes / std::max<size_t>(1, active.size()));
    for (auto* b : active)
    {
        RlcPduListElement_s pdu;
        pdu.m_logicalChannelIdentity = b->m_logicalChannelIdentity;
        pdu.m_size = perLc;
        el.m_rlcPduList.emplace_back(layers, pdu);
        // what the RLC will take: status first, then retransmissions, then new data
        uint32_t left = perLc;
        const uint32_t status = std::min<uint32_t>(left, b->m_rlcStatusPduSize);
        b->m_rlcStatusPduSize -= status;
        left -= status;
        const uint32_t retx = std::min(left, b->m_rlcRetransmissionQueueSize);
        b->m_rlcRetransmissionQueueSize -= retx;
        left -= retx;
        left = left > kRlcHeaderBytes ? left - kRlcHeaderBytes : 0;
        b->m_rlcTransmissionQueueSize -= std::min(left, b->m_rlcTransmissionQueueSize);
    }
    DlDciListElement_s& dci = el.m_dci;
    dci.m_rnti = rnti;
    dci.m_harqProcess = process;
    dci.m_resAlloc = 0;
    dci.m_rbBitmap = 0;
    for (uint16_t r : rbgs)
    {
        dci.m_rbBitmap |= (1u << r);
    }
    dci.m_mcs.assign(layers, mcs);
    dci.m_tbsSize.assign(layers, tbBytes);
    dci.m_ndi.assign(layers, 1);
    dci.m_rv.assign(layers, 0);
    dci.m_tpc = 1; // no change
    if (m_harqOn)
    {
        DlHarq& h = ue.dlHarq[process];
        h.busy = true;
        h.age = 0;
        h.dci = dci;
        h.pdus = el.m_rlcPduList;
    }
    return el;
}

// ---- uplink ---------------------------------------------------------------------------------

void
EdgeLlmShareFfMacScheduler::DoSchedUlTriggerReq(
    const FfMacSchedSapProvider::SchedUlTriggerReqParameters& p)
{
    NS_LOG_FUNCTION(this << (p.m_sfnSf >> 4) << (p.m_sfnSf & 0xF));
    const uint16_t bandRbs = m_cell.m_ulBandwidth;
    std::vector<uint16_t> owner = m_rarRbs; // RB -> RNTI (0: free)
    owner.resize(bandRbs, 0);
    m_rarRbs.assign(bandRbs, 0);
    FfMacSchedSapUser::SchedUlConfigIndParameters ret;
    const std::vector<uint16_t> served = UlRetransmissions(p.m_ulInfoList, owner, ret);

    std::vector<uint16_t> candidates;
    for (auto& [rnti, ue] : m_ues)
    {
        if (ue.ulBuffer == 0)
        {
            ue.ulCredit = 0; // idle: nothing saved up
        }
        else if (std::find(served.begin(), served.end(), rnti) == served.end())
        {
            candidates.push_back(rnti);
        }
    }
    const std::vector<double> shares = SharesOf(candidates, true);
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        Ue& ue = m_ues.at(candidates[i]);
        ue.ulCredit = std::min(ue.ulCredit + shares[i] * bandRbs, double(bandRbs));
    }
    for (size_t i :
         ByCredit(candidates.size(), [&](size_t k) { return m_ues.at(candidates[k]).ulCredit; }))
    {
        const uint16_t rnti = candidates[i];
        Ue& ue = m_ues.at(rnti);
        const auto want = static_cast<uint16_t>(std::floor(ue.ulCredit + 1e-9));
        if (want < kMinUlRbs)
        {
            continue; // saves up to the minimum allocation
        }
        // the first run of free RBs long enough for the minimum allocation
        uint16_t start = 0;
        uint16_t run = 0;
        for (uint16_t rb = 0; rb < bandRbs && run < kMinUlRbs; ++rb)
        {
            run = owner[rb] == 0 ? run + 1 : 0;
            start = rb + 1 - run;
        }
        if (run < kMinUlRbs)
        {
            break; // the band is full
        }
        while (start + run < bandRbs && owner[start + run] == 0 && run < want)
        {
            ++run;
        }
        const uint16_t len = std::min(run, want);
        const int mcs = UlMcs(ue, start, len);
        if (mcs < 0)
        {
            ue.ulCredit = 0; // out of range (CQI 0): not scheduled
            continue;
        }
        const auto tbBytes = static_cast<uint16_t>(m_amc->GetUlTbSizeFromMcs(mcs, len) / 8);
        const UlDciListElement_s dci = MakeUlDci(rnti, start, len, mcs, tbBytes);
        ret.m_dciList.push_back(dci);
        std::fill(owner.begin() + start, owner.begin() + start + len, rnti);
        ue.ulCredit -= len;
        ue.ulRbsGranted += len;
        const uint32_t payload = tbBytes > kRlcHeaderBytes ? tbBytes - kRlcHeaderBytes : 0;
        ue.ulBuffer -= std::min(ue.ulBuffer, payload);
        ue.ulHarq[m_tti % kHarqProcesses] = {true, 0, dci};
    }
    m_ulMaps.emplace_back(p.m_sfnSf, owner);
    while (m_ulMaps.size() > kUlMapsKept)
    {
        m_ulMaps.pop_front();
    }
    if (!ret.m_dciList.empty())
    {
        m_schedSapUser->SchedUlConfigInd(ret);
    }
}

std::vector<uint16_t>
EdgeLlmShareFfMacScheduler::UlRetransmissions(const std::vector<UlInfoListElement_s>& feedback,
                                              std::vector<uint16_t>& owner,
                                              FfMacSchedSapUser::SchedUlConfigIndParameters& ret)
{
    std::vector<uint16_t> served;
    if (!m_harqOn)
    {
        return served;
    }
    // the TB this feedback is about was granted HARQ_PERIOD (7) TTIs ago: slot t - 7 = t + 1
    const uint8_t then = (m_tti + kHarqProcesses - HARQ_PERIOD) % kHarqProcesses;
    const uint8_t now = m_tti % kHarqProcesses;
    for (const UlInfoListElement_s& fb : feedback)
    {
        auto it = m_ues.find(fb.m_rnti);
        if (fb.m_receptionStatus != UlInfoListElement_s::NotOk || it == m_ues.end())
        {
            continue;
        }
        UlHarq old = it->second.ulHarq[then];
        it->second.ulHarq[then].valid = false;
        if (!old.valid || old.retx >= kMaxRetx)
        {
            continue; // given up (RLC/TCP recover)
        }
        const uint16_t start = old.dci.m_rbStart;
        const uint16_t end = start + old.dci.m_rbLen;
        if (end > owner.size() || std::any_of(owner.begin() + start,
                                              owner.begin() + end,
                                              [](uint16_t o) { return o != 0; }))
        {
            continue; // its RBs are taken by a random access grant: given up
        }
        std::fill(owner.begin() + start, owner.begin() + end, fb.m_rnti);
        old.dci.m_ndi = 0;
        ret.m_dciList.push_back(old.dci);
        it->second.ulHarq[now] = {true, static_cast<uint8_t>(old.retx + 1), old.dci};
        served.push_back(fb.m_rnti);
    }
    return served;
}

int
EdgeLlmShareFfMacScheduler::UlMcs(const Ue& ue, uint16_t rbStart, uint16_t rbLen) const
{
    if (ue.ulSinrDb.size() < static_cast<size_t>(rbStart + rbLen) ||
        m_tti - ue.ulSinrTti > m_cqiValidityTtis)
    {
        return 0; // nothing known: the most robust MCS
    }
    const double sinrDb =
        *std::min_element(ue.ulSinrDb.begin() + rbStart, ue.ulSinrDb.begin() + rbStart + rbLen);
    // Spectral efficiency with the SNR gap of a target BER (LteAmc's "Ber" attribute):
    // gap = -ln(5 BER) / 1.5, the model LteAmc uses for its CQI reports
    DoubleValue ber;
    m_amc->GetAttribute("Ber", ber);
    const double gap = -std::log(5 * ber.Get()) / 1.5;
    const double se = std::log2(1 + std::pow(10.0, sinrDb / 10) / gap);
    const int cqi = m_amc->GetCqiFromSpectralEfficiency(se);
    return cqi == 0 ? -1 : m_amc->GetMcsFromCqi(cqi);
}

} // namespace ns3
