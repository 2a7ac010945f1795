/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Google Benchmark target of edge-llm (build/bench/edge-llm-benchmarks). Workload room: how
 * long loading a profile and querying it per split take.
 */
#include "ns3/llm-profile-helper.h"
#include "ns3/llm-profile.h"

#include <benchmark/benchmark.h>

using namespace ns3;

static void
BM_LoadShippedProfile(benchmark::State& state)
{
    const std::string csv = LlmProfileHelper::DefaultProfileCsv();
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(LlmProfile::FromCsv(csv, "llama-2-7b", 4, 512));
    }
}

BENCHMARK(BM_LoadShippedProfile)->Unit(benchmark::kMicrosecond);

static void
BM_SplitQueries(benchmark::State& state)
{
    LlmProfile p = LlmProfileHelper::Load("llama-2-7b", 4, 512);
    for (auto _ : state)
    {
        double sum = 0;
        for (uint32_t a = 0; a <= p.GetNumBlocks(); ++a)
        {
            sum += p.GetDeviceFlops(a) + p.GetEdgeFlops(a) + p.GetSplitActivationBytes(a);
        }
        benchmark::DoNotOptimize(sum);
    }
}

BENCHMARK(BM_SplitQueries);

BENCHMARK_MAIN();
