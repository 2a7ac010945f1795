/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the `wifi` channel tier: split training over 802.11ax cells (one AP per
 * server) finishes every round, each device's traffic reaches the server the allocation named
 * (also when the allocation moves devices between cells), the serving interface transmits at
 * the allocated power while the others sleep (no draw), the allocator's gains are the
 * cells' loss model, and the radio energy is the PHY's state durations x state currents (its
 * State trace) and what the battery pays.
 */

#include "equal-share-allocation.h"

#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/wifi-phy-state-helper.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-tx-current-model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <tuple>

using namespace ns3;

namespace
{

/**
 * A deterministic allocator that moves every device to the next server each round
 * (user n on server (n + round) mod M): alpha_min, full power, equal shares.
 */
class RotatingTestAllocator : public SplitAllocator
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::EdgeLlmWifiRotatingTestAllocator")
                                .SetParent<SplitAllocator>()
                                .SetGroupName("EdgeLlm")
                                .AddConstructor<RotatingTestAllocator>();
        return tid;
    }

  private:
    Allocation DoAllocate(const RoundState& s) override
    {
        const Allocation a = edgellmtest::EqualShareAllocation(
            s,
            "rotating-test",
            [this, &s](uint32_t n) { return (n + m_round) % s.NumServers(); },
            [&s](uint32_t n) { return s.users[n].pMaxW * (n % 2 == 0 ? 1.0 : 0.25); });
        ++m_round;
        return a;
    }

    uint32_t m_round{0}; //!< calls so far
};

NS_OBJECT_ENSURE_REGISTERED(RotatingTestAllocator);

/// A small realistic wifi scenario: GPT-2 payloads, cells small enough for every link.
SplitTrainingScenario
WifiScenario(const std::string& allocator, uint32_t rounds, uint64_t seed)
{
    SplitTrainingScenario sc;
    sc.drop.users = 4;
    sc.drop.servers = 2;
    sc.drop.preset = "realistic";
    sc.drop.model = "gpt2-124m";
    sc.drop.batch = 1;
    sc.drop.seqLen = 512;
    sc.drop.layout = "hex";
    // 100 m between APs: every device reaches both APs at MCS 0 or better
    sc.drop.interSiteDistanceM = 100;
    sc.drop.seed = seed;
    sc.allocator = allocator;
    sc.tier = "wifi";
    sc.rounds = rounds;
    // the rotating allocator counts its calls as rounds: no re-planning for hysteresis
    sc.handoverHysteresisDb = 0;
    return sc;
}

/// Runs a built scenario to its end (safety net: 1e4 s of simulated time).
std::vector<RoundReport>
RunToEnd(SplitTrainingHelper& helper)
{
    return helper.RunToEnd(Seconds(1e4));
}

/// (round, user) -> server whose training app received the user's activation
using Arrivals = std::map<std::pair<uint32_t, uint32_t>, std::set<uint32_t>>;

void
RecordArrival(Arrivals* arrivals,
              uint32_t server,
              uint32_t round,
              uint32_t user,
              SplitTrainingServer::Phase phase)
{
    if (phase == SplitTrainingServer::ACTIVATION_RECEIVED)
    {
        (*arrivals)[{round, user}].insert(server);
    }
}

/// Connects RecordArrival to every server app.
void
WatchServers(SplitTrainingHelper& helper, Arrivals* arrivals)
{
    const NodeContainer& servers = helper.GetServerNodes();
    for (uint32_t j = 0; j < servers.GetN(); ++j)
    {
        Ptr<Node> node = servers.Get(j);
        for (uint32_t a = 0; a < node->GetNApplications(); ++a)
        {
            if (auto app = DynamicCast<SplitTrainingServer>(node->GetApplication(a)))
            {
                app->TraceConnectWithoutContext("Phase",
                                                MakeBoundCallback(&RecordArrival, arrivals, j));
            }
        }
    }
}

