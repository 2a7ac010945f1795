#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Builds and tests edge-llm inside an ns-3 3.37 source tree, as <ns-3>/contrib/edge-llm.
# See contrib/ns3-tree/README.md, or run with --help.
set -euo pipefail

SCRIPT_NAME=$(basename "$0")
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
NS3_VERSION=3.37
DEFAULT_NS3_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/edge-llm/ns-${NS3_VERSION}"
MODULE=edge-llm
EXTRA_MODULES="csma" # a subset build with tests needs csma to link test-runner
CANARY_SUITE=edge-llm-harness-canary

usage() {
    cat <<EOF
Usage: $SCRIPT_NAME [options]

Builds the edge-llm module inside an ns-3 $NS3_VERSION source tree (symlinked as
<ns-3>/contrib/$MODULE), then runs ns-3's test.py on every '$MODULE*' test suite (except
$CANARY_SUITE) and one in-tree example.

Steps: get the ns-3 tree (apt-get source ns3 if DIR holds none) -> install build packages
(apt-get) -> symlink this repository -> ./ns3 configure (modules $MODULE;$EXTRA_MODULES, tests
and examples on) -> cmake --build cmake-cache -> ./test.py --no-build -> example run.
Re-running reuses the tree and rebuilds incrementally.

Options:
  --ns3-dir DIR   ns-3 $NS3_VERSION source tree (the folder holding ./ns3 and test.py).
                  If DIR has no ns-3 tree, Debian's source package is fetched and its inner
                  ns-$NS3_VERSION folder is placed at DIR. DIR may also be a folder that holds
                  the unpacked package (ns3-$NS3_VERSION/ns-$NS3_VERSION or ns-$NS3_VERSION).
                  Default: \$NS3_TREE_DIR, else $DEFAULT_NS3_DIR
  --jobs N        parallel build jobs (default: 2)
  --build-profile P
                  ns-3 build profile: debug, default, release or optimized (default: default;
                  optimized = -O3 -march=native with NS_LOG and NS_ASSERT compiled out)
  --extra-modules LIST
                  more ns-3 modules to enable, ';'-separated (e.g. lte; the modules edge-llm
                  links are always enabled)
  --no-apt        do not install packages with apt-get (they must already be present)
  --skip-tests    configure and build only
  -h, --help      show this help

Environment: NS3_TREE_DIR (as --ns3-dir), PYTHON (interpreter for ./ns3 and test.py; default
/usr/bin/python3 when present).
EOF
}

log() { printf '\n==> %s\n' "$*"; }
die() {
    printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
    exit 1
}

