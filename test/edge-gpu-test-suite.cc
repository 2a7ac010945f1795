/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns-3 test suite of the edge GPU's sharing policies, with jobs whose time and energy scale as
 * the cost model's do (time ~ 1/f, energy ~ f^2).
 */
#include "ns3/core-module.h"
#include "ns3/edge-llm-module.h"

#include <map>

using namespace ns3;

namespace
{

/// A job of `cycles` cycles: time cycles/f, energy k f^2 cycles (k = 1e-27).
EdgeGpu::TimeEnergyFunction
Job(double cycles)
{
    return [cycles](double f) { return std::make_pair(cycles / f, 1e-27 * f * f * cycles); };
}

/// Runs two jobs submitted at t = 0 and t = 1 s and returns their end times.
std::map<uint32_t, double>
RunTwoJobs(const std::string& policy, Ptr<EdgeGpu>* gpuOut = nullptr)
{
    auto gpu = CreateObject<EdgeGpu>();
    gpu->SetAttribute("Policy", StringValue(policy));
    gpu->SetAttribute("FrequencyHz", DoubleValue(2e9));
    std::map<uint32_t, double> end;
    auto done = [&end](uint32_t user) { end[user] = Simulator::Now().GetSeconds(); };
    Simulator::Schedule(Seconds(0),
                        [&]() { gpu->Submit(0, 1e9, Job(4e9), Callback<void, uint32_t>(done)); });
    Simulator::Schedule(Seconds(1),
                        [&]() { gpu->Submit(1, 1e9, Job(2e9), Callback<void, uint32_t>(done)); });
    Simulator::Run();
    if (gpuOut)
    {
        *gpuOut = gpu;
    }
    Simulator::Destroy();
    return end;
}

} // namespace

/// Partitioned: each job at its own share, independent of the other.
class PartitionedGpuTestCase : public TestCase
{
  public:
    PartitionedGpuTestCase()
        : TestCase("partitioned: each job runs at its share f^E")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<EdgeGpu> gpu;
        auto end = RunTwoJobs("partitioned", &gpu);
        NS_TEST_EXPECT_MSG_EQ_TOL(end[0], 4.0, 1e-9, "4e9 cycles at 1 GHz");
        NS_TEST_EXPECT_MSG_EQ_TOL(end[1], 3.0, 1e-9, "starts at 1 s, 2 s at 1 GHz");
        NS_TEST_EXPECT_MSG_EQ_TOL(gpu->GetEnergyJ(0), 1e-27 * 1e18 * 4e9, 1e-12, "k f^2 cycles");
        NS_TEST_EXPECT_MSG_EQ_TOL(gpu->GetWaitS(1), 0.0, 1e-12, "no waiting");
    }
};

/// FCFS: the second job waits for the first, both at the full frequency.
class FcfsGpuTestCase : public TestCase
{
  public:
    FcfsGpuTestCase()
        : TestCase("fcfs: one job at a time at the full frequency")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<EdgeGpu> gpu;
        auto end = RunTwoJobs("fcfs", &gpu);
        NS_TEST_EXPECT_MSG_EQ_TOL(end[0], 2.0, 1e-9, "4e9 cycles at 2 GHz");
        NS_TEST_EXPECT_MSG_EQ_TOL(end[1], 3.0, 1e-9, "waits until 2 s, then 1 s");
        NS_TEST_EXPECT_MSG_EQ_TOL(gpu->GetWaitS(1), 1.0, 1e-9, "waited 1 s");
        NS_TEST_EXPECT_MSG_EQ_TOL(gpu->GetEnergyJ(1), 1e-27 * 4e18 * 2e9, 1e-12, "at 2 GHz");
    }
};

/// Processor sharing: the running jobs split the frequency equally.
class ProcessorSharingGpuTestCase : public TestCase
{
  public:
    ProcessorSharingGpuTestCase()
        : TestCase("processor-sharing: running jobs split the frequency")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<EdgeGpu> gpu;
        auto end = RunTwoJobs("processor-sharing", &gpu);
        // job 0 alone for 1 s: 2e9 cycles done, 2e9 left; then both at 1 GHz: job 1 (2e9)
        // and job 0 (2e9) end together at 3 s
        NS_TEST_EXPECT_MSG_EQ_TOL(end[0], 3.0, 1e-6, "job 0");
        NS_TEST_EXPECT_MSG_EQ_TOL(end[1], 3.0, 1e-6, "job 1");
        const double expected0 = 1e-27 * (4e18 * 2e9 + 1e18 * 2e9);
        NS_TEST_EXPECT_MSG_EQ_TOL(gpu->GetEnergyJ(0), expected0, 1e-9 * expected0, "energy");
    }
};

/**
 * A processor-sharing GPU that outlives its simulation: used again in a new one after
 * Simulator::Destroy (the clock restarts at 0, behind its last bookkeeping time), then
 * disposed after Simulator::Destroy with a job still running. Its books stay right, and it
 * never converts a negative Time (undefined behaviour in ns-3's int64x64 arithmetic, which
 * UBSan reported from EdgeGpu::AdvanceSharing when the GPU was disposed after Destroy: the
 * sanitizer build, contrib/sanitize.sh, fails on it).
 */
class GpuOutlivesSimulationTestCase : public TestCase
{
  public:
    GpuOutlivesSimulationTestCase()
        : TestCase("processor-sharing: a GPU outliving Simulator::Destroy keeps its books")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<EdgeGpu> gpu;
        RunTwoJobs("processor-sharing", &gpu); // ends at 3 s; the simulator is destroyed
        const double firstJ = gpu->GetTotalEnergyJ();
        // a new simulation: one job of 2e9 cycles alone at 2 GHz from t = 0
        double end = -1;
        Simulator::Schedule(Seconds(0), [&]() {
            gpu->Submit(0, 1e9, Job(2e9), Callback<void, uint32_t>([&end](uint32_t) {
                            end = Simulator::Now().GetSeconds();
                        }));
        });
        // and a second job still running when this simulation stops at 2 s
        Simulator::Schedule(Seconds(1.5),
                            [&]() { gpu->Submit(1, 1e9, Job(8e9), Callback<void, uint32_t>()); });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ_TOL(end, 1.0, 1e-6, "alone at 2 GHz, counted from the new t = 0");
        // job 0 at 2 GHz; job 1's progress is booked at the next change, which never comes
        const double booksJ = gpu->GetTotalEnergyJ();
        NS_TEST_EXPECT_MSG_EQ_TOL(booksJ, firstJ + 1e-27 * 4e18 * 2e9, 1e-9 * booksJ, "books");
        Simulator::Destroy();
        gpu->Dispose(); // after Destroy, a job still running
        NS_TEST_EXPECT_MSG_EQ(gpu->GetTotalEnergyJ(), booksJ, "disposal does no bookkeeping");
    }
};

/// Suite of the edge GPU.
class EdgeGpuTestSuite : public TestSuite
{
  public:
    EdgeGpuTestSuite()
        : TestSuite("edge-llm-edge-gpu", UNIT)
    {
        AddTestCase(new PartitionedGpuTestCase, TestCase::QUICK);
        AddTestCase(new FcfsGpuTestCase, TestCase::QUICK);
        AddTestCase(new ProcessorSharingGpuTestCase, TestCase::QUICK);
        AddTestCase(new GpuOutlivesSimulationTestCase, TestCase::QUICK);
    }
};

/// Static instance that registers the suite.
static EdgeGpuTestSuite g_edgeGpuTestSuite;