/**
 * The energy of one station interface booked from its PHY's State trace: the sum of the
 * logged periods' durations x state current x supply voltage, independently of the energy
 * model (the TX current from the PHY's power at the start of each transmission).
 */
struct StateBook
{
    Ptr<WifiPhy> phy;                 //!< the interface's PHY
    std::map<WifiPhyState, double> a; //!< state currents, A (TX: from txCurrent)
    Ptr<LinearWifiTxCurrentModel> tx; //!< TX current from TX power
    double voltageV{0};               //!< supply voltage, V
    double energyJ{0};                //!< booked energy, J
    Time lastEnd;                     //!< end of the latest logged period
    double lastCurrentA{0};           //!< current of the latest logged period, A
    uint32_t periods{0};              //!< logged periods
};

void
BookState(StateBook* book, Time start, Time duration, WifiPhyState state)
{
    const double currentA = state == WifiPhyState::TX
                                ? book->tx->CalcTxCurrent(book->phy->GetTxPowerStart())
                                : book->a.at(state);
    book->energyJ += currentA * book->voltageV * duration.GetSeconds();
    book->lastEnd = std::max(book->lastEnd, start + duration);
    book->lastCurrentA = currentA;
    ++book->periods;
}

/**
 * Books still open at the end of the run: a transmission logged to its end in the future is
 * cut at now; the period since the last logged one (idle, CCA busy or asleep, then maybe a
 * reception under way) is added.
 * @param book the interface's book
 * @return the energy booked up to now, J
 */
double
CloseBook(const StateBook& book)
{
    const Time now = Simulator::Now();
    double energyJ = book.energyJ;
    if (book.lastEnd > now)
    {
        return energyJ - book.lastCurrentA * book.voltageV * (book.lastEnd - now).GetSeconds();
    }
    Ptr<WifiPhyStateHelper> helper = book.phy->GetState();
    const WifiPhyState state = helper->GetState();
    Time tailEnd = now;
    if (state == WifiPhyState::RX)
    {
        tailEnd = helper->GetLastRxStartTime();
        energyJ += book.a.at(WifiPhyState::RX) * book.voltageV * (now - tailEnd).GetSeconds();
    }
    // idle and CCA busy draw alike here (checked by the caller), so the split does not matter
    const WifiPhyState tailState = state == WifiPhyState::SLEEP ? state : WifiPhyState::IDLE;
    energyJ += book.a.at(tailState) * book.voltageV * (tailEnd - book.lastEnd).GetSeconds();
    return energyJ;
}

double
GetDouble(Ptr<Object> object, const std::string& name)
{
    DoubleValue v;
    object->GetAttribute(name, v);
    return v.Get();
}

} // namespace

/// Base of the test cases that run training rounds over the wifi tier.
class WifiTierTestCase : public TestCase
{
  public:
    /**
     * @param name test case name
     */
    explicit WifiTierTestCase(const std::string& name)
        : TestCase(name)
    {
    }