NS3_DIR="${NS3_TREE_DIR:-}"
JOBS=2
USE_APT=1
RUN_TESTS=1
BUILD_PROFILE=default
while [[ $# -gt 0 ]]; do
    case "$1" in
    --ns3-dir)
        [[ $# -ge 2 && -n "$2" ]] || die "--ns3-dir needs a folder"
        NS3_DIR=$2
        shift 2
        ;;
    --ns3-dir=*)
        NS3_DIR=${1#*=}
        [[ -n "$NS3_DIR" ]] || die "--ns3-dir needs a folder"
        shift
        ;;
    --jobs)
        [[ $# -ge 2 ]] || die "--jobs needs a number"
        JOBS=$2
        shift 2
        ;;
    --jobs=*)
        JOBS=${1#*=}
        shift
        ;;
    --build-profile)
        [[ $# -ge 2 ]] || die "--build-profile needs one of debug, default, release, optimized"
        BUILD_PROFILE=$2
        shift 2
        ;;
    --build-profile=*)
        BUILD_PROFILE=${1#*=}
        shift
        ;;
    --extra-modules)
        [[ $# -ge 2 && -n "$2" ]] || die "--extra-modules needs a ';'-separated module list"
        EXTRA_MODULES="$EXTRA_MODULES;$2"
        shift 2
        ;;
    --extra-modules=*)
        [[ -n "${1#*=}" ]] || die "--extra-modules needs a ';'-separated module list"
        EXTRA_MODULES="$EXTRA_MODULES;${1#*=}"
        shift
        ;;
    --no-apt)
        USE_APT=0
        shift
        ;;
    --skip-tests)
        RUN_TESTS=0
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "--jobs='$JOBS' is not a positive integer"
case "$BUILD_PROFILE" in
debug | default | release | optimized) ;;
*) die "--build-profile='$BUILD_PROFILE' is not one of debug, default, release, optimized" ;;
esac
MODULE_LIST_RE='^[A-Za-z0-9_;-]+$'
[[ "$EXTRA_MODULES" =~ $MODULE_LIST_RE ]] ||
    die "--extra-modules='$EXTRA_MODULES' may hold only module names separated by ';'"
NS3_DIR=${NS3_DIR:-$DEFAULT_NS3_DIR}

if [[ -n "${PYTHON:-}" ]]; then
    :
elif [[ -x /usr/bin/python3 ]]; then
    PYTHON=/usr/bin/python3
else
    PYTHON=python3
fi

# Root runs apt-get directly; others need sudo.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "'$*' needs root and sudo is not installed"
    fi
}
apt_noninteractive() { as_root env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

# Installs the Debian packages of $@ that are not installed yet.
install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "all needed packages are installed: $*"
        return
    fi
    [[ $USE_APT -eq 1 ]] || die "missing packages (--no-apt given): ${missing[*]}"
    echo "installing: ${missing[*]}"
    apt_noninteractive update -qq
    apt_noninteractive install -y -q --no-install-recommends "${missing[@]}"
}

# True when $1 is an ns-3 $NS3_VERSION source tree.
is_ns3_tree() {
    [[ -f "$1/ns3" && -f "$1/test.py" && -f "$1/CMakeLists.txt" && -d "$1/contrib" &&
        -f "$1/VERSION" ]] &&
        [[ "$(tr -d '[:space:]' <"$1/VERSION")" == "$NS3_VERSION" ]]
}

# Makes sure apt knows source packages: adds deb-src to deb822 'Types: deb' stanzas (a backup of
# the file is kept) when no deb-src entry exists anywhere.
ensure_deb_src() {
    local sources=/etc/apt/sources.list.d/debian.sources
    if grep -qsE '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
        grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
        echo "deb-src entries are already enabled"
        return
    fi
    [[ -f "$sources" ]] || die "no deb-src entry in the apt sources and no $sources to add one to;" \
        "enable Debian source packages, or pass --ns3-dir with an ns-3 $NS3_VERSION tree"
    [[ $USE_APT -eq 1 ]] || die "deb-src is not enabled in the apt sources (--no-apt given)"
    echo "enabling deb-src in $sources (backup: $sources.edge-llm.bak)"
    as_root cp -n "$sources" "$sources.edge-llm.bak"
    as_root sed -i -E 's/^([[:space:]]*Types:[[:space:]]*deb)[[:space:]]*$/\1 deb-src/' "$sources"
    apt_noninteractive update -qq
}

# Fetches Debian's ns3 source package and places its inner ns-3 tree at $NS3_DIR.
fetch_ns3_source() {
    local parent work inner
    if [[ -e "$NS3_DIR" ]] && [[ -n "$(ls -A "$NS3_DIR" 2>/dev/null)" ]]; then
        die "$NS3_DIR exists but holds no ns-3 $NS3_VERSION tree; give an empty or new folder"
    fi
    install_packages dpkg-dev
    ensure_deb_src
    parent=$(dirname "$NS3_DIR")
    mkdir -p "$parent"
    parent=$(cd "$parent" && pwd -P)
    work=$(mktemp -d "$parent/.ns3-source.XXXXXX")
    log "fetching Debian's ns3 source package into $work"
    # apt-get source runs as the calling user; as root apt warns it cannot drop privileges.
    (cd "$work" && apt-get source -q ns3) ||
        {
            rm -rf "$work"
            die "apt-get source ns3 failed"
        }
    inner=$(find "$work" -mindepth 2 -maxdepth 2 -type d -name "ns-$NS3_VERSION" | head -n 1)
    if [[ -z "$inner" ]] || ! is_ns3_tree "$inner"; then
        rm -rf "$work"
        die "the fetched source package holds no ns-$NS3_VERSION tree (is Debian's ns3 at $NS3_VERSION?)"
    fi
    rmdir "$NS3_DIR" 2>/dev/null || true
    mv "$inner" "$NS3_DIR"
    rm -rf "$work"
    echo "ns-3 tree placed at $NS3_DIR"
}

