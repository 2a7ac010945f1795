#!/usr/bin/env bash
# Installs the Debian 12 packages edge-llm needs (build, tests, benchmarks, plots).
# Does nothing when they are all present; otherwise runs apt-get non-interactively
# (as root, or through sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libns3-dev ns3 libgsl-dev libxml2-dev libsqlite3-dev python3-dev  # ns-3 3.37 and what its CMake config wants
                                                                   # (ns3: helper programs ns3Targets.cmake names)
  libeigen3-dev libboost-dev                                     # linear algebra, root finding
  nlohmann-json3-dev                                             # instance JSON (streaming SAX reader)
  libglpk-dev coinor-libipopt-dev                                # LP solver, NLP reference solver
  libgtest-dev libgmock-dev libbenchmark-dev                     # unit tests, benchmarks
  python3-matplotlib python3-pandas python3-dpkt                 # plots (dpkt reads pcaps)
  parallel                                                       # sweep runner (GNU parallel)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: error: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
