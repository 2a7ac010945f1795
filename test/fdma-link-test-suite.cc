/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the fdma link: link adaptation follows the SINR, ARQ tries are bounded,
 * a frame is judged over the chunks of its airtime, fixed links without fading behave as
 * before, measured CSI averages fast fading out, and radio energy counts every try.
 */
#include "fdma-test-star.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/propagation-loss-model.h"

#include <vector>

using namespace ns3;
using ns3::fdmatest::ConfigureTcp;
using ns3::fdmatest::Star;

namespace
{

/// EtherType no protocol handles: the receiving node drops such frames after the traces.
constexpr uint16_t kRawEtherType = 0x88B5;

/// One try as the transmitter's TxAttempt trace saw it.
struct Attempt
{
    Time time;        //!< start of the try
    uint32_t attempt; //!< 1, 2, …
    double rateBps;   //!< its rate
    uint32_t bytes;   //!< frame size
};

/// Queue frames of a given size from one device to another.
void
SendRaw(Ptr<FdmaNetDevice> from, Ptr<FdmaNetDevice> to, uint32_t count, uint32_t bytes)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        from->Send(Create<Packet>(bytes), to->GetAddress(), kRawEtherType);
    }
}

/// Record every try of a device.
void
RecordAttempts(Ptr<FdmaNetDevice> device, std::vector<Attempt>* out)
{
    device->TraceConnectWithoutContext(
        "TxAttempt",
        Callback<void, Ptr<const Packet>, uint32_t, double>(
            [out](Ptr<const Packet> p, uint32_t attempt, double rate) {
                out->push_back({Simulator::Now(), attempt, rate, p->GetSize()});
            }));
}

/// Record every measurement of a receiving device.
void
RecordReports(Ptr<FdmaNetDevice> device, std::vector<FdmaFrameReport>* out)
{
    device->TraceConnectWithoutContext("PhyRxMeasurement",
                                       Callback<void, const FdmaFrameReport&>(
                                           [out](const FdmaFrameReport& r) { out->push_back(r); }));
}

/// Shannon rate of a link as the allocator computes it (gain per unit power first).
double
PlannedRate(const Star& star, Ptr<FdmaNetDevice> tx, Ptr<FdmaNetDevice> rx, double p, double b)
{
    const double gain = star.channel->RxPowerW(tx, rx, 1.0);
    const double snr = gain * p / (star.channel->GetNoisePsdWPerHz() * b);
    return b * std::log2(1.0 + snr);
}

/// Rayleigh fading (Nakagami m = 1 at every distance) with fixed streams.
Ptr<PropagationLossModel>
Rayleigh()
{
    auto fading = CreateObject<NakagamiPropagationLossModel>();
    fading->SetAttribute("m0", DoubleValue(1));
    fading->SetAttribute("m1", DoubleValue(1));
    fading->SetAttribute("m2", DoubleValue(1));
    fading->AssignStreams(77);
    return fading;
}

} // namespace

/**
 * Adaptive links: the first frame goes at the planned rate, every later one at the capacity
 * of the latest report; a step down in SINR (the mobile walks away mid-transfer) costs one
 * lost try, retried at the new capacity; a step up (4x the power) is followed at once.
 */
class FdmaAdaptiveRateTestCase : public TestCase
{
  public:
    FdmaAdaptiveRateTestCase()
        : TestCase("adaptive: each frame's rate is the capacity of the latest SINR report")
    {
    }

