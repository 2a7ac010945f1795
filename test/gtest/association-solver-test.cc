/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of block 2 (association): CCCP with GLPK, greedy and random association, share
 * re-normalisation.
 */
#include "ns3/association-solver.h"
#include "ns3/round-state-generator.h"
#include "ns3/split-cost-model.h"

#include <algorithm>
#include <cmath>
#include <glpk.h>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <set>

using namespace ns3;

namespace
{

/// A paper-preset instance.
RoundState
PaperInstance(uint32_t users, uint32_t servers, uint64_t seed, ObjectiveMode mode)
{
    GeneratorOptions g;
    g.users = users;
    g.servers = servers;
    g.preset = "paper";
    g.seed = seed;
    g.objective.mode = mode;
    if (mode == ObjectiveMode::PAPER)
    {
        g.objective.minRateBps = 1e6;
    }
    return RoundStateGenerator::Generate(g);
}

/// Fixed resources around a random association: equal shares, p_max, closed-form f, random alpha.
Allocation
RandomStart(const RoundState& s, const AssociationSolver& solver, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const std::vector<uint32_t> server = solver.Random(rng);
    Allocation a;
    a.users.resize(s.NumUsers());
    for (uint32_t n = 0; n < s.NumUsers(); ++n)
    {
        UserAllocation& u = a.users[n];
        u.server = server[n];
        const uint32_t lo = s.MinAlpha();
        const uint32_t hi = s.MaxAlpha(n);
        u.alpha = lo + static_cast<uint32_t>(rng() % (hi - lo + 1));
        u.powerW = s.users[n].pMaxW;
        u.freqHz = SplitCostModel::OptimalDeviceFrequency(s.users[n], s.objective);
    }
    solver.Renormalise(a);
    return a;
}

/// Exact optimum of the same linear association problem by GLPK's branch and bound (oracle).
double
ExactMip(const RoundState& s, const AssociationCosts& c)
{
    const int N = static_cast<int>(c.cost.size());
    const int M = static_cast<int>(s.NumServers());
    glp_prob* P = glp_create_prob();
    glp_add_rows(P, N + 2 * M);
    glp_add_cols(P, N * M);
    std::vector<int> ia{0};
    std::vector<int> ja{0};
    std::vector<double> ar{0};
    for (int n = 0; n < N; ++n)
    {
        glp_set_row_bnds(P, n + 1, GLP_FX, 1, 1);
    }
    for (int m = 0; m < M; ++m)
    {
        glp_set_row_bnds(P, N + 2 * m + 1, GLP_UP, 0, s.servers[m].bandwidthHz * (1 + 1e-9));
        glp_set_row_bnds(P, N + 2 * m + 2, GLP_UP, 0, s.servers[m].fMaxHz * (1 + 1e-9));
    }
    for (int n = 0; n < N; ++n)
    {
        for (int m = 0; m < M; ++m)
        {
            const int j = n * M + m + 1;
            glp_set_col_kind(P, j, GLP_BV);
            if (!c.allowed[n][m])
            {
                glp_set_col_bnds(P, j, GLP_FX, 0, 0);
            }
            glp_set_obj_coef(P, j, c.cost[n][m]);
            ia.insert(ia.end(), {n + 1, N + 2 * m + 1, N + 2 * m + 2});
            ja.insert(ja.end(), {j, j, j});
            ar.insert(ar.end(), {1.0, c.band[n][m], c.freq[n][m]});
        }
    }
    glp_load_matrix(P, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.mip_gap = 1e-9;
    const int rc = glp_intopt(P, &parm);
    const double v = (rc == 0 && glp_mip_status(P) == GLP_OPT) ? glp_mip_obj_val(P) : NAN;
    glp_delete_prob(P);
    return v;
}

} // namespace

TEST(AssociationSolver, CccpCloseToExactMip)
{
    double sumGap = 0;
    double maxGap = 0;
    double sumGapNoLocal = 0;
    int count = 0;
    for (uint64_t seed = 1; seed <= 15; ++seed)
    {
        const RoundState s = PaperInstance(20, 4, seed, ObjectiveMode::DELAY_AWARE);
        SplitCostModel model(s);
        AssociationSolver solver(model);
        const Allocation start = RandomStart(s, solver, seed);
        const AssociationCosts c = solver.Costs(start);
        const double exact = ExactMip(s, c);
        ASSERT_TRUE(std::isfinite(exact)) << "seed " << seed;
        CccpOptions linear;
        linear.trueCostSearch = false; // the MIP solves the linear problem
        const CccpResult r = solver.Cccp(start, linear);
        CccpOptions pure = linear;
        pure.localSearch = false;
        const CccpResult rp = solver.Cccp(start, pure);
        EXPECT_GE(r.cost, exact * (1 - 1e-9)) << "below the exact optimum: seed " << seed;
        EXPECT_LE(r.cost, rp.cost * (1 + 1e-12)) << "local search made it worse: seed " << seed;
        const double gap = r.cost / exact - 1;
        sumGap += gap;
        sumGapNoLocal += rp.cost / exact - 1;
        maxGap = std::max(maxGap, gap);
        ++count;
    }
    RecordProperty("mean_gap_ppm", static_cast<int>(1e6 * sumGap / count));
    RecordProperty("mean_gap_without_local_search_ppm",
                   static_cast<int>(1e6 * sumGapNoLocal / count));
    EXPECT_LT(sumGap / count, 0.005);
    EXPECT_LT(maxGap, 0.03);
    EXPECT_LT(sumGapNoLocal / count, 0.03);
}

TEST(AssociationSolver, GreedyRespectsRoomAndPrefersGain)
{
    const RoundState s = PaperInstance(23, 4, 3, ObjectiveMode::DELAY_AWARE);
    SplitCostModel model(s);
    AssociationSolver solver(model);
    const std::vector<uint32_t> g = solver.Greedy();
    ASSERT_EQ(g.size(), 23u);
    std::vector<uint32_t> load(4, 0);
    for (uint32_t m : g)
    {
        ASSERT_LT(m, 4u);
        ++load[m];
    }
    for (uint32_t m = 0; m < 4; ++m)
    {
        EXPECT_LE(load[m], 6u) << "room = ceil(23/4) = 6";
    }
    // A user not on its best-gain server found that server full.
    for (uint32_t n = 0; n < 23; ++n)
    {
        const auto& gain = s.users[n].gain;
        const uint32_t best =
            static_cast<uint32_t>(std::max_element(gain.begin(), gain.end()) - gain.begin());
        if (g[n] != best)
        {
            EXPECT_EQ(load[best], 6u) << "user " << n;
        }
    }
}

TEST(AssociationSolver, RandomIsSeededAndRespectsRoom)
{
    const RoundState s = PaperInstance(10, 3, 5, ObjectiveMode::DELAY_AWARE);
    SplitCostModel model(s);
    AssociationSolver solver(model);
    std::mt19937_64 a(7);
    std::mt19937_64 b(7);
    std::mt19937_64 c(8);
    const auto ra = solver.Random(a);
    EXPECT_EQ(ra, solver.Random(b));
    std::set<std::vector<uint32_t>> distinct{ra};
    for (int i = 0; i < 5; ++i)
    {
        const auto r = solver.Random(c);
        distinct.insert(r);
        std::vector<uint32_t> load(3, 0);
        for (uint32_t m : r)
        {
            ++load[m];
        }
        for (uint32_t l : load)
        {
            EXPECT_LE(l, 4u);
        }
    }
    EXPECT_GT(distinct.size(), 1u);
}

TEST(AssociationSolver, RenormaliseMakesSumsEqualCapacities)
{
    const RoundState s = PaperInstance(9, 3, 11, ObjectiveMode::DELAY_AWARE);
    SplitCostModel model(s);
    AssociationSolver solver(model);
    Allocation a;
    a.users.resize(9);
    for (uint32_t n = 0; n < 9; ++n)
    {
        a.users[n].server = n % 2; // server 2 stays empty
        a.users[n].bandwidthHz = (n % 3 == 0) ? 0.0 : 1e6 * (n + 1);
        a.users[n].edgeFreqHz = 1e8 * (n + 1);
    }
    // all of server 1's users (odd n) have zero band only if n%3==0: n=3,9.. -> mixed
    solver.Renormalise(a);
    for (uint32_t m = 0; m < 2; ++m)
    {
        double band = 0;
        double freq = 0;
        for (const auto& u : a.users)
        {
            if (u.server == m)
            {
                EXPECT_GT(u.bandwidthHz, 0);
                band += u.bandwidthHz;
                freq += u.edgeFreqHz;
            }
        }
        EXPECT_NEAR(band, s.servers[m].bandwidthHz, 1e-9 * s.servers[m].bandwidthHz);
        EXPECT_NEAR(freq, s.servers[m].fMaxHz, 1e-9 * s.servers[m].fMaxHz);
    }
    // Proportional: users 2 and 4 (both on server 0, positive shares) keep their ratio 3:5.
    EXPECT_NEAR(a.users[2].bandwidthHz / a.users[4].bandwidthHz, 3.0 / 5.0, 1e-12);
    EXPECT_NEAR(a.users[2].edgeFreqHz / a.users[4].edgeFreqHz, 3.0 / 5.0, 1e-12);
}

TEST(AssociationSolver, CccpBinaryFeasibleAndMonotoneOnRandomInstances)
{
    int moved = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed)
    {
        for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
        {
            const RoundState s = PaperInstance(20, 4, seed, mode);
            SplitCostModel model(s);
            AssociationSolver solver(model);
            const Allocation start = RandomStart(s, solver, seed * 31);
            CccpOptions opt;
            opt.seed = seed;
            const CccpResult r = solver.Cccp(start, opt);
            const AssociationCosts c = solver.Costs(start);
            ASSERT_EQ(r.server.size(), 20u);
            // CCCP's own answer is binary and within the LP's capacities.
            EXPECT_TRUE(solver.IsFeasible(c, r.cccpServer)) << "seed " << seed;
            EXPECT_EQ(r.withinCapacity, solver.IsFeasible(c, r.server));
            EXPECT_NEAR(r.cost, AssociationSolver::LinearCost(c, r.server), 1e-9 * r.cost);
            // The refinement never raises the true cost, and never ends above staying put.
            EXPECT_LE(r.trueCost, r.cccpTrueCost * (1 + 1e-12));
            EXPECT_NEAR(r.trueCost, solver.TrueCost(start, r.server), 1e-9 * r.trueCost);
            EXPECT_LE(r.trueCost,
                      solver.TrueCost(start, solver.Costs(start).reference) * (1 + 1e-12));
            // Never worse than staying, never worse than the LP relaxation's bound allows.
            std::vector<uint32_t> current(20);
            for (uint32_t n = 0; n < 20; ++n)
            {
                current[n] = start.users[n].server;
            }
            CccpOptions linear = opt;
            linear.trueCostSearch = false;
            const CccpResult rl = solver.Cccp(start, linear);
            EXPECT_EQ(rl.server, r.cccpServer);
            EXPECT_TRUE(solver.IsFeasible(c, rl.server));
            EXPECT_LE(rl.cost, AssociationSolver::LinearCost(c, current) * (1 + 1e-12));
            moved += (r.server != current);
            ASSERT_FALSE(r.objectiveHistory.empty());
            for (size_t k = 1; k < r.objectiveHistory.size(); ++k)
            {
                EXPECT_LE(r.objectiveHistory[k],
                          r.objectiveHistory[k - 1] + 1e-9 * std::abs(r.objectiveHistory[k - 1]))
                    << "seed " << seed << " iteration " << k;
            }
            // The applied association is a feasible allocation (shares re-normalised).
            const Allocation applied = solver.Apply(start, r.server);
            const auto v = model.Violations(applied);
            if (mode == ObjectiveMode::DELAY_AWARE)
            {
                EXPECT_TRUE(v.empty()) << v.front();
            }
        }
    }
    EXPECT_GT(moved, 10) << "CCCP should improve on a random association most of the time";
}

