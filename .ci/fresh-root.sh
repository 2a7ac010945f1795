#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian 12 (bookworm) root, not on the machine CI
# happens to run on: debootstrap a minimal root, copy the checkout into it (with ../shared beside it,
# read-only), then inside it, as a new user would:
#   1. bash contrib/quickstart.sh   -> CSVs, pcaps (read back with tshark, installed only for this
#                                      check, after the quickstart), PNG plots
#   2. bash contrib/test.sh         -> every default test
# Only what contrib/install-deps.sh installs is there. On failure the log's missing /usr files are
# mapped to the Debian packages that ship them on this host ("what is missing").
#
# Needs root (chroot, mounts) and debootstrap (installed when absent). The pristine debootstrap
# result is cached as a tarball (never a root that had our packages) in $EDGE_LLM_CI_CACHE
# (default /var/cache/edge-llm-ci), as are downloaded .debs. Everything else lives in a throw-away
# directory that is unmounted and removed on exit, also when a step fails.
#   EDGE_LLM_CI_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   EDGE_LLM_CI_KEEP=1   keep the root after the run (for debugging)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${EDGE_LLM_CI_CACHE:-/var/cache/edge-llm-ci}"
mirror="${EDGE_LLM_CI_MIRROR:-http://deb.debian.org/debian}"
base="$cache/debian-bookworm-minbase.tar"
say() { echo "fresh-root: $*"; }
die() {
  echo "fresh-root: error: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot and mounts need it)"
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap on the host"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
mkdir -p "$cache/apt-archives"

work="$(mktemp -d /var/tmp/edge-llm-fresh-root.XXXXXX)"
root="$work/root"
mounts=()

cleanup() {
  local status=$?
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[$i]}" 2>/dev/null || umount -R -l "${mounts[$i]}" 2>/dev/null || true
  done
  if grep -q " $work" /proc/mounts; then
    echo "fresh-root: error: mounts remain under $work; not removing it" >&2
    status=1
  elif [ "${EDGE_LLM_CI_KEEP:-0}" = 1 ]; then
    say "kept $work"
  else
    rm -rf --one-file-system "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() { # bind <host path> <path inside the root> [ro]
  mkdir -p "$root$2"
  mount --rbind "$1" "$root$2"
  mount --make-rslave "$root$2"
  [ "${3:-}" = ro ] && mount -o remount,bind,ro "$root$2"
  mounts+=("$root$2")
}

# ---- a pristine Debian 12 root -------------------------------------------------------------------
if [ ! -s "$base" ]; then
  say "debootstrap --variant=minbase bookworm from $mirror (cached afterwards as $base)"
  start=$(date +%s)
  debootstrap --variant=minbase bookworm "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    {
      tail -20 "$work/debootstrap.log" >&2
      die "debootstrap failed (log above)"
    }
  tar -C "$work/base" -cf "$base.tmp" . && mv "$base.tmp" "$base"
  rm -rf --one-file-system "$work/base"
  say "debootstrap took $(($(date +%s) - start)) s"
fi
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# ---- the checkout (a copy: the root's build/ and results/ never touch the host's) ------------------
mkdir -p "$root/work/main"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf -) | tar -C "$root/work/main" -xf -
mkdir -p "$root/proc"
mount -t proc proc "$root/proc"
mounts+=("$root/proc")
bind /dev /dev
bind "$cache/apt-archives" /var/cache/apt/archives
[ -d "$repo/../shared" ] && bind "$(cd "$repo/../shared" && pwd)" /work/shared ro

in_root() { # in_root <log name> <command...>: a login-like clean environment inside the root
  local log="$work/$1.log"
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /work/main && $*" >"$log" 2>&1
}

# When a step fails: the log's absolute /usr paths that the root lacks, and the Debian package that
# ships each on this host (dpkg -S), so the message says which package install-deps.sh misses.
explain_failure() { # explain_failure <step> <log name>
  local log="$work/$2.log" path pkg found=0
  echo "----- last 40 lines of '$1' in the fresh root -----" >&2
  tail -40 "$log" >&2
  echo "-----" >&2
  while read -r path; do
    [ -e "$root$path" ] && continue
    pkg=$(dpkg -S "$path" 2>/dev/null | grep -v "^diversion" | head -1 | cut -d: -f1) || true
    if [ -n "$pkg" ]; then
      echo "fresh-root: missing on the fresh root: $path (Debian package '$pkg'; add it to contrib/install-deps.sh)" >&2
      found=1
    fi
  done < <(grep -oE '/usr/[A-Za-z0-9_./+-]+' "$log" | sed 's/[.,:]*$//' | sort -u)
  [ "$found" = 1 ] || echo "fresh-root: no missing /usr file named in the log" >&2
  die "'$1' failed on a fresh Debian 12 root (log: $log; set EDGE_LLM_CI_KEEP=1 to keep it)"
}

step() { # step <name> <command...>
  local name="$1" log="$2" start
  shift 2
  say "running '$name' in the fresh root"
  start=$(date +%s)
  in_root "$log" "$@" || { EDGE_LLM_CI_KEEP="${EDGE_LLM_CI_KEEP:-0}" explain_failure "$name" "$log"; }
  say "'$name' passed in $(($(date +%s) - start)) s"
}

# ---- README command 1, then its outputs checked ---------------------------------------------------
step "bash contrib/quickstart.sh" quickstart "bash contrib/quickstart.sh"
out="$root/work/main/results/default"
for f in rounds.csv devices.csv; do
  [ "$(wc -l <"$out/$f")" -ge 2 ] || die "quickstart wrote no rows to results/default/$f"
done
pngs=$(find "$out/plots" -name '*.png' -size +1k | wc -l)
[ "$pngs" -ge 1 ] || die "quickstart drew no PNG plot in results/default/plots/"
step "install tshark (for this check only)" tshark \
  "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tshark"
pcaps=0
for pcap in "$out"/*.pcap; do
  [ -e "$pcap" ] || die "quickstart wrote no pcap in results/default/"
  name="${pcap#"$root"}"
  in_root tshark-read "tshark -r '$name' -c 5 -T fields -e frame.number" ||
    explain_failure "tshark -r $name" tshark-read
  [ "$(grep -cE "^[0-9]+$" "$work/tshark-read.log")" -ge 1 ] || die "tshark read no packet from $name"
  pcaps=$((pcaps + 1))
done
say "quickstart outputs: rounds.csv and devices.csv with rows, $pngs PNG plots, $pcaps pcaps read by tshark"

# ---- README command 2 ---------------------------------------------------------------------------
step "bash contrib/test.sh" test "bash contrib/test.sh"
grep -E 'tests passed|Total Test time' "$work/test.log" | sed 's/^/fresh-root: /'
