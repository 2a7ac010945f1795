#!/usr/bin/python3
"""Runs every edge-llm plot script on one run directory: rounds, devices, battery, throughput.

  plot_all.py --input results/default            # figures in results/default/plots/
Each script runs even if an earlier one failed; the exit code is the first non-zero one.
"""

import os
import subprocess
import sys

import plot_common as pc

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["plot_rounds.py", "plot_devices.py", "plot_timeline.py", "plot_battery.py",
           "plot_throughput.py"]


def main():
    p = pc.parser(__doc__)
    p.add_argument("--bin-s", type=pc.ea.real(0, lo_open=True, unit="s"), default=1.0,
                   metavar="S",
                   help="time bins of the throughput plot, s (default: 1)")
    args = p.parse_args()
    if not os.path.isdir(args.input):
        raise pc.PlotError("%s: no such directory (give the example's --outputDir)" % args.input)
    common = ["--input", args.input, "--output", pc.output_dir(args), "--format", args.format]
    status = 0
    for script in SCRIPTS:
        cmd = [sys.executable, os.path.join(HERE, script)] + common
        if script == "plot_throughput.py":
            cmd += ["--bin-s", repr(args.bin_s)]
        rc = subprocess.call(cmd)
        if rc != 0 and status == 0:
            status = rc
    sys.exit(status)


if __name__ == "__main__":
    pc.run("plot_all", main)
