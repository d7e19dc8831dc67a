#!/usr/bin/env bash
# Strong scaling of the CPU path on one machine: the same K-Means run (fixed k, one k-means++ start) with
# 1 process × 1 thread, 2 processes × 1 thread (MPI) and 1 process × 2 threads; the clustering stage time
# from run.json. Needs a build with SEGMINT_MPI=ON (the ci preset) and a table, e.g.
#   python3 bench/peers/make_customers.py --rows 1000000 --out /tmp/customers_1m.csv
#   bash bench/peers/mpi_scaling.sh build/ci/tools/segmint /tmp/customers_1m.csv
set -euo pipefail
segmint=$1 input=$2 work=${3:-/tmp/segmint-mpi-scaling}
mkdir -p "$work"
args=(run "$input" --k 8 --n-init 1 --max-iter 50 --tol 0 --silhouette-sample 2000 --no-report --quiet)
stage() { python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['timings_s']; print(f\"{t['cluster']:.3f}\")" "$1/run.json"; }
OMP_NUM_THREADS=1 "$segmint" "${args[@]}" --out "$work/p1t1" >/dev/null
one=$(stage "$work/p1t1")
mpirun --allow-run-as-root -np 2 -x OMP_NUM_THREADS=1 "$segmint" "${args[@]}" --out "$work/p2t1" >/dev/null
two=$(stage "$work/p2t1")
OMP_NUM_THREADS=2 "$segmint" "${args[@]}" --out "$work/p1t2" >/dev/null
threads=$(stage "$work/p1t2")
cmp -s "$work/p1t1/segments.csv" "$work/p2t1/segments.csv" && same=yes || same=no
python3 - "$one" "$two" "$threads" "$same" <<'PY'
import sys
one, two, threads, same = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
print(f"clustering stage: 1 rank x 1 thread {one:.2f} s | 2 ranks x 1 thread {two:.2f} s ({one/two:.2f}x) | "
      f"1 rank x 2 threads {threads:.2f} s ({one/threads:.2f}x) | 2-rank segments identical to 1-rank: {same}")
PY
