#!/usr/bin/python3
"""Smoke test of the plot scripts: builds a small synthetic run directory (rounds.csv and
devices.csv with the example's real columns, a hand-written truncated pcap), runs every script
and checks that the figures appear, that bad inputs give exit code 2 with a one-line message,
that plot_throughput skips cleanly without pcaps, and that the throughput binning conserves the
bytes. Then the same for the comparison scripts with synthetic edge-llm-compare outputs
(comparison.csv, a packet-mode tree), a sweep.csv and a cccp-convergence.csv in the formats of
their writers, plus the 95 % confidence interval against a hand value and the drawing of
unbounded (inf) values. Prints 'N passed, N failed'; exit code 0 only if all passed.

  /usr/bin/python3 contrib/plot/test_plots.py
"""

import contextlib
import csv
import io
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# The headers written by helper/split-training-output-helper.cc.
ROUNDS_HEADER = ("round,allocator,start_s,end_s,makespan_s,sum_delay_s,predicted_makespan_s,"
                 "predicted_sum_delay_s,compute_energy_j,radio_energy_j,edge_energy_j,"
                 "total_energy_j,predicted_device_energy_j,predicted_edge_energy_j,"
                 "predicted_total_energy_j,stability,predicted_objective,devices_done,"
                 "devices_failed").split(",")
DEVICES_HEADER = ("round,device,status,server,alpha,power_w,bandwidth_hz,freq_hz,edge_freq_hz,"
                  "bytes_up,bytes_down,device_compute_s,uplink_s,server_wait_s,server_compute_s,"
                  "downlink_s,delay_s,predicted_device_compute_s,predicted_uplink_s,"
                  "predicted_edge_compute_s,predicted_downlink_s,predicted_delay_s,"
                  "compute_energy_j,radio_energy_j,edge_energy_j,predicted_compute_energy_j,"
                  "predicted_tx_energy_j,predicted_edge_energy_j,battery_j").split(",")

# The columns of edge-llm-compare's comparison-runs.csv and comparison.csv, and of
# edge-llm-cccp-convergence's CSV (sweep.csv: see make_sweep).
RUNS_HEADER = ("allocator,run,mode,preset,users,servers,rounds,energy_j,device_energy_j,"
               "edge_energy_j,makespan_s,mean_delay_s,stability,objective,"
               "prediction_error").split(",")
SUMMARY_HEADER = "allocator,metric,n,mean,std,ci95_low,ci95_high".split(",")
METRICS = ["energy_j", "device_energy_j", "edge_energy_j", "makespan_s", "mean_delay_s",
           "stability", "objective", "prediction_error"]
CONVERGENCE_HEADER = "servers,seed,start,iteration,objective".split(",")
ALLOCATORS = ["fp", "alternating", "alpha-only", "resource-only", "edge-only", "local-only"]

N_DEVICES, N_SERVERS, N_ROUNDS = 4, 2, 3
ROUND_S = 10.0
FRAME_IP_BYTES = 64052  # IPv4 total length of a full data frame, as in the example's captures

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, (" -- " + detail) if detail else ""))


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(c, 0) for c in header])


def make_run(d, allocator="ns3::FpAllocator", scale=1.0):
    """rounds.csv and devices.csv of a synthetic run: one device times out in round 1 (empty
    delay), one has left in round 2."""
    os.makedirs(d, exist_ok=True)
    rounds, devices = [], []
    battery = [1000.0] * N_DEVICES
    for r in range(N_ROUNDS):
        rows = []
        for k in range(N_DEVICES):
            status = "done"
            if r == 1 and k == 3:
                status = "deadline"
            if r == 2 and k == 3:
                status = "left"
            delay = scale * (8.0 + 0.5 * k + 0.1 * r)
            e_comp, e_radio = 0.5 + 0.1 * k, 2.0 + 0.2 * k
            if status != "left":
                battery[k] -= e_comp + e_radio
            rows.append({"round": r, "device": k, "status": status,
                         "server": -1 if status == "left" else k % N_SERVERS, "alpha": 2,
                         "delay_s": "" if status != "done" else delay,
                         "predicted_delay_s": delay * 0.99, "compute_energy_j": e_comp,
                         "radio_energy_j": e_radio, "predicted_compute_energy_j": e_comp,
                         "predicted_tx_energy_j": 0.98 * e_radio, "battery_j": battery[k]})
        devices += rows
        done = [x for x in rows if x["status"] == "done"]
        rounds.append({"round": r, "allocator": allocator, "start_s": r * ROUND_S,
                       "end_s": (r + 1) * ROUND_S,
                       "makespan_s": max(x["delay_s"] for x in done),
                       "predicted_makespan_s": max(x["predicted_delay_s"] for x in rows),
                       "total_energy_j": scale * 12.0, "predicted_total_energy_j": scale * 11.8,
                       "devices_done": len(done),
                       "devices_failed": sum(x["status"] not in ("done", "left") for x in rows)})
    write_csv(os.path.join(d, "rounds.csv"), ROUNDS_HEADER, rounds)
    write_csv(os.path.join(d, "devices.csv"), DEVICES_HEADER, devices)


