#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The fixed-split baseline (ns3::FixedSplitAllocator) as an external allocator.

    edge-llm-split-training --allocator=external \
        --allocatorCommand='python3 contrib/allocators/fixed_split.py'

Speaks the external-allocator protocol (doc/edge-llm.rst, "Writing your own allocator"): one
JSON object per line on stdin, one answer line on stdout per "state" message. It makes the
same decision as the built-in allocator, bit for bit: every device trains
alpha = Upsilon/2 layers (or --layer K), clamped to [alpha_min, alpha_max(n)]; greedy
association (strongest users first, each to its highest-gain server with room where r_min is
reachable); equal bandwidth and GPU shares per server; p = p_max; f = f_max.

Standard library only. The "results" messages (measured per-device delay and energy after
every round) are where a learning allocator would take its reward; this one only counts them.
"""
import argparse
import json
import math
import sys

LN2 = 0.69314718055994530942  # the constant SplitCostModel uses


def uplink_rate_bps(state, user, server, power_w, bandwidth_hz):
    """SplitCostModel::UplinkRateBps for the snapshot rate model (the paper's Shannon rate)."""
    if bandwidth_hz <= 0 or power_w <= 0:
        return 0.0
    snr = user["gain"][server] * power_w / (state["noise_psd_w_per_hz"] * bandwidth_hz)
    return bandwidth_hz * (math.log1p(snr) / LN2)


def reachable(state, user, server):
    """r_min is 0 or met at p_max over the server's whole band."""
    objective = state.get("objective", {})
    rmin = objective.get("min_rate_bps", 0.0)
    if rmin <= 0:
        return True
    if objective.get("rate_model", "snapshot") != "snapshot":
        sys.exit("fixed_split.py: only the snapshot rate model is implemented (got "
                 f"{objective['rate_model']!r} with min_rate_bps > 0)")
    band = state["servers"][server]["bandwidth_hz"]
    return uplink_rate_bps(state, user, server, user["p_max_w"], band) >= rmin


def greedy_association(state):
    """AssociationSolver::Greedy()."""
    users, servers = state["users"], state["servers"]
    n_users, n_servers = len(users), len(servers)
    band_total = 0.0
    for s in servers:
        band_total += s["bandwidth_hz"]
    room = [int(math.ceil(n_users * s["bandwidth_hz"] / band_total - 1e-9)) for s in servers]
    best_gain = [max(u["gain"]) for u in users]
    order = sorted(range(n_users), key=lambda n: -best_gain[n])  # stable, like std::stable_sort
    choice = [0] * n_users
    load = [0] * n_servers
    for n in order:
        gain = users[n]["gain"]
        best = -1
        for rule in range(3):  # with room and reachable; reachable; with room
            if best >= 0:
                break
            for m in range(n_servers):
                if best >= 0 and not gain[m] > gain[best]:
                    continue
                if rule == 0:
                    ok = load[m] < room[m] and reachable(state, users[n], m)
                elif rule == 1:
                    ok = reachable(state, users[n], m)
                else:
                    ok = load[m] < room[m]
                if ok:
                    best = m
        if best < 0:
            best = load.index(min(load))
        choice[n] = best
        load[best] += 1
    return choice


def allocate(state, layer):
    """FixedSplitAllocator::DoAllocate."""
    users, servers = state["users"], state["servers"]
    layers = state["layers"]
    min_alpha = state.get("objective", {}).get("min_device_layers", 1)
    k = layer if layer > 0 else layers // 2
    association = greedy_association(state)
    decisions = []
    for n, u in enumerate(users):
        max_alpha = layers - 1
        if u.get("max_device_layers", 0) > 0:
            max_alpha = min(max_alpha, u["max_device_layers"])
        alpha = min_alpha if k < min_alpha else (max_alpha if max_alpha < k else k)
        decisions.append({"server": association[n], "alpha": alpha, "power_w": u["p_max_w"],
                          "bandwidth_hz": 0.0, "freq_hz": u["f_max_hz"], "edge_freq_hz": 0.0})
    # AssociationSolver::Renormalise: equal shares, then scaled to sum to the capacity
    for m, s in enumerate(servers):
        members = [d for d in decisions if d["server"] == m]
        if not members:
            continue
        for d in members:
            d["bandwidth_hz"] = s["bandwidth_hz"] / len(members)
            d["edge_freq_hz"] = s["f_max_hz"] / len(members)
        band = freq = 0.0
        for d in members:
            band += d["bandwidth_hz"]
            freq += d["edge_freq_hz"]
        for d in members:
            d["bandwidth_hz"] *= s["bandwidth_hz"] / band
            d["edge_freq_hz"] *= s["f_max_hz"] / freq
    return {"allocator": "fixed_split.py", "users": decisions}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", type=int, default=0,
                        help="layers every device trains (0: Upsilon/2), as FixedSplitLayer")
    args = parser.parse_args()
    results = 0
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] == "state":
            # repr() of a float (what json writes) reads back as the same double
            print(json.dumps(allocate(message["state"], args.layer)), flush=True)
        elif message["type"] == "results":
            results += 1  # a learning allocator would update itself here
    print(f"fixed_split.py: {results} rounds of results received", file=sys.stderr)


if __name__ == "__main__":
    main()
