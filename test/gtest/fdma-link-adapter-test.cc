/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * FdmaLinkAdapter: fixed and adaptive rate choice, the SNR gap, the lowest rate, and the outer
 * loop steering the share of lost tries to its target on a channel that changes every try.
 */
#include "ns3/fdma-link-adapter.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace
{

using namespace ns3;

constexpr double kNoise = 1e-20; // W/Hz
const FdmaLinkParams kLink{1e6, 0.2, 5e6};

/// Gain per unit power that gives a given SNR on kLink.
double
GainForSnr(double snr)
{
    return snr * kNoise * kLink.bandwidthHz / kLink.txPowerW;
}

TEST(FdmaLinkAdapter, FixedAlwaysSendsThePlannedRate)
{
    FdmaLinkAdaptationConfig c;
    c.mode = FdmaLinkAdaptationConfig::FIXED;
    FdmaLinkAdapter a;
    EXPECT_EQ(a.RateBps(c, kLink, kNoise), kLink.rateBps);
    a.Feedback(c, false, GainForSnr(1.0));
    EXPECT_EQ(a.RateBps(c, kLink, kNoise), kLink.rateBps);
}

TEST(FdmaLinkAdapter, AdaptiveUsesThePlannedRateUntilTheFirstReport)
{
    FdmaLinkAdaptationConfig c;
    FdmaLinkAdapter a;
    EXPECT_FALSE(a.HasReport());
    EXPECT_EQ(a.RateBps(c, kLink, kNoise), kLink.rateBps);
    a.Feedback(c, true, GainForSnr(1000.0));
    EXPECT_TRUE(a.HasReport());
    EXPECT_NEAR(a.RateBps(c, kLink, kNoise) / (1e6 * std::log2(1001.0)), 1.0, 1e-12);
}

TEST(FdmaLinkAdapter, ReportIsPerUnitPowerSoANewPowerCounts)
{
    FdmaLinkAdaptationConfig c;
    FdmaLinkAdapter a;
    a.Feedback(c, true, GainForSnr(100.0));
    FdmaLinkParams louder = kLink;
    louder.txPowerW = 4 * kLink.txPowerW;
    EXPECT_NEAR(a.RateBps(c, louder, kNoise) / (1e6 * std::log2(401.0)), 1.0, 1e-12);
}

TEST(FdmaLinkAdapter, SnrGapAndLowestRate)
{
    FdmaLinkAdaptationConfig c;
    c.snrGapDb = 10;
    FdmaLinkAdapter a;
    a.Feedback(c, true, GainForSnr(1000.0));
    EXPECT_NEAR(a.RateBps(c, kLink, kNoise) / (1e6 * std::log2(101.0)), 1.0, 1e-12);
    a.Feedback(c, true, GainForSnr(1e-6)); // out of range: the lowest rate
    EXPECT_DOUBLE_EQ(a.RateBps(c, kLink, kNoise), 0.15e6);
}

TEST(FdmaLinkAdapter, OuterLoopStepsAndBounds)
{
    FdmaLinkAdaptationConfig c; // 0.5 dB up per loss, 0.5/9 dB down per success
    FdmaLinkAdapter a;
    a.Feedback(c, false, GainForSnr(1000.0));
    EXPECT_DOUBLE_EQ(a.GetBackoffDb(), 0.5);
    EXPECT_NEAR(a.RateBps(c, kLink, kNoise) / (1e6 * std::log2(1.0 + 1000.0 / std::pow(10, 0.05))),
                1.0,
                1e-12);
    for (int i = 0; i < 20; ++i)
    {
        a.Feedback(c, true, GainForSnr(1000.0));
    }
    EXPECT_EQ(a.GetBackoffDb(), 0.0) << "never below 0 dB: a steady channel gets its capacity";
    for (int i = 0; i < 100; ++i)
    {
        a.Feedback(c, false, GainForSnr(1000.0));
    }
    EXPECT_EQ(a.GetBackoffDb(), c.maxBackoffDb);
}

/// i.i.d. Rayleigh SNR per try (report of the previous try): the outer loop settles at the
/// target share of lost tries.
TEST(FdmaLinkAdapter, OuterLoopReachesTheTargetLossShare)
{
    FdmaLinkAdaptationConfig c;
    FdmaLinkAdapter a;
    std::mt19937_64 rng(5);
    std::exponential_distribution<double> fading(1.0);
    const double meanSnr = 300.0;
    uint64_t lost = 0;
    const int tries = 200000;
    for (int i = 0; i < tries; ++i)
    {
        const double snr = meanSnr * fading(rng);
        const double capacity = kLink.bandwidthHz * std::log2(1.0 + snr);
        const bool received = a.RateBps(c, kLink, kNoise) <= capacity;
        lost += received ? 0 : 1;
        a.Feedback(c, received, GainForSnr(snr));
    }
    EXPECT_NEAR(static_cast<double>(lost) / tries, c.blerTarget, 0.01);
}

/// Outage (CQI 0): only adaptive links with a report whose capacity (gap included, back-off
/// not) is below the lowest rate per Hz; a sounding replaces the report, not the back-off.
TEST(FdmaLinkAdapter, OutageAndSounding)
{
    FdmaLinkAdaptationConfig c;
    FdmaLinkAdapter a;
    EXPECT_FALSE(a.InOutage(c, kLink, kNoise)) << "no report yet";
    const double edge = std::exp2(c.minSpectralEfficiency) - 1.0; // SNR of the lowest rate
    a.Feedback(c, false, GainForSnr(0.9 * edge));
    EXPECT_TRUE(a.InOutage(c, kLink, kNoise));
    FdmaLinkAdaptationConfig fixed = c;
    fixed.mode = FdmaLinkAdaptationConfig::FIXED;
    EXPECT_FALSE(a.InOutage(fixed, kLink, kNoise)) << "fixed links never wait";
    const double backoff = a.GetBackoffDb();
    EXPECT_GT(backoff, 0.0);
    a.Sound(GainForSnr(1.1 * edge));
    EXPECT_FALSE(a.InOutage(c, kLink, kNoise)) << "the back-off does not count";
    EXPECT_EQ(a.GetBackoffDb(), backoff) << "a sounding leaves the outer loop alone";
    FdmaLinkAdaptationConfig gap = c;
    gap.snrGapDb = 3.0;
    EXPECT_TRUE(a.InOutage(gap, kLink, kNoise)) << "the gap counts";
    a.Sound(0.0);
    EXPECT_FALSE(a.InOutage(c, kLink, kNoise)) << "a non-positive sounding is ignored";
}

} // namespace