T_START=$(date +%s)
echo "edge-llm repository: $REPO_DIR"

# ---- 1. the ns-3 source tree --------------------------------------------------------------
log "1/6 ns-3 $NS3_VERSION source tree"
if is_ns3_tree "$NS3_DIR"; then
    :
elif is_ns3_tree "$NS3_DIR/ns3-$NS3_VERSION/ns-$NS3_VERSION"; then
    NS3_DIR="$NS3_DIR/ns3-$NS3_VERSION/ns-$NS3_VERSION"
elif is_ns3_tree "$NS3_DIR/ns-$NS3_VERSION"; then
    NS3_DIR="$NS3_DIR/ns-$NS3_VERSION"
else
    echo "no ns-3 $NS3_VERSION tree at $NS3_DIR"
    fetch_ns3_source
fi
NS3_DIR=$(cd "$NS3_DIR" && pwd -P)
echo "using ns-3 tree: $NS3_DIR"

# ---- 2. build packages ----------------------------------------------------------------------
log "2/6 build packages"
# ns-3's tree build, then edge-llm's own third-party libraries (as in contrib/install-deps.sh).
install_packages cmake ninja-build g++ python3 libgsl-dev libxml2-dev libsqlite3-dev \
    pkg-config libeigen3-dev libboost-dev libglpk-dev coinor-libipopt-dev

# ---- 3. symlink the module ------------------------------------------------------------------
log "3/6 link $REPO_DIR as contrib/$MODULE"
LINK="$NS3_DIR/contrib/$MODULE"
if [[ -e "$LINK" && ! -L "$LINK" ]]; then
    die "$LINK exists and is not a symlink; move it away first"
fi
ln -sfn "$REPO_DIR" "$LINK"
ls -l "$LINK"

cd "$NS3_DIR"

# ---- 4. configure ---------------------------------------------------------------------------
log "4/6 configure (modules: $MODULE;$EXTRA_MODULES, profile $BUILD_PROFILE, tests and examples on)"
# The generator is chosen on the first configure only: ./ns3 would otherwise copy it from any
# CMakeCache.txt under the tree, including this repository's standalone build/ via the symlink.
GENERATOR_ARGS=()
if [[ ! -f cmake-cache/CMakeCache.txt ]]; then
    if command -v ninja >/dev/null 2>&1; then
        GENERATOR_ARGS=(-G Ninja)
    else
        GENERATOR_ARGS=(-G "Unix Makefiles")
    fi
fi
T0=$(date +%s)
"$PYTHON" ./ns3 configure "${GENERATOR_ARGS[@]}" --build-profile="$BUILD_PROFILE" --enable-tests --enable-examples \
    --disable-python-bindings --enable-modules="$MODULE;$EXTRA_MODULES" \
    --filter-module-examples-and-tests="$MODULE"
T1=$(date +%s)
CONFIGURE_S=$((T1 - T0))

# ---- 5. build -------------------------------------------------------------------------------
log "5/6 build (cmake --build cmake-cache -j $JOBS)"
T0=$(date +%s)
cmake --build cmake-cache -j "$JOBS"
T1=$(date +%s)
BUILD_S=$((T1 - T0))

