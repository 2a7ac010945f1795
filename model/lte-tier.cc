/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lte-tier.h"

#include "lte-rate-map.h"
#include "lte-share-scheduler.h"

#include "ns3/boolean.h"
#include "ns3/component-carrier-enb.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/lte-enb-rrc.h"
#include "ns3/lte-ue-net-device.h"
#include "ns3/lte-ue-phy.h"
#include "ns3/lte-ue-rrc.h"
#include "ns3/mobility-model.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLteTier");
NS_OBJECT_ENSURE_REGISTERED(LteTier);

TypeId
LteTier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LteTier")
            .SetParent<SplitChannelTier>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<LteTier>()
            .AddAttribute("BackhaulDataRate",
                          "Rate of the point-to-point link from the PGW to each edge server "
                          "(default: a co-located MEC server, no bottleneck)",
                          DataRateValue(DataRate("100Gb/s")),
                          MakeDataRateAccessor(&LteTier::m_backhaulRate),
                          MakeDataRateChecker())
            .AddAttribute("BackhaulDelay",
                          "One-way delay of the link from the PGW to each edge server (0: "
                          "co-located MEC; e.g. 20ms for a server in a cloud region)",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&LteTier::m_backhaulDelay),
                          MakeTimeChecker(Seconds(0), Seconds(10)))
            .AddAttribute("MinTxPowerDbm",
                          "Lowest UE uplink power, dBm (p_n below it is raised to it)",
                          DoubleValue(-40.0),
                          MakeDoubleAccessor(&LteTier::m_minTxPowerDbm),
                          MakeDoubleChecker<double>(-100.0, 60.0))
            .AddAttribute("MaxTxPowerDbm",
                          "Highest UE uplink power P_cmax, dBm (23: power class 3)",
                          DoubleValue(23.0),
                          MakeDoubleAccessor(&LteTier::m_maxTxPowerDbm),
                          MakeDoubleChecker<double>(-100.0, 60.0))
            .AddAttribute("MinShare",
                          "Smallest RB share a UE gets (b_n / server band below it is raised to "
                          "it), in (0, 1]",
                          DoubleValue(0.01),
                          MakeDoubleAccessor(&LteTier::m_minShare),
                          MakeDoubleChecker<double>(1e-6, 1.0))
            .AddAttribute("PlanWithLteRates",
                          "Give the allocator gains at which the cost model's rate is LTE's "
                          "(CQI -> MCS -> transport block, LteEffectiveGain); false: the "
                          "large-scale gains",
                          BooleanValue(true),
                          MakeBooleanAccessor(&LteTier::m_planWithLteRates),
                          MakeBooleanChecker())
            .AddAttribute("Handover",
                          "Hand a UE over (X2, LteHelper::HandoverRequest) to the eNB of the "
                          "server the allocator gives it whenever that is not its serving cell; "
                          "false: the UE stays in its first cell and reaches the server through "
                          "the PGW",
                          BooleanValue(false),
                          MakeBooleanAccessor(&LteTier::m_handover),
                          MakeBooleanChecker())
            .AddAttribute("SeparateCarriers",
                          "Each cell on its own carrier (DL EARFCN 100 + m x its channel width "
                          "in 100 kHz, UL EARFCN + 18000): the servers' bands do not interfere, "
                          "as in the cost model; false: every cell on EARFCN 100 / 18100 "
                          "(co-channel cells interfere)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&LteTier::m_separateCarriers),
                          MakeBooleanChecker())
            .AddTraceSource("Applied",
                            "A user's round decision reached the UE: server, uplink power",
                            MakeTraceSourceAccessor(&LteTier::m_appliedTrace),
                            "ns3::LteTier::AppliedCallback")
            .AddTraceSource("Handover",
                            "A UE's handover to its server's cell ended: user, source and target "
                            "server, success",
                            MakeTraceSourceAccessor(&LteTier::m_handoverTrace),
                            "ns3::LteTier::HandoverCallback");
    return tid;
}

LteTier::LteTier() = default;

LteTier::~LteTier() = default;

void
LteTier::DoDispose()
{
    m_lte = nullptr;
    m_loss = nullptr;
    m_enbs = NetDeviceContainer();
    m_ues = NetDeviceContainer();
    SplitChannelTier::DoDispose();
}

