#!/usr/bin/python3
"""A run over time, per device: measured and predicted round delay of every device at each round
(devices.csv delay_s, predicted_delay_s), and which server each device was associated with
(devices.csv server), a marker where the association changed since the device's previous round.

  plot_timeline.py --input results/default
writes timeline.png (or .pdf).
"""

import os

import numpy as np

import plot_common as pc
from plot_common import plt
from matplotlib.ticker import MaxNLocator

COLUMNS = ["round", "device", "status", "server", "delay_s", "predicted_delay_s"]


def association_changes(part):
    """Rows of one device (sorted by round) whose server differs from its previous scheduled
    round's; rounds without a server (-1 or empty) neither count nor reset the comparison."""
    changed = []
    previous = None
    for _, row in part.iterrows():
        server = row["server"]
        if not np.isfinite(server) or server < 0:
            continue
        if previous is not None and server != previous:
            changed.append(row)
        previous = server
    return changed


def main():
    args = pc.parser(__doc__).parse_args()
    path = os.path.join(args.input, "devices.csv")
    df = pc.read_csv(path, COLUMNS)
    for column in ("server", "delay_s", "predicted_delay_s"):
        df[column] = pc.numeric(df, column, path)
    ids = sorted(df["device"].unique())
    colors = dict(zip(ids, pc.device_colors(len(ids))))
    fig, (ax_d, ax_a) = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True,
                                     gridspec_kw={"height_ratios": [3, 2]})
    n_changes = 0
    for d in ids:
        part = df[df["device"] == d].sort_values("round")
        # gaps (NaN) where the device did not finish: lines join consecutive finished rounds only
        measured = part["delay_s"].where(part["status"] == "done")
        ax_d.plot(part["round"], measured, "-o", ms=4, lw=1.5, color=colors[d], label=str(d))
        ax_d.plot(part["round"], part["predicted_delay_s"], "--", lw=1, color=colors[d],
                  alpha=0.7)
        failed = part[~part["status"].isin(["done", "left", "not-joined"])]
        if len(failed):
            ax_d.plot(failed["round"], failed["predicted_delay_s"], "x", color="C3", ms=8,
                      mew=2)
        served = part[part["server"] >= 0]
        # each device on its own offset inside the server's band, so that lines do not overlap
        offset = (ids.index(d) / max(len(ids) - 1, 1) - 0.5) * 0.5
        ax_a.plot(served["round"], served["server"] + offset, "-", lw=1.2, color=colors[d])
        changes = association_changes(part)
        n_changes += len(changes)
        for row in changes:
            ax_a.plot(row["round"], row["server"] + offset, "D", ms=6, color=colors[d],
                      mec="k")
    ax_d.plot([], [], "k-o", ms=4, label="measured")
    ax_d.plot([], [], "k--", label="predicted")
    if (~df["status"].isin(["done", "left", "not-joined"])).any():
        ax_d.plot([], [], "x", color="C3", ms=8, mew=2, label="not finished")
    ax_d.set_ylabel("device round delay (s)")
    ax_d.set_title("Per-device delay per round: measured (solid) and predicted (dashed)")
    ax_d.grid(True, alpha=0.3)
    pc.device_legend(ax_d)
    servers = sorted(int(s) for s in df["server"].unique() if np.isfinite(s) and s >= 0)
    ax_a.set_yticks(servers)
    ax_a.set_ylabel("server")
    ax_a.set_title("Association: %d change(s) (diamonds)" % n_changes)
    ax_a.set_xlabel("round")
    ax_a.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_a.grid(True, alpha=0.3)
    fig.tight_layout()
    pc.save(fig, pc.output_dir(args), "timeline", args.format)


if __name__ == "__main__":
    pc.run("plot_timeline", main)