  private:
    void DoRun() override
    {
        Star star({Vector(100, 0, 0)}, {Vector(0, 0, 0)}, [](FdmaHelper& fdma) {
            fdma.SetDeviceAttribute("OllaStepDb", DoubleValue(0)); // pure report following
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 1e6;
        const double p = 0.2;
        const double c1 = PlannedRate(star, mobile, server, p, b);
        const double down = PlannedRate(star, server, mobile, 0.5, b);
        FdmaHelper::Connect(mobile, server, {b, p, 0.5 * c1}, {b, 0.5, down});
        std::vector<Attempt> tries;
        RecordAttempts(mobile, &tries);
        std::vector<FdmaFrameReport> reports;
        RecordReports(server, &reports);
        const uint32_t bytes = 12500;
        Simulator::Schedule(Seconds(1.0), &SendRaw, mobile, server, 40, bytes);
        auto mobility = star.mobiles.Get(0)->GetObject<MobilityModel>();
        Simulator::Schedule(Seconds(1.2),
                            [mobility]() { mobility->SetPosition(Vector(300, 0, 0)); });
        Simulator::Schedule(Seconds(2.0), &SendRaw, mobile, server, 20, bytes);
        const auto serverMac = Mac48Address::ConvertFrom(server->GetAddress());
        Simulator::Schedule(Seconds(2.5), [&]() {
            mobile->SetLink(serverMac, {b, 4 * p, 0.5 * c1});
            SendRaw(mobile, server, 20, bytes);
        });
        double c2 = 0;
        double c3 = 0;
        Simulator::Schedule(Seconds(1.9), [&]() {
            c2 = PlannedRate(star, mobile, server, p, b);
            c3 = PlannedRate(star, mobile, server, 4 * p, b);
        });
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(tries.size(), 81u, "80 frames, one of them tried twice");
        NS_TEST_EXPECT_MSG_EQ_TOL(tries[0].rateBps, 0.5 * c1, 1e-6, "first frame: planned rate");
        uint32_t lost = 0;
        for (const auto& r : reports)
        {
            lost += r.received ? 0 : 1;
        }
        NS_TEST_EXPECT_MSG_EQ(lost, 1u, "only the frame on the air during the step is lost");
        for (std::size_t i = 1; i < tries.size(); ++i)
        {
            const Attempt& a = tries[i];
            const double expected = a.time < Seconds(1.2) ? c1 : a.time < Seconds(2.5) ? c2 : c3;
            NS_TEST_EXPECT_MSG_EQ_TOL(a.rateBps / expected,
                                      1.0,
                                      1e-9,
                                      "try " << i << " at " << a.time.As(Time::S) << " (attempt "
                                             << a.attempt << ")");
        }
        NS_TEST_EXPECT_MSG_GT(c1, 1.5 * c2, "walking away lowers the capacity");
        NS_TEST_EXPECT_MSG_GT(c3, c2, "more power raises it");
        // throughput of the last 20 frames: the capacity (framing and headers: 15 bytes)
        const Time first = tries[tries.size() - 20].time;
        const double seconds = (Simulator::Now() - first).GetSeconds();
        NS_TEST_EXPECT_MSG_EQ_TOL(20.0 * bytes * 8 / seconds / c3,
                                  1.0,
                                  0.005,
                                  "throughput follows the capacity");
        Simulator::Destroy();
    }
};

/// A link that can never deliver: exactly MaxTransmissions tries per frame, then a drop.
class FdmaArqBoundTestCase : public TestCase
{
  public:
    /**
     * @param mode fixed or adaptive
     * @param maxTransmissions tries per frame
     */
    FdmaArqBoundTestCase(std::string mode, uint32_t maxTransmissions)
        : TestCase("ARQ (" + mode + ", MaxTransmissions=" + std::to_string(maxTransmissions) +
                   "): a hopeless link gets exactly that many tries per frame, then a drop"),
          m_mode(mode),
          m_max(maxTransmissions)
    {
    }

  private:
    void DoRun() override
    {
        Star star({Vector(20000, 0, 0)}, {Vector(0, 0, 0)}, [this](FdmaHelper& fdma) {
            fdma.SetDeviceAttribute("LinkAdaptation", StringValue(m_mode));
            fdma.SetDeviceAttribute("MaxTransmissions", UintegerValue(m_max));
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 1e6;
        FdmaHelper::Connect(mobile, server, {b, 0.2, 1e6}, {b, 0.5, 1e6});
        uint32_t phyTx = 0;
        uint32_t retransmissions = 0;
        std::vector<uint32_t> dropTries;
        uint32_t delivered = 0;
        mobile->TraceConnectWithoutContext(
            "PhyTxBegin",
            Callback<void, Ptr<const Packet>, double, Time>(
                [&phyTx](Ptr<const Packet>, double, Time) { ++phyTx; }));
        mobile->TraceConnectWithoutContext(
            "ArqRetransmission",
            Callback<void, Ptr<const Packet>, uint32_t>(
                [&retransmissions](Ptr<const Packet>, uint32_t) { ++retransmissions; }));
        mobile->TraceConnectWithoutContext(
            "ArqDrop",
            Callback<void, Ptr<const Packet>, uint32_t>(
                [&dropTries](Ptr<const Packet>, uint32_t tries) { dropTries.push_back(tries); }));
        server->TraceConnectWithoutContext(
            "PhyRxEnd",
            Callback<void, Ptr<const Packet>>([&delivered](Ptr<const Packet>) { ++delivered; }));
        const uint32_t frames = 3;
        Simulator::Schedule(Seconds(1.0), &SendRaw, mobile, server, frames, 1000);
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(phyTx, frames * m_max, "every frame is tried MaxTransmissions times");
        NS_TEST_EXPECT_MSG_EQ(retransmissions, frames * (m_max - 1), "retransmissions");
        NS_TEST_ASSERT_MSG_EQ(dropTries.size(), frames, "every frame is dropped in the end");
        for (uint32_t t : dropTries)
        {
            NS_TEST_EXPECT_MSG_EQ(t, m_max, "dropped after MaxTransmissions tries");
        }
        NS_TEST_EXPECT_MSG_EQ(delivered, 0u, "nothing arrives");
        const FdmaTxCounters& c = mobile->GetTxCounters();
        NS_TEST_EXPECT_MSG_EQ(c.frames, frames, "counters: frames");
        NS_TEST_EXPECT_MSG_EQ(c.attempts, frames * m_max, "counters: tries");
        NS_TEST_EXPECT_MSG_EQ(c.retransmissions, frames * (m_max - 1), "counters: retransmissions");
        NS_TEST_EXPECT_MSG_EQ(c.arqDrops, frames, "counters: ARQ drops");
        NS_TEST_EXPECT_MSG_EQ(c.delivered, 0u, "counters: delivered");
        Simulator::Destroy();
    }

    std::string m_mode; //!< LinkAdaptation
    uint32_t m_max;     //!< MaxTransmissions
};

/**
 * A frame is judged over its airtime in chunks: the mobile walks out of range half-way through
 * a 10-chunk frame; a frame whose rate fits the mean capacity of its airtime arrives (an
 * evaluation at its end alone would have lost it), one whose rate does not is lost.
 */
class FdmaChunkedErrorModelTestCase : public TestCase
{
  public:
    FdmaChunkedErrorModelTestCase()
        : TestCase("error model over the airtime: a frame survives a fade if it fits the mean "
                   "capacity of its chunks")
    {
    }

  private:
    /**
     * Send one 100 ms frame at share x the capacity at 100 m; move to 1 km at 55 % of it.
     * @param share rate / capacity at 100 m
     * @param c1 set to the capacity at 100 m
     * @param c2 set to the capacity at 1 km
     * @return the server's report
     */
    FdmaFrameReport SendOne(double share, double& c1, double& c2)
    {
        Star star({Vector(100, 0, 0)}, {Vector(0, 0, 0)}, [](FdmaHelper& fdma) {
            fdma.SetChannelAttribute("CoherenceTime", TimeValue(MilliSeconds(10)));
            fdma.SetDeviceAttribute("LinkAdaptation", StringValue("fixed"));
            fdma.SetDeviceAttribute("MaxTransmissions", UintegerValue(1));
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 1e6;
        c1 = PlannedRate(star, mobile, server, 0.2, b);
        const double rate = share * c1;
        FdmaHelper::Connect(mobile, server, {b, 0.2, rate}, {b, 0.5, 1e6});
        std::vector<FdmaFrameReport> reports;
        RecordReports(server, &reports);
        const auto bytes = static_cast<uint32_t>(rate * 0.1 / 8) - 15; // 100 ms with headers
        Simulator::Schedule(Seconds(1.0), &SendRaw, mobile, server, 1, bytes);
        auto mobility = star.mobiles.Get(0)->GetObject<MobilityModel>();
        Simulator::Schedule(Seconds(1.055),
                            [mobility]() { mobility->SetPosition(Vector(1000, 0, 0)); });
        Simulator::Run();
        c2 = PlannedRate(star, mobile, server, 0.2, b);
        NS_TEST_EXPECT_MSG_EQ(star.channel->ChunkCount(Seconds(0.1)), 10u, "100 ms: 10 chunks");
        NS_TEST_EXPECT_MSG_EQ(star.channel->ChunkCount(Seconds(1)), 16u, "capped at 16");
        Simulator::Destroy();
        NS_ASSERT(reports.size() == 1);
        return reports.front();
    }

    void DoRun() override
    {
        double c1 = 0;
        double c2 = 0;
        const FdmaFrameReport fits = SendOne(0.5, c1, c2);
        NS_TEST_EXPECT_MSG_LT(c2, 0.5 * c1, "at its end alone the frame would be lost");
        NS_TEST_EXPECT_MSG_EQ(fits.chunks, 2u, "two periods of constant SINR");
        NS_TEST_EXPECT_MSG_EQ_TOL(fits.capacityBps / (0.5 * c1 + 0.5 * c2),
                                  1.0,
                                  1e-6,
                                  "mean capacity over the airtime");
        NS_TEST_EXPECT_MSG_EQ(fits.received, true, "rate below the mean capacity: received");
        const FdmaFrameReport tooFast = SendOne(0.9, c1, c2);
        NS_TEST_EXPECT_MSG_EQ(tooFast.received, false, "rate above the mean capacity: lost");
    }
};

/**
 * Without fading, fixed links send every frame once at the planned rate with the airtime of
 * before (1 byte of framing, rounded up to the ns, + 1 ns) and lose none; adaptive links send
 * exactly the same frames at the same instants.
 */
class FdmaFixedUnchangedTestCase : public TestCase
{
  public:
    FdmaFixedUnchangedTestCase()
        : TestCase("no fading: fixed links as before, adaptive links identical to fixed ones")
    {
    }

  private:
    /// One try: start, size, airtime.
    struct Try
    {
        Time start;    //!< start
        uint32_t size; //!< bytes
        Time airtime;  //!< duration
    };

    /**
     * A 2 MB TCP transfer uplink.
     * @param mode LinkAdaptation
     * @param rate set to the planned uplink rate
     * @param counters set to the mobile's counters
     * @return the mobile's tries
     */
    std::vector<Try> Transfer(const std::string& mode, double& rate, FdmaTxCounters& counters)
    {
        ConfigureTcp();
        Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                           StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
        Star star({Vector(150, 0, 0)}, {Vector(0, 0, 0)}, [&mode](FdmaHelper& fdma) {
            fdma.SetDeviceAttribute("LinkAdaptation", StringValue(mode));
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 2e6;
        rate = PlannedRate(star, mobile, server, 0.2, b);
        FdmaHelper::Connect(mobile,
                            server,
                            {b, 0.2, rate},
                            {b, 0.5, PlannedRate(star, server, mobile, 0.5, b)});
        std::vector<Try> tries;
        mobile->TraceConnectWithoutContext(
            "PhyTxBegin",
            Callback<void, Ptr<const Packet>, double, Time>(
                [&tries](Ptr<const Packet> p, double, Time airtime) {
                    tries.push_back({Simulator::Now(), p->GetSize(), airtime});
                }));
        PacketSinkHelper sink("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 9000));
        sink.Install(star.servers.Get(0));
        BulkSendHelper bulk("ns3::TcpSocketFactory",
                            InetSocketAddress(star.serverIfs.GetAddress(0), 9000));
        bulk.SetAttribute("MaxBytes", UintegerValue(2'000'000));
        bulk.SetAttribute("SendSize", UintegerValue(64000));
        bulk.Install(star.mobiles.Get(0)).Start(Seconds(1.0));
        Simulator::Stop(Seconds(60));
        Simulator::Run();
        counters = mobile->GetTxCounters();
        Simulator::Destroy();
        return tries;
    }

    void DoRun() override
    {
        double rate = 0;
        FdmaTxCounters fixed;
        const std::vector<Try> a = Transfer("fixed", rate, fixed);
        NS_TEST_ASSERT_MSG_GT(a.size(), 30u, "2 MB in 64 kB segments");
        for (const auto& t : a)
        {
            const double seconds = (t.size + 1) * 8.0 / rate;
            const Time expected = NanoSeconds(static_cast<int64_t>(std::ceil(seconds * 1e9)) + 1);
            NS_TEST_EXPECT_MSG_EQ(t.airtime, expected, "airtime of a " << t.size << " B frame");
        }
        NS_TEST_EXPECT_MSG_EQ(fixed.attempts, fixed.frames, "one try per frame");
        NS_TEST_EXPECT_MSG_EQ(fixed.delivered, fixed.frames, "every frame arrives");
        FdmaTxCounters adaptive;
        const std::vector<Try> b = Transfer("adaptive", rate, adaptive);
        NS_TEST_ASSERT_MSG_EQ(b.size(), a.size(), "same number of tries");
        for (std::size_t i = 0; i < a.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(b[i].start, a[i].start, "try " << i << " starts as with fixed");
            NS_TEST_EXPECT_MSG_EQ(b[i].airtime, a[i].airtime, "try " << i << " lasts as long");
        }
        NS_TEST_EXPECT_MSG_EQ(adaptive.attempts, adaptive.frames, "adaptive: one try per frame");
    }
};

/**
 * Measured CSI under i.i.d. Rayleigh fading: the per-try gains scatter (coefficient of
 * variation ~1) but their moving average converges to the mean (large-scale) gain; the other
 * server and positions-based CSI get the large-scale gain exactly, without a fading draw.
 */
class FdmaMeasuredCsiTestCase : public TestCase
{
  public:
    FdmaMeasuredCsiTestCase()
        : TestCase("measured CSI: the EWMA of measured gains converges to the mean gain under "
                   "i.i.d. Rayleigh fading")
    {
    }

  private:
    void DoRun() override
    {
        Star star({Vector(150, 0, 0)}, {Vector(0, 0, 0), Vector(400, 0, 0)}, [](FdmaHelper& f) {
            f.SetChannelAttribute("FastFadingModel", PointerValue(Rayleigh()));
        });
        auto mobile = star.Mobile(0);
        const double b = 1e6;
        auto tier = CreateObject<FdmaTier>();
        tier->SetAttribute("CsiAveragingTime", TimeValue(Seconds(5)));
        tier->Setup(star.channel,
                    {mobile},
                    {star.Server(0), star.Server(1)},
                    {star.serverIfs.GetAddress(0), star.serverIfs.GetAddress(1)});
        const double g0 = star.channel->RxPowerW(mobile, star.Server(0), 1.0);
        const double g1 = star.channel->RxPowerW(mobile, star.Server(1), 1.0);
        NS_TEST_EXPECT_MSG_EQ(tier->EstimateGain(0, 0), g0, "no measurement yet: large-scale");

        RoundState state;
        state.noisePsdWPerHz = star.channel->GetNoisePsdWPerHz();
        state.servers.resize(2);
        UserState u;
        u.gain = {g0, g1};
        state.users.push_back(u);
        SplitCostModel model(state);
        UserAllocation a;
        a.server = 0;
        a.powerW = 0.2;
        a.bandwidthHz = b;
        tier->Apply(0, 0, a, model);

        std::vector<FdmaFrameReport> reports;
        RecordReports(star.Server(0), &reports);
        // back-to-back traffic (a burst every 0.2 s, queue-limited): the average weighs each
        // try by the time since the previous one, so the first try after a long idle gap would
        // dominate it and leave it a draw of a few samples
        for (int i = 0; i < 50; ++i)
        {
            Simulator::Schedule(Seconds(1.0 + 0.2 * i),
                                &SendRaw,
                                mobile,
                                star.Server(0),
                                1000,
                                200);
        }
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ((reports.size() >= 10000), true, "every try measured");
        double sum = 0;
        double sumSq = 0;
        for (const auto& r : reports)
        {
            sum += r.meanGain / g0;
            sumSq += (r.meanGain / g0) * (r.meanGain / g0);
        }
        const double mean = sum / reports.size();
        const double cv = std::sqrt(sumSq / reports.size() - mean * mean) / mean;
        NS_TEST_EXPECT_MSG_GT(cv, 0.8, "per-try gains scatter as Rayleigh fading does");
        NS_TEST_EXPECT_MSG_EQ_TOL(mean, 1.0, 0.03, "their mean is the large-scale gain");
        NS_TEST_EXPECT_MSG_EQ_TOL(tier->EstimateGain(0, 0) / g0,
                                  1.0,
                                  0.12,
                                  "the moving average converges to the mean gain");
        NS_TEST_EXPECT_MSG_EQ(tier->EstimateGain(0, 1), g1, "other server: large-scale gain");
        tier->SetAttribute("CsiSource", StringValue("positions"));
        NS_TEST_EXPECT_MSG_EQ(tier->EstimateGain(0, 0), g0, "positions: large-scale gain");
        NS_TEST_EXPECT_MSG_EQ(tier->EstimateGain(0, 0), g0, "… without a fading draw");
        Simulator::Destroy();
    }
};

/**
 * Radio energy follows the actual airtime: under fading with ARQ, the radio model's energy is
 * the transmit power times the airtime of every try, retransmissions included.
 */
class FdmaArqEnergyTestCase : public TestCase
{
  public:
    FdmaArqEnergyTestCase()
        : TestCase("radio energy = power x total airtime, retransmissions included")
    {
    }

  private:
    void DoRun() override
    {
        Star star({Vector(150, 0, 0)}, {Vector(0, 0, 0)}, [](FdmaHelper& f) {
            f.SetChannelAttribute("FastFadingModel", PointerValue(Rayleigh()));
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 1e6;
        const double p = 0.2;
        FdmaHelper::Connect(mobile,
                            server,
                            {b, p, PlannedRate(star, mobile, server, p, b)},
                            {b, 0.5, PlannedRate(star, server, mobile, 0.5, b)});
        auto battery = CreateObject<DeviceBattery>();
        battery->SetNode(star.mobiles.Get(0));
        auto radio = FdmaHelper::InstallRadioEnergy(mobile, battery);
        Time traced;
        mobile->TraceConnectWithoutContext(
            "PhyTxBegin",
            Callback<void, Ptr<const Packet>, double, Time>(
                [&traced](Ptr<const Packet>, double, Time airtime) { traced += airtime; }));
        Simulator::Schedule(Seconds(1.0), &SendRaw, mobile, server, 300, 20000);
        Simulator::Stop(Seconds(30)); // the battery updates itself periodically
        Simulator::Run();
        const FdmaTxCounters& c = mobile->GetTxCounters();
        NS_TEST_EXPECT_MSG_GT(c.retransmissions, 10u, "fading costs retransmissions");
        NS_TEST_EXPECT_MSG_EQ(c.attempts, c.blocks + c.retransmissions, "tries");
        NS_TEST_EXPECT_MSG_GT(c.blocks, c.frames, "fading: frames go out in blocks");
        NS_TEST_EXPECT_MSG_EQ(c.delivered + c.arqDrops, c.frames, "every frame concluded");
        NS_TEST_EXPECT_MSG_EQ(traced, c.airtime, "PhyTxBegin airtime = counted airtime");
        NS_TEST_EXPECT_MSG_EQ_TOL(radio->GetTotalEnergyConsumption() / (p * c.airtime.GetSeconds()),
                                  1.0,
                                  1e-9,
                                  "energy = power x airtime of every try");
        NS_TEST_EXPECT_MSG_EQ_TOL(battery->GetDrainedEnergy() / radio->GetTotalEnergyConsumption(),
                                  1.0,
                                  1e-9,
                                  "the battery's books agree");
        battery->Dispose(); // not on a node's EnergySourceContainer: the battery-model cycle
        Simulator::Destroy();
    }
};

/**
 * Transport blocks: with BlockDuration on a channel with fast fading, an adaptive link cuts each
 * frame into blocks of at most that airtime at the chosen rate; the receiver passes a frame up
 * once, when its last block arrives; counters count blocks and frames apart.
 */
class FdmaTransportBlockTestCase : public TestCase
{
  public:
    FdmaTransportBlockTestCase()
        : TestCase("transport blocks: a frame goes out in blocks of at most BlockDuration and "
                   "is passed up once, with its last block")
    {
    }

  private:
    void DoRun() override
    {
        // a "fast fading" model that changes nothing: blocks apply on channels with fading
        auto flat = CreateObject<RangePropagationLossModel>();
        flat->SetAttribute("MaxRange", DoubleValue(1e6));
        Star star({Vector(100, 0, 0)}, {Vector(0, 0, 0)}, [flat](FdmaHelper& fdma) {
            fdma.SetChannelAttribute("FastFadingModel", PointerValue(flat));
            fdma.SetDeviceAttribute("OllaStepDb", DoubleValue(0));
            fdma.SetDeviceAttribute("BlockDuration", TimeValue(MilliSeconds(1)));
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 1e6;
        const double c = PlannedRate(star, mobile, server, 0.2, b);
        FdmaHelper::Connect(mobile, server, {b, 0.2, c}, {b, 0.5, 1e6});
        std::vector<FdmaFrameReport> reports;
        RecordReports(server, &reports);
        std::vector<Time> airtimes;
        mobile->TraceConnectWithoutContext(
            "PhyTxBegin",
            Callback<void, Ptr<const Packet>, double, Time>(
                [&airtimes](Ptr<const Packet>, double, Time t) { airtimes.push_back(t); }));
        uint32_t passedUp = 0;
        server->TraceConnectWithoutContext(
            "PhyRxEnd",
            Callback<void, Ptr<const Packet>>([&passedUp](Ptr<const Packet>) { ++passedUp; }));
        const uint32_t frames = 10;
        const uint32_t bytes = 12500; // + 14 B Ethernet header
        Simulator::Schedule(Seconds(1.0), &SendRaw, mobile, server, frames, bytes);
        Simulator::Run();

        const auto block = static_cast<uint32_t>(std::floor(c * 1e-3 / 8 - 1));
        const uint32_t perFrame = (bytes + 14 + block - 1) / block;
        NS_TEST_ASSERT_MSG_GT(perFrame, 3u, "several blocks per frame");
        const FdmaTxCounters& k = mobile->GetTxCounters();
        NS_TEST_EXPECT_MSG_EQ(k.frames, frames, "frames");
        NS_TEST_EXPECT_MSG_EQ(k.blocks, frames * perFrame, "blocks of " << block << " B");
        NS_TEST_EXPECT_MSG_EQ(k.attempts, k.blocks, "no fading: one try per block");
        NS_TEST_EXPECT_MSG_EQ(k.delivered, frames, "every frame delivered");
        NS_TEST_EXPECT_MSG_EQ(passedUp, frames, "passed up once per frame");
        uint64_t sum = 0;
        uint32_t last = 0;
        for (const auto& r : reports)
        {
            sum += r.bytes;
            last += r.lastBlock ? 1 : 0;
            NS_TEST_EXPECT_MSG_EQ(r.received, true, "block received");
        }
        NS_TEST_EXPECT_MSG_EQ(sum, uint64_t(frames) * (bytes + 14), "blocks add up to the frames");
        NS_TEST_EXPECT_MSG_EQ(last, frames, "one last block per frame");
        for (const Time& t : airtimes)
        {
            NS_TEST_EXPECT_MSG_LT_OR_EQ(t, MilliSeconds(1), "block airtime <= BlockDuration");
        }
        Simulator::Destroy();
    }
};

/**
 * Incremental redundancy: a frame lost to a step down in SINR during its airtime (one chunk,
 * sampled at its end) left the receiver with its capacity x airtime bits of information; with IR
 * the retry sends only what is missing, without IR the whole frame again. Both arrive; IR needs
 * less airtime.
 */
class FdmaIncrementalRedundancyTestCase : public TestCase
{
  public:
    FdmaIncrementalRedundancyTestCase()
        : TestCase("HARQ with incremental redundancy: the retry carries the missing information")
    {
    }

  private:
    /**
     * One 100 ms frame at 0.9 x the capacity at 100 m; the mobile moves to 200 m during it.
     * @param ir IncrementalRedundancy
     * @param reports set to the server's reports
     * @param airtimes set to the airtime of every try
     * @param bytes set to the frame size on the air
     */
    void SendOne(bool ir,
                 std::vector<FdmaFrameReport>& reports,
                 std::vector<Time>& airtimes,
                 uint32_t& bytes)
    {
        Star star({Vector(100, 0, 0)}, {Vector(0, 0, 0)}, [ir](FdmaHelper& fdma) {
            // one chunk per try, sampled at its end: the first try sees the new position
            fdma.SetChannelAttribute("CoherenceTime", TimeValue(Seconds(1)));
            fdma.SetDeviceAttribute("OllaStepDb", DoubleValue(0));
            fdma.SetDeviceAttribute("IncrementalRedundancy", BooleanValue(ir));
        });
        auto mobile = star.Mobile(0);
        auto server = star.Server(0);
        const double b = 1e6;
        const double rate = 0.9 * PlannedRate(star, mobile, server, 0.2, b);
        FdmaHelper::Connect(mobile, server, {b, 0.2, rate}, {b, 0.5, 1e6});
        RecordReports(server, &reports);
        mobile->TraceConnectWithoutContext(
            "PhyTxBegin",
            Callback<void, Ptr<const Packet>, double, Time>(
                [&airtimes](Ptr<const Packet>, double, Time t) { airtimes.push_back(t); }));
        const auto payload = static_cast<uint32_t>(rate * 0.1 / 8) - 15;
        bytes = payload + 14;
        Simulator::Schedule(Seconds(1.0), &SendRaw, mobile, server, 1, payload);
        auto mobility = star.mobiles.Get(0)->GetObject<MobilityModel>();
        Simulator::Schedule(Seconds(1.055),
                            [mobility]() { mobility->SetPosition(Vector(200, 0, 0)); });
        Simulator::Run();
        Simulator::Destroy();
    }

    void DoRun() override
    {
        for (bool ir : {false, true})
        {
            std::vector<FdmaFrameReport> r;
            std::vector<Time> airtimes;
            uint32_t bytes = 0;
            SendOne(ir, r, airtimes, bytes);
            NS_TEST_ASSERT_MSG_EQ(r.size(), 2u, "lost once, then received");
            NS_TEST_EXPECT_MSG_EQ(r[0].received, false, "the step loses the first try");
            NS_TEST_EXPECT_MSG_EQ(r[1].received, true, "the retry arrives");
            NS_TEST_EXPECT_MSG_EQ(r[0].bytes, bytes, "first try: the whole frame");
            const double missing = 8.0 * bytes - r[0].capacityBps * airtimes[0].GetSeconds();
            const auto expected = ir ? static_cast<uint32_t>(std::ceil(missing / 8)) : bytes;
            NS_TEST_EXPECT_MSG_EQ(r[1].bytes, expected, "retry (IR " << ir << ")");
            if (ir)
            {
                NS_TEST_EXPECT_MSG_LT(r[1].bytes, bytes, "IR: the retry is the missing part");
                NS_TEST_EXPECT_MSG_LT(airtimes[1], airtimes[0], "IR: a shorter retry");
            }
        }
    }
};

/// Suite of the fdma link (adaptation, ARQ, chunks, CSI, energy, blocks, IR).
class FdmaLinkTestSuite : public TestSuite
{
  public:
    FdmaLinkTestSuite()
        : TestSuite("edge-llm-fdma-link", UNIT)
    {
        AddTestCase(new FdmaAdaptiveRateTestCase, TestCase::QUICK);
        AddTestCase(new FdmaArqBoundTestCase("fixed", 4), TestCase::QUICK);
        AddTestCase(new FdmaArqBoundTestCase("adaptive", 4), TestCase::QUICK);
        AddTestCase(new FdmaArqBoundTestCase("adaptive", 1), TestCase::QUICK);
        AddTestCase(new FdmaChunkedErrorModelTestCase, TestCase::QUICK);
        AddTestCase(new FdmaFixedUnchangedTestCase, TestCase::QUICK);
        AddTestCase(new FdmaMeasuredCsiTestCase, TestCase::QUICK);
        AddTestCase(new FdmaArqEnergyTestCase, TestCase::QUICK);
        AddTestCase(new FdmaTransportBlockTestCase, TestCase::QUICK);
        AddTestCase(new FdmaIncrementalRedundancyTestCase, TestCase::QUICK);
    }
};

/// Static instance that registers the suite.
static FdmaLinkTestSuite g_fdmaLinkTestSuite;