TEST(AssociationSolver, CccpNotWorseThanGreedyUnderFixedResources)
{
    int feasibleGreedy = 0;
    int strictlyBetter = 0;
    int trueBetter = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed)
    {
        const RoundState s = PaperInstance(20, 4, seed, ObjectiveMode::DELAY_AWARE);
        SplitCostModel model(s);
        AssociationSolver solver(model);
        const Allocation start = RandomStart(s, solver, seed * 7);
        CccpOptions linear;
        linear.trueCostSearch = false;
        const CccpResult r = solver.Cccp(start, linear);
        const AssociationCosts c = solver.Costs(start);
        const std::vector<uint32_t> g = solver.Greedy();
        if (solver.IsFeasible(c, g))
        {
            ++feasibleGreedy;
            EXPECT_LE(r.cost, AssociationSolver::LinearCost(c, g) * (1 + 1e-12)) << "seed " << seed;
        }
        // From the greedy association with equal shares (greedy is then feasible).
        Allocation fromGreedy = start;
        for (uint32_t n = 0; n < 20; ++n)
        {
            fromGreedy.users[n].server = g[n];
            fromGreedy.users[n].bandwidthHz = 0;
            fromGreedy.users[n].edgeFreqHz = 0;
        }
        solver.Renormalise(fromGreedy);
        const CccpResult rg = solver.Cccp(fromGreedy, linear);
        const AssociationCosts cg = solver.Costs(fromGreedy);
        const double greedyCost = AssociationSolver::LinearCost(cg, g);
        EXPECT_LE(rg.cost, greedyCost * (1 + 1e-12)) << "seed " << seed;
        strictlyBetter += rg.cost < greedyCost * (1 - 1e-6);
        // With the true-cost refinement: never above greedy's true cost either.
        const CccpResult rt = solver.Cccp(fromGreedy, CccpOptions{});
        EXPECT_LE(rt.trueCost, solver.TrueCost(fromGreedy, g) * (1 + 1e-12)) << "seed " << seed;
        trueBetter += rt.trueCost < solver.TrueCost(fromGreedy, g) * (1 - 1e-6);
    }
    EXPECT_GT(trueBetter, 5);
    EXPECT_GT(strictlyBetter, 5) << "CCCP should beat greedy's association on many instances";
    RecordProperty("greedy_feasible_from_random", feasibleGreedy);
    RecordProperty("cccp_strictly_better_than_greedy", strictlyBetter);
}