  protected:
    /**
     * Checks of every device record that hold for any allocation that reached the air.
     * @param reports the coordinator's reports
     * @param rounds rounds expected
     * @param arrivals where the activations arrived
     */
    void CheckRounds(const std::vector<RoundReport>& reports,
                     uint32_t rounds,
                     const Arrivals& arrivals)
    {
        NS_TEST_ASSERT_MSG_EQ(reports.size(), rounds, "every round ran");
        for (const auto& r : reports)
        {
            for (const auto& d : r.devices)
            {
                const std::string where =
                    "round " + std::to_string(r.round) + " device " + std::to_string(d.user);
                NS_TEST_EXPECT_MSG_EQ(d.status, "done", where);
                for (double t : {d.delayS, d.uplinkS, d.downlinkS, d.deviceComputeS})
                {
                    NS_TEST_EXPECT_MSG_EQ(std::isfinite(t), true, where << ": finite");
                    NS_TEST_EXPECT_MSG_GT(t, 0.0, where << ": positive");
                }
                NS_TEST_EXPECT_MSG_GT(d.delayS,
                                      d.uplinkS + d.downlinkS,
                                      where << ": the delay holds both transfers");
                NS_TEST_EXPECT_MSG_GT(d.radioEnergyJ, 0.0, where << ": the radio spent energy");
                NS_TEST_EXPECT_MSG_EQ((d.allocation.server < 2), true, where << ": offloads");
                auto it = arrivals.find({r.round, d.user});
                NS_TEST_EXPECT_MSG_EQ((it != arrivals.end()),
                                      true,
                                      where << ": activation arrived at a server");
                if (it != arrivals.end())
                {
                    NS_TEST_EXPECT_MSG_EQ(it->second.size(), 1u, where << ": at one server");
                    NS_TEST_EXPECT_MSG_EQ(*it->second.begin(),
                                          d.allocation.server,
                                          where << ": traffic reached the named server");
                }
            }
        }
    }
};

/// The brief's scenario with an optimising allocator: 2 servers, 4 devices, 2 rounds.
class WifiTrainingTestCase : public WifiTierTestCase
{
  public:
    WifiTrainingTestCase()
        : WifiTierTestCase("wifi: every device finishes every round on the AP the allocator named")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingHelper helper;
        helper.Build(WifiScenario("nlp-ipopt", 2, 21));
        Arrivals arrivals;
        WatchServers(helper, &arrivals);
        // book every station interface's energy from its PHY's State trace
        std::vector<std::unique_ptr<StateBook>> books; // [user * M + server]
        Ptr<WifiTier> tier = helper.GetTierHelper<WifiTierHelper>().GetTier();
        for (uint32_t n = 0; n < helper.GetDevices().size(); ++n)
        {
            auto radio = DynamicCast<WifiTierRadioEnergyModel>(helper.GetDevices()[n].radio);
            NS_TEST_ASSERT_MSG_NE(radio, nullptr, "the radio energy is the Wi-Fi tier's");
            for (uint32_t m = 0; m < radio->GetModels().size(); ++m)
            {
                Ptr<DeviceEnergyModel> model = radio->GetModels()[m];
                auto book = std::make_unique<StateBook>();
                book->phy = tier->GetStation(n, m)->GetPhy();
                book->voltageV = helper.GetDevices()[n].battery->GetSupplyVoltage();
                book->a[WifiPhyState::IDLE] = GetDouble(model, "IdleCurrentA");
                book->a[WifiPhyState::CCA_BUSY] = GetDouble(model, "CcaBusyCurrentA");
                book->a[WifiPhyState::RX] = GetDouble(model, "RxCurrentA");
                book->a[WifiPhyState::SWITCHING] = GetDouble(model, "SwitchingCurrentA");
                book->a[WifiPhyState::SLEEP] = GetDouble(model, "SleepCurrentA");
                book->a[WifiPhyState::OFF] = 0;
                NS_TEST_ASSERT_MSG_EQ(book->a[WifiPhyState::IDLE],
                                      book->a[WifiPhyState::CCA_BUSY],
                                      "CloseBook assumes equal idle and CCA-busy currents");
                book->tx = CreateObject<LinearWifiTxCurrentModel>();
                book->tx->SetAttribute("Voltage", DoubleValue(book->voltageV));
                book->tx->SetAttribute("IdleCurrent", DoubleValue(book->a[WifiPhyState::IDLE]));
                book->phy->GetState()->TraceConnectWithoutContext(
                    "State",
                    MakeBoundCallback(&BookState, book.get()));
                books.push_back(std::move(book));
            }
        }
        auto reports = RunToEnd(helper);
        CheckRounds(reports, 2, arrivals);
        // the battery pays for the Wi-Fi radio: drained = compute + radio
        for (uint32_t n = 0; n < helper.GetDevices().size(); ++n)
        {
            const auto& d = helper.GetDevices()[n];
            d.battery->UpdateEnergySource();
            const double drained = d.battery->GetInitialEnergy() - d.battery->GetRemainingEnergy();
            const double models =
                d.compute->GetTotalEnergyConsumption() + d.radio->GetTotalEnergyConsumption();
            NS_TEST_EXPECT_MSG_GT(models, 0.0, "the device spent energy");
            NS_TEST_EXPECT_MSG_EQ_TOL(drained,
                                      models,
                                      std::max(1e-9 * models, 1e-12),
                                      "battery books of device " << n);
            // the radio energy is the PHY's State trace: durations x currents x voltage
            auto radio = DynamicCast<WifiTierRadioEnergyModel>(d.radio);
            for (uint32_t m = 0; m < radio->GetModels().size(); ++m)
            {
                const StateBook& book = *books[n * radio->GetModels().size() + m];
                const double traced = CloseBook(book);
                const double model = radio->GetModels()[m]->GetTotalEnergyConsumption();
                NS_TEST_EXPECT_MSG_GT(book.periods, 100u, "the PHY logged its states");
                NS_TEST_EXPECT_MSG_GT(traced, 0.0, "the interface spent energy");
                NS_TEST_EXPECT_MSG_EQ_TOL(model,
                                          traced,
                                          std::max(1e-9 * traced, 1e-12),
                                          "device " << n << " interface " << m
                                                    << ": model vs PHY State trace");
            }
        }
        Simulator::Destroy();
    }
};

