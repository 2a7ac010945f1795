/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A test case that always fails, linked into a separate runner only. ctest runs it with
 * WILL_FAIL, so the harness check passes exactly when a failing ns-3 test case makes the runner
 * exit non-zero (i.e. a real failure in our suites would fail ctest).
 */
#include "ns3/test.h"

using namespace ns3;

/// Deliberately failing case.
class HarnessCanaryTestCase : public TestCase
{
  public:
    HarnessCanaryTestCase()
        : TestCase("deliberately failing case (harness self-check)")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(1, 2, "this case must fail; if it passes, failures are not seen");
    }
};

/// Suite holding the canary.
class HarnessCanaryTestSuite : public TestSuite
{
  public:
    HarnessCanaryTestSuite()
        : TestSuite("edge-llm-harness-canary", UNIT)
    {
        AddTestCase(new HarnessCanaryTestCase, TestCase::QUICK);
    }
};

/// Static instance that registers the suite.
static HarnessCanaryTestSuite g_harnessCanaryTestSuite;
