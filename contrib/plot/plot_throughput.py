#!/usr/bin/python3
"""Throughput over time per device, uplink and downlink, from the run's server-*.pcap files.

The pcaps are captured at the servers' interfaces with a short snap length (headers only), so
a frame's size is taken from its IPv4 total-length field (+ 14 bytes of Ethernet header), not
from the captured length. Frames are counted in bins of --bin-s seconds and shown in bit/s.
Addresses: 10.0.0.1 .. 10.0.0.M are the M servers (one pcap each), the devices follow
(device k is 10.0.0.(M+1+k)).

  plot_throughput.py --input results/default --bin-s 5
writes throughput.png (or .pdf). Exits 0 with a message when the run has no pcap.
"""

import glob
import ipaddress
import os
import struct
import sys

import numpy as np

import plot_common as pc
from plot_common import plt

ETH_HEADER_BYTES = 14
ETHERTYPE_IPV4 = 0x0800
DLT_EN10MB = 1
FIRST_HOST = int(ipaddress.IPv4Address("10.0.0.1"))


def read_pcap(path):
    """[(time_s, src, dst, frame_bytes, ip_id)] of the IPv4 frames of one Ethernet pcap."""
    try:
        import dpkt
    except ImportError:
        raise pc.PlotError("reading pcaps needs python3-dpkt (bash contrib/install-deps.sh)")
    frames = []
    with open(path, "rb") as f:
        try:
            reader = dpkt.pcap.UniversalReader(f)
        except (ValueError, dpkt.Error) as e:
            raise pc.PlotError("%s: not a pcap file (%s)" % (path, e))
        if reader.datalink() != DLT_EN10MB:
            raise pc.PlotError("%s: link type %d, expected Ethernet (1): only the fdma tier's "
                               "captures are read (not 802.11/radiotap ones)"
                               % (path, reader.datalink()))
        try:
            for ts, buf in reader:
                if len(buf) < ETH_HEADER_BYTES + 20:
                    continue
                (ethertype,) = struct.unpack_from("!H", buf, 12)
                if ethertype != ETHERTYPE_IPV4 or buf[ETH_HEADER_BYTES] >> 4 != 4:
                    continue  # ARP and anything that is not IPv4
                total_len, ip_id = struct.unpack_from("!HH", buf, ETH_HEADER_BYTES + 2)
                src, dst = struct.unpack_from("!II", buf, ETH_HEADER_BYTES + 12)
                frames.append((float(ts), src, dst, ETH_HEADER_BYTES + total_len, ip_id))
        except (dpkt.NeedData, dpkt.UnpackError, struct.error):
            print("plot_throughput: warning: %s ends in a truncated record; read %d frames"
                  % (path, len(frames)), file=sys.stderr)
    return frames


def server_address(frames):
    """The address present in every frame of a server's capture (its own); None if unclear."""
    common = None
    for _, src, dst, _, _ in frames:
        common = {src, dst} if common is None else common & {src, dst}
        if not common:
            return None
    if not common:
        return None
    return min(common)  # two left only if it talked to one peer: servers have the lower ones


def device_label(addr, n_servers):
    ip = str(ipaddress.IPv4Address(addr))
    k = addr - FIRST_HOST - n_servers
    return "%d (%s)" % (k, ip) if k >= 0 else ip


def binned_rate(times, sizes, edges, bin_s, raw):
    """bit/s of one flow (one device, one direction) in the bins delimited by edges.

    raw: each frame counts whole in the bin of its timestamp. Otherwise a frame's bits are
    spread evenly over the time since the previous frame of the flow, but over at most one bin
    (back-to-back frames of a busy link give a steady rate; a frame after a pause lands within
    the bin before its timestamp): the flow's cumulative byte count, piecewise linear, is
    sampled at the bin edges.
    """
    if len(times) == 0:
        return np.zeros(len(edges) - 1)
    order = np.argsort(times, kind="stable")
    t, b = times[order], sizes[order]
    if raw:
        return np.histogram(t, edges, weights=b)[0] * 8 / bin_s
    gap = np.diff(t, prepend=t[0])
    start = t - np.maximum(np.minimum(gap, bin_s), 1e-9)
    start = np.maximum(start, np.concatenate(([-np.inf], t[:-1])))  # never before the previous
    cum = np.cumsum(b)
    knots_x = np.column_stack((start, t)).ravel()
    knots_y = np.column_stack((cum - b, cum)).ravel()
    delivered = np.interp(edges, knots_x, knots_y, left=0.0, right=cum[-1])
    return np.diff(delivered) * 8 / bin_s