/// Energy of each interface of each device at the start of a round.
using InterfaceEnergy = std::vector<std::vector<double>>;

static void
SnapshotEnergy(const std::vector<RoundCoordinator::Device>* devices,
               std::map<uint32_t, InterfaceEnergy>* snapshots,
               uint32_t round,
               const Allocation&)
{
    InterfaceEnergy e;
    for (const auto& d : *devices)
    {
        std::vector<double> perInterface;
        for (const auto& m : DynamicCast<WifiTierRadioEnergyModel>(d.radio)->GetModels())
        {
            perInterface.push_back(m->GetTotalEnergyConsumption());
        }
        e.push_back(perInterface);
    }
    (*snapshots)[round] = e;
}

static void
RecordApplied(std::map<uint32_t, double>* dbm, uint32_t user, uint32_t, double txPowerDbm)
{
    (*dbm)[user] = txPowerDbm;
}

/**
 * Association follows the allocation from round to round: devices change cells every round,
 * the serving interface transmits at the allocated power, the other interface sleeps and
 * draws nothing.
 */
class WifiReassociationTestCase : public WifiTierTestCase
{
  public:
    WifiReassociationTestCase()
        : WifiTierTestCase(
              "wifi: devices moved between cells every round reach the new server; idle "
              "interfaces sleep")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t rounds = 3;
        SplitTrainingHelper helper;
        helper.Build(WifiScenario("ns3::EdgeLlmWifiRotatingTestAllocator", rounds, 5));
        Ptr<WifiTier> tier = helper.GetTierHelper<WifiTierHelper>().GetTier();
        NS_TEST_ASSERT_MSG_NE(tier, nullptr, "the wifi tier was built");
        NS_TEST_EXPECT_MSG_EQ(tier->EnforcesBandwidth(), false, "Wi-Fi contends");
        Arrivals arrivals;
        WatchServers(helper, &arrivals);
        std::map<uint32_t, InterfaceEnergy> atStart;
        std::map<uint32_t, InterfaceEnergy> atEnd;
        std::map<uint32_t, double> appliedDbm;
        auto coordinator = helper.GetCoordinator();
        coordinator->TraceConnectWithoutContext(
            "RoundStarted",
            MakeBoundCallback(&SnapshotEnergy, &helper.GetDevices(), &atStart));
        tier->TraceConnectWithoutContext("Applied", MakeBoundCallback(&RecordApplied, &appliedDbm));
        std::vector<std::vector<bool>> asleepAtEnd;
        coordinator->TraceConnectWithoutContext(
            "RoundFinished",
            Callback<void, const RoundReport&>([&](const RoundReport& r) {
                SnapshotEnergy(&helper.GetDevices(), &atEnd, r.round, Allocation());
                // the powers set on the serving interfaces are the allocation's
                for (const auto& d : r.devices)
                {
                    const double want = tier->ClampTxPowerDbm(d.allocation.powerW);
                    NS_TEST_EXPECT_MSG_EQ_TOL(appliedDbm[d.user], want, 1e-9, "applied");
                    Ptr<WifiPhy> phy = tier->GetStation(d.user, d.allocation.server)->GetPhy();
                    NS_TEST_EXPECT_MSG_EQ_TOL(phy->GetTxPowerStart(), want, 1e-9, "PHY power");
                    NS_TEST_EXPECT_MSG_EQ(tier->GetServingServer(d.user),
                                          d.allocation.server,
                                          "serving interface");
                    NS_TEST_EXPECT_MSG_EQ(phy->IsStateSleep(), false, "serving is awake");
                    Ptr<WifiPhy> other =
                        tier->GetStation(d.user, 1 - d.allocation.server)->GetPhy();
                    NS_TEST_EXPECT_MSG_EQ(other->IsStateSleep(), true, "other one sleeps");
                    // DeafWhileAsleep: the sleeping interface ignores the channel, the woken
                    // one hears as the APs do (which never sleep)
                    const double hearing =
                        tier->GetAccessPoint(d.allocation.server)->GetPhy()->GetRxSensitivity();
                    NS_TEST_EXPECT_MSG_GT(other->GetRxSensitivity(), 200.0, "asleep: deaf");
                    NS_TEST_EXPECT_MSG_EQ(phy->GetRxSensitivity(), hearing, "awake: hears");
                }
            }));
        auto reports = RunToEnd(helper);
        CheckRounds(reports, rounds, arrivals);
        for (uint32_t r = 0; r < reports.size(); ++r)
        {
            for (const auto& d : reports[r].devices)
            {
                NS_TEST_EXPECT_MSG_EQ(d.allocation.server,
                                      (d.user + r) % 2,
                                      "the rotating allocation moved the device");
                if (r == 0)
                {
                    continue; // round 0 may still be associating the other interface
                }
                const uint32_t serving = d.allocation.server;
                const uint32_t other = 1 - serving;
                NS_TEST_EXPECT_MSG_GT(atEnd[r][d.user][serving] - atStart[r][d.user][serving],
                                      0.0,
                                      "the serving interface spent energy");
                // a sleeping interface stands for a cell the radio is not tuned to
                NS_TEST_EXPECT_MSG_LT_OR_EQ(atEnd[r][d.user][other] - atStart[r][d.user][other],
                                            1e-12,
                                            "the sleeping interface drew nothing");
            }
        }
        // devices 0 and 2 transmit at p_max (23 dBm), 1 and 3 at p_max / 4 (17 dBm)
        NS_TEST_EXPECT_MSG_EQ_TOL(appliedDbm[0], 10 * std::log10(200.0), 1e-9, "p_max");
        NS_TEST_EXPECT_MSG_EQ_TOL(appliedDbm[1], 10 * std::log10(50.0), 1e-9, "p_max / 4");
        Simulator::Destroy();
    }
};

