"""Shared pieces of the edge-llm plot scripts: command line, CSV loading with column checks,
one-line errors (exit code 2), headless matplotlib and saving.

Not a script: the plot_*.py files next to it import it (their folder is on sys.path when they
run).
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # headless: no display needed
import matplotlib.pyplot as plt  # noqa: E402  (after use("Agg"))

EXIT_INPUT_ERROR = 2


class PlotError(Exception):
    """A problem with the inputs (missing file, missing column, no rows); exit code 2."""


def parser(description, multi_input=False):
    """The options every script takes: --input, --output, --format. description: the script's
    docstring, whose first paragraph becomes the help text."""
    p = argparse.ArgumentParser(description=" ".join(description.split("\n\n")[0].split()))
    if multi_input:
        p.add_argument("--input", required=True, action="extend", nargs="+", metavar="DIR",
                       help="run output directory (the example's --outputDir); give several "
                            "(--input A B or --input A --input B) to compare allocators")
        p.add_argument("--output", metavar="DIR",
                       help="folder for the figures (default: FIRST_INPUT/plots)")
    else:
        p.add_argument("--input", required=True, metavar="DIR",
                       help="run output directory (the example's --outputDir)")
        p.add_argument("--output", metavar="DIR",
                       help="folder for the figures (default: DIR/plots)")
    p.add_argument("--format", choices=("png", "pdf"), default="png",
                   help="figure file format (default: png)")
    return p


def output_dir(args):
    """--output, or <first input>/plots."""
    if args.output:
        return args.output
    first = args.input[0] if isinstance(args.input, list) else args.input
    return os.path.join(first, "plots")


def read_csv(path, columns):
    """Reads a CSV with pandas and checks that it has the given columns and at least one row."""
    import pandas as pd

    if not os.path.isfile(path):
        raise PlotError("%s: no such file (is --input the example's --outputDir?)" % path)
    try:
        df = pd.read_csv(path)
    except Exception as e:  # pandas raises several types (EmptyDataError, ParserError, ...)
        raise PlotError("%s: cannot read as CSV: %s" % (path, str(e).splitlines()[0]))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise PlotError("%s: missing column%s %s (has: %s)"
                        % (path, "s" if len(missing) > 1 else "", ", ".join(missing),
                           ", ".join(df.columns)))
    if df.empty:
        raise PlotError("%s: no data rows" % path)
    return df


def short_allocator(name):
    """'ns3::NlpReferenceAllocator' -> 'NlpReferenceAllocator'."""
    name = str(name)
    return name[5:] if name.startswith("ns3::") else name


def save(fig, out_dir, stem, fmt):
    """Writes the figure as out_dir/stem.fmt, closes it, prints the path, returns it."""
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise PlotError("cannot create output folder %s: %s" % (out_dir, e.strerror))
    path = os.path.join(out_dir, "%s.%s" % (stem, fmt))
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    print(path)
    return path


def device_colors(n):
    """n distinguishable colours: tab10 up to 10, then tab20, then a continuous map."""
    if n <= 10:
        cmap = plt.get_cmap("tab10")
        return [cmap(i) for i in range(n)]
    if n <= 20:
        cmap = plt.get_cmap("tab20")
        return [cmap(i) for i in range(n)]
    cmap = plt.get_cmap("viridis")
    return [cmap(i / max(n - 1, 1)) for i in range(n)]


def device_legend(ax, title="device", source=None):
    """A legend outside ax on the right, in columns of at most 20 entries, listing the labelled
    artists of source (default: ax)."""
    handles, labels = (source or ax).get_legend_handles_labels()
    if not handles:
        return
    ncol = (len(handles) + 19) // 20
    ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              ncol=ncol, fontsize="small", title_fontsize="small", frameon=False)


def run(prog, main):
    """Calls main(); turns PlotError into a one-line message on stderr and exit code 2."""
    try:
        main()
    except PlotError as e:
        print("%s: error: %s" % (prog, e), file=sys.stderr)
        sys.exit(EXIT_INPUT_ERROR)
