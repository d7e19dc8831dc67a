#!/usr/bin/env python3
"""Exact Ward side by side: SciPy's linkage(method="ward") and `segmint run --algo ward --ward-mode exact`
on the same float32 table (8 latent groups + unit noise, like bench/bench_data.hpp), each in its own
process, with wall time and peak resident memory (getrusage of the child).

    python3 bench/peers/scipy_ward.py --rows 40000 --dims 8 --scipy-rows 20000 --segmint build/ci/tools/segmint

SciPy needs O(n²) memory (two n(n−1)/2 double distance arrays: ~12.8 GB at 40,000 rows) and O(n²) time,
so by default it runs on the first --scipy-rows rows and its time and memory are also extrapolated to
--rows by (rows / scipy_rows)²; pass --scipy-rows equal to --rows to run it in full. segmint runs on all
--rows (it needs O(n·d)). At --scipy-rows both are also run on the same rows and their linkages compared
(identical merges expected; heights to 1e-9 relative). segmint's time includes reading the .npy, scoring
k = 2..10 (silhouette on a 20,000-row sample) and writing the outputs; run.json has the stage timings.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np


def child(cmd):
    """Runs cmd; returns (seconds, peak RSS in MiB) of that child alone (wait4 gives its own rusage)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed with exit code {p.returncode}")
    return secs, usage.ru_maxrss / 1024.0


SCIPY_CHILD = """
import sys, time, numpy as np
from scipy.cluster.hierarchy import linkage
x = np.load(sys.argv[1]).astype(np.float64)
t0 = time.perf_counter()
z = linkage(x, method="ward")
print(f"scipy linkage: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
np.save(sys.argv[2], z)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=40000)
    ap.add_argument("--dims", type=int, default=8)
    ap.add_argument("--scipy-rows", type=int, default=20000)
    ap.add_argument("--segmint", default="build/ci/tools/segmint")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    centres = 4.0 * rng.standard_normal((8, a.dims))
    x = (centres[np.arange(a.rows) % 8] + rng.standard_normal((a.rows, a.dims))).astype(np.float32)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="segmint-ward-bench-"))
    full, small = tmp / "full.npy", tmp / "small.npy"
    np.save(full, x)
    np.save(small, x[: a.scipy_rows])
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads))
    seg = [a.segmint, "run", "--algo", "ward", "--ward-mode", "exact", "--no-standardize", "--k", "2..10",
           "--threads", str(a.threads), "--quiet"]
    os.environ.update(env)

    s_small_t, _ = child(seg + [str(small), "--out", str(tmp / "seg_small")])
    s_full_t, s_full_mem = child(seg + [str(full), "--out", str(tmp / "seg_full")])
    sc_t, sc_mem = child([sys.executable, "-c", SCIPY_CHILD, str(small), str(tmp / "z.npy")])

    z = np.load(tmp / "z.npy")
    ours = np.loadtxt(tmp / "seg_small" / "linkage.csv", delimiter=",", skiprows=1)
    same_ids = bool((ours[:, :2] == z[:, :2]).all() and (ours[:, 3] == z[:, 3]).all())
    rel = float(np.max(np.abs(ours[:, 2] - z[:, 2]) / np.maximum(z[:, 2], 1e-300)))
    run = json.loads((tmp / "seg_full" / "run.json").read_text())
    scale = (a.rows / a.scipy_rows) ** 2
    print(f"data: {a.rows} x {a.dims} float32, 8 groups; threads {a.threads}; {os.cpu_count()} CPUs")
    print(f"segmint exact Ward, {a.rows} rows: {s_full_t:.2f} s wall, peak RSS {s_full_mem:.0f} MiB "
          f"(cluster stage {run['timings_s']['cluster']:.2f} s incl. scoring k=2..10; {int(run['model']['nn_searches'])} NN scans)")
    print(f"segmint exact Ward, {a.scipy_rows} rows: {s_small_t:.2f} s wall")
    print(f"scipy linkage ward, {a.scipy_rows} rows: {sc_t:.2f} s wall (incl. Python start and load), peak RSS {sc_mem:.0f} MiB")
    if a.scipy_rows != a.rows:
        print(f"scipy extrapolated to {a.rows} rows (x{scale:.1f}, O(n^2)): ~{sc_t * scale:.0f} s, ~{sc_mem * scale / 1024:.1f} GiB")
    print(f"same linkage at {a.scipy_rows} rows: merges and sizes identical = {same_ids}, max relative height difference = {rel:.1e}")


if __name__ == "__main__":
    main()
