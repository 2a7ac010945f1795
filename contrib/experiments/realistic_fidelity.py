#!/usr/bin/env python3
"""Measured vs predicted on realistic channels: the table of doc/edge-llm.rst, "Validation".

Runs edge-llm-split-training for every configuration and seed and prints, per configuration:
device-rounds done and failed (by status), the mean over done device-rounds of
|measured - predicted| / predicted of the per-device delay and device energy (compute + radio),
the per-round makespan ratio measured / predicted (median, range), and the spread that no
rescaling of the prediction removes: the "floor", min over constants c of the mean
|measured / (c predicted) - 1|, and the median and interquartile range of measured / predicted.

  contrib/experiments/realistic_fidelity.py                       # every configuration, 5 seeds
  contrib/experiments/realistic_fidelity.py --configs base --seeds 1 2 --rounds 5
  contrib/experiments/realistic_fidelity.py --extra=--ns3::FdmaNetDevice::BlockDuration=2ms
"""
import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys

import pandas as pd

BASE = ["--channel=3gpp-umi", "--isd=200", "--fading=jakes", "--mobility=random-walk",
        "--speed=1.4", "--linkAdaptation=adaptive", "--rateModel=ergodic", "--csi=measured"]

CONFIGS = {
    "ideal": [],
    "base": BASE,
    "snapshot": BASE[:-2] + ["--rateModel=snapshot", "--csi=measured"],
    "fixed": [f for f in BASE if not f.startswith("--linkAdaptation")] + ["--linkAdaptation=fixed"],
    "vehicular": [f for f in BASE if not f.startswith("--speed")] + ["--speed=15"],
    "uma500": [f for f in BASE if not f.startswith(("--channel", "--isd"))]
    + ["--channel=3gpp-uma", "--isd=500"],
    # decomposition of the error by cause
    "static-jakes-ld": ["--fading=jakes", "--mobility=static", "--linkAdaptation=adaptive",
                        "--rateModel=ergodic", "--csi=measured"],
    "walk-nofading-umi": [f for f in BASE if not f.startswith("--fading")] + ["--fading=none",
                                                                              "--rateModel=snapshot"],
    "static-jakes-umi": [f for f in BASE if not f.startswith(("--mobility", "--speed"))]
    + ["--mobility=static"],
    "walk-jakes-ld": [f for f in BASE if not f.startswith(("--channel", "--isd"))],
    # the default with the CSI oracle: the large-scale gain at the round start known exactly
    "base-positions": BASE[:-1] + ["--csi=positions"],
}

LINK_FAILURES = {"stalled", "deadline", "aborted"}


def run(binary, name, flags, seed, rounds, outdir, extra):
    out = os.path.join(outdir, f"{name}-seed{seed}")
    os.makedirs(out, exist_ok=True)
    csv = os.path.join(out, "devices.csv")
    rounds_csv = os.path.join(out, "rounds.csv")
    done = os.path.exists(rounds_csv) and sum(1 for _ in open(rounds_csv)) == rounds + 1
    if not done:  # not run yet, or interrupted: run (again)
        cmd = [binary, f"--outputDir={out}", f"--rounds={rounds}", f"--seed={seed}",
               "--pcap=false"] + flags + extra
        with open(os.path.join(out, "log.txt"), "w") as log:
            log.write(" ".join(cmd) + "\n")
            log.flush()
            rc = subprocess.call(cmd, stdout=log, stderr=log)
        if rc != 0:
            sys.exit(f"realistic_fidelity: {' '.join(cmd)} failed (exit {rc}); log: {out}/log.txt")
    return pd.read_csv(csv), pd.read_csv(os.path.join(out, "rounds.csv"))


def floor_error(ratio):
    """Smallest mean |ratio / c - 1| over constants c: what any prediction that only rescales
    this one (a bias correction, e.g. a different expectation of the rate) could reach; c is
    scanned over 801 points between the smallest and the largest ratio (the mean is convex in
    1/c, so its minimum lies between them)."""
    ratio = ratio[ratio > 0]
    if ratio.empty:
        return float("nan")
    lo, hi = ratio.min(), ratio.max()
    grid = [lo + (hi - lo) * k / 800 for k in range(801)]
    return min((ratio / c - 1).abs().mean() for c in grid)