def run_row(allocator, r, scale, mode="packet", users=10, servers=2):
    """One comparison-runs.csv row: local-only has an unbounded stability; analytic mode has an
    empty prediction error."""
    k = 1 + ALLOCATORS.index(allocator) if allocator in ALLOCATORS else 1
    dev, edge = scale * k * (10.0 + r), scale * 50.0 / k
    return {"allocator": allocator, "run": r, "mode": mode, "preset": "paper", "users": users,
            "servers": servers, "rounds": 3, "energy_j": dev + edge, "device_energy_j": dev,
            "edge_energy_j": edge, "makespan_s": scale * (5.0 + k + 0.3 * r),
            "mean_delay_s": scale * (4.0 + k), "objective": scale * (20.0 + k + r),
            "stability": "inf" if allocator == "local-only" else 0.1 * k + 0.01 * r,
            "prediction_error": "" if mode == "analytic" else 0.01 * (r - 1)}


def make_comparison(d):
    """comparison-runs.csv (3 runs of every allocator) and its summary comparison.csv as
    edge-llm-compare writes them: inf for local-only's stability, one nan and one empty mean."""
    import plot_common as pc
    os.makedirs(d, exist_ok=True)
    runs = [run_row(a, r, 1.0) for a in ALLOCATORS for r in range(3)]
    write_csv(os.path.join(d, "comparison-runs.csv"), RUNS_HEADER, runs)
    summary = []
    for a in ALLOCATORS:
        for m in METRICS:
            st = pc.mean_ci([float(x[m]) for x in runs if x["allocator"] == a])
            row = {"allocator": a, "metric": m, "n": st["n"], "mean": st["mean"],
                   "std": st["std"], "ci95_low": st["lo"], "ci95_high": st["hi"]}
            if a == "resource-only" and m == "mean_delay_s":
                row.update(mean="nan", std="nan", ci95_low="nan", ci95_high="nan")
            if a == "edge-only" and m == "makespan_s":
                row.update(mean="", std="", ci95_low="", ci95_high="")
            summary.append(row)
    write_csv(os.path.join(d, "comparison.csv"), SUMMARY_HEADER, summary)


def make_sweep(path, params):
    """sweep.csv as edge-llm-sweep collect writes it: the grid columns (name -> values, every
    combination), run (the job's run number), then the columns of the jobs' comparison-runs.csv
    that are not already there (a swept users column is not repeated). One job per grid point
    and run, each an edge-llm-compare run with --runs=1. The energy of fp at the first grid
    point is 1, 2, 3 over its runs (hand-checked CI)."""
    import itertools
    names = list(params)
    columns = [c for c in RUNS_HEADER if c not in names + ["run"]]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names + ["run"] + columns)
        for combo in itertools.product(*params.values()):
            scale = 1.0 + 0.1 * sum(float(v) for v in combo)
            users = combo[names.index("users")] if "users" in names else 10
            for r in range(3):
                for a in ["fp", "alternating", "local-only"]:
                    row = run_row(a, r, scale, users=users)
                    if a == "fp" and combo == tuple(v[0] for v in params.values()):
                        row["energy_j"] = r + 1.0
                    w.writerow([str(v) for v in combo] + [r] + [row[c] for c in columns])