/**
 * DeafWhileAsleep only spares CPU: the rotating allocation (every interface sleeps and wakes
 * again) gives the same delays and energies, bit for bit, with it on and off.
 */
class WifiDeafWhileAsleepTestCase : public TestCase
{
  public:
    WifiDeafWhileAsleepTestCase()
        : TestCase("wifi: DeafWhileAsleep leaves every delay and energy unchanged")
    {
    }

  private:
    /**
     * @param deaf DeafWhileAsleep
     * @return the reports of a 3-round rotating run
     */
    static std::vector<RoundReport> Run(bool deaf)
    {
        SplitTrainingHelper helper;
        helper.SetTierAttribute("DeafWhileAsleep", BooleanValue(deaf));
        helper.Build(WifiScenario("ns3::EdgeLlmWifiRotatingTestAllocator", 3, 5));
        auto reports = helper.RunToEnd();
        Simulator::Destroy();
        return reports;
    }

    void DoRun() override
    {
        const auto deaf = Run(true);
        const auto hearing = Run(false);
        NS_TEST_ASSERT_MSG_EQ(deaf.size(), hearing.size(), "same rounds");
        for (uint32_t r = 0; r < deaf.size(); ++r)
        {
            NS_TEST_ASSERT_MSG_EQ(deaf[r].devices.size(), hearing[r].devices.size(), "devices");
            NS_TEST_EXPECT_MSG_EQ(deaf[r].endS, hearing[r].endS, "round " << r << " end");
            for (uint32_t i = 0; i < deaf[r].devices.size(); ++i)
            {
                const auto& a = deaf[r].devices[i];
                const auto& b = hearing[r].devices[i];
                NS_TEST_EXPECT_MSG_EQ(a.status, b.status, "round " << r << " device " << i);
                NS_TEST_EXPECT_MSG_EQ(a.delayS, b.delayS, "round " << r << " device " << i);
                NS_TEST_EXPECT_MSG_EQ(a.radioEnergyJ,
                                      b.radioEnergyJ,
                                      "round " << r << " device " << i);
            }
        }
    }
};

