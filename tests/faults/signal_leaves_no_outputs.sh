#!/usr/bin/env bash
# SIGTERM and SIGINT during a run: the process exits non-zero (128 + signal) and leaves no output file,
# complete or partial, and no temporary file. Usage: signal_leaves_no_outputs.sh SEGMINT WORKDIR
set -euo pipefail
segmint=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
# A table large enough that the k sweep runs for a few seconds.
awk 'BEGIN { srand(7); print "id,a,b,c,d,e,f"; for (i = 0; i < 400000; i++) printf "%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", i, rand()*9, rand()*7, rand()*5, rand(), rand()*3, rand()*2 }' > "$work/big.csv"
for sig in TERM INT; do
  out=$work/out_$sig
  "$segmint" run "$work/big.csv" --out "$out" --k 2..12 --quiet >/dev/null 2>"$work/err_$sig" &
  pid=$!
  sleep 1.5
  if ! kill -0 "$pid" 2>/dev/null; then echo "SKIP: the run finished before SIG$sig was sent"; exit 77; fi
  kill -s "$sig" "$pid"
  set +e; wait "$pid"; code=$?; set -e
  want=$(( 128 + $(kill -l "$sig") ))
  [[ $code -eq $want ]] || { echo "FAIL: SIG$sig gave exit code $code, want $want"; exit 1; }
  if [[ -d "$out" ]] && [[ -n "$(ls -A "$out")" ]]; then echo "FAIL: SIG$sig left files: $(ls "$out")"; exit 1; fi
  grep -q "interrupted" "$work/err_$sig" || { echo "FAIL: no message on stderr"; cat "$work/err_$sig"; exit 1; }
  echo "ok: SIG$sig → exit $code, no outputs"
done