def rate_unit(max_bps):
    for scale, name in ((1e9, "Gbit/s"), (1e6, "Mbit/s"), (1e3, "kbit/s")):
        if max_bps >= scale:
            return scale, name
    return 1.0, "bit/s"


def main():
    p = pc.parser(__doc__)
    p.add_argument("--bin-s", type=pc.ea.real(0, lo_open=True, unit="s"), default=1.0,
                   metavar="S",
                   help="width of the time bins, s (default: 1)")
    p.add_argument("--raw", action="store_true",
                   help="count each frame whole in the bin of its timestamp (default: spread "
                        "its bits over the gap since the previous frame of its flow, at most "
                        "one bin; frames of 64 kB are otherwise counted in lumps)")
    args = p.parse_args()
    if not args.bin_s > 0:
        raise pc.PlotError("--bin-s=%s: expected a positive number of seconds" % args.bin_s)
    if not os.path.isdir(args.input):
        raise pc.PlotError("%s: no such directory" % args.input)
    pcaps = sorted(glob.glob(os.path.join(args.input, "server-*.pcap")))
    if not pcaps:
        print("plot_throughput: no server-*.pcap in %s (run the example with --pcap=true); "
              "skipping the throughput plot" % args.input)
        return

    frames = {}
    servers = set()
    for path in pcaps:
        fr = read_pcap(path)
        s = server_address(fr)
        if s is not None:
            servers.add(s)
        for f in fr:  # a frame seen by two captures is counted once
            frames[f] = None
    n_servers = len(pcaps)
    if any(s >= FIRST_HOST + n_servers for s in servers):
        n_servers = -(1 << 33)  # not the usual numbering: label devices by address only
    if not frames:
        raise pc.PlotError("%s: no IPv4 frame in %d pcap(s)" % (args.input, len(pcaps)))
    data = np.array([(t, s, d, b) for t, s, d, b, _ in frames], dtype=float)
    t, src, dst, size = data[:, 0], data[:, 1].astype(np.int64), data[:, 2].astype(np.int64), \
        data[:, 3]
    devices = sorted((set(src.tolist()) | set(dst.tolist())) - servers)
    edges = np.arange(0.0, t.max() + args.bin_s, args.bin_s)
    if len(edges) < 2:
        edges = np.array([0.0, args.bin_s])
    centers = edges[:-1]  # plot each bin at its start, as a step
    up = {d: binned_rate(t[src == d], size[src == d], edges, args.bin_s, args.raw)
          for d in devices}
    down = {d: binned_rate(t[dst == d], size[dst == d], edges, args.bin_s, args.raw)
            for d in devices}
    peak = max([v.max() for v in list(up.values()) + list(down.values())] + [1.0])
    scale, unit = rate_unit(peak)

    colors = dict(zip(devices, pc.device_colors(len(devices))))
    fig, (ax_u, ax_d) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    for d in devices:
        ax_u.step(centers, up[d] / scale, where="post", lw=1.2, color=colors[d],
                  label=device_label(d, n_servers))
        ax_d.step(centers, down[d] / scale, where="post", lw=1.2, color=colors[d])
    rounds_csv = os.path.join(args.input, "rounds.csv")
    if os.path.isfile(rounds_csv):  # round boundaries, when the run's CSV is there
        try:
            rounds = pc.read_csv(rounds_csv, ["end_s"])
            for ax in (ax_u, ax_d):
                for x in rounds["end_s"]:
                    ax.axvline(x, color="0.5", lw=0.8, ls=":")
            ax_d.plot([], [], color="0.5", lw=0.8, ls=":", label="end of a round")
            ax_d.legend(fontsize="small", loc="upper right")
        except pc.PlotError as e:
            print("plot_throughput: warning: no round marks: %s" % e, file=sys.stderr)
    ax_u.set_title("Uplink (device to server): activations")
    ax_d.set_title("Downlink (server to device): gradients")
    for ax in (ax_u, ax_d):
        ax.set_ylabel("throughput (%s)" % unit)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    ax_d.set_xlabel("simulation time (s)")
    how = "each frame counted at its timestamp" if args.raw else \
        "each frame spread over the time since the previous one of its flow (at most a bin)"
    fig.text(0.01, 0.0, "Bins of %g s; frame size = IPv4 total length + 14 B (captures are "
             "truncated); %s." % (args.bin_s, how), fontsize="small", color="0.3", va="top")
    pc.device_legend(ax_u, title="device (address)")
    fig.tight_layout()
    pc.save(fig, pc.output_dir(args), "throughput", args.format)


if __name__ == "__main__":
    pc.run("plot_throughput", main)
