#!/usr/bin/env bash
# End-to-end browser test: segmint writes report.html for the Mall Customers data, headless Chromium renders
# it offline, and segmint_dom_check looks at the rendered DOM and the console. The screenshot is kept as a CI
# artefact for people to look at.
#   report_in_chromium.sh SEGMINT DOM_CHECK DATA.csv WORK_DIR SCREENSHOT.png
# Chromium comes from Debian's `chromium` package: installed here when missing and we are root with apt-get
# (the only network use; the page itself loads nothing). Exit 77 (CTest: skipped) with the reason otherwise.
set -euo pipefail
segmint=$1 dom_check=$2 data=$3 work=$4 screenshot=$5

find_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || true; }
browser=$(find_chromium)
if [[ -z "$browser" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null && [[ "${SEGMINT_NO_APT:-0}" != 1 ]]; then
    echo "report_in_chromium: installing Debian's chromium package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } || true
    browser=$(find_chromium)
  fi
fi
if [[ -z "$browser" ]]; then
  echo "SKIPPED: no chromium found, and it cannot be installed here (needs root, apt-get and the Debian archive)"
  exit 77
fi
echo "report_in_chromium: using $browser ($("$browser" --version 2>/dev/null | head -1))"

rm -rf "$work"
mkdir -p "$work"
"$segmint" run "$data" --out "$work/out" --features "Annual Income (k\$),Spending Score (1-100)" --k 2..10 --quiet >"$work/segmint.txt"
report="$work/out/report.html"

# A private profile per run: parallel tests must not share one. --no-sandbox: CI runs as root in a container.
flags=(--headless --disable-gpu --no-sandbox --disable-dev-shm-usage --no-first-run --disable-extensions
       --disable-background-networking
       --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
timeout 180 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" 2>"$work/console.log"
timeout 180 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1300,5200 --screenshot="$screenshot" \
  "file://$report" >/dev/null 2>>"$work/console.log"

"$dom_check" "$work/dom.html" "$work/console.log" 8
size=$(stat -c %s "$screenshot")
if ((size < 50000)); then
  echo "FAIL: the screenshot $screenshot is only $size bytes (blank page?)" >&2
  exit 1
fi
echo "report_in_chromium: ok; screenshot $screenshot ($size bytes)"
