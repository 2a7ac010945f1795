#!/usr/bin/python3
"""Run an edge-llm program and sample its resident set size (VmRSS) once per round or run.

The program's stderr is read line by line; every progress line ("round N ..." of
edge-llm-split-training --progress, "run N ..." of edge-llm-compare) triggers one sample of
/proc/<pid>/status. The samples go to a CSV (line, sample, rss_kib, wall_s) and a summary
(first / last / max RSS, and the growth between the first and the second half's medians) is
printed. Memory is measured here, never asserted in a test.

  contrib/endurance/rss-per-round.py --csv rss.csv -- build/edge-llm-split-training \
      --rounds=100 --progress --outputDir=/tmp/e100
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys
import time


def vm_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", required=True, help="where to write the samples")
    ap.add_argument("--prefix", default="round,run",
                    help="comma-separated stderr line prefixes that trigger a sample")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- program and its flags")
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no program given (put it after --)")
    prefixes = tuple(p + " " for p in a.prefix.split(",") if p)
    t0 = time.monotonic()
    os.makedirs(os.path.dirname(os.path.abspath(a.csv)), exist_ok=True)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    rows = []
    with open(a.csv, "w", newline="") as f:  # written as it goes: a killed run keeps its rows
        w = csv.writer(f)
        w.writerow(["line", "sample", "rss_kib", "wall_s"])
        for line in proc.stderr:
            if line.startswith(prefixes):
                rss = vm_rss_kib(proc.pid)
                if rss is not None:
                    rows.append((" ".join(line.split()[:2]), len(rows), rss,
                                 round(time.monotonic() - t0, 3)))
                    w.writerow(rows[-1])
                    f.flush()
            else:
                sys.stderr.write(line)
        rc = proc.wait()
    if rows:
        rss = [r[2] for r in rows]
        half = len(rss) // 2
        growth = (statistics.median(rss[half:]) - statistics.median(rss[:half])) if half else 0
        print(f"rss samples {len(rss)}: first {rss[0]} KiB, last {rss[-1]} KiB, "
              f"max {max(rss)} KiB, min {min(rss)} KiB, second-half minus first-half median "
              f"{growth:+.0f} KiB; wall {rows[-1][3]:.1f} s; exit {rc}")
    else:
        print(f"no progress line sampled; exit {rc}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
