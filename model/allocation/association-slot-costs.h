/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ASSOCIATION_SLOT_COSTS_H
#define EDGE_LLM_ASSOCIATION_SLOT_COSTS_H

// Block 2's data on the candidate pairs, shared by the files of AssociationSolver
// (association-solver.cc: pricing and baselines; association-cccp.cc: the CCCP on the LP;
// association-true-cost-search.cc and association-separable-search.cc: the local searches). Not
// needed by users of the solver.

#include "association-solver.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/// Tolerances of block 2 (see AssociationSolver).
namespace association
{
constexpr double kBinaryTol = 1e-9;   //!< chi within this of 0/1 counts as binary
constexpr double kCapacityTol = 1e-9; //!< relative tolerance on server capacities
} // namespace association

/**
 * Block 2's data on the candidate pairs ("slots", user-major): slot i of user n is
 * off[n] + i < off[n + 1], on server srv[...]. Prices and shares as in AssociationCosts.
 */
struct AssociationSolver::SlotCosts
{
    std::vector<uint32_t> off;       //!< first slot of each user (N + 1 entries)
    std::vector<uint32_t> srv;       //!< server of each slot
    std::vector<double> cost;        //!< c_{n,m}
    std::vector<double> band;        //!< b_{n,m}, Hz
    std::vector<double> freq;        //!< f^E_{n,m}, Hz
    std::vector<char> allowed;       //!< pair may be chosen
    std::vector<uint32_t> reference; //!< current association (greedy for users without one)
    std::vector<uint32_t> refSlot;   //!< slot of the reference pair

    /// @return the slot of (n, m), or -1 if (n, m) is not a candidate pair
    int64_t Slot(uint32_t n, uint32_t m) const
    {
        for (uint32_t i = off[n]; i < off[n + 1]; ++i)
        {
            if (srv[i] == m)
            {
                return i;
            }
        }
        return -1;
    }
};

} // namespace ns3

#endif // EDGE_LLM_ASSOCIATION_SLOT_COSTS_H