void
LteTier::Setup(Ptr<LteHelper> lte,
               const NetDeviceContainer& enbs,
               const NetDeviceContainer& ues,
               Ptr<PropagationLossModel> loss,
               const std::vector<Ipv4Address>& serverAddresses)
{
    NS_ABORT_MSG_IF(enbs.GetN() != serverAddresses.size(), "LteTier::Setup: one eNB per server");
    m_lte = lte;
    m_enbs = enbs;
    m_ues = ues;
    m_loss = loss;
    m_addresses = serverAddresses;
    m_shares.assign(ues.GetN(), -1);
    m_target.assign(ues.GetN(), UserAllocation::kNoServer);
    m_handoverFrom.assign(ues.GetN(), UserAllocation::kNoServer);
    for (uint32_t n = 0; n < ues.GetN(); ++n)
    {
        Ptr<LteUeRrc> rrc = DynamicCast<LteUeNetDevice>(ues.Get(n))->GetRrc();
        rrc->TraceConnectWithoutContext(
            "ConnectionEstablished",
            MakeCallback(&LteTier::ConnectionEstablished, this).Bind(n));
        rrc->TraceConnectWithoutContext("HandoverEndOk",
                                        MakeCallback(&LteTier::HandoverEndOk, this).Bind(n));
        rrc->TraceConnectWithoutContext("HandoverEndError",
                                        MakeCallback(&LteTier::HandoverEndError, this).Bind(n));
    }
}

double
LteTier::EstimateGain(uint32_t user, uint32_t server)
{
    auto tx = m_ues.Get(user)->GetNode()->GetObject<MobilityModel>();
    auto rx = m_enbs.Get(server)->GetNode()->GetObject<MobilityModel>();
    // received power of a 1 W (30 dBm) transmission, as a linear gain
    const double rxDbm = m_loss->CalcRxPower(30.0, tx, rx);
    const double gain = std::pow(10.0, (rxDbm - 30.0) / 10.0);
    if (!m_planWithLteRates || m_rbs == 0 || server >= m_serverBandHz.size() ||
        user >= m_userPowerW.size())
    {
        return gain;
    }
    const double bandHz = m_serverBandHz[server];
    const double perUser =
        std::min(1.0, double(m_serverBandHz.size()) / std::max<size_t>(1, m_userPowerW.size()));
    const auto rbs = static_cast<uint16_t>(std::max(1.0, std::round(m_rbs * perUser)));
    return LteEffectiveGain(gain,
                            m_userPowerW[user],
                            bandHz * perUser,
                            m_rbs * 180e3 / bandHz,
                            m_noisePsd,
                            rbs,
                            true);
}

void
LteTier::SetPlanning(double noisePsdWPerHz,
                     uint16_t rbs,
                     const std::vector<double>& serverBandHz,
                     const std::vector<double>& userPowerW)
{
    m_noisePsd = noisePsdWPerHz;
    m_rbs = rbs;
    m_serverBandHz = serverBandHz;
    m_userPowerW = userPowerW;
}

double
LteTier::ClampTxPowerDbm(double powerW) const
{
    return ClampedTxPowerDbm(powerW, m_minTxPowerDbm, m_maxTxPowerDbm);
}

uint32_t
LteTier::GetServingServer(uint32_t user) const
{
    auto ue = DynamicCast<LteUeNetDevice>(m_ues.Get(user));
    const uint16_t cellId = ue->GetRrc()->GetCellId();
    for (uint32_t m = 0; m < m_enbs.GetN(); ++m)
    {
        if (DynamicCast<LteEnbNetDevice>(m_enbs.Get(m))->GetCellId() == cellId)
        {
            return m;
        }
    }
    return UserAllocation::kNoServer;
}

void
LteTier::Apply(uint32_t user,
               uint32_t /* k */,
               const UserAllocation& a,
               const SplitCostModel& model)
{
    NS_LOG_FUNCTION(this << user << a.server << a.powerW);
    if (a.server == UserAllocation::kNoServer)
    {
        Detach(user);
        return;
    }
    NS_ABORT_MSG_IF(a.server >= m_enbs.GetN(),
                    "LteTier::Apply: user " << user << " allocated to unknown server " << a.server);
    auto ue = DynamicCast<LteUeNetDevice>(m_ues.Get(user));
    const double dbm = ClampTxPowerDbm(a.powerW);
    ue->GetPhy()->SetTxPower(dbm);
    const double bandHz = model.GetState().servers.at(a.server).bandwidthHz;
    m_shares.at(user) = std::clamp(a.bandwidthHz / bandHz, m_minShare, 1.0);
    m_target.at(user) = a.server;
    // the UE moves to the server's cell if it is elsewhere (its traffic reaches the server
    // through the PGW whichever cell carries it, during the handover too)
    Reassociate(user);
    NS_LOG_INFO("user " << user << ": server " << a.server << " through the eNB of server "
                        << GetServingServer(user) << ", " << dbm << " dBm");
    m_appliedTrace(user, a.server, dbm);
}

void
LteTier::Detach(uint32_t user)
{
    // the UE stays attached (idle traffic costs nothing on LTE: no grants without data); it
    // reserves no RBs any more
    m_shares.at(user) = -1;
    m_target.at(user) = UserAllocation::kNoServer;
    ApplyShare(user);
}

void
LteTier::ApplyShare(uint32_t user)
{
    Ptr<LteUeRrc> rrc = DynamicCast<LteUeNetDevice>(m_ues.Get(user))->GetRrc();
    Ptr<EdgeLlmShareFfMacScheduler> scheduler = GetScheduler(user);
    if (!scheduler || rrc->GetState() != LteUeRrc::CONNECTED_NORMALLY)
    {
        return; // set when the UE's RRC connection is established
    }
    if (m_shares.at(user) > 0)
    {
        scheduler->SetShares(rrc->GetRnti(), m_shares[user], m_shares[user]);
    }
    else
    {
        scheduler->ClearShares(rrc->GetRnti());
    }
}

