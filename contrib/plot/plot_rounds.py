#!/usr/bin/python3
"""Delay and energy over rounds: measured vs predicted makespan and total energy per round,
one colour per allocator (give several run directories to compare allocators).

  plot_rounds.py --input results/fp results/edge-only --output figs
  plot_rounds.py --input results/compare          # edge-llm-compare's packet-mode tree
writes rounds.png (or .pdf) from each run's rounds.csv. An --input folder without rounds.csv
but with ALLOCATOR/run-R/rounds.csv below it (edge-llm-compare's output) stands for one run of
every allocator: run --run R, by default each allocator's lowest-numbered run; those series are
labelled by the allocator folder's name, in comparison.csv's order if the folder has one.
"""

import csv
import glob
import os
import re

import plot_common as pc
from plot_common import plt
from matplotlib.ticker import MaxNLocator

COLUMNS = ["round", "allocator", "makespan_s", "predicted_makespan_s", "total_energy_j",
           "predicted_total_energy_j", "devices_done", "devices_failed"]


def tree_order(tree, names):
    """The allocator folders in comparison.csv's order (as plot_comparison draws them) if the
    tree has one, else alphabetically."""
    order = []
    try:
        with open(os.path.join(tree, "comparison.csv"), newline="") as f:
            order = [r.get("allocator") for r in csv.DictReader(f)]
    except (OSError, csv.Error):
        pass
    rank = {a: i for i, a in reversed(list(enumerate(order)))}
    return sorted(names, key=lambda a: (rank.get(a, len(rank)), a))


def expand_inputs(inputs, run=None):
    """[(run folder, tree label or None)]: a folder with rounds.csv as is; a compare output tree
    (no rounds.csv, but ALLOCATOR/run-R/rounds.csv below) -> run R (default: the lowest) of each
    allocator folder, labelled by that folder's name."""
    out = []
    for d in inputs:
        found = glob.glob(os.path.join(glob.escape(d), "*", "run-*", "rounds.csv"))
        if os.path.isfile(os.path.join(d, "rounds.csv")) or not found:
            out.append((d, None))
            continue
        runs = {}
        for f in found:
            run_dir = os.path.dirname(f)
            m = re.fullmatch(r"run-(\d+)", os.path.basename(run_dir))
            if m:
                alloc = os.path.basename(os.path.dirname(run_dir))
                runs.setdefault(alloc, {})[int(m.group(1))] = run_dir
        for alloc in tree_order(d, runs):
            have = runs[alloc]
            if run is not None and run not in have:
                raise pc.PlotError("%s: no run-%d/rounds.csv (has run %s)"
                                   % (os.path.join(d, alloc), run,
                                      ", ".join(str(r) for r in sorted(have))))
            r = run if run is not None else min(have)
            print("plot_rounds: %s: run %d" % (os.path.join(d, alloc), r))
            out.append((have[r], alloc))
    return out


def load_series(inputs, run=None):
    """[(label, dataframe)] for every (input dir, allocator) pair, labels made unique."""
    series = []
    for d, tree_label in expand_inputs(inputs, run):
        df = pc.read_csv(os.path.join(d, "rounds.csv"), COLUMNS,
                         "give the example's --outputDir, or edge-llm-compare's output folder "
                         "of a packet-mode run")
        several = df["allocator"].nunique() > 1
        for alloc, part in df.groupby("allocator", sort=False):
            label = pc.short_allocator(alloc)
            if tree_label is not None:
                label = "%s: %s" % (tree_label, label) if several else tree_label
            series.append([label, d, part.sort_values("round").copy()])
    names = [s[0] for s in series]
    for s in series:
        if names.count(s[0]) > 1:  # same allocator in several runs: add the folder name
            s[0] = "%s (%s)" % (s[0], os.path.basename(os.path.normpath(s[1])))
    return [(s[0], s[2]) for s in series]


def main():
    p = pc.parser(__doc__, multi_input=True)
    p.add_argument("--run", type=pc.ea.integer(1), metavar="R",
                   help="with an edge-llm-compare output tree as --input: plot run-R of each "
                        "allocator (default: each allocator's lowest-numbered run)")
    args = p.parse_args()
    series = load_series(args.input, args.run)
    colors = plt.get_cmap("tab10")
    fig, (ax_d, ax_e) = plt.subplots(2, 1, figsize=(8, 7.5), sharex=True)
    n = len(series)
    markers = "osD^v<>ph*"
    handles, labels = [], []
    for i, (label, df) in enumerate(series):
        # A round in which no device finished has no measured makespan (the CSV says 0).
        df.loc[df["devices_done"] == 0, "makespan_s"] = float("nan")
        c = colors(i % 10)
        m = markers[i % len(markers)]
        # Dodge the series a little along x so that allocators with equal values stay visible.
        x = df["round"] + ((i - (n - 1) / 2) * 0.25 / (n - 1) if n > 1 else 0)
        err = {}
        for ax, meas, pred in ((ax_d, "makespan_s", "predicted_makespan_s"),
                               (ax_e, "total_energy_j", "predicted_total_energy_j")):
            err[meas] = 100 * (df[meas] / df[pred] - 1).mean()
            h_meas, = ax.plot(x, df[meas], "-" + m, color=c)
            h_pred, = ax.plot(x, df[pred], "--", marker=m, mfc="none", color=c)
        handles += [h_meas, h_pred]
        pct = {k: ("%+.2f %%" % v) if v == v else "n/a" for k, v in err.items()}
        labels += ["%s measured" % label,
                   "%s predicted (measured is %s in delay, %s in energy)"
                   % (label, pct["makespan_s"], pct["total_energy_j"])]
        failed = df[df["devices_failed"] > 0]
        for xi, (_, r) in zip(x[failed.index], failed.iterrows()):
            y = r["makespan_s"] if r["devices_done"] > 0 else r["predicted_makespan_s"]
            ax_d.annotate("%d failed" % r["devices_failed"], (xi, y),
                          textcoords="offset points", xytext=(0, 6), ha="center",
                          fontsize="x-small", color=c)
    ax_d.set_ylabel("makespan (s)")
    ax_d.set_title("Round delay: slowest device (makespan)")
    ax_e.set_ylabel("total energy (J)")
    ax_e.set_title("Round energy: devices (compute + radio) + edge servers")
    ax_e.set_xlabel("round")
    all_rounds = [r for _, df in series for r in df["round"]]
    ax_e.set_xlim(min(all_rounds) - 0.5, max(all_rounds) + 0.5)
    if len(set(all_rounds)) <= 20:
        ax_e.set_xticks(sorted(set(all_rounds)))
    else:
        ax_e.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in (ax_d, ax_e):
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")
        ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1,
               fontsize="small", frameon=False,
               title="solid, filled: measured; dashed, hollow: predicted",
               title_fontsize="small")
    pc.save(fig, pc.output_dir(args), "rounds", args.format)


if __name__ == "__main__":
    pc.run("plot_rounds", main)
