#!/usr/bin/python3
"""Allocators side by side: one bar chart per metric, mean over the runs with its 95 %
confidence interval as error bar, from the comparison summary of edge-llm-compare.

  plot_comparison.py --input results/compare --metrics energy_j,makespan_s
writes comparison.png (or .pdf) from DIR/comparison.csv (--input may also name the CSV file).
An unbounded (inf) mean, e.g. the stability of local-only training, is drawn as a hatched bar up
to the top of the axis labelled "unbounded"; a missing (nan or empty) mean is left out with a
note. Bars keep the file's order of allocators, or the order given with --allocators.
"""

import math
import os

import plot_common as pc
from plot_common import plt

COLUMNS = ["allocator", "metric", "n", "mean", "std", "ci95_low", "ci95_high"]
DEFAULT_METRICS = ["energy_j", "makespan_s", "mean_delay_s", "stability"]
OPTIONAL_METRICS = ["prediction_error"]  # added to the default when it has a value
LABELS = {
    "energy_j": "total energy per round (J)",
    "device_energy_j": "device energy per round (J)",
    "edge_energy_j": "edge energy per round (J)",
    "makespan_s": "round makespan (s)",
    "mean_delay_s": "mean device delay (s)",
    "stability": "stability term",
    "objective": "objective",
    "prediction_error": "makespan prediction error\n(measured / predicted - 1)",
}


def metric_label(metric):
    return LABELS.get(metric, metric)


def add_selection_options(p, what, logy_help="logarithmic y axes (a panel with a mean <= 0 "
                                               "stays linear)"):
    p.add_argument("--metrics", action="append", metavar="A,B",
                   help="metrics to plot, comma separated (default: energy_j, makespan_s, "
                        "mean_delay_s, stability%s)" % what)
    p.add_argument("--allocators", action="append", metavar="A,B",
                   help="allocators to show, comma separated, in this order (default: all, in "
                        "the file's order)")
    p.add_argument("--logy", action="store_true", help=logy_help)


def select_allocators(names_in_file, wanted, path):
    """The allocators to show, as names in the file: all (file order) or those on the command
    line (their order), matched by the file's name or its short form (without ns3::)."""
    if wanted is None:
        return list(names_in_file)
    by_name = {}
    for a in names_in_file:
        by_name.setdefault(str(a), a)
        by_name.setdefault(pc.short_allocator(a), a)
    pc.check_names(wanted, list(by_name), "allocator", path)
    chosen = []
    for w in wanted:
        if by_name[w] not in chosen:
            chosen.append(by_name[w])
    return chosen


def load(path):
    df = pc.read_csv(path, COLUMNS, "is --input edge-llm-compare's output folder?")
    for c in ("n", "mean", "std", "ci95_low", "ci95_high"):
        df[c] = pc.numeric(df, c, path)
    df["allocator"] = df["allocator"].astype(str)
    df["metric"] = df["metric"].astype(str).str.strip()
    return df


def choose_metrics(df, wanted, path):
    in_file = list(dict.fromkeys(df["metric"]))
    if wanted is not None:
        return pc.check_names(wanted, in_file, "metric", path)
    chosen = [m for m in DEFAULT_METRICS if m in in_file]
    for m in OPTIONAL_METRICS:
        if m in in_file and df.loc[df["metric"] == m, "mean"].notna().any():
            chosen.append(m)
    if not chosen:
        raise pc.PlotError("%s: none of the default metrics %s (has: %s); name some with "
                           "--metrics" % (path, ", ".join(DEFAULT_METRICS), ", ".join(in_file)))
    return chosen


def fmt(v):
    return "%.3g" % v


