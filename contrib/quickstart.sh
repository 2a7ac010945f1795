#!/usr/bin/env bash
# README command 1: installs dependencies, builds, runs the default example and leaves its
# outputs in results/default/ (override with EDGE_LLM_OUTPUT_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/install-deps.sh
bash contrib/build.sh
out="${EDGE_LLM_OUTPUT_DIR:-results/default}"
./build/examples/edge-llm-profile-summary --model=llama-2-7b --batch=4 --seq=512 --outputDir="$out"
echo
echo "quickstart: outputs are in $out/"
ls -l "$out"
