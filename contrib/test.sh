#!/usr/bin/env bash
# README command 2: installs dependencies, builds, runs every default test (GoogleTest units and
# ns-3 TestSuites) through ctest. Slow scenarios (label "slow") run with: ctest --test-dir build -L slow
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/install-deps.sh
bash contrib/build.sh
ctest --test-dir build -LE slow --output-on-failure -j 2
