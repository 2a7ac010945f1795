#!/usr/bin/python3
"""Battery energy left on every device at the end of each round (devices.csv battery_j, placed
at the round's end time rounds.csv end_s).

  plot_battery.py --input results/default
writes battery.png (or .pdf).
"""

import os

import plot_common as pc
from plot_common import plt

DEVICE_COLUMNS = ["round", "device", "status", "battery_j"]
ROUND_COLUMNS = ["round", "end_s"]


def main():
    args = pc.parser(__doc__).parse_args()
    devices = pc.read_csv(os.path.join(args.input, "devices.csv"), DEVICE_COLUMNS)
    rounds = pc.read_csv(os.path.join(args.input, "rounds.csv"), ROUND_COLUMNS)
    df = devices.merge(rounds[ROUND_COLUMNS], on="round", how="inner")
    if df.empty:
        raise pc.PlotError("%s and rounds.csv share no round number" %
                           os.path.join(args.input, "devices.csv"))
    ids = sorted(df["device"].unique())
    colors = dict(zip(ids, pc.device_colors(len(ids))))
    many = df["round"].nunique() > 30  # markers only while the rounds can be told apart
    # Lower panel: each device's battery minus the mean over the devices at that round, so that
    # devices with nearly equal drain stay distinguishable.
    df["rel_j"] = df["battery_j"] - df.groupby("round")["battery_j"].transform("mean")
    fig, (ax, ax_rel) = plt.subplots(2, 1, figsize=(9, 7), sharex=True,
                                     gridspec_kw={"height_ratios": [2, 1]})
    style = "-" if many else "-o"
    for d in ids:
        part = df[df["device"] == d].sort_values("end_s")
        ax.plot(part["end_s"], part["battery_j"], style, ms=4, lw=1.5, color=colors[d],
                label=str(d))
        ax_rel.plot(part["end_s"], part["rel_j"], style, ms=4, lw=1.5, color=colors[d])
        bad = part[~part["status"].isin(["done", "left", "not-joined"])]
        if len(bad):  # rounds this device did not finish (timeout, depleted, aborted)
            ax.plot(bad["end_s"], bad["battery_j"], "x", color="C3", ms=8, mew=2)
    if (~df["status"].isin(["done", "left", "not-joined"])).any():
        ax.plot([], [], "x", color="C3", ms=8, mew=2, label="round not finished")
    ax.set_ylabel("battery energy left (J)")
    ax.set_title("Device batteries at the end of each round")
    ax_rel.set_ylabel("minus mean over devices (J)")
    ax_rel.axhline(0, color="k", lw=0.8)
    ax_rel.set_xlabel("simulation time at the end of the round (s)")
    for a in (ax, ax_rel):
        a.ticklabel_format(axis="y", useOffset=False, style="plain")
        a.grid(True, alpha=0.3)
    pc.device_legend(ax)
    fig.tight_layout()
    pc.save(fig, pc.output_dir(args), "battery", args.format)


if __name__ == "__main__":
    pc.run("plot_battery", main)
