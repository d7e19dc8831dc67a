#!/usr/bin/env python3
"""segmint tune beside the scikit-learn loop a user would write, in one run on one table.

The loop: read the CSV with pandas, standardise, and for each k fit KMeans and compute silhouette_score on a
20,000-row sample (segmint's sampling size) — one configuration, no gap statistic, no stability. segmint is
timed for the same configuration (--algo kmeans --log none --pca 0), which adds the gap statistic and
stability (20 refits per k), and for the default grid (12 configurations) when --grid is given.

    python3 bench/peers/make_customers.py --rows 1000000 --out /tmp/customers_1m.csv
    python3 bench/peers/tune_side_by_side.py --input /tmp/customers_1m.csv --segmint build/cpu/tools/segmint
"""
import argparse
import json
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def sklearn_loop(path, k_max, seed):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    x = df.select_dtypes("number")
    x = x.fillna(x.median())
    z = StandardScaler().fit_transform(x.to_numpy(np.float32))
    scores = {}
    for k in range(2, k_max + 1):
        labels = KMeans(n_clusters=k, n_init="auto", random_state=seed).fit_predict(z)
        scores[k] = silhouette_score(z, labels, sample_size=min(20000, len(z)), random_state=seed)
    best = max(scores, key=scores.get)
    return time.perf_counter() - t0, best, scores[best]


def segmint_tune(binary, path, extra):
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run([binary, "tune", path, "--out", out, "--quiet", "--no-report", *extra], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t0
        with open(f"{out}/tune.json") as f:
            rec = json.load(f)["recommended"]
        with open(f"{out}/timings.json") as f:
            timings = json.load(f)
    return seconds, rec, timings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--segmint", default="build/cpu/tools/segmint")
    ap.add_argument("--k-max", type=int, default=12)
    ap.add_argument("--grid", action="store_true", help="also time segmint's default grid")
    a = ap.parse_args()
    s_loop, k_loop, sil = sklearn_loop(a.input, a.k_max, 0)
    print(f"scikit-learn loop (KMeans + sampled silhouette, k = 2..{a.k_max}): {s_loop:.1f} s, best k = {k_loop} (silhouette {sil:.3f})")
    one = ["--algo", "kmeans", "--log", "none", "--pca", "0", "--k", f"1..{a.k_max}"]
    s_one, rec, _ = segmint_tune(a.segmint, a.input, one)
    print(f"segmint tune, the same configuration (+ gap statistic, 20-resample stability, seed agreement): {s_one:.1f} s, "
          f"recommended k = {rec['k']} ({s_loop / s_one:.1f}x the loop's speed)")
    if a.grid:
        s_grid, rec, timings = segmint_tune(a.segmint, a.input, [])
        per = ", ".join(f"{c['algo']}/{c['log']}/pca {c['pca']}: {c['seconds']:.0f} s" for c in timings["configurations"])
        print(f"segmint tune, default grid ({len(timings['configurations'])} configurations): {s_grid:.1f} s; recommended "
              f"{rec['algo']} log {rec['log']} pca {rec['pca']} k = {rec['k']}\n  per configuration: {per}")


if __name__ == "__main__":
    main()
