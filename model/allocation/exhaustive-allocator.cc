/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "exhaustive-allocator.h"

#include "input-error.h"
#include "split-baselines.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmExhaustiveAllocator");
NS_OBJECT_ENSURE_REGISTERED(ExhaustiveAllocator);
static const bool g_exhaustiveRegistered =
    (SplitAllocator::RegisterShortName("exhaustive", "ns3::ExhaustiveAllocator"), true);

TypeId
ExhaustiveAllocator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ExhaustiveAllocator")
            .SetParent<SplitAllocator>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<ExhaustiveAllocator>()
            .AddAttribute("MaxCombinations",
                          "Largest number of (alpha vector, association) combinations the "
                          "oracle accepts; larger rounds are refused with an InputError.",
                          UintegerValue(200000),
                          MakeUintegerAccessor(&ExhaustiveAllocator::m_maxCombinations),
                          MakeUintegerChecker<uint64_t>(1));
    return tid;
}

double
ExhaustiveAllocator::CountCombinations(const RoundState& state)
{
    double count = 1;
    for (uint32_t n = 0; n < state.NumUsers(); ++n)
    {
        count *=
            static_cast<double>(state.NumServers()) * (state.MaxAlpha(n) - state.MinAlpha() + 1.0);
    }
    return count;
}

namespace
{

/// Best decision of one server hosting one user set.
struct ServerBest
{
    double cost{std::numeric_limits<double>::infinity()}; //!< least cost
    std::vector<UserAllocation> users;                    //!< the set's decisions, by user index
};

/**
 * Least cost of each server hosting each user set (bit mask), solved on first use and
 * memoised: with one server only the full set is ever needed, with more every subset is.
 */
class ServerOptima
{
  public:
    /** @param state the round */
    explicit ServerOptima(const RoundState& state)
        : m_state(state)
    {
    }

    /** @return the least cost of server m hosting the users in mask */
    double Cost(uint32_t m, uint32_t mask);

    /** @return the decisions of Cost(m, mask) (solved before) */
    const std::vector<UserAllocation>& Users(uint32_t m, uint32_t mask) const
    {
        return m_memo.at(Key(m, mask)).users;
    }

    /** @return resource solves so far */
    uint64_t Solves() const
    {
        return m_solves;
    }

  private:
    static uint64_t Key(uint32_t m, uint32_t mask)
    {
        return (static_cast<uint64_t>(m) << 32) | mask;
    }

    /// Enumerates every alpha vector of the users in mask on a one-server copy of the round.
    void Solve(uint32_t m, uint32_t mask, ServerBest& sb);

    const RoundState& m_state;                       //!< the round
    std::unordered_map<uint64_t, ServerBest> m_memo; //!< (m, mask) -> best
    uint64_t m_solves{0};                            //!< resource solves so far
};

double
ServerOptima::Cost(uint32_t m, uint32_t mask)
{
    auto it = m_memo.find(Key(m, mask));
    if (it != m_memo.end())
    {
        return it->second.cost;
    }
    ServerBest& sb = m_memo[Key(m, mask)];
    if (mask == 0)
    {
        sb.cost = 0;
        return 0.0;
    }
    Solve(m, mask, sb);
    return sb.cost;
}

void
ServerOptima::Solve(uint32_t m, uint32_t mask, ServerBest& sb)
{
    const RoundState& state = m_state;
    std::vector<uint32_t> members;
    for (uint32_t n = 0; n < state.NumUsers(); ++n)
    {
        if (mask & (1u << n))
        {
            members.push_back(n);
        }
    }
    // One-server copy of the round holding only these users.
    RoundState sub;
    sub.layers = state.layers;
    sub.noisePsdWPerHz = state.noisePsdWPerHz;
    sub.objective = state.objective;
    sub.servers = {state.servers[m]};
    for (uint32_t n : members)
    {
        UserState u = state.users[n];
        u.gain = {state.users[n].gain[m]};
        sub.users.push_back(u);
    }
    SplitCostModel model(sub);
    const uint32_t K = static_cast<uint32_t>(members.size());
    std::vector<std::vector<uint32_t>> range(K);
    for (uint32_t k = 0; k < K; ++k)
    {
        range[k] = BaselineTools::AlphaRange(sub, k);
    }
    std::vector<uint32_t> digit(K, 0);
    const std::vector<uint32_t> server(K, 0);
    std::vector<uint32_t> alpha(K);
    while (true)
    {
        for (uint32_t k = 0; k < K; ++k)
        {
            alpha[k] = range[k][digit[k]];
        }
        FpResourceResult res;
        const Allocation a = BaselineTools::SolveResources(model, server, alpha, &res);
        ++m_solves;
        const double cost =
            res.feasible ? model.Objective(a) : std::numeric_limits<double>::infinity();
        if (sb.users.empty() || cost < sb.cost)
        {
            sb.cost = cost;
            sb.users = a.users;
        }
        uint32_t k = 0;
        while (k < K && ++digit[k] == range[k].size())
        {
            digit[k] = 0;
            ++k;
        }
        if (k == K)
        {
            break;
        }
    }
}

/// @return the user set (bit mask) of each server under the association
std::vector<uint32_t>
ServerMasks(const std::vector<uint32_t>& assoc, uint32_t M)
{
    std::vector<uint32_t> mask(M, 0);
    for (uint32_t n = 0; n < assoc.size(); ++n)
    {
        mask[assoc[n]] |= 1u << n;
    }
    return mask;
}

} // namespace

