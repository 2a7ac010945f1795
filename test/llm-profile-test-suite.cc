/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite for the workload room: the shipped profile as the module finds it at run
 * time (EDGE_LLM_DATA_DIR or the compiled-in data folder), in both build modes.
 */
#include "ns3/edge-llm-module.h"
#include "ns3/test.h"

using namespace ns3;

/// The shipped LLaMA-2-7B profile loads with the expected shape and payloads.
class ShippedProfileTestCase : public TestCase
{
  public:
    ShippedProfileTestCase()
        : TestCase("shipped llama-2-7b profile: blocks, payloads, FLOPs")
    {
    }

  private:
    void DoRun() override
    {
        LlmProfile p = LlmProfileHelper::Load("llama-2-7b", 4, 512);
        NS_TEST_ASSERT_MSG_EQ(p.GetNumBlocks(), 32u, "llama-2-7b has 32 transformer blocks");
        NS_TEST_EXPECT_MSG_EQ(p.HasHead(), true, "the profile has an LM head");
        for (uint32_t a = 0; a <= p.GetNumBlocks(); ++a)
        {
            NS_TEST_EXPECT_MSG_EQ(p.GetSplitActivationBytes(a),
                                  16777216u,
                                  "4 x 512 x 4096 bf16 activation at every split");
            NS_TEST_EXPECT_MSG_EQ_TOL(p.GetDeviceFlops(a) + p.GetEdgeFlops(a),
                                      p.GetEdgeFlops(0),
                                      1e-9 * p.GetEdgeFlops(0),
                                      "device + edge FLOPs is the whole step at alpha " << a);
        }
        NS_TEST_EXPECT_MSG_EQ_TOL(p.GetBlock(1).fwdBwdFlops,
                                  1719597531136.0,
                                  1.0,
                                  "block1 FLOPs as in the CSV");
        TransformerShape shape{32, 4096, 4, 512, 2.0};
        NS_TEST_EXPECT_MSG_LT(p.GetMeanBlockFlops(),
                              LlmProfile::FormulaBlockFlops(shape),
                              "LoRA FLOPs are below the full fine-tune formula");
        const double edgeTime = p.GetMeasuredEdgeTimeS(1);
        NS_TEST_EXPECT_MSG_GT(edgeTime, 0.0, "measured GPU times are present");
    }
};

/// Every configuration listed in the shipped CSV loads.
class EveryConfigurationLoadsTestCase : public TestCase
{
  public:
    EveryConfigurationLoadsTestCase()
        : TestCase("every configuration of the shipped CSV loads")
    {
    }

  private:
    void DoRun() override
    {
        const std::string csv = LlmProfileHelper::DefaultProfileCsv();
        auto configs = LlmProfile::ListCsv(csv);
        NS_TEST_ASSERT_MSG_EQ(configs.size(), 12u, "4 models x 3 (batch, seq) settings");
        for (const auto& c : configs)
        {
            LlmProfile p = LlmProfile::FromCsv(csv, c.model, c.batch, c.seqLen, c.loraRank);
            NS_TEST_EXPECT_MSG_GT(p.GetNumBlocks(), 1u, c.model << " has blocks");
            NS_TEST_EXPECT_MSG_EQ(p.GetLoraRank(), c.loraRank, "rank preserved");
        }
    }
};

/// Suite of the workload room.
class LlmProfileTestSuite : public TestSuite
{
  public:
    LlmProfileTestSuite()
        : TestSuite("edge-llm-profile", UNIT)
    {
        AddTestCase(new ShippedProfileTestCase, TestCase::QUICK);
        AddTestCase(new EveryConfigurationLoadsTestCase, TestCase::QUICK);
    }
};

/// Static instance that registers the suite.
static LlmProfileTestSuite g_llmProfileTestSuite;
