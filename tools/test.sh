#!/usr/bin/env bash
# One command from a fresh clone: install the build dependencies, build everything (CUDA code compiled for
# sm_90 when nvcc is present, with or without a GPU; MPI on) and run the whole test suite — then the same
# CPU suite under AddressSanitizer + UndefinedBehaviorSanitizer, and each libFuzzer target for 60 s.
# CUDA tests skip, with the reason, when no GPU is visible. This is what CI runs (.ci/run).
#   bash tools/test.sh            # everything (~16 min on 2 cores)
#   bash tools/test.sh --quick    # the main suite only (~5 min)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
SEGMINT_WITH_FUZZ=$((1 - quick)) bash tools/install_deps.sh
step() { echo; echo "=== $* ($(date +%H:%M:%S))"; }

step "build and test (ci preset: CUDA for sm_90, MPI)"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci
[[ $quick == 1 ]] && exit 0

step "CPU suite under AddressSanitizer + UndefinedBehaviorSanitizer (asan preset: clang, also builds the fuzzers)"
cmake --preset asan
cmake --build --preset asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan -j2 --output-on-failure --timeout 900 -LE "browser|mpi"

step "fuzzing: each target for ${SEGMINT_FUZZ_SECONDS:-60} s"
bash tools/fuzz.sh "${SEGMINT_FUZZ_SECONDS:-60}"
