#!/usr/bin/env bash
# Builds the libFuzzer targets (emu-asan preset: clang, ASan + UBSan, the same build as the sanitizer test suites)
# and runs each for SECONDS (default 60) from the committed seed corpus. A crash leaves its input in
# build/emu-asan/fuzz/findings/<target>/ and fails the script;
# turn every finding into a regression test (tests/cpu/test_fuzz_regressions.cpp) before fixing it.
#   bash tools/fuzz.sh            # 60 s per target, as CI runs it
#   bash tools/fuzz.sh 3600       # a longer local campaign
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
SEGMINT_WITH_FUZZ=1 bash tools/install_deps.sh >/dev/null
cmake --preset emu-asan >/dev/null
cmake --build --preset emu-asan --target fuzz_csv fuzz_npy fuzz_model fuzz_cli fuzz_transactions fuzz_gzip
out=build/emu-asan/fuzz
status=0
for target in csv npy model cli transactions gzip; do
  work=$out/corpus-work/$target findings=$out/findings/$target
  mkdir -p "$work" "$findings"
  cp -n tests/fuzz/corpus/$target/* "$work"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
      build/emu-asan/tests/fuzz/fuzz_$target "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1 2>$out/fuzz_$target.log; then
    echo "fuzz: $target FOUND A PROBLEM (see $out/fuzz_$target.log and $findings/)"
    tail -30 $out/fuzz_$target.log
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" $out/fuzz_$target.log | tr '\n' ' '
    echo
  fi
done
exit $status
