#!/usr/bin/python3
"""Convergence of the CCCP association (block 2): penalised objective against the CCCP
iteration, one colour per number of servers, from edge-llm-cccp-convergence's CSV.

  plot_convergence.py --input results/cccp-convergence.csv --relative
writes cccp_convergence.png (or .pdf) in --output (default: plots/ next to the CSV).

Columns: servers, seed, start, iteration, objective. Rows whose start is -1 or "best" are the
best starting point's iterations; for a (servers, seed) without such rows, the best start is
the one with the lowest final objective. The best starts are drawn in colour (one line per seed),
the other starts thin and grey. Without a start column every row is taken as the best start.
--relative divides each (servers, seed)'s objectives by the final objective of its best start,
so the best start ends at 1 and a worse start ends above it.
"""

import os

import plot_common as pc
from plot_common import plt
from matplotlib.ticker import MaxNLocator

COLUMNS = ["servers", "seed", "iteration", "objective"]
BEST_MARKS = ("-1", "-1.0", "best")


def load(path):
    df = pc.read_csv(path, COLUMNS, "give the CSV written by edge-llm-cccp-convergence")
    for c in ("servers", "iteration", "objective"):
        df[c] = pc.numeric(df, c, path)
    df = df[df["objective"].notna() & df["iteration"].notna() & df["servers"].notna()].copy()
    if df.empty:
        raise pc.PlotError("%s: no row with a servers, iteration and objective value" % path)
    df["seed"] = df["seed"].astype(str)
    if "start" not in df.columns:
        df["start"] = "best"
    df["start"] = df["start"].astype(str).str.strip().str.lower()
    df["best"] = df["start"].isin(BEST_MARKS)
    for _, grp in df.groupby(["servers", "seed"]):
        if not grp["best"].any():
            # No marked best start: the start with the lowest final objective.
            final = {s: g.sort_values("iteration")["objective"].iloc[-1]
                     for s, g in grp.groupby("start")}
            best = min(final, key=final.get)
            df.loc[grp.index[grp["start"] == best], "best"] = True
    return df


def main():
    p = pc.parser(__doc__, input_help="cccp-convergence.csv (edge-llm-cccp-convergence's "
                                      "output) or the folder holding it", input_metavar="CSV")
    p.add_argument("--relative", action="store_true",
                   help="plot objective / final objective of the best start")
    p.add_argument("--logy", action="store_true", help="logarithmic y axis")
    args = p.parse_args()
    path = args.input
    if os.path.isdir(path):
        path = os.path.join(path, "cccp-convergence.csv")
    df = load(path)
    if args.relative:
        for (m, seed), grp in df.groupby(["servers", "seed"]):
            best = grp[grp["best"]].sort_values("iteration")
            if best.empty:
                continue
            final = best["objective"].iloc[-1]
            if not final > 0:
                raise pc.PlotError("%s: --relative needs a positive final objective; servers=%g "
                                   "seed=%s ends at %g" % (path, m, seed, final))
            df.loc[grp.index, "objective"] = grp["objective"] / final
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    servers = sorted(df["servers"].unique())
    colors = plt.get_cmap("viridis" if len(servers) > 10 else "tab10")
    others = df[~df["best"]]
    grey_label = "other starting points" if not others.empty else None
    for (m, seed, start), g in others.groupby(["servers", "seed", "start"]):
        g = g.sort_values("iteration")
        ax.plot(g["iteration"], g["objective"], "-", color="0.65", lw=0.7, label=grey_label,
                zorder=1)
        grey_label = None
    for i, m in enumerate(servers):
        c = colors(i / max(len(servers) - 1, 1)) if len(servers) > 10 else colors(i)
        best = df[df["best"] & (df["servers"] == m)]
        seeds = list(dict.fromkeys(best["seed"]))
        iters = best.groupby("seed")["iteration"].max()
        label = "M = %g servers (%d seed%s, last iteration %s)" % (
            m, len(seeds), "s" if len(seeds) > 1 else "",
            "%d" % iters.max() if iters.min() == iters.max()
            else "%d-%d" % (iters.min(), iters.max()))
        for seed in seeds:
            g = best[best["seed"] == seed].sort_values("iteration")
            ax.plot(g["iteration"], g["objective"], "-o", color=c, ms=3.5, lw=1.5,
                    label=label, zorder=2)
            label = None
    ax.set_xlabel("CCCP iteration")
    ax.set_ylabel("objective / final objective of the best start" if args.relative
                  else "penalised objective")
    ax.set_title("CCCP association: penalised objective per iteration (best start)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if args.logy:
        ax.set_yscale("log", nonpositive="clip")
    else:
        ax.ticklabel_format(axis="y", useOffset=False)
    if args.relative:
        ax.axhline(1.0, color="k", lw=0.8, ls="--")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="upper right")
    fig.tight_layout()
    pc.save(fig, pc.output_dir(args), "cccp_convergence", args.format)


if __name__ == "__main__":
    pc.run("plot_convergence", main)
