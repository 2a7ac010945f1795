#!/usr/bin/python3
"""Delay and energy over rounds: measured vs predicted makespan and total energy per round,
one colour per allocator (give several run directories to compare allocators).

  plot_rounds.py --input results/fp results/edge-only --output figs
writes rounds.png (or .pdf) from each run's rounds.csv.
"""

import os

import plot_common as pc
from plot_common import plt
from matplotlib.ticker import MaxNLocator

COLUMNS = ["round", "allocator", "makespan_s", "predicted_makespan_s", "total_energy_j",
           "predicted_total_energy_j", "devices_done", "devices_failed"]


def load_series(inputs):
    """[(label, dataframe)] for every (input dir, allocator) pair, labels made unique."""
    series = []
    for d in inputs:
        df = pc.read_csv(os.path.join(d, "rounds.csv"), COLUMNS)
        for alloc, part in df.groupby("allocator", sort=False):
            series.append([pc.short_allocator(alloc), d, part.sort_values("round").copy()])
    names = [s[0] for s in series]
    for s in series:
        if names.count(s[0]) > 1:  # same allocator in several runs: add the folder name
            s[0] = "%s (%s)" % (s[0], os.path.basename(os.path.normpath(s[1])))
    return [(s[0], s[2]) for s in series]


def main():
    args = pc.parser(__doc__, multi_input=True).parse_args()
    series = load_series(args.input)
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