TEST(AssociationSolver, UnreachableRateForbidsPairs)
{
    // Two servers, user 0 is next to server 0 and very far from server 1.
    RoundState s;
    s.layers = 4;
    s.noisePsdWPerHz = 1e-20;
    s.objective.mode = ObjectiveMode::PAPER;
    s.objective.minRateBps = 5e6;
    s.servers.resize(2);
    s.users.resize(4);
    for (auto& u : s.users)
    {
        u.flopsPerLayer = 1e12;
        u.payloadBits = 1e7;
        u.downlinkBits = 1e7;
        u.gain = {1e-9, 1e-9};
    }
    s.users[0].gain = {1e-9, 1e-19};
    s.users[1].gain = {1e-19, 1e-9}; // prefers server 1 and is on server 0
    s.users[3].gain = {1e-9, 1e-19}; // cannot reach r_min on server 1
    SplitCostModel model(s);
    AssociationSolver solver(model);
    Allocation a;
    a.users.resize(4);
    const uint32_t servers[] = {1, 0, 1, 0};
    for (uint32_t n = 0; n < 4; ++n)
    {
        a.users[n].server = servers[n];
        a.users[n].alpha = 1;
        a.users[n].powerW = 1;
        a.users[n].freqHz = 1e9;
    }
    solver.Renormalise(a);
    const AssociationCosts c = solver.Costs(a);
    EXPECT_TRUE(c.allowed[0][1]) << "reference server stays allowed";
    EXPECT_TRUE(c.allowed[0][0]);
    EXPECT_TRUE(c.allowed[1][1]);
    EXPECT_FALSE(c.allowed[3][1]) << "rate " << model.UplinkRateBps(3, 1, 1, c.band[3][1]);
    CccpOptions linear;
    linear.trueCostSearch = false;
    const CccpResult r = solver.Cccp(a, linear);
    EXPECT_TRUE(solver.IsFeasible(c, r.server));
    EXPECT_EQ(r.server[0], 0u);
    EXPECT_EQ(r.server[1], 1u);
    EXPECT_EQ(r.server[3], 0u);
}