def bar_panel(ax, rows, allocators, colors, logy, notes, metric):
    """One metric: rows (indexed by allocator) -> bars with CI error bars, inf -> hatched
    'unbounded' bars to the top, nan -> 'n/a' and a note."""
    x = list(range(len(allocators)))
    mean = [rows["mean"].get(a, float("nan")) for a in allocators]
    lo = [rows["ci95_low"].get(a, float("nan")) for a in allocators]
    hi = [rows["ci95_high"].get(a, float("nan")) for a in allocators]
    finite = [v for v in mean + lo + hi if math.isfinite(v)]
    positive = [v for v in finite if v > 0]
    log = logy and finite and all(v > 0 for v in mean if math.isfinite(v)) and positive
    if logy and not log:
        notes.append("%s: linear axis (a log axis needs finite means > 0)" % metric)
    if log:
        bottom = min(positive) / 3.0
        top = max(positive) * 4.0
        ax.set_yscale("log")
    else:
        top = max(finite + [0.0]) if finite else 1.0
        bottom = min(finite + [0.0]) if finite else 0.0
        if top == bottom:
            top = bottom + 1.0
        span = top - bottom
        top += 0.15 * span if top > 0 or bottom == 0 else 0.0
        bottom -= 0.15 * span if bottom < 0 else 0.0
    ax.set_ylim(bottom, top)
    base = bottom if log else 0.0
    for i, a in enumerate(allocators):
        m = mean[i]
        if math.isnan(m):
            ax.text(i, base if not log else bottom, " n/a", rotation=90, ha="center",
                    va="bottom", fontsize="small", color="0.4")
            notes.append("%s: no value for %s" % (metric, pc.short_allocator(a)))
            continue
        if math.isinf(m):
            if log and m < 0:
                notes.append("%s: %s is -inf" % (metric, pc.short_allocator(a)))
                continue
            end = top if m > 0 else bottom
            ax.bar(i, end - base, bottom=base, width=0.7, facecolor="none", hatch="///",
                   edgecolor=colors[i], linewidth=1.2)
            ax.text(i, (base + end) / 2 if not log else math.sqrt(bottom * top), "unbounded",
                    rotation=90, ha="center", va="center", fontsize="small",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
            continue
        ax.bar(i, m - base, bottom=base, width=0.7, color=colors[i], alpha=0.85)
        label_y = m
        if math.isfinite(lo[i]) and math.isfinite(hi[i]):
            low = max(lo[i], bottom) if log else lo[i]
            ax.errorbar(i, m, yerr=[[m - low], [hi[i] - m]], fmt="none", ecolor="k",
                        capsize=4, lw=1)
            label_y = hi[i] if m >= 0 else lo[i]
        ax.annotate(fmt(m), (i, label_y), textcoords="offset points",
                    xytext=(0, 3 if m >= 0 else -3), ha="center",
                    va="bottom" if m >= 0 else "top", fontsize="x-small")
    ax.set_xticks(x)
    ax.set_xticklabels([pc.short_allocator(a) for a in allocators],
                       rotation=30 if len(allocators) > 3 else 0,
                       ha="right" if len(allocators) > 3 else "center")
    ax.set_xlim(-0.6, len(allocators) - 0.4)
    if base == 0.0 and bottom < 0:
        ax.axhline(0, color="k", lw=0.8)
    if not finite:  # only unbounded or missing values: the y scale means nothing
        ax.set_yticks([])
    ax.set_title(metric_label(metric), fontsize="medium")
    ax.grid(True, axis="y", alpha=0.3)


def main():
    p = pc.parser(__doc__, input_help="folder with comparison.csv (edge-llm-compare's "
                                      "output folder) or the CSV file itself")
    add_selection_options(p, ", and prediction_error when it has a value")
    args = p.parse_args()
    path = args.input
    if os.path.isdir(path) or not path.endswith(".csv"):
        path = os.path.join(path, "comparison.csv")
    df = load(path)
    metrics = choose_metrics(df, pc.split_list(args.metrics, "--metrics"), path)
    allocators = select_allocators(list(dict.fromkeys(df["allocator"])),
                                   pc.split_list(args.allocators, "--allocators"), path)
    colors = [plt.get_cmap("tab10")(i % 10) for i in range(len(allocators))]
    ncols = min(len(metrics), 3)
    nrows = (len(metrics) + ncols - 1) // ncols
    width = max(3.4, 0.55 * len(allocators) + 1.2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, 3.6 * nrows + 0.6),
                             squeeze=False)
    notes = []
    for k, metric in enumerate(metrics):
        rows = df[df["metric"] == metric].drop_duplicates("allocator", keep="last")
        bar_panel(axes[k // ncols][k % ncols], rows.set_index("allocator"), allocators, colors,
                  args.logy, notes, metric)
    for k in range(len(metrics), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    sel = df[df["metric"].isin(metrics) & df["allocator"].isin(allocators)]
    ns = sorted({int(v) for v in sel["n"] if math.isfinite(v) and v > 0})
    runs = ("%d runs" % ns[0]) if len(ns) == 1 else ("%d-%d runs" % (ns[0], ns[-1])) if ns \
        else "the runs"
    fig.suptitle("Mean over %s per allocator; error bars: 95 %% confidence interval" % runs,
                 fontsize="medium")
    fig.tight_layout()
    if notes:
        fig.text(0.01, -0.01, "\n".join(notes), ha="left", va="top", fontsize="x-small",
                 color="0.3")
        for n in notes:
            print("plot_comparison: %s" % n)
    pc.save(fig, pc.output_dir(args), "comparison", args.format)


if __name__ == "__main__":
    pc.run("plot_comparison", main)
