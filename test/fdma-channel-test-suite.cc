/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the `fdma` channel tier: TCP over a device-server link takes the airtime
 * the Shannon rate predicts, a fixed rate above capacity loses frames, and re-association
 * works. Link adaptation, ARQ, chunks and CSI: fdma-link-test-suite.cc.
 */
#include "fdma-test-star.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"

using namespace ns3;
using ns3::fdmatest::ConfigureTcp;
using ns3::fdmatest::Star;

namespace
{

/// Last time a PacketSink received bytes.
void
RecordRx(Time* last, uint64_t* bytes, Ptr<const Packet> p, const Address&)
{
    *last = Simulator::Now();
    *bytes += p->GetSize();
}

void
CountDrop(uint32_t* n, Ptr<const Packet>, double, double)
{
    ++*n;
}

} // namespace

/// Uplink TCP transfer at rate = capacity takes bytes * 8 / rate (within 1 %), no loss.
class FdmaAirtimeTestCase : public TestCase
{
  public:
    FdmaAirtimeTestCase()
        : TestCase("TCP transfer at the Shannon rate takes the predicted airtime, no frame lost")
    {
    }

  private:
    void DoRun() override
    {
        ConfigureTcp();
        Star star({Vector(150, 0, 0)}, {Vector(0, 0, 0)});
        const double b = 2e6;
        const double p = 0.2;
        const double up = star.Capacity(star.Mobile(0), star.Server(0), p, b);
        const double down = star.Capacity(star.Server(0), star.Mobile(0), 0.5, b);
        FdmaHelper::Connect(star.Mobile(0), star.Server(0), {b, p, up}, {b, 0.5, down});

        const uint64_t bytes = 4'000'000;
        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), 9000));
        auto sinkApps = sinkHelper.Install(star.servers.Get(0));
        BulkSendHelper bulk("ns3::TcpSocketFactory",
                            InetSocketAddress(star.serverIfs.GetAddress(0), 9000));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("SendSize", UintegerValue(64000));
        auto bulkApps = bulk.Install(star.mobiles.Get(0));
        bulkApps.Start(Seconds(1.0));
        Time last;
        uint64_t received = 0;
        uint32_t drops = 0;
        sinkApps.Get(0)->TraceConnectWithoutContext("Rx",
                                                    MakeBoundCallback(&RecordRx, &last, &received));
        star.Server(0)->TraceConnectWithoutContext("PhyRxDrop",
                                                   MakeBoundCallback(&CountDrop, &drops));
        Simulator::Stop(Seconds(100));
        Simulator::Run();
        Simulator::Destroy();

        NS_TEST_ASSERT_MSG_EQ(received, bytes, "every byte arrives");
        NS_TEST_EXPECT_MSG_EQ(drops, 0u, "no frame is lost at rate = capacity without fading");
        const double predicted = bytes * 8.0 / up;
        const double measured = (last - Seconds(1.0)).GetSeconds();
        NS_TEST_EXPECT_MSG_EQ_TOL(measured / predicted,
                                  1.0,
                                  0.01,
                                  "measured " << measured << " s vs predicted " << predicted);
        NS_TEST_EXPECT_MSG_GT(measured, predicted, "headers and handshake cost a little");
    }
};

/// A fixed rate above the capacity loses frames at the receiver.
class FdmaOverCapacityTestCase : public TestCase
{
  public:
    FdmaOverCapacityTestCase()
        : TestCase("a fixed rate above the Shannon capacity loses the frames")
    {
    }

