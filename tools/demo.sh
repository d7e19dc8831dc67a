#!/usr/bin/env bash
# One command from a fresh clone: install the build dependencies, build segmint, and segment the bundled
# Mall Customers data (annual income and spending score, k chosen from 2..10). Uses the GPU when one is
# visible and CUDA was found at build time, the CPU otherwise.
#   bash tools/demo.sh            # outputs in out/mall/
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
preset=${SEGMINT_PRESET:-cuda}
cmake --preset "$preset" -DSEGMINT_BUILD_TESTS=OFF -DSEGMINT_BUILD_BENCH=OFF >/dev/null
cmake --build --preset "$preset" --target segmint
./build/"$preset"/tools/segmint run examples/data/mall_customers/Mall_Customers.csv \
  --features "Annual Income (k\$),Spending Score (1-100)" --k 2..10 --out out/mall