TEST(AssociationSolver, TrueCostSearchEmptiesAFarServer)
{
    // Three users next to server 0, server 1 far away from all of them. Start: user 2 alone on
    // server 1. The LP cannot move it (server 0 is full with its current shares); the true-cost
    // search sees that sharing server 0 three ways beats the far link.
    RoundState s;
    s.layers = 4;
    s.noisePsdWPerHz = 1e-20;
    s.servers.resize(2);
    s.users.resize(3);
    for (auto& u : s.users)
    {
        u.flopsPerLayer = 1e12;
        u.payloadBits = 1e8;
        u.downlinkBits = 1e8;
        u.gain = {1e-10, 1e-16};
    }
    SplitCostModel model(s);
    AssociationSolver solver(model);
    Allocation a;
    a.users.resize(3);
    const uint32_t servers[] = {0, 0, 1};
    for (uint32_t n = 0; n < 3; ++n)
    {
        a.users[n].server = servers[n];
        a.users[n].alpha = 1;
        a.users[n].powerW = 1;
        a.users[n].freqHz = 1e9;
    }
    solver.Renormalise(a);
    CccpOptions linear;
    linear.trueCostSearch = false;
    const CccpResult rl = solver.Cccp(a, linear);
    EXPECT_EQ(rl.server[2], 1u) << "the LP's capacity rows lock user 2 on server 1";
    const CccpResult r = solver.Cccp(a, CccpOptions{});
    EXPECT_EQ(r.server, (std::vector<uint32_t>{0, 0, 0}));
    EXPECT_FALSE(r.withinCapacity);
    EXPECT_LT(r.trueCost, 0.5 * rl.trueCost);
    const Allocation applied = solver.Apply(a, r.server);
    EXPECT_TRUE(model.Violations(applied).empty());
}

