/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * AllocatorComparison: per-run metrics from the cost model, summaries with Student-t CIs,
 * infinite and missing values.
 */
#include "ns3/allocator-comparison.h"
#include "ns3/input-error.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-allocator.h"
#include "ns3/split-cost-model.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

namespace
{

using namespace ns3;

ComparisonRun
MakeRun(const std::string& allocator, double energy, double stability = 1.0)
{
    ComparisonRun r;
    r.allocator = allocator;
    r.energyJ = energy;
    r.stability = stability;
    return r;
}

const MetricSummary&
Find(const std::vector<MetricSummary>& s, const std::string& allocator, const std::string& metric)
{
    for (const auto& x : s)
    {
        if (x.allocator == allocator && x.metric == metric)
        {
            return x;
        }
    }
    throw std::runtime_error("no summary for " + allocator + "/" + metric);
}

TEST(AllocatorComparison, StudentTConfidenceIntervalByHand)
{
    // 1, 2, 3: mean 2, sample std 1, t_{0.975,2} = 4.302653 -> half-width 4.302653/sqrt(3)
    const std::vector<ComparisonRun> runs{MakeRun("a", 1),
                                          MakeRun("a", 2),
                                          MakeRun("a", 3),
                                          MakeRun("b", 7)};
    const auto s = AllocatorComparison::Summarise(runs, {"a", "b"});
    const auto& a = Find(s, "a", "energy_j");
    EXPECT_EQ(a.n, 3u);
    EXPECT_DOUBLE_EQ(a.mean, 2.0);
    EXPECT_NEAR(a.std, 1.0, 1e-12);
    EXPECT_NEAR(a.ciHigh - a.mean, 4.302653 / std::sqrt(3.0), 1e-5);
    EXPECT_NEAR(a.mean - a.ciLow, 4.302653 / std::sqrt(3.0), 1e-5);
    const auto& b = Find(s, "b", "energy_j"); // one run: a mean, no spread
    EXPECT_EQ(b.n, 1u);
    EXPECT_DOUBLE_EQ(b.mean, 7.0);
    EXPECT_TRUE(std::isnan(b.std));
    EXPECT_TRUE(std::isnan(b.ciLow));
}

TEST(AllocatorComparison, UnboundedStabilityStaysUnbounded)
{
    const double inf = std::numeric_limits<double>::infinity();
    const auto s =
        AllocatorComparison::Summarise({MakeRun("l", 1, inf), MakeRun("l", 2, inf)}, {"l"});
    const auto& st = Find(s, "l", "stability");
    EXPECT_TRUE(std::isinf(st.mean));
    EXPECT_TRUE(std::isnan(st.ciHigh));
    // analytic runs have no prediction error: skipped, not zero
    const auto& pe = Find(s, "l", "prediction_error");
    EXPECT_EQ(pe.n, 0u);
    EXPECT_TRUE(std::isnan(pe.mean));
}

TEST(AllocatorComparison, AnalyticRunIsTheCostModelsPrediction)
{
    GeneratorOptions o;
    o.users = 6;
    o.servers = 2;
    o.preset = "paper";
    o.seed = 5;
    const RoundState state = RoundStateGenerator::Generate(o);
    const Allocation a = SplitAllocator::CreateByName("fixed-split")->Allocate(state);
    const ComparisonRun r = AllocatorComparison::FromAllocation(state, a);
    SplitCostModel model(state);
    const CostTerms t = model.Totals(a);
    EXPECT_NEAR(r.energyJ, t.TotalEnergyJ(), 1e-9 * t.TotalEnergyJ());
    EXPECT_NEAR(r.deviceEnergyJ, t.deviceEnergyJ + t.txEnergyJ, 1e-9 * r.deviceEnergyJ);
    EXPECT_NEAR(r.stability, t.stability, 1e-12 * t.stability);
    EXPECT_DOUBLE_EQ(r.objective, model.Objective(a));
    double makespan = 0;
    for (uint32_t n = 0; n < 6; ++n)
    {
        makespan = std::max(makespan, model.UserTerms(n, a.users[n]).TotalDelayS());
    }
    EXPECT_DOUBLE_EQ(r.makespanS, makespan);
    EXPECT_GT(r.makespanS, r.meanDelayS); // six different users: the slowest is above the mean
    EXPECT_TRUE(std::isnan(r.predictionError));
}

TEST(AllocatorComparison, UnknownMetricIsAnInputError)
{
    EXPECT_THROW(AllocatorComparison::Metric(ComparisonRun(), "joules"), InputError);
}

} // namespace
