#!/usr/bin/python3
"""Per-device outcomes of a run: CDFs over all device-rounds of the measured delay and of the
device energy (compute + radio), and predicted vs measured per-device delay with its relative
error.

  plot_devices.py --input results/default
writes devices_cdf.png and devices_delay_scatter.png (or .pdf) from devices.csv.
"""

import os

import numpy as np

import plot_common as pc
from plot_common import plt
from matplotlib.ticker import MaxNLocator

COLUMNS = ["round", "device", "status", "delay_s", "predicted_delay_s", "compute_energy_j",
           "radio_energy_j", "predicted_compute_energy_j", "predicted_tx_energy_j"]


def ecdf(values):
    """Sorted finite values and their empirical CDF levels (i/n)."""
    v = np.sort(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    return v, np.arange(1, len(v) + 1) / max(len(v), 1)


def plot_cdf(ax, values, label, **style):
    x, y = ecdf(values)
    if len(x) == 0:
        return
    # Start the staircase at (x0, 0) so the first step is visible.
    ax.step(np.concatenate(([x[0]], x)), np.concatenate(([0.0], y)), where="post",
            label="%s (n = %d)" % (label, len(x)), **style)


def cdf_figure(df, args):
    done = df[df["status"] == "done"]
    fig, (ax_d, ax_e) = plt.subplots(1, 2, figsize=(11, 4.5))
    plot_cdf(ax_d, done["delay_s"], "measured, finished devices", color="C0", lw=2)
    plot_cdf(ax_d, df["predicted_delay_s"], "predicted, all scheduled", color="C1", ls="--")
    if not np.isfinite(done["delay_s"]).any():
        ax_d.text(0.03, 0.95, "no device finished a round: no measured delay",
                  transform=ax_d.transAxes, va="top", fontsize="small", color="C3")
    ax_d.set_xlabel("device round delay (s)")
    ax_d.set_title("Per-device delay")
    energy = df["compute_energy_j"] + df["radio_energy_j"]
    pred_energy = df["predicted_compute_energy_j"] + df["predicted_tx_energy_j"]
    if "predicted_listen_energy_j" in df:  # Wi-Fi: the radio listening until the round ends
        pred_energy = pred_energy + df["predicted_listen_energy_j"].fillna(0)
    plot_cdf(ax_e, energy, "measured: compute + radio", color="C0", lw=2)
    plot_cdf(ax_e, pred_energy, "predicted: compute + transmit", color="C1", ls="--")
    ax_e.set_xlabel("device energy per round (J)")
    ax_e.set_title("Per-device energy (battery drain)")
    for ax in (ax_d, ax_e):
        ax.set_ylabel("CDF over device-rounds")
        ax.set_ylim(0, 1.02)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small", loc="lower right")
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    not_done = df[df["status"] != "done"]
    if len(not_done):
        counts = not_done["status"].value_counts()
        fig.suptitle("not finished: " + ", ".join("%d %s" % (n, s) for s, n in counts.items()),
                     fontsize="small", color="C3")
    fig.tight_layout()
    pc.save(fig, pc.output_dir(args), "devices_cdf", args.format)


def scatter_figure(df, args):
    done = df[(df["status"] == "done") & np.isfinite(df["delay_s"]) &
              np.isfinite(df["predicted_delay_s"]) & (df["predicted_delay_s"] > 0)]
    if done.empty:  # e.g. every device timed out: nothing to compare
        print("plot_devices: %s: no finished device with a measured and a predicted delay; "
              "skipping the delay scatter" % os.path.join(args.input, "devices.csv"))
        return
    done = done.assign(rel_err=100 * (done["delay_s"] / done["predicted_delay_s"] - 1))
    devices = sorted(done["device"].unique())
    colors = dict(zip(devices, pc.device_colors(len(devices))))
    fig, (ax_s, ax_r) = plt.subplots(1, 2, figsize=(12, 5),
                                     gridspec_kw={"width_ratios": [1, 1.15]})
    rounds = sorted(done["round"].unique())
    # Rounds side by side within a device's column (earliest left) so that points do not hide.
    width = 0.5 if len(rounds) > 1 else 0.0
    shift = {r: (i / (len(rounds) - 1) - 0.5) * width if len(rounds) > 1 else 0.0
             for i, r in enumerate(rounds)}
    for d in devices:
        part = done[done["device"] == d]
        ax_s.scatter(part["predicted_delay_s"], part["delay_s"], s=22, color=colors[d],
                     label=str(d), alpha=0.85)
        ax_r.scatter(part["device"] + part["round"].map(shift), part["rel_err"], s=22,
                     color=colors[d], alpha=0.85)
    lo = min(done["predicted_delay_s"].min(), done["delay_s"].min())
    hi = max(done["predicted_delay_s"].max(), done["delay_s"].max())
    pad = 0.05 * (hi - lo) if hi > lo else 0.01 * max(abs(hi), 1.0)
    ax_s.plot([lo - pad, hi + pad], [lo - pad, hi + pad], "k--", lw=1, label="y = x")
    ax_s.set_xlim(lo - pad, hi + pad)
    ax_s.set_ylim(lo - pad, hi + pad)
    ax_s.set_aspect("equal", adjustable="box")
    ax_s.set_xlabel("predicted delay (s)")
    ax_s.set_ylabel("measured delay (s)")
    ax_s.set_title("Per-device delay, each point a device-round")
    ax_s.ticklabel_format(useOffset=False, style="plain")
    for lab in ax_s.get_xticklabels():
        lab.set_rotation(30)
    ax_r.axhline(0, color="k", lw=1, ls="--")
    ax_r.set_xlabel("device (its rounds left to right)" if len(rounds) > 1 else "device")
    ax_r.set_ylabel("relative error, measured / predicted - 1 (%)")
    abs_err = done["rel_err"].abs()
    ax_r.set_title("Relative error: mean |e| = %.3g %%, max |e| = %.3g %%"
                   % (abs_err.mean(), abs_err.max()))
    if len(devices) <= 15:
        ax_r.set_xticks(devices)
    else:
        ax_r.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in (ax_s, ax_r):
        ax.grid(True, alpha=0.3)
    pc.device_legend(ax_r, source=ax_s)
    fig.tight_layout()
    pc.save(fig, pc.output_dir(args), "devices_delay_scatter", args.format)


def main():
    args = pc.parser(__doc__).parse_args()
    df = pc.read_csv(os.path.join(args.input, "devices.csv"), COLUMNS)
    # devices that had left or had not joined yet did not take part
    df = df[~df["status"].isin(["left", "not-joined"])]
    if df.empty:
        raise pc.PlotError("%s: every row is a device that had left"
                           % os.path.join(args.input, "devices.csv"))
    cdf_figure(df, args)
    scatter_figure(df, args)


if __name__ == "__main__":
    pc.run("plot_devices", main)