TEST(AssociationSolver, SearchWithoutLpEmptiesAFarServer)
{
    // The far-server instance of TrueCostSearchEmptiesAFarServer with the LP skipped
    // (CccpOptions::lp = false): the search from the current association alone finds it.
    RoundState s;
    s.layers = 4;
    s.noisePsdWPerHz = 1e-20;
    s.servers.resize(2);
    s.users.resize(3);
    for (auto& u : s.users)
    {
        u.flopsPerLayer = 1e12;
        u.payloadBits = 1e8;
        u.downlinkBits = 1e8;
        u.gain = {1e-10, 1e-16};
    }
    SplitCostModel model(s);
    AssociationSolver solver(model);
    Allocation a;
    a.users.resize(3);
    const uint32_t servers[] = {0, 0, 1};
    for (uint32_t n = 0; n < 3; ++n)
    {
        a.users[n].server = servers[n];
        a.users[n].alpha = 1;
        a.users[n].powerW = 1;
        a.users[n].freqHz = 1e9;
    }
    solver.Renormalise(a);
    CccpOptions o;
    o.lp = false;
    const CccpResult r = solver.Cccp(a, o);
    EXPECT_EQ(r.cccpServer, (std::vector<uint32_t>{0, 0, 1}));
    EXPECT_EQ(r.server, (std::vector<uint32_t>{0, 0, 0}));
    EXPECT_GE(r.searchMoves, 1u);
    EXPECT_LT(r.trueCost, 0.5 * r.cccpTrueCost);
    EXPECT_NEAR(r.trueCost, solver.TrueCost(a, r.server), 1e-9 * r.trueCost);
    EXPECT_TRUE(model.Violations(solver.Apply(a, r.server)).empty());
}

