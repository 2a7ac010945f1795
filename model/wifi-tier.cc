/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wifi-tier.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/node.h"
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
            .AddAttribute("AssociationTimeLimit",
                          "An interface that should sleep but has not associated with its AP yet "
                          "stays awake until it associates or until this time after the start "
                          "of the simulation (0: sleep at once)",
                          TimeValue(Seconds(2)),
                          MakeTimeAccessor(&WifiTier::m_associationTimeLimit),
                          MakeTimeChecker(Seconds(0)))
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
    for (uint32_t n = 0; n < stations.size(); ++n)
    {
        for (uint32_t m = 0; m < accessPoints.size(); ++m)
        {
            stations[n][m]->GetMac()->TraceConnectWithoutContext(
                "Assoc",
                MakeCallback(&WifiTier::Associated, this).Bind(n, m));
        }
    }
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
                                    << " within the association time limit (out of range?)");
                Sleep(n, m);
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
    const double dbm = powerW > 0 ? 10.0 * std::log10(powerW * 1e3) : m_minTxPowerDbm;
    return std::clamp(dbm, m_minTxPowerDbm, std::max(m_minTxPowerDbm, m_maxTxPowerDbm));
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
    Ptr<WifiPhy> phy = sta->GetPhy();
    if (!phy->IsStateSleep() && !phy->IsStateOff()) // OFF: battery empty
    {
        phy->SetSleepMode();
    }
}

void
WifiTier::Wake(uint32_t user, uint32_t server)
{
    m_sleepPending[user][server] = false;
    Ptr<WifiPhy> phy = m_stations[user][server]->GetPhy();
    if (phy->IsStateSleep())
    {
        phy->ResumeFromSleep();
    }
}

void
WifiTier::Apply(uint32_t user, const UserAllocation& a, const SplitCostModel& /* model */)
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

// ---- WifiTierInterfaceEnergyModel ----------------------------------------------------------

NS_OBJECT_ENSURE_REGISTERED(WifiTierInterfaceEnergyModel);

TypeId
WifiTierInterfaceEnergyModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::WifiTierInterfaceEnergyModel")
                            .SetParent<WifiRadioEnergyModel>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<WifiTierInterfaceEnergyModel>();
    return tid;
}

WifiTierInterfaceEnergyModel::WifiTierInterfaceEnergyModel() = default;
WifiTierInterfaceEnergyModel::~WifiTierInterfaceEnergyModel() = default;

void
WifiTierInterfaceEnergyModel::HandleEnergyChanged()
{
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
