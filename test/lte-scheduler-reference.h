/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Reference checks of EdgeLlmShareFfMacScheduler against ns-3 3.37's own round-robin scheduler
 * test (src/lte/test/lte-test-rr-ff-mac-scheduler.cc): the same cell — 25 PRBs, eNB 30 dBm
 * (noise figure 5 dB), UEs 23 dBm (9 dB) without power control, Friis loss, UEs at 0 m, real
 * RRC, saturated RLC (LTE without EPC), SRS uplink CQI, throughput from the RLC statistics over
 * 0.3–0.7 s — and, with unequal shares, throughputs in the ratio of the shares.
 */
#ifndef EDGE_LLM_TEST_LTE_SCHEDULER_REFERENCE_H
#define EDGE_LLM_TEST_LTE_SCHEDULER_REFERENCE_H

#include "ns3/boolean.h"
#include "ns3/component-carrier-enb.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/lte-enb-phy.h"
#include "ns3/lte-helper.h"
#include "ns3/lte-share-scheduler.h"
#include "ns3/lte-ue-net-device.h"
#include "ns3/lte-ue-phy.h"
#include "ns3/lte-ue-rrc.h"
#include "ns3/mobility-helper.h"
#include "ns3/radio-bearer-stats-calculator.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <numeric>
#include <vector>

namespace ns3
{
namespace edgellmtest
{

/// RLC throughput per UE of one run of the reference cell.
struct CellThroughput
{
    std::vector<double> ulBytesPerS; //!< per UE
    std::vector<double> dlBytesPerS; //!< per UE
};

/// Give each UE its share (by RNTI, once connected).
inline void
SetReferenceShares(Ptr<EdgeLlmShareFfMacScheduler> scheduler,
                   NetDeviceContainer ues,
                   std::vector<double> shares)
{
    for (uint32_t i = 0; i < ues.GetN(); ++i)
    {
        const uint16_t rnti = DynamicCast<LteUeNetDevice>(ues.Get(i))->GetRrc()->GetRnti();
        scheduler->SetShares(rnti, shares.at(i), shares.at(i));
    }
}

/**
 * Run ns-3's round-robin test cell with EdgeLlmShareFfMacScheduler.
 * @param shares one share per UE (empty: none set, equal shares)
 * @param users UEs
 * @param tmpDir a directory for the statistics files
 * @return the throughputs
 */
inline CellThroughput
RunReferenceCell(const std::vector<double>& shares, uint32_t users, const std::string& tmpDir)
{
    Config::SetDefault("ns3::LteHelper::UseIdealRrc", BooleanValue(false));
    Config::SetDefault("ns3::LteRlcAm::TxOpportunityForRetxAlwaysBigEnough", BooleanValue(true));
    Config::SetDefault("ns3::LteUePhy::EnableUplinkPowerControl", BooleanValue(false));
    Config::SetDefault("ns3::MacStatsCalculator::DlOutputFilename",
                       StringValue(tmpDir + "/DlMacStats.txt"));
    Config::SetDefault("ns3::MacStatsCalculator::UlOutputFilename",
                       StringValue(tmpDir + "/UlMacStats.txt"));
    Config::SetDefault("ns3::RadioBearerStatsCalculator::DlRlcOutputFilename",
                       StringValue(tmpDir + "/DlRlcStats.txt"));
    Config::SetDefault("ns3::RadioBearerStatsCalculator::UlRlcOutputFilename",
                       StringValue(tmpDir + "/UlRlcStats.txt"));
    Ptr<LteHelper> lte = CreateObject<LteHelper>();
    lte->SetAttribute("PathlossModel", StringValue("ns3::FriisSpectrumPropagationLossModel"));
    lte->SetSchedulerType("ns3::EdgeLlmShareFfMacScheduler");
    lte->SetSchedulerAttribute("UlCqiFilter", EnumValue(FfMacScheduler::SRS_UL_CQI));
    NodeContainer enbNodes;
    NodeContainer ueNodes;
    enbNodes.Create(1);
    ueNodes.Create(users);
    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(enbNodes);
    mobility.Install(ueNodes);
    NetDeviceContainer enbs = lte->InstallEnbDevice(enbNodes);
    NetDeviceContainer ues = lte->InstallUeDevice(ueNodes);
    lte->Attach(ues, enbs.Get(0));
    lte->ActivateDataRadioBearer(ues, EpsBearer(EpsBearer::GBR_CONV_VOICE));
    Ptr<LteEnbNetDevice> enb = DynamicCast<LteEnbNetDevice>(enbs.Get(0));
    enb->GetPhy()->SetAttribute("TxPower", DoubleValue(30.0));
    enb->GetPhy()->SetAttribute("NoiseFigure", DoubleValue(5.0));
    for (uint32_t i = 0; i < users; ++i)
    {
        Ptr<LteUePhy> phy = DynamicCast<LteUeNetDevice>(ues.Get(i))->GetPhy();
        phy->SetAttribute("TxPower", DoubleValue(23.0));
        phy->SetAttribute("NoiseFigure", DoubleValue(9.0));
    }
    if (!shares.empty())
    {
        auto cc = DynamicCast<ComponentCarrierEnb>(enb->GetCcMap().at(0));
        auto scheduler = DynamicCast<EdgeLlmShareFfMacScheduler>(cc->GetFfMacScheduler());
        // every UE is connected well before the statistics start at 0.3 s
        Simulator::Schedule(Seconds(0.2), &SetReferenceShares, scheduler, ues, shares);
    }
    const double startS = 0.3;
    const double durationS = 0.4;
    Simulator::Stop(Seconds(startS + durationS - 0.0001));
    lte->EnableRlcTraces();
    Ptr<RadioBearerStatsCalculator> rlc = lte->GetRlcStats();
    rlc->SetAttribute("StartTime", TimeValue(Seconds(startS)));
    rlc->SetAttribute("EpochDuration", TimeValue(Seconds(durationS)));
    Simulator::Run();
    CellThroughput out;
    for (uint32_t i = 0; i < users; ++i)
    {
        const uint64_t imsi = DynamicCast<LteUeNetDevice>(ues.Get(i))->GetImsi();
        out.ulBytesPerS.push_back(rlc->GetUlRxData(imsi, 3) / durationS);
        out.dlBytesPerS.push_back(rlc->GetDlRxData(imsi, 3) / durationS);
    }
    Simulator::Destroy();
    return out;
}

/// Equal shares: ns-3 3.37's round-robin figures (3 UEs at 0 m: 749,000 bytes/s UL and DL).
class LteSchedulerReferenceTestCase : public TestCase
{
  public:
    LteSchedulerReferenceTestCase()
        : TestCase("lte scheduler: equal shares give ns-3 3.37's round-robin test figures")
    {
    }

