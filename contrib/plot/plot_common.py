"""Shared pieces of the edge-llm plot scripts: command line, CSV loading with column checks,
one-line errors (exit code 2), headless matplotlib and saving.

Not a script: the plot_*.py files next to it import it (their folder is on sys.path when they
run).
"""

import argparse
import math
import os
import statistics
import sys

import matplotlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "python"))
import edge_llm_args as ea  # noqa: E402  (the shared strict flag readers, contrib/python/)

matplotlib.use("Agg")  # headless: no display needed
import matplotlib.pyplot as plt  # noqa: E402  (after use("Agg"))

EXIT_INPUT_ERROR = 2


class PlotError(Exception):
    """A problem with the inputs (missing file, missing column, no rows); exit code 2."""


def parser(description, multi_input=False, input_help=None, input_metavar="DIR"):
    """The options every script takes: --input, --output, --format. description: the script's
    docstring, whose first paragraph becomes the help text. input_help, input_metavar: the help
    and metavar of a single --input that is not a run directory (e.g. a CSV file)."""
    p = ea.Parser(prog=os.path.splitext(os.path.basename(sys.argv[0]))[0], description=" ".join(description.split("\n\n")[0].split()))
    if input_help:
        p.add_argument("--input", required=True, metavar=input_metavar, help=input_help)
        p.add_argument("--output", metavar="DIR", type=ea.output_dir,
                       help="folder for the figures (default: INPUT/plots, or plots/ next to "
                            "INPUT if it is a file)")
    elif multi_input:
        p.add_argument("--input", required=True, action="extend", nargs="+", metavar="DIR",
                       help="run output directory (the example's --outputDir); give several "
                            "(--input A B or --input A --input B) to compare allocators")
        p.add_argument("--output", metavar="DIR", type=ea.output_dir,
                       help="folder for the figures (default: FIRST_INPUT/plots)")
    else:
        p.add_argument("--input", required=True, metavar="DIR",
                       help="run output directory (the example's --outputDir)")
        p.add_argument("--output", metavar="DIR", type=ea.output_dir,
                       help="folder for the figures (default: DIR/plots)")
    p.add_argument("--format", choices=("png", "pdf"), default="png",
                   help="figure file format (default: png)")
    return p


def output_dir(args):
    """--output, or <first input>/plots (<folder of the input>/plots if the input is a file)."""
    if args.output:
        return args.output
    first = args.input[0] if isinstance(args.input, list) else args.input
    if os.path.isfile(first):
        first = os.path.dirname(first) or "."
    return os.path.join(first, "plots")


def split_list(values, flag="--list"):
    """['a,b', 'c'] (a comma list, possibly given several times) -> ['a', 'b', 'c']; None -> None.
    An empty or repeated item is an input error naming the flag (it used to be dropped or
    merged)."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    items = []
    for s in values:
        for v in s.split(","):
            v = v.strip()
            if not v:
                raise PlotError("%s '%s': an item is empty; expected a comma-separated list "
                                "such as a,b" % (flag, s))
            if v in items:
                raise PlotError("%s: '%s' is given twice; name each once" % (flag, v))
            items.append(v)
    return items


def check_names(wanted, available, what, path):
    """Raises PlotError if a name in wanted (given on the command line) is not in available; the
    message lists what exists. Returns wanted."""
    unknown = [w for w in wanted if w not in available]
    if unknown:
        raise PlotError("%s: unknown %s%s %s (has: %s)"
                        % (path, what, "s" if len(unknown) > 1 else "", ", ".join(unknown),
                           ", ".join(str(a) for a in available)))
    return wanted


def numeric(df, column, path):
    """df[column] as floats: empty cells and nan/-nan become NaN, inf/-inf/infinity stay
    infinite; any other text is an input error naming the column and the value."""
    import pandas as pd

    col = df[column]
    if col.dtype.kind in "fiub":
        return col.astype(float)
    text = col.astype(str).str.strip().str.lower()
    text = text.replace({"": "nan", "-nan": "nan", "+nan": "nan", "none": "nan",
                         "infinity": "inf", "+inf": "inf", "+infinity": "inf",
                         "-infinity": "-inf"})
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & (text != "nan")
    if bad.any():
        raise PlotError("%s: column %s: not a number: '%s' (row %d)"
                        % (path, column, col[bad].iloc[0], int(bad.idxmax()) + 2))
    return values.astype(float)


# Two-sided 95 % Student-t quantiles t(0.975, df) for df = 1..30 (standard tables).
T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t975(df):
    """The 0.975 quantile of Student's t with df degrees of freedom (the factor of a two-sided
    95 % confidence interval): the table for df <= 30, beyond it the Cornish-Fisher expansion
    around the normal quantile 1.95996 (error < 1e-3 for df > 30, -> 1.96 as df grows)."""
    if df < 1:
        return float("nan")
    if df <= len(T975):
        return T975[int(df) - 1]
    z = statistics.NormalDist().inv_cdf(0.975)
    return (z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3))


def mean_ci(values):
    """Statistics of a sample: dict(n, mean, std, lo, hi) with the sample standard deviation
    (n - 1) and the 95 % confidence interval mean -/+ t975(n - 1) std / sqrt(n). NaN values
    (empty cells) are left out; an infinite value makes the mean infinite (unbounded) and the
    interval NaN; n = 1 gives std and interval NaN; n = 0 gives NaN everywhere."""
    v = [float(x) for x in values if not math.isnan(float(x))]
    n = len(v)
    nan = float("nan")
    if n == 0:
        return {"n": 0, "mean": nan, "std": nan, "lo": nan, "hi": nan}
    if any(math.isinf(x) for x in v):
        mean = math.fsum(v) if not (float("inf") in v and float("-inf") in v) else nan
        return {"n": n, "mean": mean, "std": nan, "lo": nan, "hi": nan}
    mean = math.fsum(v) / n
    if n == 1:
        return {"n": 1, "mean": mean, "std": nan, "lo": nan, "hi": nan}
    std = math.sqrt(math.fsum((x - mean) ** 2 for x in v) / (n - 1))
    half = t975(n - 1) * std / math.sqrt(n)
    return {"n": n, "mean": mean, "std": std, "lo": mean - half, "hi": mean + half}


def read_csv(path, columns, hint="is --input the example's --outputDir?"):
    """Reads a CSV with pandas and checks that it has the given columns and at least one row.
    hint: added to the message when the file does not exist."""
    import pandas as pd

    if not os.path.isfile(path):
        raise PlotError("%s: no such file (%s)" % (path, hint))
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
