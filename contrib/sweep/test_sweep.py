#!/usr/bin/python3
"""Tests of contrib/sweep/edge-llm-sweep against the real example program (and a few tiny fake
programs and a fake ssh written here): a small grid, failures and --resume, kill-and-resume,
--sshloginfile, bad input, every realistic-channel flag, and the Slurm job-array
script run by hand. Prints 'N passed, M failed'; exit code 0 only if all passed.

  /usr/bin/python3 contrib/sweep/test_sweep.py --program build/examples/edge-llm-split-training
"""

import argparse
import csv
import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(HERE, "edge-llm-sweep")
# A scenario that takes well under a second per job.
FAST = ["--servers=1", "--rounds=1", "--pcap=false", "--flowMonitor=false", "--progress=false"]

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, (" -- " + detail) if detail else ""))
    sys.stdout.flush()


def sweep(args, env=None):
    return subprocess.run([SWEEP] + args, capture_output=True, text=True, timeout=120, env=env)


def read_csv(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, [dict(zip(header, r)) for r in reader]


def read_joblog(path):
    entries = []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0].isdigit():
                entries.append((int(fields[0]), fields[1], int(fields[6]), int(fields[7])))
    return entries


def job_ids(out):
    with open(os.path.join(out, "jobs.tsv")) as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return [r[1] for r in rows[1:]]


