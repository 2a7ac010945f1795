#!/usr/bin/python3
"""Checks of edge-llm-compare (ctest label "cli"): the analytic mode predicts what the packet
mode measures on the same drops, the summaries follow from the runs (Student-t CIs), the drops
do not depend on which allocators run (common random numbers), a packet run inside the
comparison is byte-identical to the same run of edge-llm-split-training, and bad flags give one
line and exit code 2. Prints 'N passed, M failed'; exit code 0 only if all passed.

  test_compare.py --compare build/examples/edge-llm-compare \
                  --split-training build/examples/edge-llm-split-training
"""

import argparse
import csv
import filecmp
import math
import os
import subprocess
import sys
import tempfile

SCENARIO = ["--users=4", "--servers=2", "--rounds=1", "--seed=3"]
T975 = {1: 12.706205, 2: 4.302653, 3: 3.182446, 4: 2.776445}

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else " -- " + detail))


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare", required=True)
    ap.add_argument("--split-training", required=True)
    ap.add_argument("--convergence", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="edge-llm-compare-test-")
    allocs = "--allocators=fp,fixed-split"

    ana = os.path.join(tmp, "analytic")
    r = run([args.compare, "--mode=analytic", allocs, "--runs=3", "--outputDir=" + ana] + SCENARIO)
    check("analytic mode exits 0", r.returncode == 0, r.stderr[-500:])
    pkt = os.path.join(tmp, "packet")
    r = run([args.compare, "--mode=packet", allocs, "--runs=3", "--outputDir=" + pkt] + SCENARIO)
    check("packet mode exits 0", r.returncode == 0, r.stderr[-500:])
    check("packet mode prints the table", "fixed-split" in r.stdout and "makespan" in r.stdout,
          r.stdout)

    a = {(x["allocator"], x["run"]): x for x in rows(os.path.join(ana, "comparison-runs.csv"))}
    p = {(x["allocator"], x["run"]): x for x in rows(os.path.join(pkt, "comparison-runs.csv"))}
    check("one row per allocator and run", sorted(a) == sorted(p) and len(a) == 6, str(sorted(a)))
    for key in sorted(a):
        # the same decision on the same drop: the cost-model objective agrees to rounding
        oa, op = float(a[key]["objective"]), float(p[key]["objective"])
        check("objective analytic == packet %s" % (key,), abs(oa - op) <= 1e-9 * abs(oa),
              "%r vs %r" % (oa, op))
        # static, no fading, margin 0: what the simulator measures is what the model predicts
        for m in ("energy_j", "makespan_s"):
            va, vp = float(a[key][m]), float(p[key][m])
            check("%s measured within 1 %% of predicted %s" % (m, key),
                  abs(vp - va) <= 0.01 * va, "%r vs %r" % (vp, va))
        check("prediction_error empty in analytic mode %s" % (key,),
              a[key]["prediction_error"] == "")
        pe = float(p[key]["prediction_error"])
        check("prediction_error small in packet mode %s" % (key,), abs(pe) < 0.01, str(pe))

    # summaries recomputed from the runs
    summ = {(x["allocator"], x["metric"]): x for x in rows(os.path.join(pkt, "comparison.csv"))}
    for alloc in ("fp", "fixed-split"):
        vals = [float(p[(alloc, str(k))]["energy_j"]) for k in (1, 2, 3)]
        mean = sum(vals) / 3
        std = math.sqrt(sum((v - mean) ** 2 for v in vals) / 2)
        half = T975[2] * std / math.sqrt(3)
        s = summ[(alloc, "energy_j")]
        check("comparison.csv mean/std/CI of %s energy" % alloc,
              int(s["n"]) == 3 and abs(float(s["mean"]) - mean) <= 1e-9 * mean
              and abs(float(s["std"]) - std) <= 1e-6 * std + 1e-12
              and abs(float(s["ci95_high"]) - (mean + half)) <= 1e-6 * mean
              and abs(float(s["ci95_low"]) - (mean - half)) <= 1e-6 * mean, str(s))

    # common random numbers: local-only depends only on the drop; other allocators before it
    # must not change its rows
    lo1 = os.path.join(tmp, "lo1")
    lo2 = os.path.join(tmp, "lo2")
    run([args.compare, "--allocators=local-only", "--runs=2", "--outputDir=" + lo1] + SCENARIO)
    run([args.compare, "--allocators=random-association,alpha-only,local-only", "--runs=2",
         "--outputDir=" + lo2] + SCENARIO)
    r1 = [x for x in rows(os.path.join(lo1, "comparison-runs.csv"))]
    r2 = [x for x in rows(os.path.join(lo2, "comparison-runs.csv")) if x["allocator"] == "local-only"]
    check("same drops whatever allocators run before", r1 == r2 and len(r1) == 2,
          "%s vs %s" % (r1, r2))
    rr = rows(os.path.join(lo1, "comparison-runs.csv"))
    check("different runs draw different drops", rr[0]["energy_j"] != rr[1]["energy_j"], str(rr))

    # a packet run inside the comparison == the same run of the single-run example
    single = os.path.join(tmp, "single")
    r = run([args.split_training, "--allocator=fixed-split", "--run=3", "--outputDir=" + single,
             "--pcap=false", "--flowMonitor=false", "--progress=false"] + SCENARIO)
    check("edge-llm-split-training exits 0", r.returncode == 0, r.stderr[-500:])
    for f in ("rounds.csv", "devices.csv"):
        check("%s of run 3 identical to the single-run example" % f,
              filecmp.cmp(os.path.join(single, f), os.path.join(pkt, "fixed-split", "run-3", f),
                          shallow=False))

    # --RngRun is another name of --run (it used to be overridden by --run: run 1's outputs)
    quiet = ["--pcap=false", "--flowMonitor=false", "--progress=false"]
    rng = os.path.join(tmp, "rngrun")
    r = run([args.split_training, "--allocator=fixed-split", "--RngRun=3", "--outputDir=" + rng]
            + quiet + SCENARIO)
    check("--RngRun=3 exits 0", r.returncode == 0, r.stderr[-500:])
    for f in ("rounds.csv", "devices.csv"):
        check("--RngRun=3 %s identical to --run=3's" % f,
              filecmp.cmp(os.path.join(single, f), os.path.join(rng, f), shallow=False))
    rng1 = os.path.join(tmp, "rngrun1")
    r = run([args.split_training, "--allocator=fixed-split", "--run=1", "--RngRun=1",
             "--outputDir=" + rng1] + quiet + SCENARIO)
    check("--run=1 --RngRun=1 (agreeing) exits 0", r.returncode == 0, r.stderr[-500:])
    check("run 1 differs from run 3",
          not filecmp.cmp(os.path.join(rng1, "devices.csv"), os.path.join(rng, "devices.csv"),
                          shallow=False))

    # battery books: a reserve of 0 never leaves a negative battery (it ended at -4e-10 J)
    res0 = os.path.join(tmp, "reserve0")
    r = run([args.split_training, "--batteryReserve=0", "--batteryJ=1.5", "--users=2",
             "--servers=2", "--rounds=2", "--seed=3", "--outputDir=" + res0] + quiet)
    check("--batteryReserve=0 exits 0", r.returncode == 0, r.stderr[-500:])
    dev = rows(os.path.join(res0, "devices.csv"))
    check("--batteryReserve=0: some device depleted",
          any(x["status"] == "depleted" for x in dev), str([x["status"] for x in dev]))
    check("--batteryReserve=0: battery_j never negative",
          all(float(x["battery_j"]) >= 0 for x in dev), str([x["battery_j"] for x in dev]))

    # wifi: the radios listen from t = 0; that energy (before round 0) is in idle_energy_j, so
    # each device's rows add up to its battery's drain (it was in no row before)
    wifi = os.path.join(tmp, "wifi")
    capacity = 55440.0
    r = run([args.split_training, "--tier=wifi", "--users=2", "--servers=2", "--rounds=2",
             "--seed=3", "--batteryJ=%r" % capacity, "--outputDir=" + wifi] + quiet)
    check("wifi run exits 0", r.returncode == 0, r.stderr[-500:])
    dev = rows(os.path.join(wifi, "devices.csv"))
    for n in sorted({x["device"] for x in dev}):
        mine = [x for x in dev if x["device"] == n]
        counted = sum(float(x["compute_energy_j"] or 0) + float(x["radio_energy_j"] or 0)
                      + float(x["idle_energy_j"]) for x in mine)
        drained = capacity - float(mine[-1]["battery_j"])
        # CSV numbers have 12 significant digits: battery_j ~5.5e4 J is exact to ~1e-7 J
        check("wifi device %s: rows add up to the battery's drain" % n,
              abs(counted - drained) <= 1e-6, "%r vs %r" % (counted, drained))
        check("wifi device %s: idle listening before round 0 is in round 0's row" % n,
              float(mine[0]["idle_energy_j"]) > 0.05, mine[0]["idle_energy_j"])

    for bad, what in ((["--mode=fast"], "--mode"), (["--allocators=fp,,x"], "--allocators"),
                      (["--allocators=nope"], "nope"), (["--runs=0"], "--runs"),
                      (["--seed=0"], "--seed"),
                      (["--minDeviceLayers=40"], "min_device_layers"),
                      (["--rateModel=fading"], "--rateModel"),
                      (["--handoverHysteresisDb=-3"], "--handoverHysteresisDb"),
                      (["--roundDeadlineS=-1"], "--roundDeadlineS")):
        r = run([args.compare, "--outputDir=" + os.path.join(tmp, "bad")] + SCENARIO + bad)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        check("bad %s: exit 2, one line naming it" % bad[0],
              r.returncode == 2 and len(lines) == 1 and what in lines[0], "%d %r" % (r.returncode, r.stderr))

    for bad, what in ((["--linkAdaptation=slow"], "--linkAdaptation"), (["--csi=oracle"], "--csi")):
        r = run([args.split_training, "--outputDir=" + os.path.join(tmp, "bad")] + SCENARIO + bad)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        check("split-training bad %s: exit 2, one line naming it" % bad[0],
              r.returncode == 2 and len(lines) == 1 and what in lines[0], "%d %r" % (r.returncode, r.stderr))

    # edge-llm-cccp-convergence: the penalised objective never rises along a CCCP run
    conv = os.path.join(tmp, "conv")
    r = run([args.convergence, "--users=30", "--servers=2,4", "--seeds=2", "--outputDir=" + conv])
    check("edge-llm-cccp-convergence exits 0", r.returncode == 0, r.stderr[-500:])
    series = {}
    for x in rows(os.path.join(conv, "cccp-convergence.csv")):
        series.setdefault((x["servers"], x["seed"]), []).append(
            (int(x["iteration"]), float(x["objective"])))
    check("a series per number of servers and seed", sorted(series) ==
          [("2", "1"), ("2", "2"), ("4", "1"), ("4", "2")], str(sorted(series)))
    for key, pts in sorted(series.items()):
        its = [i for i, _ in pts]
        obj = [o for _, o in pts]
        check("iterations 0.. in order %s" % (key,), its == list(range(len(its))), str(its))
        check("objective non-increasing %s" % (key,),
              all(b <= a * (1 + 1e-9) + 1e-9 for a, b in zip(obj, obj[1:])), str(obj))
    r = run([args.convergence, "--servers=2,x", "--outputDir=" + conv])
    check("convergence: bad --servers -> exit 2 naming it",
          r.returncode == 2 and "--servers" in r.stderr, r.stderr)

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
