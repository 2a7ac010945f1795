#!/usr/bin/env bash
# Fails (exit 1) when a tracked C++ file differs from what the repository's .clang-format makes of it,
# and names each such file with the number of lines clang-format would change.
# Fix them all with: git ls-files '*.cc' '*.h' | xargs clang-format -i
# Needs Debian's clang-format package (version 14 on Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "check-format: error: clang-format not found; install Debian's clang-format package" >&2
  exit 1
fi
bad=0
total=0
while IFS= read -r -d '' file; do
  total=$((total + 1))
  warnings=$(clang-format --dry-run "$file" 2>&1 | grep -c 'warning:' || true)
  if [ "$warnings" -ne 0 ]; then
    echo "check-format: $file: $warnings place(s) differ from .clang-format" >&2
    bad=$((bad + 1))
  fi
done < <(git ls-files -z '*.cc' '*.h')
if [ "$bad" -ne 0 ]; then
  echo "check-format: error: $bad of $total C++ files are not clang-format clean" \
       "(fix: git ls-files '*.cc' '*.h' | xargs clang-format -i)" >&2
  exit 1
fi
echo "check-format: all $total C++ files are clang-format clean ($(clang-format --version))"