def make_convergence(path, only_best=False, marker="-1"):
    """cccp-convergence.csv: 2 server counts x 2 seeds x 3 starts (start 1 is the best) plus
    the best start's rows again under start = marker; only_best: just those."""
    rows = []
    for m in (5, 10):
        for seed in (1, 2):
            for start in (0, 1, 2):
                final = 100.0 * m + (0 if start == 1 else 7.0 * start + 5)
                n_iter = 6 + start + m // 5
                traj = [final + (400.0 + 50 * start) * 0.5 ** i for i in range(n_iter)]
                for i, obj in enumerate(traj):
                    if not only_best:
                        rows.append({"servers": m, "seed": seed, "start": start,
                                     "iteration": i, "objective": obj})
                    if start == 1 and marker is not None:
                        rows.append({"servers": m, "seed": seed, "start": marker,
                                     "iteration": i, "objective": obj})
    write_csv(path, CONVERGENCE_HEADER, rows)


def call(module, *argv):
    """Runs module.main() in this process as the script would run (through plot_common.run):
    (exit code, stdout, stderr)."""
    import plot_common as pc
    old_argv = sys.argv
    sys.argv = [module.__name__ + ".py"] + list(argv)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            pc.run(module.__name__, module.main)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        sys.argv = old_argv
    return code, out.getvalue(), err.getvalue()


def one_line_error(result, *words):
    rc, out, err = result
    return (rc == 2 and len(err.strip().splitlines()) == 1
            and all(w in err for w in words)), "rc=%d stderr=%s" % (rc, err.strip())


def test_statistics():
    import plot_common as pc
    st = pc.mean_ci([1.0, 2.0, 3.0])
    # n = 3: mean 2, std 1, t(0.975, 2) = 4.303 -> half-width 4.303 / sqrt(3) = 2.4843.
    check("95 % CI of 1, 2, 3: mean 2, std 1, half-width 2.484",
          st["n"] == 3 and abs(st["mean"] - 2) < 1e-12 and abs(st["std"] - 1) < 1e-12
          and abs((st["hi"] - st["lo"]) / 2 - 2.4843) < 5e-4 and abs(st["lo"] - (-0.4843)) < 5e-4,
          str(st))
    check("t quantiles: table at df 1, 10, 30; expansion at 40, 120 (2.021, 1.980); -> 1.96",
          pc.t975(1) == 12.706 and pc.t975(10) == 2.228 and pc.t975(30) == 2.042
          and abs(pc.t975(40) - 2.0211) < 5e-4 and abs(pc.t975(120) - 1.9799) < 5e-4
          and abs(pc.t975(10 ** 7) - 1.96) < 1e-3)
    inf, single, nan = (pc.mean_ci([1.0, float("inf")]), pc.mean_ci([4.0, float("nan")]),
                        pc.mean_ci([float("nan")]))
    check("CI: inf -> unbounded mean, nan left out, one value -> no interval",
          math.isinf(inf["mean"]) and math.isnan(inf["lo"]) and single["n"] == 1
          and single["mean"] == 4.0 and math.isnan(single["hi"]) and nan["n"] == 0,
          "%s %s %s" % (inf, single, nan))