/// The allocator's gains are the cells' loss model: EstimateGain = the drop's gains.
class WifiGainTestCase : public TestCase
{
  public:
    WifiGainTestCase()
        : TestCase("wifi: EstimateGain is the received power at 1 W through the cells' loss model")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = WifiScenario("ns3::EdgeLlmWifiRotatingTestAllocator", 1, 3);
        sc.drop.interSiteDistanceM = 500;
        SplitTrainingHelper helper;
        helper.Build(sc);
        Ptr<WifiTier> tier = helper.GetTierHelper<WifiTierHelper>().GetTier();
        const RoundState& base = helper.GetBaseState();
        for (uint32_t n = 0; n < base.NumUsers(); ++n)
        {
            for (uint32_t m = 0; m < base.NumServers(); ++m)
            {
                // the generator's 128.1 + 37.6 log10(d/km) dB from the same positions
                NS_TEST_EXPECT_MSG_EQ_TOL(tier->EstimateGain(n, m) / base.users[n].gain[m],
                                          1.0,
                                          1e-9,
                                          "user " << n << " server " << m);
            }
        }
        // clamping of the transmit power to [MinTxPowerDbm, MaxTxPowerDbm] = [0, 40] dBm
        NS_TEST_EXPECT_MSG_EQ_TOL(tier->ClampTxPowerDbm(1e-6), 0.0, 1e-12, "raised to 0 dBm");
        NS_TEST_EXPECT_MSG_EQ_TOL(tier->ClampTxPowerDbm(100.0), 40.0, 1e-12, "lowered to 40 dBm");
        NS_TEST_EXPECT_MSG_EQ_TOL(tier->ClampTxPowerDbm(0.2), 23.0103, 1e-4, "0.2 W");
        // one channel per cell, all different while the 5 GHz list lasts
        bool reused = true;
        auto two = WifiTierHelper::ChannelNumbers(2, &reused);
        NS_TEST_EXPECT_MSG_EQ(reused, false, "two cells fit");
        NS_TEST_EXPECT_MSG_EQ(unsigned(two[0]), 36u, "first channel");
        NS_TEST_EXPECT_MSG_EQ(unsigned(two[1]), 40u, "second channel");
        auto many = WifiTierHelper::ChannelNumbers(60, &reused);
        NS_TEST_EXPECT_MSG_EQ(reused, true, "60 cells reuse channels");
        const std::set<uint8_t> distinct(many.begin(), many.end());
        NS_TEST_EXPECT_MSG_LT(distinct.size(), many.size(), "some numbers repeat");
        NS_TEST_EXPECT_MSG_EQ(unsigned(many[distinct.size()]), 36u, "reused cyclically from 36");
        Simulator::Destroy();
    }
};

