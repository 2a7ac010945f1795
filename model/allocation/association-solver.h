/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ASSOCIATION_SOLVER_H
#define EDGE_LLM_ASSOCIATION_SOLVER_H

#include "ns3/split-cost-model.h"

#include <cstdint>
#include <random>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Options of the CCCP association step (block 2).
 */
struct CccpOptions
{
    double penalty{0};            //!< rho of the exact penalty; 0: chosen from the costs
    uint32_t maxIterations{50};   //!< CCCP iterations per start
    uint32_t starts{4};           //!< starting points (current, LP relaxation, greedy, random…)
    uint64_t seed{1};             //!< seed of the random starts
    bool localSearch{true};       //!< polish every start's binary result by moves and swaps
    bool trueCostSearch{true};    //!< refine the result by moves/swaps priced by the true
                                  //!< objective with re-normalised shares (see TrueCostSearch)
    bool lp{true};                //!< run the paper's CCCP on the association LP; false: skip
                                  //!< every LP and return TrueCostSearch from the current
                                  //!< association (trueCostSearch is then implied)
    uint32_t candidateServers{0}; //!< only each user's this many highest-gain servers (and
                                  //!< its current one) are candidates: the LP's columns, the
                                  //!< local searches' moves and swaps (0: all servers)
    uint32_t penaltyValues{5};    //!< penalty = 0: how many automatic rho values each start
                                  //!< runs, 1-5 of {0.01, 0.03, 0.1, 0.3, 1} x CostScale
                                  //!< (1: {0.1}; 2: {0.03, 0.3}; 3: {0.01, 0.1, 1}; …)
    bool stopWhenStartsAgree{false}; //!< skip the remaining starts once a start (after the
                                     //!< first) ends at the best association found so far
    bool searchFromCurrent{true};    //!< trueCostSearch: also search from the current
                                     //!< association when CCCP moved away from it
    bool certifyCurrent{true};       //!< when the LP relaxation's solution is the current
                                     //!< association, answer the CCCP step from it without
                                     //!< GLPK and give the relaxation start the current
                                     //!< start's outcome (see AssociationSolver; false: every
                                     //!< step is a simplex call)
};

/**
 * @ingroup edge-llm
 * @brief One CCCP run of block 2 (one start, one rho).
 */
struct CccpRun
{
    uint32_t start{0}; //!< start index (0 current, 1 LP relaxation, 2 greedy, 3… random)
    double penalty{0}; //!< rho
    std::vector<double> history; //!< penalised objective after each CCCP iteration (LP solve)
    double cost{0};              //!< linear cost of the run's binary, polished result
};

/**
 * @ingroup edge-llm
 * @brief Outcome of block 2.
 */
struct CccpResult
{
    std::vector<uint32_t> server;         //!< binary association, one server per user
    double cost{0};                       //!< linear association cost of that association
    std::vector<double> objectiveHistory; //!< penalised objective per CCCP iteration (best run:
                                          //!< the best start at its best rho)
    std::vector<CccpRun> runs;            //!< every run in the order made (per-start histories)
    uint32_t lpSolves{0};                 //!< LPs solved (GLPK simplex calls)
    uint32_t certifiedSteps{0};           //!< CCCP steps answered without a simplex call: the
                                          //!< step from the current association when the LP
                                          //!< relaxation's solution is that association
    uint32_t iterations{0};               //!< CCCP iterations of the best start
    double penalty{0};                    //!< rho actually used (auto-chosen when options say 0)
    uint32_t bestStart{0};                //!< index of the best start (0 current, 1 LP
                                          //!< relaxation, 2 greedy, 3… random)
    bool repaired{false};                 //!< the best start ended fractional/infeasible and
                                          //!< was rounded within capacity
    std::vector<double> startCosts;       //!< final linear cost of every start (best rho)
    uint32_t localMoves{0};               //!< moves/swaps the local search made on the best
    std::vector<uint32_t> cccpServer;     //!< association CCCP returned before the true-cost
                                          //!< search (within the LP's capacities)
    bool withinCapacity{true};            //!< server respects the LP's capacity rows (always
                                          //!< true without the true-cost search)
    double trueCost{0};                   //!< SplitCostModel::Objective(Apply(current, server))
    double cccpTrueCost{0};               //!< the same for cccpServer
    uint32_t searchMoves{0};              //!< moves/swaps the true-cost search accepted
};

