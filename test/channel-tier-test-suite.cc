/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the channel-tier plug-in mechanism (ChannelTierHelper): short names and
 * TypeId names resolve, unknown tiers and bad tier attributes are one clear InputError, the
 * scenario's tier flags and SetTierAttribute reach the tier object, and a tier registered
 * outside the library (here, in this file) is built and runs a round without any change to
 * SplitTrainingHelper.
 */

#include "small-scenario.h"

#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"

#include <string>

using namespace ns3;

namespace
{

/// A tier defined outside the library: the fdma tier under another TypeId.
class EdgeLlmTestPluginTier : public FdmaTier
{
  public:
    /** @return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::EdgeLlmTestPluginTier")
                                .SetParent<FdmaTier>()
                                .SetGroupName("EdgeLlm")
                                .AddConstructor<EdgeLlmTestPluginTier>();
        return tid;
    }
};

NS_OBJECT_ENSURE_REGISTERED(EdgeLlmTestPluginTier);

/// Its helper: the fdma helper, counting how often Build called it.
class TestPluginTierHelper : public FdmaTierHelper
{
  public:
    static uint32_t s_created;         //!< helpers created
    static uint32_t s_tiersInstalled;  //!< InstallTier calls
    static uint32_t s_radiosInstalled; //!< InstallDeviceRadioEnergy calls

    TestPluginTierHelper()
    {
        ++s_created;
    }

    Ptr<SplitChannelTier> InstallTier(const ChannelTierContext& context,
                                      const ObjectFactory& tier) override
    {
        ++s_tiersInstalled;
        return FdmaTierHelper::InstallTier(context, tier);
    }

    Ptr<DeviceEnergyModel> InstallDeviceRadioEnergy(uint32_t user,
                                                    Ptr<EnergySource> battery) override
    {
        ++s_radiosInstalled;
        return FdmaTierHelper::InstallDeviceRadioEnergy(user, battery);
    }
};

uint32_t TestPluginTierHelper::s_created = 0;
uint32_t TestPluginTierHelper::s_tiersInstalled = 0;
uint32_t TestPluginTierHelper::s_radiosInstalled = 0;

/// Registered as `--tier=test-plugin`, as a tier's own helper file would do it.
const ChannelTierHelper::Registration g_testPluginTier(
    "test-plugin",
    "ns3::EdgeLlmTestPluginTier",
    []() { return std::unique_ptr<ChannelTierHelper>(new TestPluginTierHelper()); });

/// @return the message of the InputError that f throws ("" if none)
template <class F>
std::string
InputErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

/// Short names and TypeId names resolve; anything else is one clear error.
class TierLookupTestCase : public TestCase
{
  public:
    TierLookupTestCase()
        : TestCase("--tier: short names and TypeId names; unknown names rejected")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(ChannelTierHelper::LookupTier("fdma"), FdmaTier::GetTypeId(), "fdma");
        NS_TEST_EXPECT_MSG_EQ(ChannelTierHelper::LookupTier("wifi"), WifiTier::GetTypeId(), "wifi");
        NS_TEST_EXPECT_MSG_EQ(ChannelTierHelper::LookupTier("ns3::FdmaTier"),
                              FdmaTier::GetTypeId(),
                              "TypeId name");
        NS_TEST_EXPECT_MSG_EQ(ChannelTierHelper::LookupTier("lte"), LteTier::GetTypeId(), "lte");
        NS_TEST_EXPECT_MSG_EQ(ChannelTierHelper::LookupTier("test-plugin"),
                              EdgeLlmTestPluginTier::GetTypeId(),
                              "a tier registered outside the library");
        NS_TEST_EXPECT_MSG_EQ(bool(ChannelTierHelper::Create(FdmaTier::GetTypeId())),
                              true,
                              "a helper for fdma");
        for (const std::string bad :
             {"nr", "FDMA", "", "ns3::FpAllocator", "ns3::SplitChannelTier"})
        {
            const std::string message =
                InputErrorOf([&bad]() { ChannelTierHelper::LookupTier(bad, "--tier"); });
            NS_TEST_EXPECT_MSG_EQ(message.rfind("--tier='" + bad + "' is not allowed", 0),
                                  0u,
                                  "names the flag and the value: " << message);
            NS_TEST_EXPECT_MSG_NE(message.find("fdma (ns3::FdmaTier)"),
                                  std::string::npos,
                                  "lists the known tiers: " << message);
            NS_TEST_EXPECT_MSG_NE(message.find("wifi (ns3::WifiTier)"),
                                  std::string::npos,
                                  "lists the known tiers: " << message);
        }
        // Build refuses the same way, before building anything
        SplitTrainingScenario sc = edgellmtest::SmallScenario(2, 1, 1, 7);
        sc.tier = "nr";
        SplitTrainingHelper helper;
        const std::string message = InputErrorOf([&]() { helper.Build(sc); });
        NS_TEST_EXPECT_MSG_NE(message.find("--tier='nr'"), std::string::npos, message);
        Simulator::Destroy();
    }
};

/// The scenario's tier flags, then SetTierAttribute, reach the tier object; bad ones do not.
class TierAttributesTestCase : public TestCase
{
  public:
    TierAttributesTestCase()
        : TestCase("tier attributes: from the flags and SetTierAttribute; bad ones rejected")
    {
    }

  private:
    void DoRun() override
    {
        {
            SplitTrainingScenario sc = edgellmtest::SmallScenario(2, 1, 1, 7);
            sc.rateMarginDb = 2;
            sc.linkAdaptation = "fixed";
            sc.csi = "positions";
            SplitTrainingHelper helper;
            helper.Build(sc);
            Ptr<FdmaTier> tier = helper.GetTierHelper<FdmaTierHelper>().GetTier();
            NS_TEST_ASSERT_MSG_NE(tier, nullptr, "the fdma tier was built");
            DoubleValue margin;
            tier->GetAttribute("RateMarginDb", margin);
            NS_TEST_EXPECT_MSG_EQ(margin.Get(), 2.0, "--rateMarginDb reached the tier");
            StringValue csi;
            tier->GetAttribute("CsiSource", csi);
            NS_TEST_EXPECT_MSG_EQ(csi.Get(), "positions", "--csi reached the tier");
            StringValue adaptation;
            tier->GetAttribute("LinkAdaptation", adaptation);
            NS_TEST_EXPECT_MSG_EQ(adaptation.Get(), "fixed", "--linkAdaptation reached the tier");
            Simulator::Destroy();
        }
        {
            // SetTierAttribute comes after the flags
            SplitTrainingScenario sc = edgellmtest::SmallScenario(2, 1, 1, 7);
            sc.rateMarginDb = 2;
            SplitTrainingHelper helper;
            helper.SetTierAttribute("RateMarginDb", DoubleValue(5));
            helper.Build(sc);
            DoubleValue margin;
            helper.GetTierHelper<FdmaTierHelper>().GetTier()->GetAttribute("RateMarginDb", margin);
            NS_TEST_EXPECT_MSG_EQ(margin.Get(), 5.0, "SetTierAttribute overrides the flag");
            Simulator::Destroy();
        }
        {
            SplitTrainingHelper helper;
            helper.SetTierAttribute("NoSuchAttribute", DoubleValue(1));
            const std::string message =
                InputErrorOf([&]() { helper.Build(edgellmtest::SmallScenario(2, 1, 1, 7)); });
            NS_TEST_EXPECT_MSG_NE(message.find("tier attribute NoSuchAttribute"),
                                  std::string::npos,
                                  message);
            NS_TEST_EXPECT_MSG_NE(message.find("ns3::FdmaTier"), std::string::npos, message);
            Simulator::Destroy();
        }
        {
            SplitTrainingHelper helper;
            helper.SetTierAttribute("RateMarginDb", DoubleValue(-1)); // checker: >= 0
            const std::string message =
                InputErrorOf([&]() { helper.Build(edgellmtest::SmallScenario(2, 1, 1, 7)); });
            NS_TEST_EXPECT_MSG_NE(message.find("tier attribute RateMarginDb"),
                                  std::string::npos,
                                  message);
            Simulator::Destroy();
        }
    }
};

/// A tier that is only new code outside SplitTrainingHelper is built and trains a round.
class PluginTierTestCase : public TestCase
{
  public:
    PluginTierTestCase()
        : TestCase("a tier registered outside the library is built by its helper and trains")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t before = TestPluginTierHelper::s_created;
        SplitTrainingScenario sc = edgellmtest::SmallScenario(3, 1, 1, 11);
        sc.tier = "test-plugin";
        SplitTrainingHelper helper;
        helper.Build(sc);
        NS_TEST_EXPECT_MSG_EQ(TestPluginTierHelper::s_created, before + 1, "its helper was made");
        NS_TEST_EXPECT_MSG_EQ(TestPluginTierHelper::s_tiersInstalled, 1u, "InstallTier called");
        NS_TEST_EXPECT_MSG_EQ(TestPluginTierHelper::s_radiosInstalled,
                              3u,
                              "one radio energy model per device");
        Ptr<FdmaTier> tier = helper.GetTierHelper<TestPluginTierHelper>().GetTier();
        NS_TEST_ASSERT_MSG_NE(tier, nullptr, "the tier was built");
        NS_TEST_EXPECT_MSG_EQ(tier->GetInstanceTypeId(),
                              EdgeLlmTestPluginTier::GetTypeId(),
                              "the tier object has the plug-in's TypeId");
        NS_TEST_EXPECT_MSG_EQ(helper.GetDeviceDevices().GetN(), 3u, "a device per user");
        const auto reports = helper.RunToEnd(Seconds(1e5));
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(reports.size(), 1u, "the round ran");
        for (const auto& d : reports[0].devices)
        {
            NS_TEST_EXPECT_MSG_EQ(d.status, "done", "device " << d.user << " trained");
        }
    }
};

/// Suite of the channel-tier plug-ins.
class ChannelTierTestSuite : public TestSuite
{
  public:
    ChannelTierTestSuite()
        : TestSuite("edge-llm-channel-tier", UNIT)
    {
        AddTestCase(new TierLookupTestCase, TestCase::QUICK);
        AddTestCase(new TierAttributesTestCase, TestCase::QUICK);
        AddTestCase(new PluginTierTestCase, TestCase::QUICK);
    }
};

/// The suite's instance.
static ChannelTierTestSuite g_channelTierTestSuite;

} // namespace