/// Batteries that empty mid-run switch the Wi-Fi radios off without breaking the simulation.
class WifiBatteryDeathTestCase : public TestCase
{
  public:
    WifiBatteryDeathTestCase()
        : TestCase("wifi: empty batteries switch the radios off; the rounds go on and end")
    {
    }

  private:
    void DoRun() override
    {
        SplitTrainingScenario sc = WifiScenario("ns3::EdgeLlmWifiRotatingTestAllocator", 6, 9);
        sc.batteryReserve = 0.02;
        sc.batteryJ = 1.0 / (1 - sc.batteryReserve); // about one round of idle listening and
                                                     // compute above the reserve
        SplitTrainingHelper helper;
        helper.Build(sc);
        auto reports = RunToEnd(helper);
        NS_TEST_ASSERT_MSG_EQ(reports.empty(), false, "rounds ran");
        NS_TEST_EXPECT_MSG_EQ(reports[0].devices[0].status, "done", "round 0 had energy enough");
        uint32_t notDone = 0;
        for (const auto& d : reports.back().devices)
        {
            notDone += d.status != "done";
        }
        NS_TEST_EXPECT_MSG_GT(notDone, 0u, "the batteries ran out before the last round");
        Ptr<WifiTier> tier = helper.GetTierHelper<WifiTierHelper>().GetTier();
        uint32_t empty = 0;
        for (uint32_t n = 0; n < helper.GetDevices().size(); ++n)
        {
            const auto& d = helper.GetDevices()[n];
            const double remaining = d.battery->GetRemainingEnergy();
            if (d.battery->IsDepleted())
            {
                ++empty;
                // stopped within two nanoseconds before reaching the reserve (at most a few W
                // drawn), never past it, nothing drawn after it
                NS_TEST_EXPECT_MSG_LT(remaining,
                                      sc.batteryReserve * sc.batteryJ + 1e-7,
                                      "device " << n << " stopped at its reserve");
                NS_TEST_EXPECT_MSG_GT_OR_EQ(remaining,
                                            sc.batteryReserve * sc.batteryJ,
                                            "device " << n << " did not overdraw its reserve");
                for (uint32_t m = 0; m < 2; ++m)
                {
                    NS_TEST_EXPECT_MSG_EQ(tier->GetStation(n, m)->GetPhy()->IsStateOff(),
                                          true,
                                          "device " << n << " radio " << m << " is off");
                }
            }
        }
        NS_TEST_EXPECT_MSG_GT(empty, 0u, "some battery is down to its reserve");
        Simulator::Destroy();
    }
};

/// Suite of the `wifi` channel tier.
class WifiTierTestSuite : public TestSuite
{
  public:
    WifiTierTestSuite()
        : TestSuite("edge-llm-wifi-tier", SYSTEM)
    {
        AddTestCase(new WifiGainTestCase, TestCase::QUICK);
        AddTestCase(new WifiTrainingTestCase, TestCase::QUICK);
        AddTestCase(new WifiReassociationTestCase, TestCase::QUICK);
        AddTestCase(new WifiDeafWhileAsleepTestCase, TestCase::QUICK);
        AddTestCase(new WifiBatteryDeathTestCase, TestCase::QUICK);
    }
};

/// Static instance of the suite.
static WifiTierTestSuite g_wifiTierTestSuite;
