/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wifi-tier.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/energy-source.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/sta-wifi-mac.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-phy-state-helper.h"
#include "ns3/wifi-phy.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmWifiTier");
NS_OBJECT_ENSURE_REGISTERED(WifiTier);
NS_OBJECT_ENSURE_REGISTERED(WifiTierRadioEnergyModel);

namespace
{
/// RxSensitivity of a deaf interface, dBm: above any received power (YansWifiChannel drops a
/// PPDU below the receiver's sensitivity before the PHY sees it).
constexpr double kDeafRxSensitivityDbm = 300.0;
} // namespace

TypeId
WifiTier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::WifiTier")
            .SetParent<SplitChannelTier>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<WifiTier>()
            .AddAttribute("MinTxPowerDbm",
                          "Lowest transmit power the PHYs are set to, dBm (an allocation below "
                          "it is raised to it)",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&WifiTier::m_minTxPowerDbm),
                          MakeDoubleChecker<double>())
            .AddAttribute("MaxTxPowerDbm",
                          "Highest transmit power the PHYs are set to, dBm (an allocation or a "
                          "server power above it is lowered to it; 40 dBm keeps the realistic "
                          "preset's 10 W servers)",
                          DoubleValue(40.0),
                          MakeDoubleAccessor(&WifiTier::m_maxTxPowerDbm),
                          MakeDoubleChecker<double>())
            .AddAttribute(
                "RateControl",
                "Rate manager of the Wi-Fi devices, read by WifiTierHelper when it "
                "builds them: ideal (ns3::IdealWifiManager) or minstrel-ht "
                "(ns3::MinstrelHtWifiManager)",
                EnumValue(WifiTier::IDEAL),
                MakeEnumAccessor(&WifiTier::m_rateControl),
                MakeEnumChecker(WifiTier::IDEAL, "ideal", WifiTier::MINSTREL_HT, "minstrel-ht"))
            .AddAttribute("RtsCtsThresholdBytes",
                          "PSDUs longer than this are protected by an RTS/CTS exchange (read by "
                          "WifiTierHelper when it builds the devices): the devices of a cell are "
                          "often hidden from each other; 500 B protects data A-MPDUs but not "
                          "TCP acknowledgements or management frames",
                          UintegerValue(500),
                          MakeUintegerAccessor(&WifiTier::m_rtsCtsThresholdBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("DeafWhileAsleep",
                          "A sleeping or switched-off station interface ignores the channel's "
                          "PPDUs before its PHY sees them (its RxSensitivity is raised while it "
                          "sleeps), instead of the PHY adding each one to its interference "
                          "record and then dropping it: the same network for much less CPU. It "
                          "differs only if an interface wakes in the middle of a strong PPDU "
                          "(it then starts IDLE instead of CCA-busy for the rest of it)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&WifiTier::m_deafWhileAsleep),
                          MakeBooleanChecker())
            .AddAttribute("AssociationTimeLimit",
                          "An interface that should sleep but has not associated with its AP yet "
                          "stays awake until it associates or until this time after the start "
                          "of the simulation (0: sleep at once)",
                          TimeValue(Seconds(2)),
                          MakeTimeAccessor(&WifiTier::m_associationTimeLimit),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("MacEfficiency",
                          "Goodput / PHY rate of a station alone in its cell, as the cost model "
                          "prices Wi-Fi links (DescribeLinks; doc/edge-llm.rst, Wi-Fi prediction: "
                          "the 802.11ax TXOP overheads of a 5.484 ms A-MPDU with RTS/CTS, block "
                          "ack, the AP's TCP-ack TXOP and the TCP/IP/MAC framing)",
                          DoubleValue(0.85),
                          MakeDoubleAccessor(&WifiTier::m_macEfficiency),
                          MakeDoubleChecker<double>(0.01, 1.0))
            .AddTraceSource("Applied",
                            "A user's decision reached the air: serving server and tx power",
                            MakeTraceSourceAccessor(&WifiTier::m_appliedTrace),
                            "ns3::WifiTier::AppliedTracedCallback");
    return tid;
}

WifiTier::WifiTier() = default;
WifiTier::~WifiTier() = default;

void
WifiTier::DoDispose()
{
    m_loss = nullptr;
    m_stations.clear();
    m_accessPoints.clear();
    SplitChannelTier::DoDispose();
}

void
WifiTier::Setup(Ptr<PropagationLossModel> loss,
                const std::vector<std::vector<Ptr<WifiNetDevice>>>& stations,
                const std::vector<Ptr<WifiNetDevice>>& accessPoints,
                const std::vector<Ipv4Address>& serverAddresses)
{
    NS_ABORT_MSG_IF(accessPoints.size() != serverAddresses.size(),
                    "WifiTier::Setup: one address per access point");
    for (const auto& perServer : stations)
    {
        NS_ABORT_MSG_IF(perServer.size() != accessPoints.size(),
                        "WifiTier::Setup: every user needs one station per access point");
    }
    m_loss = loss;
    m_stations = stations;
    m_accessPoints = accessPoints;
    m_addresses = serverAddresses;
    m_serving.assign(stations.size(), UserAllocation::kNoServer);
    m_sleepPending.assign(stations.size(), std::vector<bool>(accessPoints.size(), false));
    m_sleepDeferred.assign(stations.size(), std::vector<bool>(accessPoints.size(), false));
    m_offNoAp.assign(stations.size(), std::vector<bool>(accessPoints.size(), false));
    m_hearingDbm.assign(stations.size(), std::vector<double>(accessPoints.size(), std::nan("")));
    for (uint32_t n = 0; n < stations.size(); ++n)
    {
        for (uint32_t m = 0; m < accessPoints.size(); ++m)
        {
            stations[n][m]->GetMac()->TraceConnectWithoutContext(
                "Assoc",
                MakeCallback(&WifiTier::Associated, this).Bind(n, m));
        }
    }
    m_idlePowerW.assign(stations.size(), 0.0);
    ComputeMcsGap();
    m_associationTimeUp = false;
    Simulator::Schedule(m_associationTimeLimit, &WifiTier::AssociationTimeUp, this);
}

void
WifiTier::Associated(uint32_t user, uint32_t server, Mac48Address ap)
{
    NS_LOG_FUNCTION(this << user << server << ap);
    if (m_sleepPending[user][server])
    {
        Sleep(user, server);
    }
}

void
WifiTier::AssociationTimeUp()
{
    m_associationTimeUp = true;
    for (uint32_t n = 0; n < m_stations.size(); ++n)
    {
        for (uint32_t m = 0; m < m_accessPoints.size(); ++m)
        {
            if (m_sleepPending[n][m])
            {
                NS_LOG_WARN("user " << n << " did not associate with the AP of server " << m
                                    << " within the association time limit (out of range?): "
                                       "interface off until the device is served through it");
                SwitchOffUnassociated(n, m);
            }
        }
    }
}

double
WifiTier::EstimateGain(uint32_t user, uint32_t server)
{
    auto tx = m_stations.at(user).at(server)->GetNode()->GetObject<MobilityModel>();
    auto rx = m_accessPoints.at(server)->GetNode()->GetObject<MobilityModel>();
    // received power of a 1 W (30 dBm) transmission, as a linear gain
    const double rxDbm = m_loss->CalcRxPower(30.0, tx, rx);
    return std::pow(10.0, (rxDbm - 30.0) / 10.0);
}

double
WifiTier::ClampTxPowerDbm(double powerW) const
{
    return ClampedTxPowerDbm(powerW, m_minTxPowerDbm, m_maxTxPowerDbm);
}

WifiTier::RateControl
WifiTier::GetRateControl() const
{
    return m_rateControl;
}

uint32_t
WifiTier::GetRtsCtsThresholdBytes() const
{
    return m_rtsCtsThresholdBytes;
}

void
WifiTier::Sleep(uint32_t user, uint32_t server)
{
    Ptr<WifiNetDevice> sta = m_stations[user][server];
    auto mac = DynamicCast<StaWifiMac>(sta->GetMac());
    if (!m_associationTimeUp && mac && !mac->IsAssociated())
    {
        m_sleepPending[user][server] = true; // sleeps once associated
        return;
    }
    m_sleepPending[user][server] = false;
    m_sleepDeferred[user][server] = false;
    Ptr<WifiPhy> phy = sta->GetPhy();
    if (phy->IsStateSleep() || phy->IsStateOff()) // OFF: battery empty or no AP found
    {
        return;
    }
    if (phy->IsStateTx() || phy->IsStateRx() || phy->IsStateSwitching())
    {
        // WifiPhy would postpone the sleep itself, and then assert if the battery switched the
        // PHY off meanwhile: postpone it here, where the state is checked again
        m_sleepDeferred[user][server] = true;
        Simulator::Schedule(std::max(phy->GetDelayUntilIdle(), NanoSeconds(1)),
                            &WifiTier::SleepIfStillPending,
                            this,
                            user,
                            server);
        return;
    }
    phy->SetSleepMode();
    Deafen(user, server);
}

void
WifiTier::SwitchOffUnassociated(uint32_t user, uint32_t server)
{
    // not SetSleepMode: a station still scanning may be inside a reception that WifiPhy 3.37
    // does not cancel on sleep (it aborts with "Invalid WifiPhy state SLEEP" when the PHY
    // header ends); SetOffMode cancels the PHY's pending events, and an interface that found no
    // AP draws nothing until it is woken
    m_sleepPending[user][server] = false;
    m_sleepDeferred[user][server] = false;
    Ptr<WifiPhy> phy = m_stations[user][server]->GetPhy();
    if (!phy->IsStateOff())
    {
        phy->SetOffMode();
        m_offNoAp[user][server] = true;
        Deafen(user, server);
    }
}

void
WifiTier::Deafen(uint32_t user, uint32_t server)
{
    if (!m_deafWhileAsleep || !std::isnan(m_hearingDbm[user][server]))
    {
        return;
    }
    Ptr<WifiPhy> phy = m_stations[user][server]->GetPhy();
    m_hearingDbm[user][server] = phy->GetRxSensitivity();
    phy->SetRxSensitivity(kDeafRxSensitivityDbm);
}

void
WifiTier::Undeafen(uint32_t user, uint32_t server)
{
    if (std::isnan(m_hearingDbm[user][server]))
    {
        return;
    }
    m_stations[user][server]->GetPhy()->SetRxSensitivity(m_hearingDbm[user][server]);
    m_hearingDbm[user][server] = std::nan("");
}

void
WifiTier::SleepIfStillPending(uint32_t user, uint32_t server)
{
    if (m_sleepDeferred[user][server]) // not woken since
    {
        Sleep(user, server);
    }
}

void
WifiTier::Wake(uint32_t user, uint32_t server)
{
    m_sleepPending[user][server] = false;
    m_sleepDeferred[user][server] = false;
    Undeafen(user, server);
    Ptr<WifiPhy> phy = m_stations[user][server]->GetPhy();
    if (phy->IsStateSleep())
    {
        phy->ResumeFromSleep();
    }
    else if (m_offNoAp[user][server] && phy->IsStateOff())
    {
        m_offNoAp[user][server] = false;
        phy->ResumeFromOff(); // scans for its AP again
    }
}

void
WifiTier::Apply(uint32_t user,
                uint32_t /* k */,
                const UserAllocation& a,
                const SplitCostModel& /* model */)
{
    NS_LOG_FUNCTION(this << user << a.server << a.powerW);
    if (a.server == UserAllocation::kNoServer)
    {
        Detach(user);
        return;
    }
    const auto& stations = m_stations.at(user);
    NS_ABORT_MSG_IF(a.server >= stations.size(),
                    "WifiTier::Apply: user " << user << " allocated to unknown server "
                                             << a.server);
    for (uint32_t m = 0; m < stations.size(); ++m)
    {
        if (m != a.server)
        {
            Sleep(user, m);
        }
    }
    Ptr<WifiNetDevice> sta = stations[a.server];
    Wake(user, a.server);
    const double dbm = ClampTxPowerDbm(a.powerW);
    Ptr<WifiPhy> phy = sta->GetPhy();
    phy->SetTxPowerStart(dbm);
    phy->SetTxPowerEnd(dbm);
    m_serving[user] = a.server;
    auto mac = DynamicCast<StaWifiMac>(sta->GetMac());
    if (mac && !mac->IsAssociated())
    {
        NS_LOG_WARN("user " << user << " is not associated with the AP of server " << a.server
                            << " (out of range?); its traffic will wait for the association");
    }
    m_appliedTrace(user, a.server, dbm);
}

void
WifiTier::Detach(uint32_t user)
{
    NS_LOG_FUNCTION(this << user);
    for (uint32_t m = 0; m < m_stations.at(user).size(); ++m)
    {
        Sleep(user, m);
    }
    if (m_serving[user] != UserAllocation::kNoServer)
    {
        m_serving[user] = UserAllocation::kNoServer;
        m_appliedTrace(user, UserAllocation::kNoServer, std::nan(""));
    }
}

Ipv4Address
WifiTier::GetServerAddress(uint32_t server) const
{
    return m_addresses.at(server);
}

bool
WifiTier::EnforcesBandwidth() const
{
    return false;
}

uint32_t
WifiTier::GetServingServer(uint32_t user) const
{
    return m_serving.at(user);
}

Ptr<WifiNetDevice>
WifiTier::GetStation(uint32_t user, uint32_t server) const
{
    return m_stations.at(user).at(server);
}

Ptr<WifiNetDevice>
WifiTier::GetAccessPoint(uint32_t server) const
{
    return m_accessPoints.at(server);
}

// ---- WifiPhyStateEnergyModel ---------------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(WifiPhyStateEnergyModel);

TypeId
WifiPhyStateEnergyModel::GetTypeId()
{
    // attribute names and defaults as ns-3's WifiRadioEnergyModel
    static TypeId tid =
        TypeId("ns3::WifiPhyStateEnergyModel")
            .SetParent<DeviceEnergyModel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<WifiPhyStateEnergyModel>()
            .AddAttribute("IdleCurrentA",
                          "Current in IDLE, A",
                          DoubleValue(0.273),
                          MakeDoubleAccessor(&WifiPhyStateEnergyModel::m_idleCurrentA),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("CcaBusyCurrentA",
                          "Current in CCA_BUSY, A",
                          DoubleValue(0.273),
                          MakeDoubleAccessor(&WifiPhyStateEnergyModel::m_ccaBusyCurrentA),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("TxCurrentA",
                          "Current in TX, A, when no TxCurrentModel is set",
                          DoubleValue(0.380),
                          MakeDoubleAccessor(&WifiPhyStateEnergyModel::m_txCurrentA),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("RxCurrentA",
                          "Current in RX, A",
                          DoubleValue(0.313),
                          MakeDoubleAccessor(&WifiPhyStateEnergyModel::m_rxCurrentA),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("SwitchingCurrentA",
                          "Current in SWITCHING, A",
                          DoubleValue(0.273),
                          MakeDoubleAccessor(&WifiPhyStateEnergyModel::m_switchingCurrentA),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("SleepCurrentA",
                          "Current in SLEEP, A (zero is fine: there is no switch-off time to "
                          "compute)",
                          DoubleValue(0.033),
                          MakeDoubleAccessor(&WifiPhyStateEnergyModel::m_sleepCurrentA),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("TxCurrentModel",
                          "Gives the TX current from each transmission's power (none: "
                          "TxCurrentA)",
                          PointerValue(),
                          MakePointerAccessor(&WifiPhyStateEnergyModel::m_txCurrentModel),
                          MakePointerChecker<WifiTxCurrentModel>())
            .AddTraceSource("TotalEnergyConsumption",
                            "Energy drawn so far, J (updated at every change of current)",
                            MakeTraceSourceAccessor(&WifiPhyStateEnergyModel::m_totalEnergyJ),
                            "ns3::TracedValueCallback::Double");
    return tid;
}

WifiPhyStateEnergyModel::WifiPhyStateEnergyModel()
    : m_lastSwitch(Simulator::Now()),
      m_totalEnergyJ(0.0)
{
}

WifiPhyStateEnergyModel::~WifiPhyStateEnergyModel()
{
    delete m_listener;
}

void
WifiPhyStateEnergyModel::DoDispose()
{
    m_periodEndEvent.Cancel();
    m_evaluateEvent.Cancel();
    if (m_phyState && m_listener)
    {
        m_phyState->UnregisterListener(m_listener);
    }
    m_phyState = nullptr;
    m_source = nullptr;
    m_txCurrentModel = nullptr;
    m_depletionCallback = MakeNullCallback<void>();
    m_rechargedCallback = MakeNullCallback<void>();
    DeviceEnergyModel::DoDispose();
}

void
WifiPhyStateEnergyModel::SetEnergySource(Ptr<EnergySource> source)
{
    NS_ASSERT(source);
    m_source = source;
}

void
WifiPhyStateEnergyModel::AttachPhy(Ptr<WifiPhy> phy)
{
    NS_ABORT_MSG_IF(m_phyState, "WifiPhyStateEnergyModel::AttachPhy called twice");
    NS_ABORT_MSG_IF(!m_source, "WifiPhyStateEnergyModel::AttachPhy before SetEnergySource");
    m_phyState = phy->GetState();
    m_listener = new Listener(this);
    m_phyState->RegisterListener(m_listener);
    Account();
    m_state = m_phyState->GetState();
    m_currentA = GetStateCurrentA(m_state);
    Evaluate(); // plans the end of a timed period the PHY may be in
}

void
WifiPhyStateEnergyModel::SetEnergyDepletionCallback(Callback<void> callback)
{
    m_depletionCallback = callback;
}

void
WifiPhyStateEnergyModel::SetEnergyRechargedCallback(Callback<void> callback)
{
    m_rechargedCallback = callback;
}

void
WifiPhyStateEnergyModel::SetTxCurrentModel(Ptr<WifiTxCurrentModel> model)
{
    m_txCurrentModel = model;
}

double
WifiPhyStateEnergyModel::GetIdleCurrentA() const
{
    return m_idleCurrentA;
}

WifiPhyState
WifiPhyStateEnergyModel::GetCurrentState() const
{
    return m_state;
}

double
WifiPhyStateEnergyModel::GetStateCurrentA(WifiPhyState state) const
{
    switch (state)
    {
    case WifiPhyState::IDLE:
        return m_idleCurrentA;
    case WifiPhyState::CCA_BUSY:
        return m_ccaBusyCurrentA;
    case WifiPhyState::TX:
        return m_presentTxCurrentA;
    case WifiPhyState::RX:
        return m_rxCurrentA;
    case WifiPhyState::SWITCHING:
        return m_switchingCurrentA;
    case WifiPhyState::SLEEP:
        return m_sleepCurrentA;
    case WifiPhyState::OFF:
        return 0.0;
    }
    NS_FATAL_ERROR("WifiPhyStateEnergyModel: unknown PHY state " << int(state));
    return 0.0;
}

double
WifiPhyStateEnergyModel::GetTotalEnergyConsumption() const
{
    if (!m_source)
    {
        return m_totalEnergyJ.Get();
    }
    return m_totalEnergyJ.Get() + m_currentA * m_source->GetSupplyVoltage() *
                                      (Simulator::Now() - m_lastSwitch).GetSeconds();
}

void
WifiPhyStateEnergyModel::ChangeState(int /* newState */)
{
    PhyChanged();
}

void
WifiPhyStateEnergyModel::HandleEnergyDepletion()
{
    NS_LOG_FUNCTION(this);
    if (m_depleted)
    {
        return;
    }
    // called by the source's update, which has integrated the draw up to now
    Account();
    m_depleted = true;
    m_currentA = 0;
    if (!m_depletionCallback.IsNull())
    {
        m_depletionCallback();
    }
}

void
WifiPhyStateEnergyModel::HandleEnergyRecharged()
{
    NS_LOG_FUNCTION(this);
    if (!m_depleted)
    {
        return;
    }
    Account();
    m_depleted = false;
    m_currentA = GetStateCurrentA(m_state);
    if (!m_rechargedCallback.IsNull())
    {
        m_rechargedCallback();
    }
    PhyChanged();
}

void
WifiPhyStateEnergyModel::HandleEnergyChanged()
{
}

double
WifiPhyStateEnergyModel::DoGetCurrentA() const
{
    return m_currentA;
}

void
WifiPhyStateEnergyModel::TxStarting(double txPowerDbm)
{
    m_presentTxCurrentA =
        m_txCurrentModel ? m_txCurrentModel->CalcTxCurrent(txPowerDbm) : m_txCurrentA;
    PhyChanged();
}

void
WifiPhyStateEnergyModel::PhyChanged()
{
    // The PHY notifies its listeners in the middle of a change (before its state variables
    // are all set, for some notices): read the state once the PHY is done, at this instant.
    // Nothing is drawn in between, no time passes.
    if (!m_evaluateEvent.IsRunning() && m_phyState)
    {
        m_evaluateEvent = Simulator::ScheduleNow(&WifiPhyStateEnergyModel::Evaluate, this);
    }
}

void
WifiPhyStateEnergyModel::Evaluate()
{
    if (!m_phyState)
    {
        return; // disposed
    }
    const WifiPhyState state = m_phyState->GetState();
    const double currentA = m_depleted ? 0.0 : GetStateCurrentA(state);
    if (state != m_state || currentA != m_currentA)
    {
        Switch(state, currentA);
    }
    // a TX, RX, CCA-busy or switching period ends without a notice: read the state then
    const Time until = m_phyState->GetDelayUntilIdle();
    if (until.IsStrictlyPositive())
    {
        const Time at = Simulator::Now() + until;
        if (!m_periodEndEvent.IsRunning() || m_periodEndAt != at)
        {
            m_periodEndEvent.Cancel();
            m_periodEndAt = at;
            m_periodEndEvent = Simulator::Schedule(until, &WifiPhyStateEnergyModel::Evaluate, this);
        }
    }
}

void
WifiPhyStateEnergyModel::Switch(WifiPhyState state, double currentA)
{
    NS_LOG_FUNCTION(this << state << currentA);
    if (m_source)
    {
        m_source->UpdateEnergySource(); // integrates the old current up to now
    }
    Account();
    m_state = state;
    m_currentA = m_depleted ? 0.0 : currentA; // the update may have found the source empty
}

void
WifiPhyStateEnergyModel::Account()
{
    const Time now = Simulator::Now();
    if (m_source && now > m_lastSwitch && m_currentA != 0)
    {
        m_totalEnergyJ = m_totalEnergyJ.Get() + m_currentA * m_source->GetSupplyVoltage() *
                                                    (now - m_lastSwitch).GetSeconds();
    }
    m_lastSwitch = now;
}

WifiPhyStateEnergyModel::Listener::Listener(WifiPhyStateEnergyModel* model)
    : m_model(model)
{
}

void
WifiPhyStateEnergyModel::Listener::NotifyRxStart(Time)
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifyRxEndOk()
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifyRxEndError()
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifyTxStart(Time, double txPowerDbm)
{
    m_model->TxStarting(txPowerDbm);
}

void
WifiPhyStateEnergyModel::Listener::NotifyCcaBusyStart(Time,
                                                      WifiChannelListType,
                                                      const std::vector<Time>&)
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifySwitchingStart(Time)
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifySleep()
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifyOff()
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifyWakeup()
{
    m_model->PhyChanged();
}

void
WifiPhyStateEnergyModel::Listener::NotifyOn()
{
    m_model->PhyChanged();
}

// ---- WifiTierRadioEnergyModel -------------------------------------------------------------

TypeId
WifiTierRadioEnergyModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::WifiTierRadioEnergyModel")
                            .SetParent<DeviceEnergyModel>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<WifiTierRadioEnergyModel>();
    return tid;
}

WifiTierRadioEnergyModel::WifiTierRadioEnergyModel() = default;
WifiTierRadioEnergyModel::~WifiTierRadioEnergyModel() = default;

void
WifiTierRadioEnergyModel::DoDispose()
{
    m_models.clear();
    DeviceEnergyModel::DoDispose();
}

void
WifiTierRadioEnergyModel::Add(Ptr<DeviceEnergyModel> model)
{
    NS_ASSERT(model);
    m_models.push_back(model);
}

const std::vector<Ptr<DeviceEnergyModel>>&
WifiTierRadioEnergyModel::GetModels() const
{
    return m_models;
}

void
WifiTierRadioEnergyModel::SetEnergySource(Ptr<EnergySource> /* source */)
{
    // reads its interfaces' models only; they are attached to the battery themselves
}

double
WifiTierRadioEnergyModel::GetTotalEnergyConsumption() const
{
    double total = 0;
    for (const auto& model : m_models)
    {
        total += model->GetTotalEnergyConsumption();
    }
    return total;
}

void
WifiTierRadioEnergyModel::ChangeState(int /* newState */)
{
    NS_FATAL_ERROR("WifiTierRadioEnergyModel has no state: the interfaces' models have");
}

void
WifiTierRadioEnergyModel::HandleEnergyDepletion()
{
}

void
WifiTierRadioEnergyModel::HandleEnergyRecharged()
{
}

void
WifiTierRadioEnergyModel::HandleEnergyChanged()
{
}

double
WifiTierRadioEnergyModel::DoGetCurrentA() const
{
    double current = 0;
    for (const auto& model : m_models)
    {
        current += model->GetCurrentA();
    }
    return current;
}

} // namespace ns3
