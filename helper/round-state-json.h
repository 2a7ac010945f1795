/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ROUND_STATE_JSON_H
#define EDGE_LLM_ROUND_STATE_JSON_H

#include "ns3/round-state.h"
#include "ns3/split-allocator.h"

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * @ingroup edge-llm
 * Deepest nesting of objects and arrays an instance file may have. The format needs 4 (the
 * top-level object, "users", one user, its "gain"); the reader stops at the next level.
 */
constexpr uint32_t kMaxInstanceJsonDepth = 64;

/**
 * @ingroup edge-llm
 * @brief Reads a round instance from a JSON file.
 *
 * Format (server indices 0-based; "objective" and each of its keys optional, defaults from
 * ObjectiveSettings; per user "tokens", "batch" and "max_device_layers" optional):
 * @code
 * {"layers": 32,
 *  "objective": {"mode": "paper"|"delay-aware", "w_time": 1, "w_energy": 1, "w_stability": 1,
 *                "min_rate_bps": 1e5, "delay": "sum"|"makespan", "min_device_layers": 1,
 *                "rate_model": "snapshot"|"ergodic"},
 *  "noise_psd_w_per_hz": 4e-17,
 *  "users": [{"flops_per_layer": …, "payload_bits": …, "downlink_bits": …, "cores": …,
 *             "flops_per_cycle": …, "f_max_hz": …, "kappa": …, "p_max_w": …, "lipschitz": …,
 *             "dataset_size": …, "gain": [one per server]}],
 *  "servers": [{"bandwidth_hz": …, "f_max_hz": …, "cores": …, "flops_per_cycle": …,
 *               "kappa": …, "tx_power_w": …}]}
 * @endcode
 * The text is streamed through nlohmann::json's SAX parser (never held whole in memory), and
 * values are typed: a string where a number belongs ("32" for 32) is an error.
 * Bad input raises one InputError that names the file, the key and the user/server index:
 * nesting deeper than kMaxInstanceJsonDepth (with line), JSON syntax errors (with line),
 * missing or unknown keys (with the list of known keys), values of the wrong type (not a
 * number, not a string, not an object/array), wrong gain counts, unknown mode/delay/rate-model
 * names, then the range checks of RoundState::Validate.
 *
 * @param path the JSON file
 * @return the validated instance
 */
RoundState ReadRoundStateJson(const std::string& path);

/**
 * @ingroup edge-llm
 * @brief Reads a round instance from a stream (same format and checks as the file version).
 * @param in the JSON text
 * @param name name of the source used in error messages
 * @return the validated instance
 */
RoundState ReadRoundStateJson(std::istream& in, const std::string& name);

/**
 * @ingroup edge-llm
 * @brief Writes a round instance in the format ReadRoundStateJson reads (numbers at full
 * precision, so reading it back gives an identical state).
 * @param state the instance
 * @param os where to write
 */
void WriteRoundStateJson(const RoundState& state, std::ostream& os);

/**
 * @ingroup edge-llm
 * @brief Writes an allocation and its cost terms as one JSON object.
 *
 * Keys, in order: "allocator", "objective", "iterations", "solve_time_s", "users" (one
 * {"server", "alpha", "power_w", "bandwidth_hz", "freq_hz", "edge_freq_hz"} per user; server
 * -1 for local-only), "terms" (SplitCostModel::Totals: "device_delay_s", "edge_delay_s",
 * "uplink_delay_s", "downlink_delay_s", "device_energy_j", "edge_energy_j", "tx_energy_j",
 * "stability"), then "objective_value", "feasible", "violations", "objective_history",
 * "stationarity". Non-finite numbers are written as null.
 *
 * @param a the allocation
 * @param state the instance it was computed for
 * @param objectiveName objective mode name ("paper" or "delay-aware")
 * @param os where to write
 */
void WriteAllocationJson(const Allocation& a,
                         const RoundState& state,
                         const std::string& objectiveName,
                         std::ostream& os);

/**
 * @ingroup edge-llm
 * @brief Reads an allocation in the format WriteAllocationJson writes (what an external
 * allocator answers). Only "users" is required, each user with all six keys; "allocator" and
 * "iterations" are read, the other keys of the format are allowed and ignored. Types are
 * checked (server an integer >= -1, -1 meaning local-only; alpha a non-negative integer;
 * the rest finite numbers); the decision's bounds are the caller's to check.
 * @param text the JSON text
 * @param users number of users the round has (the "users" array must match)
 * @param name name of the source used in error messages
 * @return the allocation
 * @throws InputError naming the source, the key and the user index
 */
Allocation ReadAllocationJson(const std::string& text, size_t users, const std::string& name);

/**
 * @ingroup edge-llm
 * @brief Writes a round's measured outcome as one JSON object on one line: "round",
 * "start_s", "end_s", "predicted_objective", "devices" (per device: "device", "index" (-1 if it
 * was not in the round), "status", "server" (-1: none), "alpha", "delay_s",
 * "predicted_delay_s", "uplink_s", "downlink_s", "compute_energy_j", "radio_energy_j",
 * "edge_energy_j", "predicted_energy_j", "battery_j"; null where not measured).
 * @param outcome the round
 * @param os where to write
 */
void WriteRoundOutcomeJson(const RoundOutcome& outcome, std::ostream& os);

/**
 * @ingroup edge-llm
 * @param mode objective mode
 * @return its name in instance files ("paper" or "delay-aware")
 */
std::string ObjectiveModeName(ObjectiveMode mode);

/**
 * @ingroup edge-llm
 * @param name "paper" or "delay-aware"
 * @param where what gave the name (file and key, or flag), for the error message
 * @return the mode
 * @throws InputError for any other name (the message lists the allowed ones)
 */
ObjectiveMode ParseObjectiveMode(const std::string& name, const std::string& where);

/**
 * @ingroup edge-llm
 * @param d delay aggregate
 * @return its name in instance files ("sum" or "makespan")
 */
std::string DelayAggregateName(DelayAggregate d);

/**
 * @ingroup edge-llm
 * @param name "sum" or "makespan"
 * @param where what gave the name, for the error message
 * @return the aggregate
 * @throws InputError for any other name
 */
DelayAggregate ParseDelayAggregate(const std::string& name, const std::string& where);

/**
 * @ingroup edge-llm
 * @param r rate model
 * @return its name in instance files and flags ("snapshot" or "ergodic")
 */
std::string RateModelName(RateModel r);

/**
 * @ingroup edge-llm
 * @param name "snapshot" or "ergodic"
 * @param where what gave the name (file and key, or flag), for the error message
 * @return the rate model
 * @throws InputError for any other name (the message lists the allowed ones)
 */
RateModel ParseRateModel(const std::string& name, const std::string& where);

} // namespace ns3

#endif // EDGE_LLM_ROUND_STATE_JSON_H
