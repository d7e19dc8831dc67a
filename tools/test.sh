#!/usr/bin/env bash
# One command from a fresh clone: install the build dependencies, build everything (CUDA code compiled for
# sm_90 when nvcc is present, with or without a GPU) and run the whole test suite. CUDA tests skip, with
# the reason, when no GPU is visible.
#   bash tools/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci
