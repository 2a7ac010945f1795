#!/usr/bin/env bash
# README command 1: installs dependencies, builds, runs the default split-training scenario
# (10 devices, 2 edge servers, 5 rounds, the fp allocator) and plots it. Outputs land in
# results/default/ (override with EDGE_LLM_OUTPUT_DIR), figures in results/default/plots/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/install-deps.sh
bash contrib/build.sh
out="${EDGE_LLM_OUTPUT_DIR:-results/default}"
mkdir -p "$out"
./build/examples/edge-llm-split-training --outputDir="$out"
/usr/bin/python3 contrib/plot/plot_all.py --input "$out" --output "$out/plots"
echo
echo "quickstart: simulation outputs in $out/"
echo "  rounds.csv        one row per round: measured and predicted makespan, energy"
echo "  devices.csv       one row per device per round: allocation, delays, energy, battery"
echo "  server-*.pcap     one capture per server interface (headers only)"
echo "  flowmon.xml       FlowMonitor statistics"
echo "quickstart: figures in $out/plots/"
ls -1 "$out/plots"
