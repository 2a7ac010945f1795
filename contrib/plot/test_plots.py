#!/usr/bin/python3
"""Smoke test of the plot scripts: builds a small synthetic run directory (rounds.csv and
devices.csv with the example's real columns, a hand-written truncated pcap), runs every script
and checks that the figures appear, that bad inputs give exit code 2 with a one-line message,
that plot_throughput skips cleanly without pcaps, and that the throughput binning conserves the
bytes. Prints 'N passed, N failed'; exit code 0 only if all passed.

  /usr/bin/python3 contrib/plot/test_plots.py
"""

import csv
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
                status = "timeout"
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
        check("required columns exist in the example's CSV headers",
              set(plot_rounds.COLUMNS) <= set(ROUNDS_HEADER)
              and set(plot_devices.COLUMNS) <= set(DEVICES_HEADER)
              and set(plot_battery.DEVICE_COLUMNS) <= set(DEVICES_HEADER)
              and set(plot_battery.ROUND_COLUMNS) <= set(ROUNDS_HEADER))

        # All plots of one run, through plot_all.
        rc, out, err = run("plot_all.py", "--input", run_a)
        figs = ["rounds", "devices_cdf", "devices_delay_scatter", "battery", "throughput"]
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
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
