#!/usr/bin/env bash
# A disk that fills up mid-write, simulated with a file-size limit (RLIMIT_FSIZE via ulimit -f): the write
# fails with a clear error and exit code 2, and no output file (partial or not) is left behind.
# Usage: disk_full_leaves_no_outputs.sh SEGMINT INPUT.csv WORKDIR
set -euo pipefail
segmint=$1 input=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
set +e
( ulimit -f 4; exec "$segmint" run "$input" --out "$work/out" --k 3 --quiet ) >/dev/null 2>"$work/err"
code=$?
set -e
[[ $code -eq 2 ]] || { echo "FAIL: exit code $code, want 2"; cat "$work/err"; exit 1; }
grep -q "cannot write output file" "$work/err" || { echo "FAIL: unclear message:"; cat "$work/err"; exit 1; }
if [[ -n "$(ls -A "$work/out" 2>/dev/null)" ]]; then echo "FAIL: files left: $(ls "$work/out")"; exit 1; fi
echo "ok: exit 2, '$(head -c 120 "$work/err")', no outputs"
