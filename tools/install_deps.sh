#!/usr/bin/env bash
# Installs the Debian packages segmint builds and tests with. Idempotent: packages already present are
# skipped, so a second run costs no network. Run as root (or with sudo available).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libeigen3-dev          # CPU linear algebra (covariance eigen-decomposition)
  libcli11-dev           # command-line parsing
  nlohmann-json3-dev     # model.json / run.json
  libgtest-dev libgmock-dev
  libbenchmark-dev       # bench/
  zlib1g-dev             # reading .gz transaction logs
  libboost-dev           # Boost.Math special functions (the value models, host/value)
  libboost-context-dev python3  # the CUDA emulator (tests/emu): fibers, and the .cu rewrite
  python3-venv           # the Python package's tests (tools/test.sh: pip install ./python in a venv)
  libopenmpi-dev openmpi-bin  # data-parallel runs (SEGMINT_MPI=ON, the ci preset)
)
if [[ "${SEGMINT_WITH_FUZZ:-0}" == 1 ]]; then packages+=(clang libclang-rt-dev libomp-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install_deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
