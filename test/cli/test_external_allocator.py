#!/usr/bin/python3
"""End-to-end checks of --allocator=external (ctest label "cli"):

 * a packet-level simulation (edge-llm-split-training) with contrib/allocators/fixed_split.py
   writes the same devices.csv, byte for byte, and the same rounds.csv except for the
   allocator's name, as with the built-in fixed-split allocator;
 * edge-llm-compare names it "external" in --allocators and gets the same metrics as
   fixed-split, analytic and packet mode;
 * edge-llm-allocate solves an instance with it;
 * failures (malformed answer, violated constraint, program that exits, timeout, command not
   found, --allocator=external without --allocatorCommand) end the program with one error line
   naming the round, exit code 2, and no process left behind; --allocatorCommand without the
   allocator external and a bad --allocatorTimeoutS are one-line errors.

Prints 'N passed, M failed'; exit code 0 only if all passed.

  test_external_allocator.py --build-dir build --source-dir .
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

SCENARIO = ["--users=5", "--servers=2", "--rounds=2", "--seed=4", "--pcap=0",
            "--flowMonitor=0", "--progress=0"]

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else " -- " + detail))


def run(cmd, timeout=600):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def read(path):
    with open(path) as f:
        return f.read()


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def processes_with(marker):
    """pids of the processes whose command line contains marker."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    if marker.encode() in f.read():
                        out.append(int(entry))
            except OSError:
                pass
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    ex = os.path.join(args.build_dir, "examples")
    training = os.path.join(ex, "edge-llm-split-training")
    compare = os.path.join(ex, "edge-llm-compare")
    allocate = os.path.join(ex, "edge-llm-allocate")
    example = "/usr/bin/python3 " + os.path.join(args.source_dir, "contrib", "allocators",
                                                  "fixed_split.py")
    tmp = tempfile.mkdtemp(prefix="edge-llm-external-test-")

    # ---- packet level: same CSVs as the built-in allocator ---------------------------------
    for extra in ([], ["--minRateBps=5e6", "--preset=paper"]):
        label = " ".join(extra) or "defaults"
        out = {}
        for name, flags in (("builtin", ["--allocator=fixed-split"]),
                            ("external", ["--allocator=external",
                                          "--allocatorCommand=" + example])):
            out[name] = os.path.join(tmp, "%s-%d" % (name, len(extra)))
            p = run([training] + SCENARIO + extra + flags + ["--outputDir=" + out[name]])
            check("split-training %s (%s) runs" % (name, label), p.returncode == 0, p.stderr)
        if not all(os.path.exists(os.path.join(d, "rounds.csv")) for d in out.values()):
            continue
        check("devices.csv byte-identical (%s)" % label,
              read(os.path.join(out["builtin"], "devices.csv")) ==
              read(os.path.join(out["external"], "devices.csv")))
        want = read(os.path.join(out["builtin"], "rounds.csv"))
        got = read(os.path.join(out["external"], "rounds.csv"))
        check("rounds.csv identical except the allocator's name (%s)" % label,
              want.replace(",ns3::FixedSplitAllocator,", ",ns3::ExternalAllocator,") == got
              and got.count(",ns3::ExternalAllocator,") == 2, got)

    # ---- edge-llm-compare: "external" in --allocators ---------------------------------------
    for mode in ("analytic", "packet"):
        d = os.path.join(tmp, "compare-" + mode)
        p = run([compare, "--mode=" + mode, "--allocators=fixed-split,external",
                 "--allocatorCommand=" + example, "--runs=2", "--users=4", "--servers=2",
                 "--rounds=1", "--outputDir=" + d])
        check("compare %s runs" % mode, p.returncode == 0, p.stderr)
        if p.returncode != 0:
            continue
        r = rows(os.path.join(d, "comparison-runs.csv"))
        by = {}
        for row in r:
            key = row.pop("allocator")
            by.setdefault(key, []).append(row)
        check("compare %s: external's metrics equal fixed-split's" % mode,
              set(by) == {"fixed-split", "external"} and by["fixed-split"] == by["external"],
              str(by))

    # ---- edge-llm-allocate -------------------------------------------------------------------
    inst = os.path.join(tmp, "inst.json")
    run([allocate, "--generate", "6", "2", "--seed", "3", "--output", inst])
    a = run([allocate, "--instance", inst, "--allocator", "fixed-split"])
    b = run([allocate, "--instance", inst, "--allocator", "external", "--allocatorCommand",
             example])
    strip = lambda t: [l for l in t.splitlines() if '"allocator"' not in l and
                       '"solve_time_s"' not in l]
    check("allocate: external answers as fixed-split", b.returncode == 0 and
          strip(a.stdout) == strip(b.stdout), b.stderr)
    p = run([allocate, "--instance", inst, "--allocator", "fp", "--allocatorCommand", example])
    check("allocate: --allocatorCommand without external is an error",
          p.returncode == 2 and "--allocatorCommand" in p.stderr, p.stderr)

    # ---- failures: one line, exit code 2, nothing left running -----------------------------
    py = "/usr/bin/python3 -c "
    answer_then = ("'import sys, json\nfor line in sys.stdin:\n"
                   "    m = json.loads(line)\n    if m[\"type\"] != \"state\": continue\n%s'")
    cases = [
        ("malformed answer", py + answer_then % "    print(\"hello\", flush=True)",
         ["round 0, request 0", "JSON syntax error"]),
        ("violated constraint",
         py + answer_then % ("    s = m[\"state\"]\n"
                             "    print(json.dumps({\"users\": [{\"server\": 0, \"alpha\": 1, "
                             "\"power_w\": 1e9, \"bandwidth_hz\": 1, \"freq_hz\": 1, "
                             "\"edge_freq_hz\": 1} for u in s[\"users\"]]}), flush=True)"),
         ["violates", "user 0: power_w"]),
        ("program exits", py + "'import sys; sys.exit(7)'", ["exited with status 7"]),
        ("timeout", py + "'import time; time.sleep(100)'",
         ["no answer within TimeoutS = 1 s"]),
        ("command not found", "edge-llm-no-such-allocator", ["command not found"]),
    ]
    for i, (name, command, parts) in enumerate(cases):
        marker = "%s/marker-%d" % (tmp, i)  # an unused argument that finds the program
        start = time.monotonic()
        p = run([training] + SCENARIO + ["--allocator=external",
                                         "--allocatorCommand=" + command + " " + marker,
                                         "--allocatorTimeoutS=1",
                                         "--outputDir=" + os.path.join(tmp, "f")], timeout=120)
        took = time.monotonic() - start
        err = p.stderr
        lines = [l for l in err.splitlines() if "error" in l]
        check("%s: exit code 2, one error line naming it" % name,
              p.returncode == 2 and len(lines) == 1 and
              all(x in lines[0] for x in parts + ["external allocator"]), err)
        check("%s: no process left" % name, not processes_with(marker), str(processes_with(marker)))
        check("%s: ends quickly (%.1f s)" % (name, took), took < 30)
    p = run([training] + SCENARIO + ["--allocator=external", "--outputDir=" + tmp + "/g"])
    check("external without --allocatorCommand: one clear error",
          p.returncode == 2 and "--allocatorCommand" in p.stderr, p.stderr)

    for flags, part in ((["--allocator=fp", "--allocatorCommand=" + example],
                         "--allocatorCommand="),
                        (["--allocator=external", "--allocatorCommand=" + example,
                          "--allocatorTimeoutS=-1"], "--allocatorTimeoutS=")):
        p = run([training] + SCENARIO + flags + ["--outputDir=" + tmp + "/h"])
        check("bad flags %s: one clear error" % " ".join(flags[:1] + flags[2:]),
              p.returncode == 2 and part in p.stderr and len(p.stderr.splitlines()) == 1,
              p.stderr)

    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
