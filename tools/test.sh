#!/usr/bin/env bash
# One command from a fresh clone: install the build dependencies, build everything (CUDA code compiled for
# sm_90 when nvcc is present, with or without a GPU; MPI on) and run the whole test suite; then the CUDA
# backend under the CPU emulator (tests/emu: every gpu test, and the no-device cases); the Python package
# (pip install ./python, pytest tests/python); then one clang
# ASan + UBSan build (with the emulator) for the CPU suite, the quick emulated GPU suite and the fuzzers,
# each libFuzzer target for 10 s. This is what CI runs (.ci/run).
#   bash tools/test.sh            # everything (~38-40 min on 2 cores)
#   bash tools/test.sh --quick    # the main suite only (~6 min)
#   bash tools/test.sh --python   # only: pip install ./python in a fresh venv and pytest tests/python (~6 min)
#   bash tools/test.sh --tsan     # only: the quick emulated GPU suite under ThreadSanitizer (~10 min; run it
#                                 # yourself whenever kernels or host/cuda change: CI does not)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
step() { echo; echo "=== $* ($(date +%H:%M:%S))"; }

if [[ $mode == --tsan ]]; then
  SEGMINT_WITH_FUZZ=1 bash tools/install_deps.sh
  step "emulated GPU suite under ThreadSanitizer (emu-tsan preset: clang; quick sizes)"
  cmake --preset emu-tsan
  cmake --build --preset emu-tsan --target segmint_gpu_tests segmint_emu_selftests segmint
  ctest --preset emu-tsan
  exit 0
fi

# The Python package from the source tree, as a user installs it: a fresh venv, `pip install ./python` (CPU build
# here: CUDA compiles in the package whenever nvcc exists, but CI has no GPU and the CUDA path is tested by the
# emulator suite), then its tests against the ci preset's CLI (same segments, byte for byte).
python_suite() {
  step "the Python package: pip install ./python in a fresh venv, then pytest tests/python"
  rm -rf build/python-venv
  python3 -m venv build/python-venv
  build/python-venv/bin/pip install -q "./python[test]" -C cmake.define.SEGMINT_CUDA=OFF
  SEGMINT_CLI="$PWD/build/ci/tools/segmint" build/python-venv/bin/python -m pytest -q -p no:cacheprovider tests/python
}

if [[ $mode == --python ]]; then
  bash tools/install_deps.sh
  [[ -x build/ci/tools/segmint ]] || { cmake --preset ci && cmake --build --preset ci --target segmint; }
  python_suite
  exit 0
fi

quick=0
[[ $mode == --quick ]] && quick=1
SEGMINT_WITH_FUZZ=$((1 - quick)) bash tools/install_deps.sh

step "build and test (ci preset: CUDA for sm_90, MPI)"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

step "the installed library: examples/library built against a fresh install, as another project would (find_package(segmint))"
rm -rf build/install-check
cmake --install build/ci --prefix build/install-check/prefix >/dev/null
cmake -S examples/library -B build/install-check/example -DCMAKE_PREFIX_PATH="$PWD/build/install-check/prefix" >/dev/null
cmake --build build/install-check/example
build/install-check/example/segment_table examples/data/mall_customers/Mall_Customers.csv gmm
[[ $quick == 1 ]] && exit 0

python_suite

step "CUDA backend on the CPU emulator (emu preset): every gpu test, the no-device cases, the emulator's self-tests"
cmake --preset emu
cmake --build --preset emu --target segmint_gpu_tests segmint_emu_selftests segmint
ctest --preset emu

step "sanitizers (emu-asan preset: clang, ASan + UBSan, the emulator; also builds the fuzzers)"
# Acceptance-sized cases (20-70 s each under ASan) run in the ci preset only; smaller cases cover the same code
# under the sanitizers: tune (no structure, run --config, the units, the bad inputs), GMM (CliGmm.BadOptions,
# Gmm.*), thread-count determinism (ChurnCli, Report), the bundled tables (Report.BundledDatasets...).
asan_skips='^TuneCli\.(SixGaussianSegments|SkewedRfm|SameBytes)|^GmmRun\.|^Cli\.SameSeedGivesByteIdenticalOutputsAcrossThreadCounts$'
asan_skips+='|^Cli\.MarketingCampaignReportsImputationAndDroppedColumns$|^SklearnReference\.BestOfNInitWithinHalfAPercent$'
asan_skips+='|^CliGmm\.DiagAndTiedAndAuto$|^TuneCli\.OneGaussianBlobHasNoClusterStructure$|^SurveyCli\.MarketingCampaign'

cmake --preset emu-asan
cmake --build --preset emu-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/emu-asan -j2 --output-on-failure --timeout 900 -LE "browser|mpi|gpu" -E "$asan_skips"
ctest --preset emu-asan

# 10 s per target keeps CI under 40 minutes (the whole run: ~38-40 min on 2 cores); longer campaigns: SEGMINT_FUZZ_SECONDS=600 (README "Hardening").
step "fuzzing: each target for ${SEGMINT_FUZZ_SECONDS:-10} s"
bash tools/fuzz.sh "${SEGMINT_FUZZ_SECONDS:-10}"