print_times() {
    echo
    echo "timing (seconds): configure $CONFIGURE_S, build $BUILD_S, test ${TEST_S:-n/a}," \
        "total $(($(date +%s) - T_START))"
}

if [[ $RUN_TESTS -eq 0 ]]; then
    print_times
    exit 0
fi

# ---- 6. tests and an example ----------------------------------------------------------------
log "6/6 test.py on the $MODULE* suites"
T0=$(date +%s)
LIST_STATUS=0
LIST_OUT=$("$PYTHON" ./test.py --no-build --nocolor --list 2>&1) || LIST_STATUS=$?
if [[ $LIST_STATUS -ne 0 ]] || grep -q 'test.py error' <<<"$LIST_OUT"; then
    echo "$LIST_OUT"
    die "./test.py --list failed"
fi
mapfile -t SUITES < <(printf '%s\n' "$LIST_OUT" | tr -s '[:space:]' '\n' |
    grep -E "^$MODULE(-|\$)" | grep -vxF "$CANARY_SUITE" | sort -u)
[[ ${#SUITES[@]} -gt 0 ]] || {
    echo "$LIST_OUT"
    die "test.py lists no $MODULE* suite: the module's tests were not built"
}
echo "suites: ${SUITES[*]}"

FAILED=()
SUMMARIES=()
for suite in "${SUITES[@]}"; do
    echo
    echo "--- ./test.py --no-build --nocolor --suite=$suite"
    status=0
    out=$("$PYTHON" ./test.py --no-build --nocolor --suite="$suite" 2>&1) || status=$?
    echo "$out"
    summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ of [0-9]+ tests passed' | tail -n 1 || true)
    SUMMARIES+=("$suite: ${summary:-no summary line}")
    # Success needs exit status 0, a PASS line for the suite and a summary with all passed.
    if [[ $status -ne 0 ]] || ! printf '%s\n' "$out" | grep -qE "\] PASS: TestSuite $suite\$" ||
        ! [[ "$summary" =~ ^([0-9]+)\ of\ ([0-9]+)\ tests\ passed ]] ||
        [[ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" || "${BASH_REMATCH[2]}" == 0 ]]; then
        FAILED+=("$suite")
    fi
done

log "in-tree example: edge-llm-profile-summary (run from a foreign folder)"
EXAMPLE=$(find "$NS3_DIR/build/contrib/$MODULE" -maxdepth 2 -type f -perm -u+x \
    -name "ns${NS3_VERSION}-edge-llm-profile-summary*" | head -n 1)
[[ -n "$EXAMPLE" ]] || die "the example edge-llm-profile-summary was not built in-tree"
EXAMPLE_OUT=$(mktemp -d /tmp/edge-llm-in-tree-example.XXXXXX)
echo "$EXAMPLE --outputDir=$EXAMPLE_OUT"
(cd "$EXAMPLE_OUT" &&
    env -u EDGE_LLM_DATA_DIR LD_LIBRARY_PATH="$NS3_DIR/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$EXAMPLE" --outputDir="$EXAMPLE_OUT") || FAILED+=("example edge-llm-profile-summary")
if [[ -s "$EXAMPLE_OUT/profile-splits.csv" ]]; then
    echo "example output: $EXAMPLE_OUT/profile-splits.csv ($(wc -l <"$EXAMPLE_OUT/profile-splits.csv") lines)"
else
    FAILED+=("example output $EXAMPLE_OUT/profile-splits.csv")
fi
T1=$(date +%s)
TEST_S=$((T1 - T0))

log "summary"
echo "ns-3 tree: $NS3_DIR"
printf '  %s\n' "${SUMMARIES[@]}"
print_times
if [[ ${#FAILED[@]} -gt 0 ]]; then
    die "failed: ${FAILED[*]}"
fi
echo "all ${#SUITES[@]} $MODULE suite(s) and the example passed"