def test_comparison(tmp):
    import plot_common as pc
    import plot_comparison
    from plot_common import plt
    cmp_dir = os.path.join(tmp, "compare")
    make_comparison(cmp_dir)
    rc, out, err = run("plot_comparison.py", "--input", cmp_dir)
    png = os.path.join(cmp_dir, "plots", "comparison.png")
    check("plot_comparison writes DIR/plots/comparison.png, notes the nan and empty means",
          rc == 0 and exists(png) and "no value for resource-only" in out
          and "no value for edge-only" in out, "rc=%d out=%s stderr=%s" % (rc, out, err.strip()))
    pdf_dir = os.path.join(tmp, "compare-pdf")
    rc, out, err = call(plot_comparison, "--input", os.path.join(cmp_dir, "comparison.csv"),
                       "--metrics", "energy_j,objective", "--metrics", "prediction_error",
                       "--allocators", "local-only,fp", "--logy", "--format", "pdf",
                       "--output", pdf_dir)
    check("plot_comparison: CSV as --input, --metrics, --allocators, --logy, PDF",
          rc == 0 and exists(os.path.join(pdf_dir, "comparison.pdf")), err.strip())

    # The unbounded bar: hatched, from 0 to the top of the axis, labelled, no number.
    df = plot_comparison.load(os.path.join(cmp_dir, "comparison.csv"))
    rows = df[df["metric"] == "stability"].set_index("allocator")
    fig, ax = plt.subplots()
    notes = []
    plot_comparison.bar_panel(ax, rows, ALLOCATORS, ["C%d" % i for i in range(6)], False,
                              notes, "stability")
    top = ax.get_ylim()[1]
    hatched = [b for b in ax.patches if b.get_hatch()]
    texts = [t.get_text() for t in ax.texts]
    finite_top = max(v for v in rows["ci95_high"] if math.isfinite(v))
    check("inf mean: one hatched bar from 0 to the axis top, labelled 'unbounded', no number",
          len(hatched) == 1 and abs(hatched[0].get_y()) < 1e-12
          and abs(hatched[0].get_y() + hatched[0].get_height() - top) < 1e-9 * top
          and top > finite_top and "unbounded" in texts and "inf" not in texts,
          "hatched=%d top=%g texts=%s" % (len(hatched), top, texts))
    plt.close(fig)

    bad = os.path.join(tmp, "no-compare")
    os.makedirs(bad)
    ok, detail = one_line_error(run("plot_comparison.py", "--input", bad), "comparison.csv")
    check("plot_comparison, no comparison.csv: exit 2, one line", ok, detail)
    ok, detail = one_line_error(call(plot_comparison, "--input", cmp_dir, "--metrics",
                                     "energy_j,latency"), "unknown metric latency",
                                "makespan_s", "prediction_error")
    check("plot_comparison, unknown metric: exit 2, one line listing the metrics", ok, detail)
    ok, detail = one_line_error(call(plot_comparison, "--input", cmp_dir, "--allocators",
                                     "fp,magic"), "unknown allocator magic", "alpha-only")
    check("plot_comparison, unknown allocator: exit 2, one line listing the allocators", ok,
          detail)
    # repeated and empty items used to be merged or dropped silently
    ok, detail = one_line_error(call(plot_comparison, "--input", cmp_dir, "--allocators",
                                     "fp,fp"), "--allocators", "'fp' is given twice")
    check("plot_comparison, repeated allocator: exit 2, one line", ok, detail)
    ok, detail = one_line_error(call(plot_comparison, "--input", cmp_dir, "--metrics",
                                     "energy_j,,makespan_s"), "--metrics", "an item is empty")
    check("plot_comparison, empty metric: exit 2, one line", ok, detail)
    ok, detail = one_line_error(run("plot_rounds.py", "--input", cmp_dir, "--run", "2.5"),
                                "argument --run", "'2.5'", "an integer in 1")
    check("plot_rounds, --run=2.5: exit 2, one line", ok, detail)
    with open(os.path.join(bad, "comparison.csv"), "w") as f:
        f.write(",".join(SUMMARY_HEADER) + "\n")
    ok, detail = one_line_error(call(plot_comparison, "--input", bad), "no data rows")
    check("plot_comparison, header only: exit 2, one line", ok, detail)
    return pc


