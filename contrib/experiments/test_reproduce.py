#!/usr/bin/python3
"""Smoke test of contrib/experiments/reproduce.py (ctest label "experiments"): every figure at a
tiny size, analytic for all and packet-level for Figs. 2 and 5, checks the CSVs (rows per
allocator, run and sweep point) and the plots, that running a figure again resumes its sweeps
instead of recomputing them, and that bad options exit 2. Prints 'N passed, M failed'.

  test_reproduce.py --build-dir build
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "reproduce.py")
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else " -- " + detail))


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def reproduce(build, out, *extra):
    return subprocess.run(["/usr/bin/python3", SCRIPT, "--no-build", "--build-dir", build,
                           "--out", out, "--jobs", "2"] + list(extra),
                          capture_output=True, text=True, timeout=900)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    args = ap.parse_args()
    out = tempfile.mkdtemp(prefix="edge-llm-reproduce-test-")
    tiny = ["--users", "4", "--servers", "2", "--runs", "2", "--rounds", "1"]

    r = reproduce(args.build_dir, out, "fig2", "--preset", "realistic", *tiny)
    check("fig2 (both modes) exits 0", r.returncode == 0, r.stderr[-800:])
    for mode in ("analytic", "packet"):
        for amin in (0, 1):
            d = os.path.join(out, "fig2", "realistic-" + mode, "alpha-min-%d" % amin)
            runs = rows(os.path.join(d, "comparison-runs.csv")) if os.path.isfile(
                os.path.join(d, "comparison-runs.csv")) else []
            check("fig2 %s alpha_min=%d: 3 allocators x 2 runs" % (mode, amin),
                  len(runs) == 6 and {x["allocator"] for x in runs} ==
                  {"fp", "edge-only", "local-only"} and {x["mode"] for x in runs} == {mode},
                  str(len(runs)))
            check("fig2 %s alpha_min=%d: plot" % (mode, amin),
                  os.path.isfile(os.path.join(d, "plots", "comparison.png")))

    r = reproduce(args.build_dir, out, "fig3", "--preset", "paper", "--mode", "analytic", *tiny)
    check("fig3 analytic exits 0", r.returncode == 0, r.stderr[-800:])
    for w in ("wTime", "wEnergy", "wStability"):
        d = os.path.join(out, "fig3", "paper-analytic", w)
        sw = rows(os.path.join(d, "sweep.csv")) if os.path.isfile(
            os.path.join(d, "sweep.csv")) else []
        # 6 weights x 2 runs x 4 allocators
        check("fig3 %s: weights x runs x allocators rows" % w,
              len(sw) == 48 and sorted({float(x[w]) for x in sw}) == [1, 2, 4, 6, 8, 10],
              str(len(sw)))
        check("fig3 %s: plot" % w, os.path.isfile(os.path.join(d, "fig3-%s.png" % w)))
    log = os.path.join(out, "fig3", "paper-analytic", "wTime", "joblog")
    before = sum(1 for _ in open(log))
    r = reproduce(args.build_dir, out, "fig3", "--preset", "paper", "--mode", "analytic", *tiny)
    after = sum(1 for _ in open(log))
    check("fig3 again: exits 0 and resumes (no job rerun)", r.returncode == 0 and before == after,
          "%d -> %d joblog lines; %s" % (before, after, r.stderr[-300:]))

    r = reproduce(args.build_dir, out, "fig4", "--mode", "both", "--preset", "realistic",
                  "--users", "30", "--servers-list", "2,3", "--runs", "2")
    check("fig4 exits 0 (packet skipped)", r.returncode == 0 and "skipped" in r.stdout,
          r.stdout[-300:] + r.stderr[-500:])
    conv = os.path.join(out, "fig4", "realistic-analytic", "cccp-convergence.csv")
    cr = rows(conv) if os.path.isfile(conv) else []
    check("fig4: series for M = 2 and 3, 2 drops each",
          {(x["servers"], x["seed"]) for x in cr} ==
          {("2", "1"), ("2", "2"), ("3", "1"), ("3", "2")}, str(len(cr)))

    r = reproduce(args.build_dir, out, "fig5", "--preset", "realistic", "--mode", "packet",
                  "--servers", "1", "--runs", "1", "--rounds", "1")
    check("fig5 packet exits 0", r.returncode == 0, r.stderr[-800:])
    sw = os.path.join(out, "fig5", "realistic-packet", "sweep.csv")
    s5 = rows(sw) if os.path.isfile(sw) else []
    check("fig5 packet: 5 user counts x 3 allocators", len(s5) == 15 and
          sorted({int(x["users"]) for x in s5}) == [4, 8, 12, 16, 20], str(len(s5)))

    r = reproduce(args.build_dir, out, "fig2", "--runs", "0")
    check("--runs 0: exit 2, one line", r.returncode == 2 and
          len(r.stderr.strip().splitlines()) == 1, r.stderr)
    r = reproduce(args.build_dir, out, "fig9")
    check("unknown figure: exit 2", r.returncode == 2, r.stderr)

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
