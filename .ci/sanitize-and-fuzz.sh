#!/usr/bin/env bash
# CI step (called from .ci/run): the sanitizer build and its tests (contrib/sanitize.sh: ASan,
# LeakSanitizer and UBSan, any finding fails), then both fuzz harnesses for 60 s each
# (contrib/fuzz.sh 60). Runs on the CI host itself (not in the fresh root) and installs what it
# needs there: the project's Debian packages (contrib/install-deps.sh), clang 14 with its
# sanitizer and libFuzzer runtimes (libclang-rt-14-dev) and llvm-symbolizer (llvm-14) for
# readable stacks. Idempotent: apt-get runs only for packages that are missing.
#   EDGE_LLM_FUZZ_SECONDS   seconds per fuzz harness (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
say() { echo "sanitize-and-fuzz: $*"; }

bash contrib/install-deps.sh
packages=(clang-14 libclang-rt-14-dev llvm-14)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -ne 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's clang-14 package ships clang++-14; the unversioned name comes from package clang
cxx=$(command -v clang++ || command -v clang++-14)
export EDGE_LLM_SANITIZE_CXX="$cxx" EDGE_LLM_FUZZ_CXX="$cxx"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
installed=$(date +%s)
say "packages ready in $((installed - start)) s"

bash contrib/sanitize.sh
sanitized=$(date +%s)
say "sanitizer build and tests in $((sanitized - installed)) s"

bash contrib/fuzz.sh "${EDGE_LLM_FUZZ_SECONDS:-60}"
say "fuzzing in $(($(date +%s) - sanitized)) s"
say "passed in $(($(date +%s) - start)) s"
