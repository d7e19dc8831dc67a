#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for SECONDS (default 60) from the
# committed seed corpus. A crash leaves its input in build/fuzz/findings/<target>/ and fails the script;
# turn every finding into a regression test (tests/cpu/test_fuzz_regressions.cpp) before fixing it.
#   bash tools/fuzz.sh            # 60 s per target, as CI runs it
#   bash tools/fuzz.sh 3600       # a longer local campaign
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
SEGMINT_WITH_FUZZ=1 bash tools/install_deps.sh >/dev/null
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
status=0
for target in csv npy model cli; do
  work=build/fuzz/corpus-work/$target findings=build/fuzz/findings/$target
  mkdir -p "$work" "$findings"
  cp -n tests/fuzz/corpus/$target/* "$work"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
      build/fuzz/tests/fuzz/fuzz_$target "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1 2>build/fuzz/fuzz_$target.log; then
    echo "fuzz: $target FOUND A PROBLEM (see build/fuzz/fuzz_$target.log and $findings/)"
    tail -30 build/fuzz/fuzz_$target.log
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build/fuzz/fuzz_$target.log | tr '\n' ' '
    echo
  fi
done
exit $status