def test_sweep(tmp):
    import plot_sweep
    sweep = os.path.join(tmp, "sweep", "sweep.csv")
    os.makedirs(os.path.dirname(sweep))
    make_sweep(sweep, {"wTime": ["1", "5", "10"], "wEnergy": ["1", "10"]})
    ok, detail = one_line_error(call(plot_sweep, "--input", sweep, "--x", "wTime"),
                                "wEnergy (1, 10)", "--filter")
    check("plot_sweep, another parameter varies: exit 2 naming it and its values", ok, detail)
    rc, out, err = run("plot_sweep.py", "--input", sweep, "--x", "wTime", "--filter",
                       "wEnergy=1", "--metrics", "energy_j,makespan_s,stability",
                       "--allocators", "fp,local-only", "--logy", "--name", "fig3-wtime")
    plots = os.path.join(tmp, "sweep", "plots")
    table = os.path.join(plots, "fig3-wtime.csv")
    check("plot_sweep writes plots/fig3-wtime.png and its statistics",
          rc == 0 and exists(os.path.join(plots, "fig3-wtime.png")) and os.path.isfile(table),
          "rc=%d stderr=%s" % (rc, err.strip()))
    stats = {}
    if os.path.isfile(table):
        with open(table) as f:
            for r in csv.DictReader(f):
                stats[(r["wTime"], r["allocator"], r["metric"])] = r
    fp = stats.get(("1", "fp", "energy_j"), {})
    lo = stats.get(("1", "local-only", "stability"), {})
    check("plot_sweep statistics: energy 1, 2, 3 -> mean 2, CI [-0.484, 4.484]; inf kept",
          fp.get("n") == "3" and abs(float(fp.get("mean", 0)) - 2) < 1e-12
          and abs(float(fp.get("ci95_low", 0)) + 0.4843) < 5e-4
          and abs(float(fp.get("ci95_high", 0)) - 4.4843) < 5e-4
          and lo.get("mean") == "inf" and len(stats) == 3 * 2 * 3, "%s %s" % (fp, lo))

    # Fig. 5 style: the users column is swept (and not repeated from comparison-runs.csv).
    sweep_u = os.path.join(tmp, "sweep-users.csv")
    make_sweep(sweep_u, {"users": ["10", "20", "40"]})
    out_u = os.path.join(tmp, "fig5")
    rc, out, err = call(plot_sweep, "--input", sweep_u, "--x", "users", "--metrics",
                       "objective,energy_j,mean_delay_s", "--output", out_u, "--format", "pdf")
    check("plot_sweep over users as PDF",
          rc == 0 and exists(os.path.join(out_u, "sweep-users.pdf")), err.strip())
    for argv, words, what in (
            (["--x", "wDelay"], ["unknown column in --x wDelay", "wTime", "wEnergy"],
             "unknown --x"),
            (["--x", "wTime", "--filter", "wEnergy=3"], ["wEnergy=3", "has: 1, 10"],
             "--filter value not present"),
            (["--x", "wTime", "--filter", "wEnergy=1", "--metrics", "joules"],
             ["unknown metric joules", "energy_j"], "unknown metric"),
            (["--x", "wTime", "--filter", "wEnergy=1", "--allocators", "fp,greedy"],
             ["unknown allocator greedy", "alternating"], "unknown allocator")):
        ok, detail = one_line_error(call(plot_sweep, "--input", sweep, *argv), *words)
        check("plot_sweep, %s: exit 2, one line" % what, ok, detail)
    bad = os.path.join(tmp, "bad-sweep.csv")
    with open(bad, "w") as f:
        f.write("wTime,run,allocator,energy_j\n1,0,fp,12\n5,0,fp,lots\n")
    ok, detail = one_line_error(call(plot_sweep, "--input", bad, "--x", "wTime", "--metrics",
                                     "energy_j"), "energy_j", "lots")
    check("plot_sweep, non-numeric value: exit 2, one line naming column and value", ok, detail)