/**
 * @ingroup edge-llm
 * @brief The linear association problem built from an allocation (block 2's data).
 *
 * cost[n][m] is user n's weighted cost (SplitCostModel::UserObjective) on server m with its
 * alpha, p, f fixed; band[n][m] / freq[n][m] the shares it would use there: its current
 * (re-normalised) shares on its reference server, the equal share of one more user elsewhere.
 * allowed[n][m] is false for pairs whose uplink rate would fall below r_min (the reference
 * server is always allowed, so the reference association is always feasible).
 */
struct AssociationCosts
{
    std::vector<std::vector<double>> cost;  //!< c_{n,m}
    std::vector<std::vector<double>> band;  //!< b_{n,m}, Hz
    std::vector<std::vector<double>> freq;  //!< f^E_{n,m}, Hz
    std::vector<std::vector<bool>> allowed; //!< pair may be chosen
    std::vector<uint32_t> reference;        //!< current association (greedy for users without one)
};

/**
 * @ingroup edge-llm
 * @brief Block 2 of the paper's algorithm and the association baselines.
 *
 * With alpha, p and f fixed, the cost of putting user n on server m is linear in chi; shares for
 * a server a user is not on yet are the equal share the server would give one more user.
 * CCCP on the exact penalty rho sum chi (1 - chi) solves one LP per step (GLPK); the result is
 * binary and respects every server's bandwidth and GPU capacity.
 *
 * Choices the paper leaves open in its block 2 (doc/edge-llm.rst, "Allocators"):
 * - Pairs whose uplink rate with the user's p would fall below r_min are forbidden (chi = 0),
 *   except the user's current server and, if no server reaches r_min, the one of highest rate.
 * - Starts: current association, the LP relaxation's solution, greedy, then random ones
 *   (CccpOptions::stopWhenStartsAgree skips the rest once a start ends at the best association
 *   found so far).
 * - LP columns: every pair, or with CccpOptions::candidateServers = k only each user's k
 *   highest-gain servers and its current one (FpAllocator: 4, so the LP at 1000 users x 50
 *   servers has ~4000 columns, not 50000; the local searches use the same pairs). The GLPK
 *   problem is built once per call; CCCP steps only change objective coefficients and every
 *   simplex starts from the previous optimal basis (primal simplex, presolve off), the first
 *   from the current association's basis (feasible and nonsingular by construction), so no
 *   solve needs a phase 1. CccpResult::lpSolves counts the simplex calls,
 *   CccpResult::runs keeps every run's penalised-objective history (start, rho).
 * - rho: when CccpOptions::penalty is 0, every start is run with rho = {0.01, 0.03, 0.1, 0.3, 1}
 *   times CostScale (the mean per-user cost spread; CccpOptions::penaltyValues < 5 takes a
 *   spread subset, 1: {0.1}): a small rho follows the LP relaxation, a
 *   large one stays near the start (a user leaves a binary assignment only when that saves
 *   more than 2 rho). Each run keeps its rho, so its penalised objective is non-increasing.
 * - The LP relaxation (rho = 0) is solved first. If its solution is the current association
 *   chi0 (within 1e-9; CccpOptions::certifyCurrent), chi0 minimises the linear cost over the
 *   polytope, so for any rho > 0 the first CCCP step from chi0, min sum (c + rho (1 - 2 chi0))
 *   chi, has chi0 as its unique optimum (every other feasible chi costs at least
 *   2 rho sum_n (1 - chi_{n,current}) more): that step is answered without a simplex call
 *   (CccpResult::certifiedSteps) and the run ends there, and the relaxation start, being the
 *   same point, gets the current start's outcome. After block 1 has settled the shares every
 *   capacity row is tight and this is the usual case (all four benchmark sizes, both CCCP
 *   calls); the answer is the simplex's (test CertifiedCurrentGivesTheSimplexAnswer).
 * - A run stops when chi is unchanged (within 1e-9) or after maxIterations. If it ends
 *   fractional (CCCP may stop at a fractional vertex of the capacity polytope) or over capacity,
 *   it is rounded within capacity (largest chi first, then the cheapest moves out of over-full
 *   servers; the current association if that fails) and logged.
 * - Each run's binary result is then polished by a local search (single moves into servers
 *   with room, pairwise swaps, while the cost drops; CccpOptions::localSearch). Measured on the
 *   paper preset (30 instances, 20 users / 4 servers and 50 / 10) against GLPK's exact MIP of
 *   the same linear problem: mean gap 0.6 % / 3.7 % without it, 0.02 % / 0.13 % with it
 *   (max 0.5 % / 1.4 %).
 * - The best result over all starts and rho values is returned; it is never worse than the
 *   current association in the LP's linear cost.
 * - The LP's capacity rows (current shares of the users a server has, the equal share of one
 *   more user for newcomers) are at equality for every server that has users, so a server can
 *   only gain a user by losing one: CCCP can swap users but cannot crowd users onto a good
 *   server or empty a bad one (a leaver's share would go to the users who stay, which the
 *   linear cost does not see). Most best starts also end at a fractional vertex and are
 *   rounded (repaired). With CccpOptions::trueCostSearch (default) the result
 *   is refined by TrueCostSearch (moves and swaps priced by the true objective, from the CCCP
 *   result and, CccpOptions::searchFromCurrent, from the current association when CCCP moved
 *   away from it; the better is kept). CccpResult::server is then
 *   the refined association, feasible once Apply re-normalises the shares, but not
 *   necessarily within the LP's capacity rows (CccpResult::withinCapacity); cccpServer keeps
 *   CCCP's own answer.
 * - CccpOptions::lp = false skips every LP (and the linear cost matrix): the result is
 *   TrueCostSearch from the current association alone (cccpServer = that association,
 *   cost = NaN, withinCapacity = false). FpAllocator's attribute AssociationLp = false selects
 *   it (default true: the LP; see its documentation for the measured comparison).
 */
