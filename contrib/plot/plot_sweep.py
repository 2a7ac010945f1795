#!/usr/bin/python3
"""A metric against a swept parameter: mean over the runs with its 95 % confidence band, one line
per allocator, one panel per metric, from the sweep.csv that edge-llm-sweep collect writes.

  plot_sweep.py --input sweep/sweep.csv --x wTime --metrics energy_j,makespan_s,stability \\
      --allocators fp,alternating,alpha-only,resource-only --filter wEnergy=1 --name fig3-wtime
writes fig3-wtime.png (or .pdf) and fig3-wtime.csv (the plotted statistics) in --output.

The swept parameters are the columns before the first 'run' column. All rows with the same
parameter values and allocator are one sample (every run of every job). If a parameter other
than --x takes several values, the script stops and names them: choose one value of each with
--filter NAME=VALUE (run the script once per value to get one figure per value). An unbounded
(inf) mean is drawn as a triangle at the top of the panel; an empty (nan) value is left out.
"""

import csv
import math
import os

import numpy as np

import plot_common as pc
from plot_common import plt
from plot_comparison import add_selection_options, metric_label, select_allocators

# The columns of comparison-runs.csv (edge-llm-compare), which sweep.csv repeats after 'run'.
RUN_COLUMNS = ["allocator", "run", "mode", "preset", "users", "servers", "rounds", "energy_j",
               "device_energy_j", "edge_energy_j", "makespan_s", "mean_delay_s", "stability",
               "objective", "prediction_error"]
DEFAULT_METRICS = ["energy_j", "makespan_s", "mean_delay_s", "stability"]
DESCRIPTIVE = ["allocator", "run", "mode", "preset", "users", "servers", "rounds"]
MARKERS = "osD^v<>ph*"


def base_name(column):
    """pandas renames a repeated header 'users' to 'users.1': -> 'users'."""
    head, dot, tail = column.rpartition(".")
    return head if dot and tail.isdigit() else column


def parameter_columns(df, path):
    """The swept parameters: the columns before the first 'run'; without a 'run' column, every
    column that comparison-runs.csv does not have."""
    if "run" in df.columns:
        return list(df.columns[:list(df.columns).index("run")])
    return [c for c in df.columns if base_name(c) not in RUN_COLUMNS]


def values_text(series):
    vals = list(dict.fromkeys(series.tolist()))
    try:
        vals = sorted(vals)
    except TypeError:
        pass
    return ", ".join(fmt_value(v) for v in vals)


def fmt_value(v):
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def apply_filters(df, filters, path):
    for f in filters or []:
        name, eq, value = f.partition("=")
        name, value = name.strip(), value.strip()
        if not eq or not name:
            raise pc.PlotError("--filter %s: expected NAME=VALUE" % f)
        pc.check_names([name], list(df.columns), "column in --filter", path)
        col = df[name]
        if col.dtype.kind in "fiu":
            try:
                keep = np.isclose(col.astype(float), float(value), rtol=1e-9, atol=0.0)
            except ValueError:
                keep = np.zeros(len(col), dtype=bool)
        else:
            keep = col.astype(str).str.strip() == value
        if not keep.any():
            raise pc.PlotError("%s: --filter %s matches no row (%s has: %s)"
                               % (path, f, name, values_text(col)))
        df = df[keep]
    return df


def check_other_parameters(df, x, params, path):
    """Stops with the names and values of the parameters that vary at a fixed x."""
    others = [c for c in df.columns
              if c != x and (c in params or base_name(c) in DESCRIPTIVE[2:])]
    groups = df.groupby(x, dropna=False)
    varying = [c for c in others if (groups[c].nunique(dropna=False) > 1).any()]
    if varying:
        raise pc.PlotError(
            "%s: at a fixed %s, other parameters take several values: %s; choose one of each "
            "with --filter NAME=VALUE (e.g. --filter %s=%s)"
            % (path, x, "; ".join("%s (%s)" % (c, values_text(df[c])) for c in varying),
               varying[0], fmt_value(df[varying[0]].iloc[0])))


def statistics_table(df, x, metrics, allocators):
    """[(x value, allocator, metric, stats)] over all rows of each (x, allocator)."""
    out = []
    for a in allocators:
        part = df[df["allocator"] == a]
        for xv, grp in part.groupby(x, sort=False):
            for m in metrics:
                out.append((xv, a, m, pc.mean_ci(grp[m].tolist())))
    return out


def write_table(rows, x, out_dir, name):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([x, "allocator", "metric", "n", "mean", "std", "ci95_low", "ci95_high"])
        for xv, a, m, s in rows:
            w.writerow([fmt_value(xv), a, m, s["n"]] +
                       [repr(s[k]) if math.isfinite(s[k]) else str(s[k]).lower()
                        for k in ("mean", "std", "lo", "hi")])
    print(path)


