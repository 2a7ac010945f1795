#!/usr/bin/env bash
# Fuzzing of edge-llm's input readers with libFuzzer (clang, -fsanitize=fuzzer,address,undefined):
#   round-state-json  the instance JSON reader (ReadRoundStateJson, helper/round-state-json.cc)
#   llm-profile-csv   the profile CSV loader (LlmProfile::ListCsv/FromCsv, LlmProfileHelper::Load)
# Builds test/fuzz/ into build-fuzz/, then runs both harnesses side by side for N seconds each,
# starting from the seed corpus test/fuzz/corpus/<harness>/ (left untouched: new inputs go to
# build-fuzz/corpus/<harness>/). Exits non-zero when a harness finds a crash, a sanitizer report,
# a leak, a timeout or an out-of-memory; the reproducer stays in build-fuzz/artifacts/<harness>/
# and replays with: build-fuzz/<harness>-fuzzer build-fuzz/artifacts/<harness>/<file>
#
# Usage: bash contrib/fuzz.sh [seconds per harness, default 60]
# Environment: EDGE_LLM_JOBS (build jobs, default 2), EDGE_LLM_FUZZ_CXX (default clang++),
#   EDGE_LLM_FUZZ_ARGS (extra libFuzzer flags for both harnesses).
# Longer runs: bash contrib/fuzz.sh 3600 (an hour each); keep build-fuzz/corpus/ between runs to
# go on from there, and fold what it found into the seeds with
#   build-fuzz/<h>-fuzzer -merge=1 test/fuzz/corpus/<h> build-fuzz/corpus/<h>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: error: seconds='$seconds' is not allowed; expected a positive whole number" >&2
  exit 2
fi
dir=build-fuzz
jobs="${EDGE_LLM_JOBS:-2}"
cxx="${EDGE_LLM_FUZZ_CXX:-clang++}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

start=$(date +%s)
cmake -S test/fuzz -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" > "$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log" >&2; echo "fuzz: error: cmake configure failed" >&2; exit 1; }
rm -f "$dir.configure.log"
cmake --build "$dir" -j "$jobs"
echo "fuzz: built $dir in $(($(date +%s) - start)) s"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# Per harness: libFuzzer flags. JSON inputs up to 100 kB: room for nesting deeper than the
# 80,000 levels that overflowed the reader's stack before its nesting bound
# (kMaxInstanceJsonDepth), which is under test too. CSV inputs up to 16 kB (a few profiles).
declare -A flags=(
  [round-state-json]="-max_len=100000"
  [llm-profile-csv]="-max_len=16384"
)
harnesses=(round-state-json llm-profile-csv)
stamp="$dir/.fuzz-start"
touch "$stamp" # reproducers of this run are the files newer than this
pids=()
for h in "${harnesses[@]}"; do
  mkdir -p "$dir/corpus/$h" "$dir/artifacts/$h"
  # shellcheck disable=SC2086 # the flags are words
  "$dir/$h-fuzzer" ${flags[$h]} ${EDGE_LLM_FUZZ_ARGS:-} -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$h/" \
    "$dir/corpus/$h" "test/fuzz/corpus/$h" > "$dir/$h.log" 2>&1 &
  pids+=($!)
done

failed=0
for i in "${!harnesses[@]}"; do
  h=${harnesses[$i]}
  code=0
  wait "${pids[$i]}" || code=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$h.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$dir/$h.log" | tail -1 || true)
  artifacts=$(find "$dir/artifacts/$h" -type f -newer "$stamp" | sort)
  if [ "$code" -ne 0 ] || [ -n "$artifacts" ]; then
    failed=1
    echo "fuzz: $h: FINDING (exit $code) after ${execs:-?} executions; log $dir/$h.log:" >&2
    grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==|Test unit written' "$dir/$h.log" | head -20 >&2 || true
    for a in $artifacts; do
      echo "fuzz: $h: reproduce with: $dir/$h-fuzzer $a" >&2
    done
  else
    echo "fuzz: $h: ${execs:-?} executions in $seconds s, ${cov:-cov: ?} edges, no finding" \
         "(corpus $(find "$dir/corpus/$h" -type f | wc -l) new inputs in $dir/corpus/$h)"
  fi
done
echo "fuzz: done in $(($(date +%s) - start)) s"
exit "$failed"
