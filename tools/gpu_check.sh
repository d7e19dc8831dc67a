#!/usr/bin/env bash
# The device check: ONE prepared script for a session with a GPU (an H200 is the reference). It builds with
# the `ci` preset (sm_90 only, only the targets it needs), runs the GPU tests, compute-sanitizer (memcheck,
# racecheck, initcheck, synccheck) over a quick subset of them, the Google Benchmark GPU stages, `segmint
# bench`, and the PyTorch / scikit-learn peers when present; it copies every log and a summary to $OUT and
# prints a final table. Stages run under a global deadline (DEADLINE seconds, default 540) and are skipped,
# not half-run, when too little time is left; pick stages to split the work over two calls (build outputs
# stay on a warm machine between calls):
#   bash tools/gpu_check.sh                    # all stages
#   bash tools/gpu_check.sh build test sanitize
#   bash tools/gpu_check.sh bench peers
# With the device tool: run(command="bash tools/gpu_check.sh", timeout_s=600); results under $OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/cuda/bin  # nvcc and compute-sanitizer, when not already on the PATH
OUT=${OUT:-$PWD/out/gpu-check}
mkdir -p "$OUT"
DEADLINE=${DEADLINE:-540}
JOBS=${JOBS:-$(nproc)}
BUILD=build/ci
stages=("$@")
((${#stages[@]})) || stages=(build test sanitize bench peers)
summary=()

want() { local s; for s in "${stages[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
left() { echo $((DEADLINE - SECONDS)); }
# run NAME NEEDS_SECONDS TIMEOUT CMD...: logs to $OUT/NAME.log, records status and time.
run() {
  local name=$1 need=$2 limit=$3; shift 3
  if (($(left) < need)); then summary+=("$name|skipped (only $(left) s left)|0"); return 0; fi
  ((limit > $(left))) && limit=$(left)
  local t0=$SECONDS status
  echo "== $name: $*" | tee -a "$OUT/commands.txt"
  timeout --signal=TERM --kill-after=10 "$limit" "$@" >"$OUT/$name.log" 2>&1
  status=$?
  case $status in
    0) summary+=("$name|ok|$((SECONDS - t0))") ;;
    124|137) summary+=("$name|TIMEOUT after ${limit} s|$((SECONDS - t0))") ;;
    *) summary+=("$name|FAILED (exit $status)|$((SECONDS - t0))") ;;
  esac
  tail -n 3 "$OUT/$name.log"
  return 0
}

{
  date -u
  git rev-parse HEAD 2>/dev/null || true
  nvidia-smi --query-gpu=name,memory.total,clocks.max.sm,clocks.max.mem,driver_version --format=csv 2>&1 || true
  nvcc --version 2>&1 | tail -2
  cmake --version | head -1
  nproc
} >"$OUT/machine.txt" 2>&1

# Which build dependencies the machine has (a missing one explains a failed configure at a glance).
preflight() {
  local h missing=0
  for h in zlib.h Eigen/Dense CLI/CLI.hpp nlohmann/json.hpp gtest/gtest.h benchmark/benchmark.h omp.h; do
    if echo "#include <$h>" | g++ -E -x c++ -I/usr/include/eigen3 - >/dev/null 2>&1; then echo "found   $h"
    else echo "MISSING $h"; missing=1; fi
  done
  command -v nvcc && command -v cmake && command -v ninja && command -v compute-sanitizer || missing=1
  return $missing
}

if want build; then
  export -f preflight
  run preflight 0 30 bash -c preflight
  run configure 60 120 cmake --preset ci
  run build 120 420 cmake --build --preset ci -j "$JOBS" --target segmint segmint_gpu_tests segmint_bench_gpu
  [[ -x $BUILD/tools/segmint ]] && "$BUILD/tools/segmint" info >"$OUT/segmint_info.txt" 2>&1
fi

tests=$BUILD/tests/segmint_gpu_tests
if want test; then
  run gpu_tests 60 300 "$tests" --gtest_output=xml:"$OUT/gpu_tests.xml"
fi

if want sanitize; then
  cs=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  # Quick sizes (SEGMINT_GPU_TEST_QUICK) and the parity suites; racecheck (shared-memory hazards, the
  # slowest tool) gets the cases that cover every kernel with shared memory.
  quick=(env SEGMINT_GPU_TEST_QUICK=1)
  all_filter='CudaBasics.*:CudaKmeans.*:CudaStats.*:CudaStreaming.*'
  race_filter='CudaKmeans.AssignMatchesCpuOverSizesAndWidths:CudaKmeans.GemmPathMatchesCpu:CudaKmeans.FarthestRows*:CudaKmeans.SeedingPasses*:CudaStats.*'
  run memcheck 60 150 "${quick[@]}" "$cs" --tool memcheck --leak-check full --error-exitcode 1 "$tests" --gtest_filter="$all_filter"
  run racecheck 60 150 "${quick[@]}" "$cs" --tool racecheck --racecheck-report hazard --error-exitcode 1 "$tests" --gtest_filter="$race_filter"
  run initcheck 60 120 "${quick[@]}" "$cs" --tool initcheck --error-exitcode 1 "$tests" --gtest_filter="$all_filter"
  run synccheck 60 120 "${quick[@]}" "$cs" --tool synccheck --error-exitcode 1 "$tests" --gtest_filter="$all_filter"
fi

if want bench; then
  run bench_gpu 90 200 "$BUILD/bench/segmint_bench_gpu" --benchmark_out="$OUT/bench_gpu.json" --benchmark_out_format=json
  run segmint_bench 60 150 "$BUILD/tools/segmint" bench --sizes 1000000,10000000 --repeat 3 --silhouette-rows 20000
  [[ -f $OUT/segmint_bench.log ]] && grep -E '^\||^-' "$OUT/segmint_bench.log" >"$OUT/segmint_bench.md"
fi

if want peers; then
  if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
    run torch_peer 60 150 python3 bench/peers/torch_lloyd.py --rows 10000000 --dims 16 64 --k 8 64 1024 --silhouette-rows 200000
  else
    summary+=("torch_peer|skipped (no PyTorch with CUDA)|0")
  fi
  if python3 -c 'import sklearn, threadpoolctl' 2>/dev/null; then
    run sklearn_peer 60 120 python3 bench/peers/sklearn_lloyd.py --rows 10000000 --dims 16 --k 8 --threads "$(nproc)" --iters 5
  else
    summary+=("sklearn_peer|skipped (no scikit-learn)|0")
  fi
fi

{
  echo "| stage | status | seconds |"
  echo "|---|---|---:|"
  for line in "${summary[@]}"; do IFS='|' read -r a b c <<<"$line"; echo "| $a | $b | $c |"; done
  if [[ -f $OUT/gpu_tests.log ]]; then
    echo
    grep -E '^\[==========\] .* ran|^\[  PASSED  \]|^\[  SKIPPED \] [0-9]+ test|^\[  FAILED  \]' "$OUT/gpu_tests.log" | head -30
    grep -m 20 -B1 -A3 'Failure$' "$OUT/gpu_tests.log" || true
  fi
  for tool in memcheck racecheck initcheck synccheck; do
    [[ -f $OUT/$tool.log ]] && echo "$tool: $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$OUT/$tool.log" | tail -1)"
  done
  if [[ -f $OUT/bench_gpu.log ]]; then
    echo
    grep -E '^BM_gpu' "$OUT/bench_gpu.log"
  fi
  [[ -f $OUT/segmint_bench.md ]] && { echo; cat "$OUT/segmint_bench.md"; }
  [[ -f $OUT/torch_peer.log ]] && { echo; cat "$OUT/torch_peer.log"; }
  [[ -f $OUT/sklearn_peer.log ]] && { echo; cat "$OUT/sklearn_peer.log"; }
  echo
  echo "total $SECONDS s; logs in $OUT"
} | tee "$OUT/summary.md"