def test_convergence(tmp):
    import plot_convergence
    conv = os.path.join(tmp, "cccp", "cccp-convergence.csv")
    os.makedirs(os.path.dirname(conv))
    make_convergence(conv)
    rc, out, err = run("plot_convergence.py", "--input", conv)
    check("plot_convergence writes plots/cccp_convergence.png (all starts, best marked -1)",
          rc == 0 and exists(os.path.join(tmp, "cccp", "plots", "cccp_convergence.png")),
          err.strip())
    only = os.path.join(tmp, "cccp-best.csv")
    make_convergence(only, only_best=True, marker="best")
    rc, out, err = call(plot_convergence, "--input", only, "--relative", "--format", "pdf",
                       "--output", os.path.join(tmp, "cccp-best"))
    check("plot_convergence, only the best start ('best'), --relative, PDF",
          rc == 0 and exists(os.path.join(tmp, "cccp-best", "cccp_convergence.pdf")),
          err.strip())
    unmarked = os.path.join(tmp, "cccp-unmarked.csv")
    make_convergence(unmarked, marker=None)
    df = plot_convergence.load(unmarked)
    best = set(df[df["best"]]["start"])
    check("plot_convergence without a marked best start takes the lowest final objective",
          best == {"1"} and int(df["best"].sum()) == sum(2 * (6 + 1 + m // 5) for m in (5, 10)),
          "best starts %s, %d rows" % (best, int(df["best"].sum())))
    with open(unmarked, "w") as f:
        f.write("servers,seed,start,objective\n5,1,0,3.0\n")
    ok, detail = one_line_error(call(plot_convergence, "--input", unmarked),
                                "missing column iteration")
    check("plot_convergence, missing column: exit 2, one line naming it", ok, detail)


def test_compare_tree(tmp):
    tree = os.path.join(tmp, "compare-tree")
    make_run(os.path.join(tree, "fp", "run-1"))
    make_run(os.path.join(tree, "fp", "run-2"), scale=1.5)
    make_run(os.path.join(tree, "greedy-association", "run-1"),
             "ns3::GreedyAssociationAllocator", 1.2)
    make_run(os.path.join(tree, "greedy-association", "run-2"),
             "ns3::GreedyAssociationAllocator", 1.3)
    with open(os.path.join(tree, "comparison.csv"), "w") as f:
        f.write("allocator,metric,n,mean,std,ci95_low,ci95_high\n"
                "greedy-association,energy_j,2,1,0,1,1\nfp,energy_j,2,1,0,1,1\n")
    rc, out, err = run("plot_rounds.py", "--input", tree)
    check("plot_rounds on an edge-llm-compare tree: run 1 of every allocator",
          rc == 0 and exists(os.path.join(tree, "plots", "rounds.png"))
          and out.count(": run 1") == 2, "rc=%d out=%s stderr=%s" % (rc, out, err.strip()))
    import plot_rounds
    with contextlib.redirect_stdout(io.StringIO()):
        labels = [lab for lab, _ in plot_rounds.load_series([tree], 2)]
    check("plot_rounds --run 2 finds each allocator's run-2, labelled by folder, in "
          "comparison.csv's order", labels == ["greedy-association", "fp"], str(labels))
    ok, detail = one_line_error(call(plot_rounds, "--input", tree, "--run", "3"),
                                "run-3", "has run 1, 2")
    check("plot_rounds --run missing in the tree: exit 2, one line", ok, detail)


def frame(src, dst, ip_len):
    """Ethernet + IPv4 + TCP headers only (54 bytes), as a short snap length captures them."""
    eth = b"\x02\x00\x00\x00\x00\x01" + b"\x02\x00\x00\x00\x00\x02" + struct.pack("!H", 0x0800)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 1, 0, 64, 6, 0,
                     bytes([10, 0, 0, src]), bytes([10, 0, 0, dst]))
    return eth + ip + bytes(20)


def make_pcap(path, server_host, device_hosts):
    """A libpcap file (Ethernet) of one server: each device uploads 10 full frames 0.4 s apart,
    the server answers with 10 frames 0.1 s apart; captures truncated to 54 bytes."""
    records = []
    for i, dev in enumerate(device_hosts):
        for n in range(10):
            records.append((1.0 + i * 0.01 + 0.4 * n, frame(dev, server_host, FRAME_IP_BYTES)))
            records.append((6.0 + i * 0.01 + 0.1 * n, frame(server_host, dev, FRAME_IP_BYTES)))
    records.append((0.5, b"\xff" * 12 + struct.pack("!H", 0x0806) + bytes(28)))  # an ARP frame
    records.sort(key=lambda x: x[0])
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 128, 1))
        for ts, buf in records:
            sec, usec = int(ts), int(round((ts - int(ts)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(buf), len(buf)))
            f.write(buf)
    return len(device_hosts) * 20 * (FRAME_IP_BYTES + 14)


def run(script, *args):
    p = subprocess.run([sys.executable, os.path.join(HERE, script)] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def exists(path):
    return os.path.isfile(path) and os.path.getsize(path) > 1000


def main():
    tmp = tempfile.mkdtemp(prefix="edge-llm-plots-")
    try:
        run_a, run_b = os.path.join(tmp, "fp"), os.path.join(tmp, "edge-only")
        make_run(run_a)
        make_run(run_b, "ns3::EdgeOnlyAllocator", 1.2)
        first_device = N_SERVERS + 1  # 10.0.0.1..M are servers, devices follow
        dev_hosts = list(range(first_device, first_device + N_DEVICES))
        total_bytes = 0
        for j in range(N_SERVERS):
            total_bytes += make_pcap(os.path.join(run_a, "server-%d-0.pcap" % j), j + 1,
                                     [h for h in dev_hosts if (h - first_device) % N_SERVERS == j])

        # Each script's required columns are in the real headers.
        import plot_battery
        import plot_devices
        import plot_rounds
        import plot_throughput
        import plot_timeline
        check("required columns exist in the example's CSV headers",
              set(plot_rounds.COLUMNS) <= set(ROUNDS_HEADER)
              and set(plot_devices.COLUMNS) <= set(DEVICES_HEADER)
              and set(plot_timeline.COLUMNS) <= set(DEVICES_HEADER)
              and set(plot_battery.DEVICE_COLUMNS) <= set(DEVICES_HEADER)
              and set(plot_battery.ROUND_COLUMNS) <= set(ROUNDS_HEADER))

        # All plots of one run, through plot_all.
        rc, out, err = run("plot_all.py", "--input", run_a)
        figs = ["rounds", "devices_cdf", "devices_delay_scatter", "timeline", "battery",
                "throughput"]
        missing = [f for f in figs if not exists(os.path.join(run_a, "plots", f + ".png"))]
        check("plot_all writes every PNG into DIR/plots", rc == 0 and not missing,
              "rc=%d missing=%s stderr=%s" % (rc, missing, err.strip()))

        # Several allocators in one rounds plot, PDF output, --output.
        out_dir = os.path.join(tmp, "cmp")
        rc, out, err = run("plot_rounds.py", "--input", run_a, run_b, "--output", out_dir,
                           "--format", "pdf")
        check("plot_rounds compares two runs as PDF",
              rc == 0 and exists(os.path.join(out_dir, "rounds.pdf")), err.strip())

        # The pcap reader and the binning.
        frames = []
        for j in range(N_SERVERS):
            frames += plot_throughput.read_pcap(os.path.join(run_a, "server-%d-0.pcap" % j))
        check("pcap reader sizes frames by the IPv4 total length, skips ARP",
              len(frames) == N_DEVICES * 20
              and sum(f[3] for f in frames) == total_bytes,
              "%d frames, %d bytes" % (len(frames), sum(f[3] for f in frames)))
        import numpy as np
        t = np.array([f[0] for f in frames if f[1] == 10 << 24 | first_device])
        b = np.array([f[3] for f in frames if f[1] == 10 << 24 | first_device], dtype=float)
        edges = np.arange(0.0, 12.0, 1.0)
        spread = plot_throughput.binned_rate(t, b, edges, 1.0, False)
        raw = plot_throughput.binned_rate(t, b, edges, 1.0, True)
        steady = (FRAME_IP_BYTES + 14) * 8 / 0.4
        check("binning conserves bytes and gives the steady rate of back-to-back frames",
              abs(spread.sum() - b.sum() * 8) < 1e-6 * b.sum()
              and abs(raw.sum() - b.sum() * 8) < 1e-6 * b.sum()
              and abs(spread[2] - steady) < 1e-6 * steady,
              "bin 2: %.0f bit/s, expected %.0f" % (spread[2], steady))
        check("devices are labelled by index after the servers' addresses",
              plot_throughput.device_label(10 << 24 | first_device, N_SERVERS)
              == "0 (10.0.0.%d)" % first_device)

        # No pcap: skip with a message, exit 0, no figure.
        rc, out, err = run("plot_throughput.py", "--input", run_b)
        check("plot_throughput skips cleanly without pcaps",
              rc == 0 and "skipping" in out
              and not os.path.exists(os.path.join(run_b, "plots", "throughput.png")),
              "rc=%d out=%s" % (rc, out.strip()))

        # Bad inputs: exit code 2 and a one-line message naming the problem.
        bad = os.path.join(tmp, "bad")
        os.makedirs(bad)
        rc, out, err = run("plot_devices.py", "--input", bad)
        check("missing file: exit 2, one line", rc == 2 and len(err.strip().splitlines()) == 1
              and "devices.csv" in err, "rc=%d stderr=%s" % (rc, err.strip()))
        shutil.copy(os.path.join(run_a, "devices.csv"), bad)
        with open(os.path.join(bad, "rounds.csv"), "w") as f:
            f.write("round,allocator,start_s\n0,x,0\n")
        rc, out, err = run("plot_battery.py", "--input", bad)
        check("missing column: exit 2, one line naming it",
              rc == 2 and len(err.strip().splitlines()) == 1 and "end_s" in err,
              "rc=%d stderr=%s" % (rc, err.strip()))

        # The comparison, sweep, convergence plots and compare trees.
        test_statistics()
        test_comparison(tmp)
        test_sweep(tmp)
        test_convergence(tmp)
        test_compare_tree(tmp)
    finally:
        if os.environ.get("KEEP_PLOT_TEST_DIR"):
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
