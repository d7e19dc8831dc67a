#!/usr/bin/env bash
# segmint's Lloyd iteration and scikit-learn's, interleaved ROUNDS times on the same machine and threads,
# best of each: on a shared machine whose speed drifts, only side-by-side minima compare fairly.
#   bash bench/peers/lloyd_side_by_side.sh build/ci 5
set -euo pipefail
build=${1:-build/ci} rounds=${2:-5} threads=${THREADS:-2}
seg=() sk=()
for r in $(seq "$rounds"); do
  seg+=("$(OMP_NUM_THREADS=$threads "$build"/bench/segmint_bench_cpu --benchmark_filter='BM_lloyd_iteration/1000000/12/6/' \
           --benchmark_min_time=0.5 --benchmark_format=csv 2>/dev/null | tail -1 | cut -d, -f3)")
  sk+=("$(python3 "$(dirname "$0")"/sklearn_lloyd.py --rows 1000000 --dims 12 --k 6 --threads "$threads" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ms_per_lloyd_iteration"])')")
done
python3 - "${seg[*]}" "${sk[*]}" <<'PY'
import sys
seg = [float(v) for v in sys.argv[1].split()]
sk = [float(v) for v in sys.argv[2].split()]
print(f"1M x 12, k = 6, one Lloyd iteration: segmint best {min(seg):.2f} ms (runs {' '.join(f'{v:.2f}' for v in seg)}), "
      f"scikit-learn best {min(sk):.2f} ms (runs {' '.join(f'{v:.2f}' for v in sk)}), ratio {min(sk)/min(seg):.1f}x")
PY