TEST(AssociationSolver, TrueCostSearchCandidatesRestrictMoves)
{
    // candidateServers = 1: a user that changes server lands on its highest-gain server; any k:
    // never worse than the start; k >= M is the full neighbourhood (same result as k = 0).
    for (uint64_t seed = 1; seed <= 4; ++seed)
    {
        for (DelayAggregate delay : {DelayAggregate::SUM, DelayAggregate::MAKESPAN})
        {
            RoundState s = PaperInstance(40, 8, seed, ObjectiveMode::DELAY_AWARE);
            s.objective.delay = delay;
            SplitCostModel model(s);
            AssociationSolver solver(model);
            const Allocation a = RandomStart(s, solver, seed);
            std::vector<uint32_t> start(s.NumUsers());
            for (uint32_t n = 0; n < s.NumUsers(); ++n)
            {
                start[n] = a.users[n].server;
            }
            const double startCost = solver.TrueCost(a, start);
            uint32_t moves = 0;
            const std::vector<uint32_t> top = solver.TrueCostSearch(a, start, &moves, 50, 1);
            EXPECT_GE(moves, 1u) << "a random start can be improved";
            for (uint32_t n = 0; n < s.NumUsers(); ++n)
            {
                if (top[n] != start[n])
                {
                    const auto& g = s.users[n].gain;
                    EXPECT_EQ(top[n], std::max_element(g.begin(), g.end()) - g.begin())
                        << "user " << n;
                }
            }
            EXPECT_LE(solver.TrueCost(a, top), startCost * (1 + 1e-9));
            const std::vector<uint32_t> k3 = solver.TrueCostSearch(a, start, nullptr, 50, 3);
            EXPECT_LE(solver.TrueCost(a, k3), startCost * (1 + 1e-9));
            EXPECT_EQ(solver.TrueCostSearch(a, start, nullptr, 50, 0),
                      solver.TrueCostSearch(a, start, nullptr, 50, s.NumServers()));
        }
    }
}

TEST(AssociationSolver, SearchWithoutLpCloseToCccpOnRandomStarts)
{
    // From random starts (far from a good association) the LP-free step is within 1 % of the
    // paper's CCCP + search in true cost (measured: equal or better on most).
    for (uint64_t seed = 1; seed <= 6; ++seed)
    {
        const RoundState s = PaperInstance(30, 6, seed, ObjectiveMode::DELAY_AWARE);
        SplitCostModel model(s);
        AssociationSolver solver(model);
        const Allocation a = RandomStart(s, solver, seed);
        CccpOptions fast;
        fast.lp = false;
        fast.candidateServers = 4;
        const CccpResult rf = solver.Cccp(a, fast);
        const CccpResult rp = solver.Cccp(a, CccpOptions{});
        EXPECT_LE(rf.trueCost, rp.trueCost * 1.01) << "seed " << seed;
        EXPECT_LE(rf.trueCost, rf.cccpTrueCost * (1 + 1e-12));
    }
}

