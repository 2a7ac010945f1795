#!/usr/bin/env bash
# Configures and builds edge-llm standalone (against Debian's ns-3) into build/, with -j2 by
# default (EDGE_LLM_JOBS overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${EDGE_LLM_JOBS:-2}"
cmake -S . -B build -DCMAKE_BUILD_TYPE="${EDGE_LLM_BUILD_TYPE:-RelWithDebInfo}" > build-configure.log 2>&1 \
  || { cat build-configure.log >&2; echo "build: error: cmake configure failed (log above)" >&2; exit 1; }
rm -f build-configure.log
cmake --build build -j "$jobs"