def summarise(devices, rounds):
    done = devices[devices.status == "done"]
    delay = ((done.delay_s - done.predicted_delay_s).abs() / done.predicted_delay_s).mean()
    meas_e = done.compute_energy_j + done.radio_energy_j
    pred_e = done.predicted_compute_energy_j + done.predicted_tx_energy_j
    if "predicted_listen_energy_j" in done:  # Wi-Fi: idle listening until the round ends
        pred_e = pred_e + done.predicted_listen_energy_j.fillna(0)
    energy = ((meas_e - pred_e).abs() / pred_e).mean()
    delay_ratio = done.delay_s / done.predicted_delay_s
    energy_ratio = meas_e / pred_e
    ratio = (rounds.makespan_s / rounds.predicted_makespan_s).dropna()
    counts = devices.status.value_counts().to_dict()
    link = sum(v for k, v in counts.items() if k in LINK_FAILURES)
    return {"done": len(done), "link_failed": link,
            "other": {k: v for k, v in counts.items() if k != "done" and k not in LINK_FAILURES},
            "delay_err_pct": 100 * delay, "energy_err_pct": 100 * energy,
            "delay_floor_pct": 100 * floor_error(delay_ratio),
            "energy_floor_pct": 100 * floor_error(energy_ratio),
            "delay_ratio_median": delay_ratio.median(),
            "delay_ratio_iqr": (delay_ratio.quantile(0.25), delay_ratio.quantile(0.75)),
            "makespan_median": statistics.median(ratio), "makespan_min": ratio.min(),
            "makespan_max": ratio.max()}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", nargs="+", default=["ideal", "base", "snapshot", "fixed",
                                                     "vehicular", "uma500"],
                    help=f"from {', '.join(CONFIGS)}")
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--binary", default="build/examples/edge-llm-split-training")
    ap.add_argument("--output", default="results/realistic-fidelity")
    ap.add_argument("--jobs", type=int, default=1, help="runs at once (default 1)")
    ap.add_argument("--extra", action="append", default=[],
                    help="one more flag for every run (repeatable)")
    args = ap.parse_args()
    for c in args.configs:
        if c not in CONFIGS:
            sys.exit(f"realistic_fidelity: --configs: unknown '{c}' (allowed: {', '.join(CONFIGS)})")
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"realistic_fidelity: --binary: '{args.binary}' is not an executable (build first)")
    print("config             done  link-failed  other         delay-err  energy-err  "
          "makespan meas/pred median (range)  |  floor delay/energy  delay meas/pred "
          "median [IQR]")
    if args.jobs < 1:
        sys.exit(f"realistic_fidelity: --jobs: {args.jobs} (allowed: 1 or more)")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {(c, s): pool.submit(run, args.binary, c, CONFIGS[c], s, args.rounds, args.output,
                                       args.extra)
                   for c in args.configs for s in args.seeds}
    for c in args.configs:
        devs = [futures[(c, s)].result()[0] for s in args.seeds]
        rnds = [futures[(c, s)].result()[1] for s in args.seeds]
        m = summarise(pd.concat(devs), pd.concat(rnds))
        print(f"{c:18s} {m['done']:5d}  {m['link_failed']:11d}  {str(m['other']):12s}  "
              f"{m['delay_err_pct']:8.1f} %  {m['energy_err_pct']:8.1f} %  "
              f"{m['makespan_median']:.2f} ({m['makespan_min']:.2f}-{m['makespan_max']:.2f})"
              f"  |  {m['delay_floor_pct']:5.1f} % {m['energy_floor_pct']:5.1f} %  "
              f"{m['delay_ratio_median']:.2f} [{m['delay_ratio_iqr'][0]:.2f}, "
              f"{m['delay_ratio_iqr'][1]:.2f}]", flush=True)


if __name__ == "__main__":
    main()
