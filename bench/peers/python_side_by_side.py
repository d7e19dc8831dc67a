#!/usr/bin/env python3
"""The Python package side by side with the CLI and with scikit-learn, on one seeded table, in one run.

    python3 bench/peers/python_side_by_side.py --rows 1000000 --features 16 --segmint build/ci/tools/segmint

1. segmint.segment(DataFrame) against `segmint run` on the same table (a CSV written first, not timed): the
   Python call's wall time, the CLI's wall time and the CLI's own clustering time (run.json timings_s.cluster);
   issue #20 asks the Python call to stay within 10% of the CLI's clustering time.
2. segmint.KMeans(k).fit(X) against sklearn.cluster.KMeans(k).fit(X) (same k, same n_init), best of --rounds.
3. The per-call overhead: segmint.KMeans(3).fit on 100 rows × 2, median of 200 calls.
Needs the segmint package installed (pip install ./python) and the CLI built.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans as SkKMeans
from sklearn.metrics import adjusted_rand_score

import segmint


def table(rows, features, seed=11):
    """Eight customer groups of unequal size and spread, positive "amount-like" features."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(10, 100, size=(8, features))
    group = rng.choice(8, size=rows, p=np.linspace(1, 2, 8) / np.linspace(1, 2, 8).sum())
    spread = rng.uniform(2, 6, size=8)[group][:, None]
    X = (centres[group] + rng.normal(size=(rows, features)) * spread).astype(np.float32)
    df = pd.DataFrame(X, columns=[f"feature_{j}" for j in range(features)])
    df.insert(0, "customer_id", np.arange(1, rows + 1))
    return df


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=16)
    ap.add_argument("--k", default="2..10")
    ap.add_argument("--fit-k", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--segmint", default="build/ci/tools/segmint")
    a = ap.parse_args()
    df = table(a.rows, a.features)
    work = pathlib.Path(tempfile.mkdtemp(prefix="segmint-py-bench-"))
    csv = work / "customers.csv"
    df.to_csv(csv, index=False)
    frame = df.set_index("customer_id")

    print(f"table: {a.rows} rows x {a.features} features; k = {a.k}")
    py_times, cli_times, cli_cluster, py_side = [], [], [], []
    for r in range(a.rounds):  # interleaved, best of each
        t, result = timed(lambda: segmint.segment(frame, k=a.k, report=False, out=work / "py"))
        py_times.append(t)
        py_side.append(t - sum(result.run["timings_s"].values()))  # conversion, table build, results read back
        t, _ = timed(lambda: subprocess.run([a.segmint, "run", str(csv), "--id", "customer_id", "--k", a.k, "--no-report",
                                             "--quiet", "--out", str(work / "cli")], check=True, capture_output=True))
        cli_times.append(t)
        cli_cluster.append(json.loads((work / "cli" / "run.json").read_text())["timings_s"]["cluster"])
    same = (work / "py" / "segments.csv").read_bytes() == (work / "cli" / "segments.csv").read_bytes()
    py, cli, cluster = min(py_times), min(cli_times), min(cli_cluster)
    print(f"segment(DataFrame): {py:.2f} s | segmint run (CSV): {cli:.2f} s, of which clustering {cluster:.2f} s")
    print(f"  Python / CLI clustering = {py / cluster:.3f}; Python / CLI whole run = {py / cli:.3f}; "
          f"k = {result.k}; segments.csv identical: {same}")
    print(f"  Python-side work (DataFrame to columns, the table built from them, results read back): "
          f"{min(py_side):.2f} s = {100 * min(py_side) / cluster:.1f}% of the CLI's clustering time")

    X = np.asfortranarray(frame.to_numpy(dtype=np.float32))
    ours_t, theirs_t = [], []
    for r in range(a.rounds):
        t, ours = timed(lambda: segmint.KMeans(a.fit_k, n_init=1, random_state=0).fit(X))
        ours_t.append(t)
        t, theirs = timed(lambda: SkKMeans(a.fit_k, n_init=1, random_state=0).fit(X))
        theirs_t.append(t)
    print(f"KMeans({a.fit_k}, n_init=1).fit: segmint {min(ours_t):.2f} s, scikit-learn {min(theirs_t):.2f} s "
          f"({min(theirs_t) / min(ours_t):.2f}x); inertia {ours.inertia_:.6g} vs {theirs.inertia_:.6g}; "
          f"ARI {adjusted_rand_score(ours.labels_, theirs.labels_):.4f}")

    small = np.random.default_rng(0).normal(size=(100, 2)).astype(np.float32)
    calls = []
    for _ in range(200):
        t, _ = timed(lambda: segmint.KMeans(3, n_init=1, random_state=0).fit(small))
        calls.append(t)
    print(f"per call: KMeans(3).fit on 100 x 2: median {statistics.median(calls) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
