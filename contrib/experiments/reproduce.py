#!/usr/bin/python3
"""Reproduce the paper's experiments (Liu & Zhao, MobiHoc '24, Figs. 2-5) with edge-llm, from
the module's own programs: analytically (cost model only, edge-llm-compare --mode=analytic) and
packet-level (the ns-3 simulation, --mode=packet), with the paper preset and the realistic
preset. Every number in the figures comes from the programs' CSVs.

  fig2  collaborative (fp) vs edge-only vs local-only: energy, delay       edge-llm-compare
  fig3  omega_t, omega_e, omega_s swept 1 -> 10: fp vs alternating vs       sweep of
        alpha-only vs resource-only: energy, delay, stability              edge-llm-compare
  fig4  association convergence: objective per CCCP iteration, 100 users,  edge-llm-cccp-
        several numbers of servers (analytic only: it is the algorithm)    convergence
  fig5  proposed association (fp) vs greedy vs random over the number of   sweep of
        users: objective, energy, delay                                    edge-llm-compare

  contrib/experiments/reproduce.py fig3 --preset paper --mode analytic
  contrib/experiments/reproduce.py all              # every figure, both presets and modes

Outputs: OUT/<figure>/<preset>-<mode>/ with the CSVs and plots (PNG, or PDF with --format pdf);
fig2 in alpha-min-1/ and alpha-min-0/, fig3 in wTime/, wEnergy/, wStability/.
Sweeps go through contrib/sweep/edge-llm-sweep (GNU parallel: all cores, --jobs to limit,
--sshloginfile to spread over hosts); an interrupted figure continues where it stopped when
the same command is run again. Sizes (users, servers, runs, rounds) per preset and mode are in
SIZES below and can be overridden (--users, --servers, --runs, --rounds).
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "contrib", "python"))
import edge_llm_args as ea  # noqa: E402  (the shared strict flag readers)
SWEEP = os.path.join(ROOT, "contrib", "sweep", "edge-llm-sweep")
PLOT = os.path.join(ROOT, "contrib", "plot")

# Scenario of each preset: the paper's objective needs a minimum uplink rate (doc/edge-llm.rst, model choice 1).
PRESET_ARGS = {
    "paper": ["--preset=paper", "--objective=paper", "--minRateBps=1e6"],
    "realistic": ["--preset=realistic"],
}
# Sizes: analytic runs the paper's N = 50, M = 10 with many drops; packet-level runs a smaller
# network (the paper preset moves ~0.8 GB per activation; every byte is simulated).
SIZES = {
    ("paper", "analytic"): dict(users=50, servers=10, runs=20, rounds=1,
                                weights=[1, 2, 4, 6, 8, 10], user_counts=[20, 40, 60, 80, 100]),
    ("realistic", "analytic"): dict(users=50, servers=10, runs=20, rounds=1,
                                    weights=[1, 2, 4, 6, 8, 10],
                                    user_counts=[20, 40, 60, 80, 100]),
    ("paper", "packet"): dict(users=10, servers=2, runs=3, rounds=1, weights=[1, 4, 7, 10],
                              user_counts=[4, 8, 12, 16]),
    ("realistic", "packet"): dict(users=10, servers=2, runs=5, rounds=2,
                                  weights=[1, 2, 4, 6, 8, 10], user_counts=[4, 8, 12, 16, 20]),
}
FIG2_ALLOCATORS = "fp,edge-only,local-only"
FIG3_ALLOCATORS = "fp,alternating,alpha-only,resource-only"
FIG5_ALLOCATORS = "fp,greedy-association,random-association"


class ReproduceError(Exception):
    """A step failed; the message says which and where its output is."""


def sh(cmd, log=None):
    """Run a command, echoing it; raise ReproduceError if it fails."""
    print("+ " + " ".join(cmd), flush=True)
    if log:
        with open(log, "w") as f:
            r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    else:
        r = subprocess.run(cmd)
    if r.returncode != 0:
        raise ReproduceError("'%s' failed with exit code %d%s" %
                             (os.path.basename(cmd[0]) if cmd[0] != "/usr/bin/python3"
                              else os.path.basename(cmd[1]), r.returncode,
                              " (log: %s)" % log if log else ""))


def program(args, name):
    path = os.path.join(args.build_dir, "examples", name)
    if not os.access(path, os.X_OK):
        raise ReproduceError("%s not found; build first (bash contrib/build.sh) or give "
                             "--build-dir" % path)
    return path


def sizes(args, preset, mode):
    s = dict(SIZES[(preset, mode)])
    for k in ("users", "servers", "runs", "rounds"):
        if getattr(args, k) is not None:
            s[k] = getattr(args, k)
    return s


def scenario_args(preset, mode, s, with_users=True):
    a = PRESET_ARGS[preset] + ["--mode=" + mode, "--servers=%d" % s["servers"]]
    if with_users:
        a.append("--users=%d" % s["users"])
    if mode == "packet":
        a.append("--rounds=%d" % s["rounds"])
    return a


def plot(args, script, *extra):
    sh(["/usr/bin/python3", os.path.join(PLOT, script), "--format", args.format] + list(extra))


def sweep(args, out, grid, fixed):
    """One edge-llm-compare job per grid point and run, through the sweep runner."""
    cmd = [SWEEP, "run", "--program", program(args, "edge-llm-compare"), "--out", out,
           "--runs", str(fixed["runs"]), "--collect", "comparison-runs.csv"]
    for g in grid:
        cmd += ["--grid", g]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    if args.sshloginfile:
        cmd += ["--sshloginfile", args.sshloginfile]
    if os.path.exists(os.path.join(out, "sweep.json")):
        cmd.append("--resume")  # continue an interrupted sweep
    sh(cmd + ["--"] + fixed["args"] + ["--runs=1"])
    return os.path.join(out, "sweep.csv")


def fig2(args, preset, mode, out):
    """Twice: with the privacy minimum alpha_min = 1 (the default; edge-only breaks it) and with
    alpha_min = 0 (edge-only is then one of the proposed method's choices)."""
    s = sizes(args, preset, mode)
    for amin in (1, 0):
        d = os.path.join(out, "alpha-min-%d" % amin)
        os.makedirs(d, exist_ok=True)
        sh([program(args, "edge-llm-compare"), "--allocators=" + FIG2_ALLOCATORS,
            "--runs=%d" % s["runs"], "--minDeviceLayers=%d" % amin, "--outputDir=" + d] +
           scenario_args(preset, mode, s), log=os.path.join(d, "compare.log"))
        plot(args, "plot_comparison.py", "--input", d)


def fig3(args, preset, mode, out):
    s = sizes(args, preset, mode)
    fixed = dict(runs=s["runs"], args=["--allocators=" + FIG3_ALLOCATORS] +
                 scenario_args(preset, mode, s))
    for w in ("wTime", "wEnergy", "wStability"):
        d = os.path.join(out, w)
        csv = sweep(args, d, ["%s=%s" % (w, ",".join(map(str, s["weights"])))], fixed)
        plot(args, "plot_sweep.py", "--input", csv, "--x", w, "--output", d,
             "--metrics", "energy_j,mean_delay_s,makespan_s,stability", "--logy",
             "--name", "fig3-" + w)


def fig4(args, preset, mode, out):
    if mode == "packet":
        print("fig4 (%s, packet): skipped: CCCP convergence is a property of the algorithm; "
              "the network does not enter it (the analytic run is the figure)" % preset)
        return False
    servers = args.servers_list or "2,5,10,20"
    sh([program(args, "edge-llm-cccp-convergence"), "--users=%d" % (args.users or 100),
        "--servers=" + servers, "--seeds=%d" % (args.runs or 5), "--preset=" + preset,
        "--outputDir=" + out],
       log=os.path.join(out, "convergence.log"))
    plot(args, "plot_convergence.py", "--input", os.path.join(out, "cccp-convergence.csv"),
         "--output", out)
    return True


def fig5(args, preset, mode, out):
    s = sizes(args, preset, mode)
    fixed = dict(runs=s["runs"], args=["--allocators=" + FIG5_ALLOCATORS] +
                 scenario_args(preset, mode, s, with_users=False))
    csv = sweep(args, out, ["users=" + ",".join(map(str, s["user_counts"]))], fixed)
    plot(args, "plot_sweep.py", "--input", csv, "--x", "users", "--output", out,
         "--metrics", "objective,energy_j,mean_delay_s,makespan_s", "--logy", "--name", "fig5")


FIGURES = {"fig2": fig2, "fig3": fig3, "fig4": fig4, "fig5": fig5}


def main():
    p = ea.Parser(prog="reproduce", description=__doc__.split("\n\n")[0],
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("figure", choices=sorted(FIGURES) + ["all"])
    p.add_argument("--preset", choices=("paper", "realistic", "both"), default="both")
    p.add_argument("--mode", choices=("analytic", "packet", "both"), default="both")
    p.add_argument("--out", type=ea.output_dir,
                   default=os.path.join(ROOT, "results", "paper-figures"))
    p.add_argument("--format", choices=("png", "pdf"), default="png")
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    p.add_argument("--no-build", action="store_true",
                   help="do not run contrib/install-deps.sh and contrib/build.sh first")
    p.add_argument("--jobs", type=ea.integer(1, 4096),
                   help="sweep jobs at once (default: all cores)")
    p.add_argument("--sshloginfile", help="spread sweeps over hosts (GNU parallel)")
    p.add_argument("--users", type=ea.integer(1, 100000), help="override the size table")
    p.add_argument("--servers", type=ea.integer(1, 10000), help="override the size table")
    p.add_argument("--servers-list", type=ea.comma_list(ea.integer(1, 10000), "2,5,10,20"),
                   help="fig4: numbers of servers (default 2,5,10,20)")
    p.add_argument("--runs", type=ea.integer(1, 100000),
                   help="override the size table (fig4: drops per M, default 5)")
    p.add_argument("--rounds", type=ea.integer(1, 1000000),
                   help="override the size table (packet mode)")
    args = p.parse_args()
    if args.servers_list is not None:
        args.servers_list = ",".join(str(m) for m in args.servers_list)
    try:
        if not args.no_build:
            sh(["bash", os.path.join(ROOT, "contrib", "install-deps.sh")])
            sh(["bash", os.path.join(ROOT, "contrib", "build.sh")])
        figures = sorted(FIGURES) if args.figure == "all" else [args.figure]
        presets = ["paper", "realistic"] if args.preset == "both" else [args.preset]
        modes = ["analytic", "packet"] if args.mode == "both" else [args.mode]
        done = []
        for fig in figures:
            for preset in presets:
                for mode in modes:
                    out = os.path.join(args.out, fig, "%s-%s" % (preset, mode))
                    try:
                        os.makedirs(out, exist_ok=True)
                    except OSError as e:
                        raise ReproduceError("--out: cannot create %s: %s" % (out, e.strerror))
                    if FIGURES[fig](args, preset, mode, out) is not False:
                        done.append(out)
        print("reproduce: done: " + ", ".join(done))
    except ReproduceError as e:
        print("reproduce: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