class AssociationSolver
{
  public:
    /**
     * @param model the cost model of the round
     */
    explicit AssociationSolver(const SplitCostModel& model);

    /**
     * CCCP association for fixed per-user alpha, p, f of the given allocation.
     * @param current current allocation (its server field is one starting point)
     * @param options options
     * @return binary feasible association
     */
    CccpResult Cccp(const Allocation& current, const CccpOptions& options) const;

    /**
     * Greedy: users in order of decreasing best gain, each to the server of highest uplink
     * gain that still has room (room = ceil(N b_m^max / sum of b^max) users) and on which r_min
     * is reachable at all (rate at p_max over the whole band, see Reachable). If no server with
     * room is reachable, the highest-gain reachable server (room exceeded); if none is
     * reachable, the highest-gain server with room.
     * @return association
     */
    std::vector<uint32_t> Greedy() const;

    /**
     * Random association: per user, uniform among the servers with room where r_min is
     * reachable (same fallbacks as Greedy).
     * @param rng random engine
     * @return association
     */
    std::vector<uint32_t> Random(std::mt19937_64& rng) const;

    /**
     * @param n user
     * @param m server
     * @return true if r_min is 0 or met at p_max over server m's whole band (necessary for
     *         the pair to be feasible)
     */
    bool Reachable(uint32_t n, uint32_t m) const;

    /**
     * Give every server's users shares proportional to their current shares (equal if none),
     * summing to the server's bandwidth and GPU frequency (doc/edge-llm.rst, model choice 6).
     * @param a allocation to re-normalise in place
     */
    void Renormalise(Allocation& a) const;

    /**
     * The data of the association LP for the alpha, p, f of an allocation.
     * @param current allocation (one entry per user)
     * @return costs, shares, allowed pairs and the reference association
     */
    AssociationCosts Costs(const Allocation& current) const;

    /**
     * @param c association data
     * @param server association
     * @return sum_n c[n][server[n]]
     */
    static double LinearCost(const AssociationCosts& c, const std::vector<uint32_t>& server);

    /**
     * @param c association data
     * @param server association
     * @return true if every pair is allowed and no server's shares exceed its capacities
     */
    bool IsFeasible(const AssociationCosts& c, const std::vector<uint32_t>& server) const;

    /**
     * Mean over users of the spread max_m c - min_m c of their allowed costs (at least 1e-12 of
     * the mean cost, so it is never zero): the LP's cost unit and the unit of the automatic rho.
     * @param c association data
     * @return the scale
     */
    static double CostScale(const AssociationCosts& c);

    /**
     * The rho values tried when CccpOptions::penalty is 0 (see the class documentation).
     * @param c association data
     * @return rho values
     */
    static std::vector<double> AutoPenalties(const AssociationCosts& c);

    /**
     * Per server, the GPU share f^E beyond which a user's edge cost B(f^E) rises again (the
     * minimiser of SplitCostModel::EdgeLayerCost, found by Brent's method in log f^E; f_m^max
     * if B decreases up to it). The same for every user (B scales with the user's FLOPs).
     * @return one value per server, Hz
     */
    const std::vector<double>& EdgeFrequencyCaps() const;