def write_script(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def counting_wrapper(path, program, counter, delay):
    """A program that appends its arguments to counter, sleeps, then runs the real one."""
    write_script(path, "#!/bin/sh\necho \"$*\" >> '%s'\nsleep %s\nexec '%s' \"$@\"\n"
                 % (counter, delay, program))


def starts_per_job(counter):
    """{job id: how many times it started}, from a counting wrapper's log."""
    counts = {}
    if os.path.exists(counter):
        with open(counter) as f:
            for line in f:
                out = [a for a in line.split() if a.startswith("--outputDir=")][0]
                job = os.path.basename(out[len("--outputDir="):])
                counts[job] = counts.get(job, 0) + 1
    return counts


# ---- 1. a small grid on the real program ------------------------------------------------------

def test_grid(program, tmp):
    out = os.path.join(tmp, "grid")
    r = sweep(["run", "--program", program, "--out", out, "--grid", "users=2,3",
               "--grid", "wTime=1,2", "--runs", "2", "--"] + FAST)
    check("grid: run exits 0", r.returncode == 0, r.stderr.strip()[-300:])
    check("grid: one-line summary names the counts and the CSV",
          r.stdout.count("\n") == 1 and "8 jobs: 8 ok, 0 failed" in r.stdout
          and os.path.join(out, "sweep.csv") in r.stdout, r.stdout)
    if r.returncode != 0:
        return
    header, rows = read_csv(os.path.join(out, "sweep.csv"))
    check("grid: sweep.csv has points x runs x rows-per-job = 2*2*2*1 rows", len(rows) == 8,
          "%d rows" % len(rows))
    check("grid: parameter columns first, then the job's columns",
          header[:3] == ["users", "wTime", "run"] and header[3:5] == ["round", "allocator"]
          and "makespan_s" in header, str(header[:6]))
    got = [(x["users"], x["wTime"], x["run"]) for x in rows]
    want = [(u, w, str(k)) for u, w in itertools.product(["2", "3"], ["1", "2"])
            for k in (1, 2)]
    check("grid: every point x run once, in job order", got == want, str(got))
    by = {(x["users"], x["wTime"], x["run"]): x["makespan_s"] for x in rows}
    check("grid: the run number reaches the program (runs 1 and 2 differ at every point)",
          all(by[(u, w, "1")] != by[(u, w, "2")] for u, w, _ in want), str(by))
    ids = job_ids(out)
    check("grid: jobs.tsv lists 8 readable, distinct job ids",
          len(ids) == 8 and len(set(ids)) == 8 and ids[0] == "users=2,wTime=1,run=1", str(ids))
    check("grid: each job folder holds stdout.txt, stderr.txt and the program's CSVs",
          all(all(os.path.exists(os.path.join(out, "jobs", i, n))
                  for n in ("stdout.txt", "stderr.txt", "rounds.csv", "devices.csv"))
              for i in ids))
    dev = os.path.join(tmp, "grid-devices.csv")
    r = sweep(["collect", "--out", out, "--collect", "devices.csv", "--csv", dev])
    check("grid: collect devices.csv exits 0", r.returncode == 0, r.stderr.strip())
    if r.returncode == 0:
        _, drows = read_csv(dev)
        per_users = {u: sum(1 for x in drows if x["users"] == u) for u in ("2", "3")}
        check("grid: --users reaches the program (device rows = users x 2 wTime x 2 runs)",
              per_users == {"2": 8, "3": 12}, str(per_users))
    # the same sweep again without --resume is refused, with --resume nothing is rerun
    r = sweep(["run", "--program", program, "--out", out, "--grid", "users=2,3",
               "--grid", "wTime=1,2", "--runs", "2", "--"] + FAST)
    check("grid: rerun without --resume refused (exit 2, one line)",
          r.returncode == 2 and r.stderr.count("\n") == 1 and "--resume" in r.stderr, r.stderr)
    before = os.stat(os.path.join(out, "jobs", ids[0], "rounds.csv")).st_mtime_ns
    r = sweep(["run", "--program", program, "--out", out, "--grid", "users=2,3",
               "--grid", "wTime=1,2", "--runs", "2", "--resume", "--"] + FAST)
    check("grid: --resume of a finished sweep reruns nothing and exits 0",
          r.returncode == 0 and len(read_joblog(os.path.join(out, "joblog"))) == 8
          and os.stat(os.path.join(out, "jobs", ids[0], "rounds.csv")).st_mtime_ns == before,
          r.stderr.strip())
    # dry run: prints the commands, creates nothing
    dry = os.path.join(tmp, "dry")
    r = sweep(["run", "--program", program, "--out", dry, "--grid", "users=2,3", "--runs", "3",
               "--dry-run", "--"] + FAST)
    cmds = [x for x in r.stdout.splitlines() if x.startswith(program)]
    check("grid: --dry-run prints the 6 commands and creates nothing",
          r.returncode == 0 and len(cmds) == 6 and not os.path.exists(dry)
          and "--users=3 --run=3 --outputDir=" in cmds[-1], r.stdout[-300:])


# ---- 2. failures, column clashes, odd values, --resume of failed jobs (fake program) ----------

FAKE = r"""#!/usr/bin/python3
import os, sys
args = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "starts.txt"), "a") as f:
    f.write(os.path.basename(args["outputDir"]) + "\n")
if args.get("label") == "b" and os.path.exists(os.path.join(here, "fail-b")):
    sys.stderr.write("fake failure for label b\n")
    sys.exit(3)
with open(os.path.join(args["outputDir"], "rounds.csv"), "w") as f:
    f.write("run,label,x,round\n")
    for k in range(int(args["rows"])):
        f.write("bogus,bogus,%s,%d\n" % (args["x"], k))
"""


def test_fake(tmp):
    d = os.path.join(tmp, "fake")
    os.makedirs(d)
    fake = os.path.join(d, "fake-program")
    write_script(fake, FAKE)
    open(os.path.join(d, "fail-b"), "w").close()
    out = os.path.join(tmp, "fake-sweep")
    args = ["run", "--program", fake, "--out", out, "--grid", "label=a b,a/b,b", "--runs", "2",
            "--", "--x=7", "--rows=2"]
    r = sweep(args)
    check("fake: a sweep with failing jobs exits 1", r.returncode == 1, r.stderr.strip())
    check("fake: the failed job ids and their stderr.txt are named",
          "label=b,run=1" in r.stderr and "label=b,run=2" in r.stderr
          and os.path.join(out, "jobs", "label=b,run=1", "stderr.txt") in r.stderr
          and "4 ok, 2 failed" in r.stdout, r.stdout + r.stderr)
    header, rows = read_csv(os.path.join(out, "sweep.csv"))
    check("fake: the ok jobs are still collected; the job's run/label columns are dropped",
          header == ["label", "run", "x", "round"] and len(rows) == 8, "%s %d" % (header,
                                                                                  len(rows)))
    check("fake: grid values verbatim in the CSV, fixed args reach the program",
          [x["label"] for x in rows] == ["a b"] * 4 + ["a/b"] * 4
          and [x["run"] for x in rows] == ["1", "1", "2", "2"] * 2
          and all(x["x"] == "7" for x in rows), str(rows[:3]))
    ids = job_ids(out)
    check("fake: values that sanitise alike still get distinct job folders",
          len(set(ids)) == 6 and all("/" not in i and " " not in i for i in ids), str(ids))
    r = sweep(["collect", "--out", out])
    check("fake: collect with missing jobs exits 1 and lists them",
          r.returncode == 1 and len(r.stderr.splitlines()) == 2
          and all("label=b,run=%d: failed (exit 3)" % k in r.stderr for k in (1, 2)), r.stderr)
    os.remove(os.path.join(d, "fail-b"))
    r = sweep(args[:-3] + ["--resume", "--", "--x=7", "--rows=2"])
    check("fake: --resume reruns the failed jobs and exits 0", r.returncode == 0,
          r.stdout + r.stderr)
    with open(os.path.join(d, "starts.txt")) as f:
        starts = [x.strip() for x in f]
    counts = {i: starts.count(i) for i in ids}
    check("fake: --resume reran only the failed jobs",
          counts == {i: 2 if i.startswith("label=b,") else 1 for i in ids}, str(counts))
    _, rows = read_csv(os.path.join(out, "sweep.csv"))
    check("fake: after the resume all 6 jobs x 2 rows are collected, in job order",
          [(x["label"], x["run"]) for x in rows]
          == [(l, str(k)) for l in ("a b", "a/b", "b") for k in (1, 2) for _ in range(2)],
          str([(x["label"], x["run"]) for x in rows]))
    return out, args


# ---- 3. kill half-way, then --resume ---------------------------------------------------------

def session_pids(sid):
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # zombies are dead already
            pids.append(int(name))
    return pids


def kill_session(sid):
    """SIGKILL everything in the session (GNU parallel puts each job in its own process group,
    so killing one group would leave the running job behind)."""
    for _ in range(50):
        pids = session_pids(sid)
        if not pids:
            return True
        for pid in sorted(pids):  # the runner and parallel first: no new job starts
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
    return not session_pids(sid)


def test_kill_resume(program, tmp):
    d = os.path.join(tmp, "kill")
    os.makedirs(d)
    counter = os.path.join(d, "starts.txt")
    wrapper = os.path.join(d, "slow-program")
    counting_wrapper(wrapper, program, counter, "0.3")
    out = os.path.join(d, "sweep")
    args = ["run", "--program", wrapper, "--out", out, "--grid", "users=2,3",
            "--grid", "wTime=1,2,3", "--runs", "2", "--jobs", "1"]
    log = open(os.path.join(d, "first-run.log"), "w")
    proc = subprocess.Popen([SWEEP] + args + ["--"] + FAST, stdout=log, stderr=log,
                            start_new_session=True)
    joblog = os.path.join(out, "joblog")
    deadline = time.monotonic() + 40
    # kill while the 5th or a later job is running: 4+ jobs logged, one more started
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(joblog):
            logged = len(read_joblog(joblog))
            if logged >= 4 and sum(starts_per_job(counter).values()) > logged:
                break
        time.sleep(0.02)
    killed = kill_session(proc.pid)
    proc.wait()
    log.close()
    done_before = [e for e in read_joblog(joblog)] if os.path.exists(joblog) else []
    check("kill: the sweep was killed half-way (4..11 of 12 jobs in the joblog)",
          killed and proc.returncode == -signal.SIGKILL and 4 <= len(done_before) < 12,
          "returncode %s, %d jobs logged" % (proc.returncode, len(done_before)))
    check("kill: no complete sweep.csv after the kill",
          not os.path.exists(os.path.join(out, "sweep.csv")))
    ids = job_ids(out)
    finished = {ids[seq - 1] for seq, _, ev, sig in done_before if ev == 0 and sig == 0}
    starts_at_kill = starts_per_job(counter)
    # leftovers: the cut-off job's must go (it restarts from an empty folder), a done job's stay
    cut_off = sorted(set(starts_at_kill) - finished)
    for job in cut_off + sorted(finished)[:1]:
        if os.path.isdir(os.path.join(out, "jobs", job)):
            open(os.path.join(out, "jobs", job, "leftover.txt"), "w").close()
    r = sweep(args + ["--resume", "--"] + FAST)
    check("kill: --resume exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("kill: --resume reports the jobs already done",
          "(%d already done)" % len(finished) in r.stderr, r.stderr)
    header, rows = read_csv(os.path.join(out, "sweep.csv"))
    got = sorted((x["users"], x["wTime"], x["run"]) for x in rows)
    want = sorted((u, w, str(k)) for u in ("2", "3") for w in ("1", "2", "3") for k in (1, 2))
    check("kill: every job exactly once in sweep.csv", got == want, str(got))
    counts = starts_per_job(counter)
    check("kill: the jobs finished before the kill were not run again",
          finished and all(counts.get(i) == 1 for i in finished),
          "finished %s, starts %s" % (sorted(finished), counts))
    rerun = [i for i in ids if counts.get(i, 0) > 1]
    check("kill: only the job cut off by the kill ran twice, every job ran",
          set(counts) == set(ids) and len(cut_off) == 1 and rerun == cut_off
          and counts[cut_off[0]] == 2, "cut off %s, rerun %s" % (cut_off, rerun))
    check("kill: the rerun job started from an empty folder, the done ones were kept",
          len(cut_off) == 1 and finished
          and not os.path.exists(os.path.join(out, "jobs", cut_off[0], "leftover.txt"))
          and os.path.exists(os.path.join(out, "jobs", sorted(finished)[0], "leftover.txt")))
    ok = {}
    for seq, _, ev, sig in read_joblog(joblog):
        if ev == 0 and sig == 0:
            ok[seq] = ok.get(seq, 0) + 1
    check("kill: the joblog has every job done exactly once", ok == {k: 1 for k in range(1, 13)},
          str(ok))


# ---- 4. --sshloginfile, through a fake ssh ---------------------------------------------------

def test_sshlogin(program, tmp):
    d = os.path.join(tmp, "ssh")
    os.makedirs(d)
    fake_ssh, ssh_log = os.path.join(d, "fake-ssh"), os.path.join(d, "ssh.log")
    # Like ssh: the arguments after the host form one command line for the remote shell.
    write_script(fake_ssh, "#!/bin/sh\necho \"$@\" >> '%s'\n"
                 "while [ $# -gt 0 ]; do case $1 in -*) shift ;; *) break ;; esac; done\n"
                 "shift\n[ \"$1\" = -- ] && shift\nexec /bin/sh -c \"$*\"\n" % ssh_log)
    hosts = os.path.join(d, "hosts")
    with open(hosts, "w") as f:
        f.write("# two job slots on a pretend host reached through the fake ssh\n"
                "2/%s fakehost\n" % fake_ssh)
    out = os.path.join(d, "sweep")
    r = sweep(["run", "--program", program, "--out", out, "--grid", "users=2,3",
               "--sshloginfile", hosts, "--"] + FAST)
    entries = read_joblog(os.path.join(out, "joblog")) if os.path.exists(out) else []
    check("ssh: --sshloginfile sends every job through the host's ssh command",
          r.returncode == 0 and len(entries) == 2
          and all(host == "%s fakehost" % fake_ssh for _, host, _, _ in entries)
          and os.path.exists(ssh_log), r.stdout + r.stderr)
    if r.returncode == 0:
        _, rows = read_csv(os.path.join(out, "sweep.csv"))
        check("ssh: the remote jobs' results are collected",
              [x["users"] for x in rows] == ["2", "3"], str(len(rows)))


# ---- 5. bad input ----------------------------------------------------------------------------

def test_bad_input(program, tmp, fake_out, fake_args):
    not_exec = os.path.join(tmp, "not-executable")
    with open(not_exec, "w") as f:
        f.write("#!/bin/sh\n")
    full = os.path.join(tmp, "full")
    os.makedirs(full)
    open(os.path.join(full, "something.txt"), "w").close()
    new = os.path.join(tmp, "never")
    p = ["--program", program]

    def resume(args):
        cut = args.index("--")
        return args[:cut] + ["--resume"] + args[cut:]
    cases = [
        ("no subcommand", [], "subcommand"),
        ("unknown subcommand", ["frobnicate"], "frobnicate"),
        ("no --program", ["run", "--out", new], "--program"),
        ("missing program", ["run", "--program", os.path.join(tmp, "nope"), "--out", new],
         "--program"),
        ("program not executable", ["run", "--program", not_exec, "--out", new],
         "not executable"),
        ("no --out", ["run"] + p, "--out"),
        ("--grid without '='", ["run"] + p + ["--out", new, "--grid", "users"], "--grid"),
        ("--grid without values", ["run"] + p + ["--out", new, "--grid", "users="], "--grid"),
        ("--grid with an empty value", ["run"] + p + ["--out", new, "--grid", "users=2,,3"],
         "--grid"),
        ("--grid twice the same name", ["run"] + p + ["--out", new, "--grid", "users=2",
                                                      "--grid", "users=3"], "--grid"),
        ("--grid on the run flag", ["run"] + p + ["--out", new, "--grid", "run=1,2"], "--grid"),
        ("--runs 0", ["run"] + p + ["--out", new, "--runs", "0"], "--runs"),
        ("--runs not a number", ["run"] + p + ["--out", new, "--runs", "many"], "--runs"),
        # built a billion-job list until memory ran out
        ("--runs too many jobs", ["run"] + p + ["--out", new, "--grid", "users=2,3", "--runs",
                                               "1000000000"], "at most 1000000 jobs"),
        ("--runs with a space", ["run"] + p + ["--out", new, "--runs", " 5"], "--runs"),
        ("--jobs 0", ["run"] + p + ["--out", new, "--jobs", "0"], "--jobs"),
        ("unknown option", ["run"] + p + ["--out", new, "--bogus"], "--bogus"),
        ("missing --sshloginfile", ["run"] + p + ["--out", new, "--sshloginfile",
                                                  os.path.join(tmp, "nohosts")],
         "--sshloginfile"),
        ("fixed arg sets a grid parameter", ["run"] + p + ["--out", new, "--grid", "users=2",
                                                           "--", "--users=4"], "--users"),
        ("--out not empty and no sweep", ["run"] + p + ["--out", full], "--out"),
        ("--resume with another grid",
         resume([("label=a b,a/b" if x == "label=a b,a/b,b" else x) for x in fake_args]),
         "grid"),
        ("--resume with another program", resume(["run"] + p + fake_args[3:]), "program"),
        ("collect outside a sweep", ["collect", "--out", full], "--out"),
        ("slurm with --sshloginfile", ["slurm"] + p + ["--out", new, "--sshloginfile", full],
         "--sshloginfile"),
    ]
    for name, args, needle in cases:
        r = sweep(args)
        lines = r.stderr.splitlines()
        check("bad input: %s -> exit 2, one line naming it" % name,
              r.returncode == 2 and len(lines) == 1 and needle in lines[0]
              and lines[0].startswith("edge-llm-sweep: error: ") and r.stdout == "",
              "exit %d: %r" % (r.returncode, r.stderr))
    check("bad input: nothing was created", not os.path.exists(new)
          and os.listdir(full) == ["something.txt"])
    _, rows = read_csv(os.path.join(fake_out, "sweep.csv"))
    check("bad input: the refused resume left the saved sweep alone", len(rows) == 12)


# ---- 6. the realistic-channel flags through the sweep -----------------------------

# flag: (values the program accepts, a value it refuses). Each flag is swept over all of them:
# the good values must run and land in sweep.csv under the flag's column, the bad one must fail
# its job with the program's own error naming the flag (so the value reached the program).
CHANNEL_FLAGS = [
    ("channel", ["log-distance", "3gpp-uma", "3gpp-umi"], "3gpp-rma"),
    ("fading", ["none", "jakes", "iid-rayleigh"], "rician"),
    ("mobility", ["static", "random-walk", "random-waypoint", "gauss-markov"], "teleport"),
    ("speed", ["1.4", "15"], "-1"),
    ("linkAdaptation", ["fixed", "adaptive"], "auto"),
    ("rateModel", ["snapshot", "ergodic"], "mean"),
    ("csi", ["measured", "positions"], "oracle"),
    ("handoverHysteresisDb", ["0", "3"], "-3"),
    ("frequencyHz", ["2e9", "3.5e9"], "1000"),
    ("isd", ["200", "500"], "0"),
]
# the other flags of a realistic run (each swept flag overrides its own); 2 devices, 1 round
CHANNEL_BASE = {"channel": "3gpp-umi", "fading": "jakes", "mobility": "random-walk",
                "speed": "1.4", "linkAdaptation": "adaptive", "rateModel": "ergodic",
                "csi": "measured"}


def test_channel_flags(program, tmp):
    for name, good, bad in CHANNEL_FLAGS:
        out = os.path.join(tmp, "flag-" + name)
        fixed = FAST + ["--users=2"] + ["--%s=%s" % (k, v) for k, v in CHANNEL_BASE.items()
                                        if k != name]
        r = sweep(["run", "--program", program, "--out", out,
                   "--grid", "%s=%s" % (name, ",".join(good + [bad])), "--"] + fixed)
        n = len(good)
        check("flags: --%s: %d good values ok, the bad one failed (exit 1)" % (name, n),
              r.returncode == 1 and "%d jobs: %d ok, 1 failed" % (n + 1, n) in r.stdout,
              (r.stdout + r.stderr)[-400:])
        failed = os.path.join(out, "jobs", "%s=%s,run=1" % (name, bad), "stderr.txt")
        text = open(failed).read() if os.path.exists(failed) else ""
        check("flags: --%s=%s: the program's error names the flag and the value" % (name, bad),
              ("--" + name) in text and bad in text, text[-300:])
        if os.path.exists(os.path.join(out, "sweep.csv")):
            _, rows = read_csv(os.path.join(out, "sweep.csv"))
            check("flags: --%s: sweep.csv has one round per good value" % name,
                  [x[name] for x in rows] == good, str([x.get(name) for x in rows]))
        else:
            check("flags: --%s: sweep.csv written" % name, False)


# ---- 7. the Slurm job array ------------------------------------------------------------------

def test_slurm(program, tmp):
    d = os.path.join(tmp, "slurm")
    os.makedirs(d)
    counter = os.path.join(d, "starts.txt")
    wrapper = os.path.join(d, "counting-program")
    counting_wrapper(wrapper, program, counter, "0")
    out = os.path.join(d, "sweep")
    r = sweep(["slurm", "--program", wrapper, "--out", out, "--grid", "users=2,3", "--runs",
               "2", "--jobs", "2", "--partition", "short", "--time", "00:05:00",
               "--cpus-per-task", "1", "--"] + FAST)
    script = os.path.join(out, "sweep.slurm")
    check("slurm: script, jobs.tsv and sweep.json written; sbatch and collect commands printed",
          r.returncode == 0 and all(os.path.exists(os.path.join(out, n))
                                    for n in ("sweep.slurm", "jobs.tsv", "sweep.json"))
          and "sbatch " + script in r.stdout and "collect --out " + out in r.stdout,
          r.stdout + r.stderr)
    if r.returncode != 0:
        return
    with open(script) as f:
        text = f.read()
    for line in ("#SBATCH --array=1-4%2", "#SBATCH --partition=short", "#SBATCH --time=00:05:00",
                 "#SBATCH --cpus-per-task=1"):
        check("slurm: script has %s" % line, line + "\n" in text)
    n = subprocess.run(["bash", "-n", script], capture_output=True, text=True)
    check("slurm: bash -n is clean", n.returncode == 0 and n.stderr == "", n.stderr)
    ids = job_ids(out)

    def task(i):
        env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(i))
        return subprocess.run(["bash", script], capture_output=True, text=True, env=env,
                              cwd=tmp, timeout=60)

    t = task(3)
    present = [i for i in ids if os.path.exists(os.path.join(out, "jobs", i, "rounds.csv"))]
    check("slurm: task 3 run by hand produces job 3's output and only that",
          t.returncode == 0 and present == [ids[2]], "%s %s" % (present, t.stdout + t.stderr))
    t = task(3)
    check("slurm: a task whose job is done is skipped (resubmitting resumes)",
          t.returncode == 0 and "already done" in t.stdout
          and starts_per_job(counter) == {ids[2]: 1}, t.stdout + t.stderr)
    for bad in ("0", "5", "x"):
        t = task(bad)
        check("slurm: task id %s refused with exit 2" % bad,
              t.returncode == 2 and "SLURM_ARRAY_TASK_ID" in t.stderr, t.stderr)
    for i in (1, 2, 4):
        task(i)
    r = sweep(["collect", "--out", out])
    _, rows = read_csv(os.path.join(out, "sweep.csv"))
    check("slurm: after all tasks, collect gathers the 4 jobs",
          r.returncode == 0 and [(x["users"], x["run"]) for x in rows]
          == [("2", "1"), ("2", "2"), ("3", "1"), ("3", "2")], r.stdout + r.stderr)
    # a failing task: exit status recorded, task fails, a resubmission runs it again
    write_script(wrapper, "#!/bin/sh\necho \"$*\" >> '%s'\nexit 7\n" % counter)
    shutil.rmtree(os.path.join(out, "jobs", ids[0]))
    t = task(1)
    check("slurm: a failing job fails its task with the job's exit code", t.returncode == 7
          and open(os.path.join(out, "jobs", ids[0], "exit-status")).read().strip() == "7")
    task(1)
    check("slurm: a failed job is not skipped by the next submission",
          starts_per_job(counter)[ids[0]] == 3, str(starts_per_job(counter)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--program", required=True, help="edge-llm-split-training")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--part", choices=["runner", "channel-flags", "all"], default="all",
                    help="runner: the runner's own tests; channel-flags: the issue-10 flags "
                    "swept one by one (default: all)")
    a = ap.parse_args()
    program = os.path.abspath(a.program)
    if not os.access(program, os.X_OK):
        print("test_sweep: --program %s is not an executable" % a.program, file=sys.stderr)
        return 2
    if shutil.which("parallel") is None:
        print("test_sweep: GNU parallel not found; install the Debian package parallel "
              "(contrib/install-deps.sh)", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="edge-llm-sweep-test-")
    start = time.monotonic()
    try:
        if a.part in ("runner", "all"):
            test_grid(program, tmp)
            fake_out, fake_args = test_fake(tmp)
            test_kill_resume(program, tmp)
            test_sshlogin(program, tmp)
            test_bad_input(program, tmp, fake_out, fake_args)
            test_slurm(program, tmp)
        if a.part in ("channel-flags", "all"):
            test_channel_flags(program, tmp)
    finally:
        if a.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    failed = results.count(False)
    print("%d passed, %d failed (%.1f s)" % (results.count(True), failed,
                                             time.monotonic() - start))
    return 0 if failed == 0 and results else 1


if __name__ == "__main__":
    sys.exit(main())