  private:
    void DoRun() override
    {
        const CellThroughput t = RunReferenceCell({}, 3, CreateTempDirFilename(""));
        // lte-test-rr-ff-mac-scheduler.cc: 3 users at 0 m -> 8 PRB at Itbs 26 -> 749 bytes/TTI
        const double reference = 749000;
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_LOG_UNCOND("equal shares: UE " << i << " UL " << t.ulBytesPerS[i] << " B/s, DL "
                                              << t.dlBytesPerS[i] << " B/s");
            NS_TEST_EXPECT_MSG_EQ_TOL(t.ulBytesPerS[i],
                                      reference,
                                      0.1 * reference,
                                      "uplink of UE " << i);
            NS_TEST_EXPECT_MSG_EQ_TOL(t.dlBytesPerS[i],
                                      reference,
                                      0.1 * reference,
                                      "downlink of UE " << i);
        }
    }
};

/// Unequal shares: throughputs in the ratio of the shares.
class LteSchedulerSharesTestCase : public TestCase
{
  public:
    LteSchedulerSharesTestCase()
        : TestCase("lte scheduler: throughputs follow unequal shares 0.5, 0.3, 0.2")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<double> shares{0.5, 0.3, 0.2};
        const CellThroughput t = RunReferenceCell(shares, 3, CreateTempDirFilename(""));
        const double ul = std::accumulate(t.ulBytesPerS.begin(), t.ulBytesPerS.end(), 0.0);
        const double dl = std::accumulate(t.dlBytesPerS.begin(), t.dlBytesPerS.end(), 0.0);
        NS_TEST_ASSERT_MSG_GT(ul, 0, "uplink traffic");
        NS_TEST_ASSERT_MSG_GT(dl, 0, "downlink traffic");
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_LOG_UNCOND("shares: UE " << i << " UL " << t.ulBytesPerS[i] << " B/s ("
                                        << t.ulBytesPerS[i] / ul << "), DL " << t.dlBytesPerS[i]
                                        << " B/s (" << t.dlBytesPerS[i] / dl << ")");
            NS_TEST_EXPECT_MSG_EQ_TOL(t.ulBytesPerS[i] / ul,
                                      shares[i],
                                      0.1 * shares[i],
                                      "uplink share of UE " << i);
            NS_TEST_EXPECT_MSG_EQ_TOL(t.dlBytesPerS[i] / dl,
                                      shares[i],
                                      0.1 * shares[i],
                                      "downlink share of UE " << i);
        }
    }
};

} // namespace edgellmtest
} // namespace ns3

#endif // EDGE_LLM_TEST_LTE_SCHEDULER_REFERENCE_H
