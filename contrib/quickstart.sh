#!/usr/bin/env bash
# README command 1: installs dependencies, builds, runs a realistic split-training scenario and
# plots it: 10 walking devices (1.4 m/s), 2 edge servers 200 m apart on a 3GPP urban-micro channel
# (LOS/NLOS, correlated shadowing) with time-correlated Jakes fading, adaptive links with ARQ, the
# fp allocator planning with the fading-aware (ergodic) rate on measured CSI, 20 rounds.
# The paper's ideal configuration is the program's defaults (no flags). Outputs land in
# results/default/ (override with EDGE_LLM_OUTPUT_DIR), figures in results/default/plots/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/install-deps.sh
bash contrib/build.sh
out="${EDGE_LLM_OUTPUT_DIR:-results/default}"
mkdir -p "$out"
./build/examples/edge-llm-split-training --outputDir="$out" --rounds=20 \
  --channel=3gpp-umi --isd=200 --fading=jakes --mobility=random-walk --speed=1.4 \
  --linkAdaptation=adaptive --rateModel=ergodic --csi=measured
/usr/bin/python3 contrib/plot/plot_all.py --input "$out" --output "$out/plots"
echo
echo "quickstart: simulation outputs in $out/"
echo "  rounds.csv        one row per round: measured and predicted makespan, energy"
echo "  devices.csv       one row per device per round: allocation, delays, energy, battery"
echo "  server-*.pcap     one capture per server interface (headers only)"
echo "  flowmon.xml       FlowMonitor statistics"
echo "quickstart: figures in $out/plots/"
ls -1 "$out/plots"
