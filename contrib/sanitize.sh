#!/usr/bin/env bash
# Sanitizer build and test: configures build-asan/ with EDGE_LLM_SANITIZE=ON (clang,
# -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer, -O1),
# builds it and runs the default tests (ctest -LE slow, less the plot-only test) with
# AddressSanitizer, LeakSanitizer and UBSan set so that any finding fails its test.
# Debian's ns-3 libraries are not instrumented; contrib/sanitizers/*.supp silence findings inside
# them or other system libraries only, each entry with its reason.
#
# Usage: bash contrib/sanitize.sh [extra ctest arguments, e.g. -L ns3 or -R cli/]
# Environment: EDGE_LLM_JOBS (default 2), EDGE_LLM_SANITIZE_CXX (default clang++),
#   EDGE_LLM_SANITIZE_LABELS_EXCLUDE (ctest -LE regex; default "slow|plots").
# Uses ccache when it is on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=build-asan
jobs="${EDGE_LLM_JOBS:-2}"
cxx="${EDGE_LLM_SANITIZE_CXX:-clang++}"
exclude="${EDGE_LLM_SANITIZE_LABELS_EXCLUDE:-slow|plots}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

start=$(date +%s)
# -O1 and line tables only: the usual sanitizer trade-off (readable stacks, fast enough tests);
# no benchmarks (not tests, and they would only lengthen the build)
cmake -S . -B "$dir" -DEDGE_LLM_SANITIZE=ON -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON \
  > "$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log" >&2; echo "sanitize: error: cmake configure failed" >&2; exit 1; }
rm -f "$dir.configure.log"

supp="$root/contrib/sanitizers"
# Any finding ends the process with an error and a stack: ASan errors, leaks at exit, UB.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:print_summary=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"

# (the build runs the GoogleTest binary to list its tests: already under the options above)
cmake --build "$dir" -j "$jobs"
built=$(date +%s)
echo "sanitize: built $dir in $((built - start)) s"

status=0
ctest --test-dir "$dir" -LE "$exclude" --output-on-failure -j "$jobs" "$@" || status=$?
echo "sanitize: tests in $(($(date +%s) - built)) s (labels excluded: $exclude)"
if [ "$status" -ne 0 ]; then
  echo "sanitize: error: a test failed or a sanitizer reported a finding (output above)" >&2
fi
exit "$status"