TEST(AssociationSolver, UserCostNonIncreasingInShares)
{
    // TrueCostSearch prunes changes by lower bounds that assume a user's cost does not rise
    // with more bandwidth or more GPU share up to EdgeFrequencyCaps (see SeparableSearch).
    for (ObjectiveMode mode : {ObjectiveMode::DELAY_AWARE, ObjectiveMode::PAPER})
    {
        const RoundState s = PaperInstance(12, 4, 3, mode);
        SplitCostModel model(s);
        AssociationSolver solver(model);
        const std::vector<double> cap = solver.EdgeFrequencyCaps();
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            for (uint32_t m = 0; m < s.NumServers(); ++m)
            {
                const double alpha = s.MinAlpha();
                const double p = s.users[n].pMaxW;
                const double f = SplitCostModel::OptimalDeviceFrequency(s.users[n], s.objective);
                const double B = s.servers[m].bandwidthHz;
                auto cost = [&](double b, double fe) {
                    return model.UserObjective(n, model.UserTerms(n, m, alpha, p, b, f, fe));
                };
                double prevB = std::numeric_limits<double>::infinity();
                double prevF = std::numeric_limits<double>::infinity();
                for (int i = 1; i <= 20; ++i)
                {
                    const double cb = cost(B * i / 20.0, cap[m] / 2);
                    const double cf = cost(B / 4, cap[m] * i / 20.0);
                    EXPECT_LE(cb, prevB * (1 + 1e-12)) << "user " << n << " server " << m;
                    EXPECT_LE(cf, prevF * (1 + 1e-12)) << "user " << n << " server " << m;
                    prevB = cb;
                    prevF = cf;
                }
            }
        }
    }
}

TEST(AssociationSolver, CandidateLpIsBinaryFeasibleAndNeverWorseThanGreedy)
{
    // FpAllocator's configuration of block 2: LP columns only for each user's 4 highest-gain
    // servers (and its current one), one rho, starts stopped once two agree. The CCCP answer
    // is binary, within the LP's capacities and on candidate pairs only; with the true-cost
    // search it is never worse than greedy's association (from greedy with equal shares).
    int lpSolves = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed)
    {
        const RoundState s = PaperInstance(40, 8, seed, ObjectiveMode::DELAY_AWARE);
        SplitCostModel model(s);
        AssociationSolver solver(model);
        const std::vector<uint32_t> g = solver.Greedy();
        Allocation start = RandomStart(s, solver, seed * 13);
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            start.users[n].server = g[n];
            start.users[n].bandwidthHz = 0;
            start.users[n].edgeFreqHz = 0;
        }
        solver.Renormalise(start);
        CccpOptions o;
        o.candidateServers = 4;
        o.penaltyValues = 1;
        o.starts = 3;
        o.stopWhenStartsAgree = true;
        const CccpResult r = solver.Cccp(start, o);
        const AssociationCosts c = solver.Costs(start);
        ASSERT_EQ(r.cccpServer.size(), s.NumUsers());
        EXPECT_TRUE(solver.IsFeasible(c, r.cccpServer)) << "seed " << seed;
        // candidate pairs only: each user's 4 highest-gain servers or its current one
        for (uint32_t n = 0; n < s.NumUsers(); ++n)
        {
            const auto& gain = s.users[n].gain;
            const uint32_t m = r.cccpServer[n];
            const auto higher =
                std::count_if(gain.begin(), gain.end(), [&](double x) { return x > gain[m]; });
            EXPECT_TRUE(higher < 4 || m == g[n]) << "seed " << seed << " user " << n;
        }
        EXPECT_LE(r.trueCost, solver.TrueCost(start, g) * (1 + 1e-12)) << "seed " << seed;
        // one rho per start, the best run's history is one of the runs', each non-increasing
        ASSERT_FALSE(r.runs.empty());
        EXPECT_LE(r.runs.size(), 3u);
        bool found = false;
        for (const CccpRun& run : r.runs)
        {
            EXPECT_EQ(run.penalty, r.runs.front().penalty);
            ASSERT_FALSE(run.history.empty());
            for (size_t k = 1; k < run.history.size(); ++k)
            {
                EXPECT_LE(run.history[k], run.history[k - 1] * (1 + 1e-9) + 1e-9);
            }
            found = found || run.history == r.objectiveHistory;
        }
        EXPECT_TRUE(found) << "objectiveHistory is not one of the runs' histories";
        // the relaxation is always a simplex call; every other run step is one or certified
        EXPECT_GE(r.lpSolves, 1u);
        EXPECT_GE(r.lpSolves + r.certifiedSteps, r.runs.size() - (r.runs.size() > 1 ? 1 : 0));
        lpSolves += static_cast<int>(r.lpSolves);
    }
    RecordProperty("lp_solves", lpSolves);
}

