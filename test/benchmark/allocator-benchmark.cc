/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Allocator room of build/bench/edge-llm-benchmarks: solve time and objective of the paper's
 * allocator (FpAllocator, "fp") and of the IPOPT reference (NlpReferenceAllocator, "nlp-ipopt")
 * on the paper preset, fixed seed, for (N, M) in {(10,2), (50,10), (200,20), (1000,50)}.
 *
 *  BM_FpAllocator        full FP allocator, defaults (block 1 + the paper's block 2: CCCP on
 *                        the GLPK association LP, then the true-cost search; AssociationLp =
 *                        true)
 *  BM_FpAllocatorCccp    AssociationLp = true set explicitly (the default today; kept so the
 *                        row means the paper's CCCP whatever the default); counter
 *                        gap_vs_default = its objective / the default's - 1
 *  BM_FpAllocatorSearch  AssociationLp = false (the true-cost search alone, no LP); counter
 *                        gap_vs_default as above
 *  BM_NlpReference       IPOPT on the Greedy association, relaxed solve + alpha-fixed re-solve
 *  BM_NlpOnFpAssociation the same IPOPT pipeline on the association FpAllocator chose (the
 *                        like-for-like comparison of the full allocator)
 *  BM_FpBlock1Greedy     FP block 1 alone (FpResourceSolver) on the Greedy association
 *  BM_NlpRelaxedGreedy   IPOPT relaxed solve alone on the Greedy association (same problem)
 *
 * Counters: "objective" (cost model objective of the result; for the block-1 rows the relaxed
 * objective), "iterations"; the NLP rows also carry "fp_objective" and "fp_gap" =
 * fp_objective / objective - 1 (> 0: FP is worse than the reference), "fp_ms" (the FP
 * counterpart's time: BM_FpAllocator's mean if it ran before, else one solve outside the loop;
 * BM_NlpRelaxedGreedy times FP block 1 once outside its loop) and "speedup" = NLP time / FP
 * time. BM_NlpReference's fp_gap compares different associations (FP's CCCP vs Greedy).
 * Instances are generated (and cached) outside the timed loops.
 *
 *  BM_FpCityScale/N/M/preset/delay  FP (defaults) at city scale, (N, M) in {(1000, 50),
 *                        (2000, 100), (5000, 250), (10000, 500)}, preset 0 paper / 1 realistic,
 *                        delay 0 sum / 1 makespan (one instance per size and preset, seed 1).
 *                        Makespan rows also solve once more in each mode after the loop, back
 *                        to back: "sum_cpu_ms" (CPU time of the sum-mode solve) and "vs_sum"
 *                        (makespan CPU time / sum CPU time of that pair).
 *                        Time: real and CPU per solve. Memory counters: "instance_mb" (the
 *                        RoundState's gains, N x M doubles) and "max_rss_mb" (the process's peak
 *                        resident set after the run, getrusage: a peak over everything this
 *                        process ran before, so it bounds the row from above; run one row per
 *                        process, --benchmark_filter, for the row's own peak).
 */
#include "ns3/association-solver.h"
#include "ns3/boolean.h"
#include "ns3/fp-resource-solver.h"
#include "ns3/input-error.h"
#include "ns3/nlp-reference-allocator.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-allocator.h"
#include "ns3/split-cost-model.h"

#include <benchmark/benchmark.h>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <sys/resource.h>
#include <utility>

using namespace ns3;

namespace
{

constexpr uint64_t kSeed = 1;

/// Paper-preset instance of N users, M servers (generated once, then reused).
const RoundState&
PaperInstance(uint32_t users, uint32_t servers)
{
    static std::map<std::pair<uint32_t, uint32_t>, std::unique_ptr<RoundState>> cache;
    auto& slot = cache[{users, servers}];
    if (!slot)
    {
        GeneratorOptions o;
        o.users = users;
        o.servers = servers;
        o.preset = "paper";
        o.seed = kSeed;
        slot = std::make_unique<RoundState>(RoundStateGenerator::Generate(o));
    }
    return *slot;
}

/// @return the allocator or null (and the benchmark skipped) if it is not registered
Ptr<SplitAllocator>
MakeAllocator(benchmark::State& st, const std::string& name)
{
    try
    {
        return SplitAllocator::CreateByName(name);
    }
    catch (const InputError& e)
    {
        st.SkipWithError(("allocator '" + name + "' is not available: " + e.what()).c_str());
        return nullptr;
    }
}

/// FP's result on an instance: the allocation, its objective and its solve time.
struct FpRun
{
    Allocation allocation;
    double objective{0};
    double ms{0};
    bool ok{false};
};

/// @return the FP cache slot of an instance
FpRun&
FpSlot(uint32_t users, uint32_t servers)
{
    static std::map<std::pair<uint32_t, uint32_t>, FpRun> cache;
    return cache[{users, servers}];
}

/// FP's result: from BM_FpAllocator if it ran, else one untimed-loop solve now.
const FpRun&
FpResult(uint32_t users, uint32_t servers)
{
    FpRun& r = FpSlot(users, servers);
    if (!r.ok)
    {
        try
        {
            const RoundState& s = PaperInstance(users, servers);
            Ptr<SplitAllocator> fp = SplitAllocator::CreateByName("fp");
            r.allocation = fp->Allocate(s);
            r.ms = 1e3 * r.allocation.solveTimeS;
            r.objective = SplitCostModel(s).Objective(r.allocation);
            r.ok = true;
        }
        catch (const InputError&)
        {
        }
    }
    return r;
}

} // namespace

static void
BM_FpAllocator(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    Ptr<SplitAllocator> fp = MakeAllocator(st, "fp");
    if (!fp)
    {
        return;
    }
    Allocation a;
    double totalS = 0;
    for (auto _ : st)
    {
        a = fp->Allocate(s);
        totalS += a.solveTimeS;
        benchmark::DoNotOptimize(a.users.data());
    }
    SplitCostModel model(s);
    st.counters["objective"] = model.Objective(a);
    st.counters["iterations"] = a.iterations;
    st.counters["feasible"] = model.Violations(a).empty() ? 1 : 0;
    FpRun& slot = FpSlot(st.range(0), st.range(1));
    slot.allocation = a;
    slot.objective = model.Objective(a);
    slot.ms = 1e3 * totalS / static_cast<double>(st.iterations());
    slot.ok = true;
}

static void
BM_FpAllocatorCccp(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    Ptr<SplitAllocator> fp = MakeAllocator(st, "fp");
    if (!fp)
    {
        return;
    }
    fp->SetAttribute("AssociationLp", BooleanValue(true));
    Allocation a;
    for (auto _ : st)
    {
        a = fp->Allocate(s);
        benchmark::DoNotOptimize(a.users.data());
    }
    SplitCostModel model(s);
    st.counters["objective"] = model.Objective(a);
    st.counters["iterations"] = a.iterations;
    st.counters["feasible"] = model.Violations(a).empty() ? 1 : 0;
    // relative to the default allocator's objective, if BM_FpAllocator ran before
    const FpRun& def = FpSlot(st.range(0), st.range(1));
    if (def.ok)
    {
        st.counters["gap_vs_default"] = model.Objective(a) / def.objective - 1;
    }
}

static void
BM_FpAllocatorSearch(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    Ptr<SplitAllocator> fp = MakeAllocator(st, "fp");
    if (!fp)
    {
        return;
    }
    fp->SetAttribute("AssociationLp", BooleanValue(false));
    Allocation a;
    for (auto _ : st)
    {
        a = fp->Allocate(s);
        benchmark::DoNotOptimize(a.users.data());
    }
    SplitCostModel model(s);
    st.counters["objective"] = model.Objective(a);
    st.counters["iterations"] = a.iterations;
    st.counters["feasible"] = model.Violations(a).empty() ? 1 : 0;
    const FpRun& def = FpSlot(st.range(0), st.range(1));
    if (def.ok)
    {
        st.counters["gap_vs_default"] = model.Objective(a) / def.objective - 1;
    }
}

static void
BM_NlpReference(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    Ptr<SplitAllocator> nlp = MakeAllocator(st, "nlp-ipopt");
    if (!nlp)
    {
        return;
    }
    Allocation a;
    double totalS = 0;
    for (auto _ : st)
    {
        a = nlp->Allocate(s);
        totalS += a.solveTimeS;
        benchmark::DoNotOptimize(a.users.data());
    }
    SplitCostModel model(s);
    const double obj = model.Objective(a);
    st.counters["objective"] = obj;
    st.counters["iterations"] = a.iterations;
    st.counters["feasible"] = model.Violations(a).empty() ? 1 : 0;
    // FP with its own (CCCP) association against the reference on the Greedy association
    const FpRun& fp = FpResult(st.range(0), st.range(1));
    if (fp.ok)
    {
        st.counters["fp_objective"] = fp.objective;
        st.counters["fp_gap"] = fp.objective / obj - 1;
        st.counters["fp_ms"] = fp.ms;
        st.counters["speedup"] = 1e3 * totalS / static_cast<double>(st.iterations()) / fp.ms;
    }
}

static void
BM_NlpOnFpAssociation(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    const FpRun& fp = FpResult(st.range(0), st.range(1));
    if (!fp.ok)
    {
        st.SkipWithError("allocator 'fp' is not available");
        return;
    }
    std::vector<uint32_t> server;
    for (const UserAllocation& u : fp.allocation.users)
    {
        server.push_back(u.server);
    }
    Ptr<NlpReferenceAllocator> nlp = CreateObject<NlpReferenceAllocator>();
    Allocation a;
    double totalS = 0;
    for (auto _ : st)
    {
        const auto t0 = std::chrono::steady_clock::now();
        a = nlp->AllocateOnAssociation(s, server);
        totalS += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        benchmark::DoNotOptimize(a.users.data());
    }
    SplitCostModel model(s);
    const double obj = model.Objective(a);
    st.counters["objective"] = obj;
    st.counters["iterations"] = a.iterations;
    st.counters["feasible"] = model.Violations(a).empty() ? 1 : 0;
    st.counters["fp_objective"] = fp.objective;
    st.counters["fp_gap"] = fp.objective / obj - 1;
    st.counters["fp_ms"] = fp.ms;
    st.counters["speedup"] = 1e3 * totalS / static_cast<double>(st.iterations()) / fp.ms;
}

static void
BM_FpBlock1Greedy(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    SplitCostModel model(s);
    FpResourceSolver solver(model);
    const RelaxedPoint start = solver.InitialPoint(AssociationSolver(model).Greedy());
    FpResourceResult r;
    for (auto _ : st)
    {
        r = solver.Solve(start, FpResourceOptions{});
        benchmark::DoNotOptimize(r.point.alpha.data());
    }
    st.counters["objective"] = NlpReferenceAllocator::RelaxedObjective(model, r.point);
    st.counters["iterations"] = r.iterations;
}

static void
BM_NlpRelaxedGreedy(benchmark::State& st)
{
    const RoundState& s = PaperInstance(st.range(0), st.range(1));
    SplitCostModel model(s);
    const std::vector<uint32_t> greedy = AssociationSolver(model).Greedy();
    Ptr<NlpReferenceAllocator> nlp = CreateObject<NlpReferenceAllocator>();
    NlpReferenceResult r;
    double totalS = 0;
    for (auto _ : st)
    {
        const auto t0 = std::chrono::steady_clock::now();
        r = nlp->SolveRelaxed(s, greedy);
        totalS += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        benchmark::DoNotOptimize(r.point.alpha.data());
    }
    st.counters["objective"] = r.objective;
    st.counters["iterations"] = r.iterations;
    st.counters["success"] = r.success ? 1 : 0;
    // FP block 1 on the same association, timed once outside the loop
    FpResourceSolver solver(model);
    const RelaxedPoint start = solver.InitialPoint(greedy);
    const auto t0 = std::chrono::steady_clock::now();
    const FpResourceResult f = solver.Solve(start, FpResourceOptions{});
    const double fpMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const double fpObj = NlpReferenceAllocator::RelaxedObjective(model, f.point);
    st.counters["fp_objective"] = fpObj;
    st.counters["fp_gap"] = fpObj / r.objective - 1;
    st.counters["fp_ms"] = fpMs;
    st.counters["speedup"] = 1e3 * totalS / static_cast<double>(st.iterations()) / fpMs;
}

/// Instance of N users, M servers of a preset (generated once, then reused).
static const RoundState&
PresetInstance(uint32_t users, uint32_t servers, const std::string& preset)
{
    if (preset == "paper")
    {
        return PaperInstance(users, servers);
    }
    static std::map<std::pair<uint32_t, uint32_t>, std::unique_ptr<RoundState>> cache;
    auto& slot = cache[{users, servers}];
    if (!slot)
    {
        GeneratorOptions o;
        o.users = users;
        o.servers = servers;
        o.preset = preset;
        o.seed = kSeed;
        slot = std::make_unique<RoundState>(RoundStateGenerator::Generate(o));
    }
    return *slot;
}

static void
BM_FpCityScale(benchmark::State& st)
{
    RoundState s = PresetInstance(st.range(0), st.range(1), st.range(2) ? "realistic" : "paper");
    s.objective.delay = st.range(3) ? DelayAggregate::MAKESPAN : DelayAggregate::SUM;
    Ptr<SplitAllocator> fp = MakeAllocator(st, "fp");
    if (!fp)
    {
        return;
    }
    Allocation a;
    for (auto _ : st)
    {
        a = fp->Allocate(s);
        benchmark::DoNotOptimize(a.users.data());
    }
    SplitCostModel model(s);
    st.counters["objective"] = model.Objective(a);
    st.counters["feasible"] = model.Violations(a).empty() ? 1 : 0;
    if (st.range(3))
    {
        // the sum mode on the same instance, timed right after (CPU time of one solve)
        RoundState sum = s;
        sum.objective.delay = DelayAggregate::SUM;
        const std::clock_t c0 = std::clock();
        benchmark::DoNotOptimize(fp->Allocate(sum).users.data());
        const double sumMs = 1e3 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        const std::clock_t c1 = std::clock();
        benchmark::DoNotOptimize(fp->Allocate(s).users.data());
        const double ownMs = 1e3 * static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
        st.counters["sum_cpu_ms"] = sumMs;
        st.counters["vs_sum"] = ownMs / sumMs;
    }
    st.counters["instance_mb"] =
        static_cast<double>(s.NumUsers()) * s.NumServers() * sizeof(double) / 1e6;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    st.counters["max_rss_mb"] = static_cast<double>(ru.ru_maxrss) / 1e3; // ru_maxrss: KiB
}

/// (N, M) x preset x delay of the city-scale rows
static void
CityScaleSizes(benchmark::internal::Benchmark* b)
{
    for (int delay = 0; delay <= 1; ++delay)
    {
        for (int preset = 0; preset <= 1; ++preset)
        {
            b->Args({1000, 50, preset, delay})
                ->Args({2000, 100, preset, delay})
                ->Args({5000, 250, preset, delay})
                ->Args({10000, 500, preset, delay});
        }
    }
    b->ArgNames({"N", "M", "realistic", "makespan"});
    b->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
}

/// (N, M) of the paper-preset instances
static void
AllocatorSizes(benchmark::internal::Benchmark* b)
{
    b->Args({10, 2})->Args({50, 10})->Args({200, 20})->Args({1000, 50});
    b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_FpAllocator)->Apply(AllocatorSizes);
BENCHMARK(BM_FpAllocatorCccp)->Apply(AllocatorSizes);
BENCHMARK(BM_FpAllocatorSearch)->Apply(AllocatorSizes);
BENCHMARK(BM_NlpReference)->Apply(AllocatorSizes);
BENCHMARK(BM_NlpOnFpAssociation)->Apply(AllocatorSizes);
BENCHMARK(BM_FpBlock1Greedy)->Apply(AllocatorSizes);
BENCHMARK(BM_NlpRelaxedGreedy)->Apply(AllocatorSizes);
BENCHMARK(BM_FpCityScale)->Apply(CityScaleSizes);