def main():
    p = pc.parser(__doc__, input_help="sweep.csv (edge-llm-sweep collect's output)",
                  input_metavar="CSV")
    p.add_argument("--x", required=True, metavar="PARAM",
                   help="the swept parameter on the x axis (a column of the CSV)")
    add_selection_options(p, "", "logarithmic y axes (values <= 0 and band parts below 0 are "
                                 "cut off; a panel without a positive mean stays linear)")
    p.add_argument("--filter", action="append", metavar="NAME=VALUE",
                   help="keep only the rows with this value of a parameter (repeatable); needed "
                        "for every other parameter that takes several values")
    p.add_argument("--name", metavar="STEM",
                   help="file name of the figure without extension (default: sweep-PARAM)")
    args = p.parse_args()
    path = args.input
    if os.path.isdir(path):
        path = os.path.join(path, "sweep.csv")
    df = pc.read_csv(path, ["allocator"], "give the CSV written by edge-llm-sweep collect")
    params = parameter_columns(df, path)
    pc.check_names([args.x], params + [c for c in df.columns if c not in params],
                   "column in --x", path)
    wanted = pc.split_list(args.metrics, "--metrics")
    available = [c for c in df.columns if c not in params and base_name(c) not in DESCRIPTIVE]
    if wanted is None:
        wanted = [m for m in DEFAULT_METRICS if m in available]
        if not wanted:
            raise pc.PlotError("%s: none of the default metrics %s (has: %s); name some with "
                               "--metrics" % (path, ", ".join(DEFAULT_METRICS),
                                              ", ".join(available)))
    metrics = pc.check_names(wanted, available, "metric", path)
    df = df.copy()
    df["allocator"] = df["allocator"].astype(str)
    allocators = select_allocators(list(dict.fromkeys(df["allocator"])),
                                   pc.split_list(args.allocators, "--allocators"), path)
    df = apply_filters(df[df["allocator"].isin(allocators)], args.filter, path)
    for m in metrics:
        df[m] = pc.numeric(df, m, path)
    df = df[df[args.x].notna()]
    if df.empty:
        raise pc.PlotError("%s: no row with a value of %s" % (path, args.x))
    check_other_parameters(df, args.x, params, path)
    allocators = [a for a in allocators if (df["allocator"] == a).any()]

    numeric_x = df[args.x].dtype.kind in "fiu"
    xs = sorted(df[args.x].unique()) if numeric_x else list(dict.fromkeys(df[args.x]))
    pos = {v: (float(v) if numeric_x else i) for i, v in enumerate(xs)}
    rows = statistics_table(df, args.x, metrics, allocators)
    name = args.name or "sweep-%s" % args.x
    out_dir = pc.output_dir(args)
    write_table(rows, args.x, out_dir, name)

    ncols = min(len(metrics), 3)
    nrows = (len(metrics) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.7 * nrows + 0.8),
                             squeeze=False)
    colors = plt.get_cmap("tab10")
    handles = {}
    for k, m in enumerate(metrics):
        ax = axes[k // ncols][k % ncols]
        notes = []
        positive = False
        unbounded = False
        for i, a in enumerate(allocators):
            pts = sorted((pos[xv], s) for xv, aa, mm, s in rows if aa == a and mm == m)
            if not pts:
                continue
            x = np.array([q for q, _ in pts])
            mean = np.array([s["mean"] for _, s in pts])
            lo = np.array([s["lo"] for _, s in pts])
            hi = np.array([s["hi"] for _, s in pts])
            c = colors(i % 10)
            shown = np.where(np.isfinite(mean), mean, np.nan)
            positive = positive or bool((shown > 0).any())
            h, = ax.plot(x, shown, "-", marker=MARKERS[i % len(MARKERS)], color=c, ms=5)
            handles.setdefault(a, h)
            band = np.isfinite(lo) & np.isfinite(hi)
            if band.any():
                ax.fill_between(x, np.where(band, lo, np.nan), np.where(band, hi, np.nan),
                                color=c, alpha=0.18, lw=0)
            inf = np.isinf(mean) & (mean > 0)
            if inf.any():
                ax.plot(x[inf], [0.96] * int(inf.sum()), MARKERS[3], color=c, ms=7,
                        transform=ax.get_xaxis_transform(), clip_on=False)
                unbounded = True
            if np.isnan(mean).all():
                notes.append("no value for %s" % pc.short_allocator(a))
        if args.logy:
            if positive:
                ax.set_yscale("log", nonpositive="clip")
            else:
                notes.append("linear axis: no positive value")
        if unbounded:  # a strip at the top for the triangles
            lo_y, hi_y = ax.get_ylim()
            if ax.get_yscale() == "log":
                ax.set_ylim(lo_y, hi_y * (hi_y / lo_y) ** 0.12)
            else:
                ax.set_ylim(lo_y, hi_y + 0.12 * (hi_y - lo_y))
            notes.insert(0, "\u25b2 at the top: unbounded (inf)")
        if not numeric_x:
            ax.set_xticks(range(len(xs)))
            ax.set_xticklabels([fmt_value(v) for v in xs])
        elif len(xs) <= 12:
            ax.set_xticks([float(v) for v in xs])
            ax.set_xticklabels([fmt_value(v) for v in xs])
        ax.set_xlabel(args.x)
        ax.set_title(metric_label(m), fontsize="medium")
        ax.grid(True, alpha=0.3)
        if notes:  # below the x label
            ax.annotate("\n".join(dict.fromkeys(notes)), (0, 0), xycoords="axes fraction",
                        xytext=(0, -30), textcoords="offset points", va="top",
                        fontsize="x-small", color="0.3")
    for k in range(len(metrics), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    ns = sorted({s["n"] for _, _, _, s in rows if s["n"] > 0})
    runs = ("%d runs" % ns[0]) if len(ns) == 1 else ("%d-%d runs" % (ns[0], ns[-1])) if ns \
        else "the runs"
    fixed = ", ".join(args.filter) if args.filter else ""
    fig.suptitle("Mean over %s; band: 95 %% confidence interval%s"
                 % (runs, ("  (" + fixed + ")") if fixed else ""), fontsize="medium")
    fig.tight_layout()
    fig.legend([handles[a] for a in allocators if a in handles],
               [pc.short_allocator(a) for a in allocators if a in handles],
               loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(handles), 6),
               fontsize="small", frameon=False)
    pc.save(fig, out_dir, name, args.format)


if __name__ == "__main__":
    pc.run("plot_sweep", main)