TEST(AssociationSolver, CertifiedCurrentGivesTheSimplexAnswer)
{
    // When the LP relaxation returns the current association, the CCCP step from it is
    // answered without GLPK (its LP has the current association as unique optimum) and the
    // relaxation start reuses the current start's outcome. On allocations that CCCP already
    // settled, the answer must be the one the simplex gives (certifyCurrent = false), and the
    // shortcut must actually be taken on some of them.
    uint32_t certified = 0;
    for (uint64_t seed = 1; seed <= 8; ++seed)
    {
        const RoundState s = PaperInstance(40, 8, seed, ObjectiveMode::DELAY_AWARE);
        SplitCostModel model(s);
        AssociationSolver solver(model);
        const Allocation start = RandomStart(s, solver, seed * 7);
        CccpOptions o;
        o.candidateServers = 4;
        o.penaltyValues = 1;
        o.starts = 3;
        o.stopWhenStartsAgree = true;
        o.trueCostSearch = false; // CCCP's own answer, within the LP's capacities
        const CccpResult first = solver.Cccp(start, o);
        const Allocation settled = solver.Apply(start, first.server);
        for (bool stop : {true, false})
        {
            o.stopWhenStartsAgree = stop;
            o.certifyCurrent = true;
            const CccpResult fast = solver.Cccp(settled, o);
            o.certifyCurrent = false;
            const CccpResult slow = solver.Cccp(settled, o);
            EXPECT_EQ(slow.certifiedSteps, 0u);
            EXPECT_EQ(fast.server, slow.server) << "seed " << seed;
            EXPECT_NEAR(fast.cost, slow.cost, 1e-12 * std::abs(slow.cost)) << "seed " << seed;
            EXPECT_EQ(fast.startCosts.size(), slow.startCosts.size()) << "seed " << seed;
            EXPECT_EQ(fast.runs.size(), slow.runs.size()) << "seed " << seed;
            if (fast.certifiedSteps > 0)
            {
                ++certified;
                EXPECT_LT(fast.lpSolves, slow.lpSolves) << "seed " << seed;
            }
        }
    }
    EXPECT_GT(certified, 0u) << "the certificate was never taken";
}

TEST(AssociationSolver, CompactCandidateGainsGiveTheDensePathsResults)
{
    // SplitCostModel's compact copy of each user's strongest servers' gains (k = 1, 2: most
    // pairs the solvers price are off the list; 8: all on it) changes no number: block 2 gives
    // the same association, costs and moves as with the round's dense gains (k = 0), bit for
    // bit, under both delay aggregates and both rate models
    for (uint64_t seed = 1; seed <= 3; ++seed)
    {
        for (DelayAggregate delay : {DelayAggregate::SUM, DelayAggregate::MAKESPAN})
        {
            RoundState s = PaperInstance(30, 8, seed, ObjectiveMode::DELAY_AWARE);
            s.objective.delay = delay;
            s.objective.rateModel = seed == 2 ? RateModel::ERGODIC : RateModel::SNAPSHOT;
            const SplitCostModel dense(s, 0);
            const AssociationSolver denseSolver(dense);
            const Allocation start = RandomStart(s, denseSolver, seed);
            const CccpResult want = denseSolver.Cccp(start, CccpOptions{});
            for (uint32_t k : {1u, 2u, 8u})
            {
                const SplitCostModel compact(s, k);
                const AssociationSolver solver(compact);
                const CccpResult got = solver.Cccp(start, CccpOptions{});
                EXPECT_EQ(got.server, want.server) << "seed " << seed << " k " << k;
                EXPECT_EQ(got.trueCost, want.trueCost) << "seed " << seed << " k " << k;
                EXPECT_EQ(got.cost, want.cost) << "seed " << seed << " k " << k;
                EXPECT_EQ(got.searchMoves, want.searchMoves) << "seed " << seed << " k " << k;
                EXPECT_EQ(compact.Objective(start), dense.Objective(start));
            }
        }
    }
}