  private:
    void DoRun() override
    {
        ConfigureTcp();
        Star star({Vector(300, 0, 0)}, {Vector(0, 0, 0)}, [](FdmaHelper& fdma) {
            fdma.SetDeviceAttribute("LinkAdaptation", StringValue("fixed"));
        });
        const double b = 1e6;
        const double up = star.Capacity(star.Mobile(0), star.Server(0), 0.2, b);
        const double down = star.Capacity(star.Server(0), star.Mobile(0), 0.5, b);
        FdmaHelper::Connect(star.Mobile(0), star.Server(0), {b, 0.2, 1.2 * up}, {b, 0.5, down});
        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), 9000));
        auto sinkApps = sinkHelper.Install(star.servers.Get(0));
        BulkSendHelper bulk("ns3::TcpSocketFactory",
                            InetSocketAddress(star.serverIfs.GetAddress(0), 9000));
        bulk.SetAttribute("MaxBytes", UintegerValue(100000));
        bulk.Install(star.mobiles.Get(0)).Start(Seconds(1.0));
        Time last;
        uint64_t received = 0;
        uint32_t drops = 0;
        sinkApps.Get(0)->TraceConnectWithoutContext("Rx",
                                                    MakeBoundCallback(&RecordRx, &last, &received));
        star.Server(0)->TraceConnectWithoutContext("PhyRxDrop",
                                                   MakeBoundCallback(&CountDrop, &drops));
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_GT(drops, 0u, "frames sent above capacity are lost");
        NS_TEST_EXPECT_MSG_EQ(received, 0u, "nothing gets through (even the SYN is lost)");
    }
};

/// A mobile moved to another server reaches it (ARP, IP) and no longer reaches the old one.
class FdmaReassociationTestCase : public TestCase
{
  public:
    FdmaReassociationTestCase()
        : TestCase("re-association moves the mobile's link to the new server")
    {
    }

  private:
    void DoRun() override
    {
        ConfigureTcp();
        Star star({Vector(100, 0, 0)}, {Vector(0, 0, 0), Vector(200, 0, 0)});
        const double b = 2e6;
        auto connect = [&star, b](uint32_t s) {
            const double up = star.Capacity(star.Mobile(0), star.Server(s), 0.2, b);
            const double down = star.Capacity(star.Server(s), star.Mobile(0), 0.5, b);
            star.Server(1 - s)->RemoveLink(Mac48Address::ConvertFrom(star.Mobile(0)->GetAddress()));
            FdmaHelper::Connect(star.Mobile(0), star.Server(s), {b, 0.2, up}, {b, 0.5, down});
        };
        connect(0);
        std::vector<uint64_t> received(2, 0);
        std::vector<Time> last(2);
        for (uint32_t s = 0; s < 2; ++s)
        {
            PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                        InetSocketAddress(Ipv4Address::GetAny(), 9000));
            auto apps = sinkHelper.Install(star.servers.Get(s));
            apps.Get(0)->TraceConnectWithoutContext(
                "Rx",
                MakeBoundCallback(&RecordRx, &last[s], &received[s]));
            BulkSendHelper bulk("ns3::TcpSocketFactory",
                                InetSocketAddress(star.serverIfs.GetAddress(s), 9000));
            bulk.SetAttribute("MaxBytes", UintegerValue(200000));
            bulk.Install(star.mobiles.Get(0)).Start(Seconds(1.0 + 10 * s));
        }
        Simulator::Schedule(Seconds(5.0), [&connect]() { connect(1); });
        Simulator::Stop(Seconds(60));
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ(received[0], 200000u, "first transfer to server 0");
        NS_TEST_EXPECT_MSG_EQ(received[1], 200000u, "second transfer reaches server 1");
    }
};

/// Suite of the fdma tier.
class FdmaChannelTestSuite : public TestSuite
{
  public:
    FdmaChannelTestSuite()
        : TestSuite("edge-llm-fdma-channel", UNIT)
    {
        AddTestCase(new FdmaAirtimeTestCase, TestCase::QUICK);
        AddTestCase(new FdmaOverCapacityTestCase, TestCase::QUICK);
        AddTestCase(new FdmaReassociationTestCase, TestCase::QUICK);
    }
};

/// Static instance that registers the suite.
static FdmaChannelTestSuite g_fdmaChannelTestSuite;