void
ExhaustiveAllocator::CheckRound(const RoundState& state) const
{
    const uint32_t N = state.NumUsers();
    const uint32_t M = state.NumServers();
    const double combos = CountCombinations(state);
    if (N > 30)
    {
        throw InputError("exhaustive allocator: " + std::to_string(N) +
                         " users; the oracle handles at most 30 (user sets are bit masks)");
    }
    if (combos > static_cast<double>(m_maxCombinations))
    {
        std::ostringstream os;
        os << "exhaustive allocator: " << N << " users, " << M << " servers and alpha in ["
           << state.MinAlpha() << ", " << state.MaxAlpha(0) << "] give " << combos
           << " combinations (alpha vectors x associations), above MaxCombinations = "
           << m_maxCombinations
           << "; use fewer users, servers or layers, or raise "
              "ns3::ExhaustiveAllocator::MaxCombinations";
        throw InputError(os.str());
    }
    if (state.objective.delay == DelayAggregate::MAKESPAN)
    {
        throw InputError("exhaustive allocator: objective.delay = makespan is not supported "
                         "(the oracle is exact only for the sum aggregate); use delay = sum");
    }
}

Allocation
ExhaustiveAllocator::DoAllocate(const RoundState& state)
{
    CheckRound(state);
    const uint32_t N = state.NumUsers();
    const uint32_t M = state.NumServers();
    ServerOptima optima(state);

    // Every association: sum of the per-server optima.
    std::vector<uint32_t> assoc(N, 0);
    std::vector<uint32_t> bestAssoc(N, 0);
    double bestCost = std::numeric_limits<double>::infinity();
    bool found = false;
    uint64_t associations = 0;
    while (true)
    {
        const std::vector<uint32_t> mask = ServerMasks(assoc, M);
        double cost = 0;
        for (uint32_t m = 0; m < M; ++m)
        {
            cost += optima.Cost(m, mask[m]);
        }
        ++associations;
        if (!found || cost < bestCost)
        {
            bestCost = cost;
            bestAssoc = assoc;
            found = true;
        }
        uint32_t n = 0;
        while (n < N && ++assoc[n] == M)
        {
            assoc[n] = 0;
            ++n;
        }
        if (n == N)
        {
            break;
        }
    }
    if (!std::isfinite(bestCost))
    {
        NS_LOG_WARN("exhaustive allocator: no association meets r_min for every user; "
                    "returning the first one");
    }
    Allocation out;
    out.users.resize(N);
    const std::vector<uint32_t> mask = ServerMasks(bestAssoc, M);
    for (uint32_t m = 0; m < M; ++m)
    {
        uint32_t k = 0;
        for (uint32_t n = 0; n < N; ++n)
        {
            if (mask[m] & (1u << n))
            {
                out.users[n] = optima.Users(m, mask[m])[k++];
                out.users[n].server = m;
            }
        }
    }
    out.iterations = static_cast<uint32_t>(optima.Solves());
    SplitCostModel model(state);
    out.objectiveHistory = {model.Objective(out)};
    NS_LOG_INFO("exhaustive: " << CountCombinations(state) << " combinations, " << optima.Solves()
                               << " resource solves, " << associations << " associations, best "
                               << bestCost);
    return out;
}

} // namespace ns3