void
LteTier::ConnectionEstablished(uint32_t user, uint64_t, uint16_t, uint16_t)
{
    // the RRC state changes after the trace fires: apply once the procedure is over
    Simulator::ScheduleNow(&LteTier::Reassociate, this, user);
}

void
LteTier::Reassociate(uint32_t user)
{
    ApplyShare(user); // in the serving cell, until the UE leaves it
    const uint32_t target = m_target.at(user);
    const uint32_t serving = GetServingServer(user);
    if (!m_handover || target == UserAllocation::kNoServer || serving == target ||
        serving == UserAllocation::kNoServer)
    {
        return;
    }
    auto ue = DynamicCast<LteUeNetDevice>(m_ues.Get(user));
    Ptr<LteUeRrc> rrc = ue->GetRrc();
    auto source = DynamicCast<LteEnbNetDevice>(m_enbs.Get(serving));
    if (rrc->GetState() != LteUeRrc::CONNECTED_NORMALLY ||
        !source->GetRrc()->HasUeManager(rrc->GetRnti()) ||
        source->GetRrc()->GetUeManager(rrc->GetRnti())->GetState() != UeManager::CONNECTED_NORMALLY)
    {
        // not connected yet (or a procedure is running): ConnectionEstablished or the
        // procedure's end calls again
        NS_LOG_INFO("user " << user << ": handover to the cell of server " << target
                            << " deferred (RRC state " << rrc->GetState() << ")");
        return;
    }
    NS_LOG_INFO("user " << user << ": handover from the cell of server " << serving
                        << " to that of server " << target);
    m_handoverFrom.at(user) = serving;
    // what LteHelper::HandoverRequest schedules, done now: the source's UE context leaves
    // CONNECTED_NORMALLY at once, so no second request can start while this one runs
    source->GetRrc()->SendHandoverRequest(
        rrc->GetRnti(),
        DynamicCast<LteEnbNetDevice>(m_enbs.Get(target))->GetCellId());
}

void
LteTier::HandoverEndOk(uint32_t user, uint64_t, uint16_t cellId, uint16_t rnti)
{
    const uint32_t from = m_handoverFrom.at(user);
    m_handoverFrom.at(user) = UserAllocation::kNoServer;
    ++m_handoversOk;
    NS_LOG_INFO("user " << user << ": in cell " << cellId << " (server " << GetServingServer(user)
                        << ") as RNTI " << rnti);
    m_handoverTrace(user, from, GetServingServer(user), true);
    // the share follows the UE to its new RNTI (the trace fires before the RRC state is back
    // to CONNECTED_NORMALLY)
    Simulator::ScheduleNow(&LteTier::Reassociate, this, user);
}

void
LteTier::HandoverEndError(uint32_t user, uint64_t, uint16_t cellId, uint16_t rnti)
{
    const uint32_t from = m_handoverFrom.at(user);
    m_handoverFrom.at(user) = UserAllocation::kNoServer;
    ++m_handoversFailed;
    NS_LOG_WARN("user " << user << ": handover failed (cell " << cellId << ", RNTI " << rnti
                        << "); no new attempt this round");
    m_handoverTrace(user, from, m_target.at(user), false);
    m_target.at(user) = UserAllocation::kNoServer; // no new attempt before the next Apply
}

bool
LteTier::GetSeparateCarriers() const
{
    return m_separateCarriers;
}

uint32_t
LteTier::GetHandoversCompleted() const
{
    return m_handoversOk;
}

uint32_t
LteTier::GetHandoversFailed() const
{
    return m_handoversFailed;
}

Ptr<EdgeLlmShareFfMacScheduler>
LteTier::GetScheduler(uint32_t user) const
{
    const uint32_t server = GetServingServer(user);
    if (server == UserAllocation::kNoServer)
    {
        return nullptr;
    }
    auto enb = DynamicCast<LteEnbNetDevice>(m_enbs.Get(server));
    auto cc = DynamicCast<ComponentCarrierEnb>(enb->GetCcMap().at(0));
    return DynamicCast<EdgeLlmShareFfMacScheduler>(cc->GetFfMacScheduler());
}

Ipv4Address
LteTier::GetServerAddress(uint32_t server) const
{
    return m_addresses.at(server);
}

bool
LteTier::EnforcesBandwidth() const
{
    return true;
}

double
LteTier::GetServerBandHz(uint32_t server) const
{
    return m_serverBandHz.at(server);
}

DataRate
LteTier::GetBackhaulDataRate() const
{
    return m_backhaulRate;
}

Time
LteTier::GetBackhaulDelay() const
{
    return m_backhaulDelay;
}

} // namespace ns3