    /**
     * Move users to a new association: users that change server get the share the cost
     * matrix assumed (equal share of one more user), then every server is re-normalised
     * (proportional shares) or given equal shares, whichever its users' summed cost prefers, and
     * every GPU share capped at EdgeFrequencyCaps() (a larger share only costs energy; the
     * capacity is an upper bound, so the result stays feasible). The cost matrix (Costs) uses
     * the same capped GPU shares.
     * @param current allocation (alpha, p, f, shares)
     * @param server new association
     * @return the allocation with the new association and feasible shares
     */
    Allocation Apply(const Allocation& current, const std::vector<uint32_t>& server) const;

    /**
     * @param current allocation (alpha, p, f, shares)
     * @param server association
     * @return SplitCostModel::Objective(Apply(current, server)), configured aggregate
     */
    double TrueCost(const Allocation& current, const std::vector<uint32_t>& server) const;

    /**
     * Local search on the true objective with alpha, p, f fixed: single moves, then (when no
     * move helps) pairwise swaps, each priced by SplitCostModel after the shares of every
     * affected server are re-set as in Apply (proportional re-normalisation, the mover holding
     * the equal share of one more user, or equal shares, whichever is cheaper for that server;
     * GPU shares capped at EdgeFrequencyCaps), accepted on improvement (first
     * improvement), until nothing improves or maxPasses. Unlike the LP's linear cost this sees
     * that leaving a crowded server enlarges the shares of the users who stay. A change that
     * drops a user's uplink rate below r_min (with its fixed p) when it met r_min before is
     * rejected.
     * @param current allocation
     * @param server starting association
     * @param moves if not null, receives the number of accepted changes
     *
     * Candidates: with candidateServers = k > 0 a user only moves to one of its k highest-gain
     * servers, and two users only swap if each lands on one of its own k candidates (0: every
     * server). SUM aggregate: every server keeps cached sums of its users' costs for each
     * share reset (one user leaves, one arrives, one leaves and one arrives; proportional and
     * equal), so a trial move costs two SplitCostModel::UserTerms calls (the mover, both
     * variants) and a swap four; only the two servers of an accepted change are re-priced.
     * MAKESPAN aggregate: every trial re-prices its servers' users (the max is not separable).
     * @param current allocation
     * @param server starting association
     * @param moves if not null, receives the number of accepted changes
     * @param maxPasses passes over all moves and swaps
     * @param candidateServers k (0: all servers)
     * @return the improved association (TrueCost never higher than the start's)
     */
    std::vector<uint32_t> TrueCostSearch(const Allocation& current,
                                         std::vector<uint32_t> server,
                                         uint32_t* moves = nullptr,
                                         uint32_t maxPasses = 50,
                                         uint32_t candidateServers = 0) const;

    /** Block 2's data restricted to candidate pairs (internal; defined in the .cc). */
    struct SlotCosts;

  private:
    /**
     * The data of the association LP on the candidate pairs (the pricing of Costs()).
     * @param current allocation (one entry per user)
     * @param candidateServers k of Candidates (0: every pair)
     * @param c output
     */
    void PriceSlots(const Allocation& current, uint32_t candidateServers, SlotCosts& c) const;

    /**
     * @param k candidates per user (0: all)
     * @param server current association (a user's own server is always a candidate)
     * @return cand[n * M + m]: m is one of user n's k highest-gain servers
     */
    std::vector<char> Candidates(uint32_t k, const std::vector<uint32_t>& server) const;

    /**
     * @param k 0 < k < M
     * @return n * k + i: user n's i-th highest-gain server (ties: lower index), cached per k
     */
    const std::vector<uint32_t>& TopServers(uint32_t k) const;

    /**
     * TrueCostSearch for the SUM aggregate with cached per-server sums (same moves, pricing
     * and acceptance rule as the general search).
     * @param a Apply(current, server) (updated in place)
     * @param server starting association (updated in place)
     * @param cand candidate pairs (see Candidates)
     * @param maxPasses passes
     * @return accepted changes
     */
    uint32_t SeparableSearch(Allocation& a,
                             std::vector<uint32_t>& server,
                             const std::vector<char>& cand,
                             uint32_t maxPasses) const;

    const SplitCostModel& m_model;              //!< the cost model
    mutable std::vector<double> m_feCap;        //!< EdgeFrequencyCaps, computed on first use
    mutable uint32_t m_topK{0};                 //!< k of m_topServers (0: not computed)
    mutable std::vector<uint32_t> m_topServers; //!< each user's k highest-gain servers
};

} // namespace ns3

#endif // EDGE_LLM_ASSOCIATION_SOLVER_H
