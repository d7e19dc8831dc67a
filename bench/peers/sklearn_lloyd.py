#!/usr/bin/env python3
"""scikit-learn's time per Lloyd iteration, to compare with segmint's BM_lloyd_iteration side by side.

    python3 bench/peers/sklearn_lloyd.py --rows 1000000 --dims 12 --k 6 --threads 2

Same synthetic layout as bench/bench_data.hpp (k groups, unit noise) but with the group centres close
together, so that Lloyd does not converge early. The time per iteration is (fit with 1 + iters iterations
− fit with 1 iteration) / iters from the same fixed centroids (tol = 0), best of 3: input validation and
set-up cancel out.
"""
import argparse
import json
import time

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--dims", type=int, default=12)
    ap.add_argument("--k", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=20)
    a = ap.parse_args()
    rng = np.random.default_rng(1)
    centres = 0.3 * rng.standard_normal((a.k, a.dims)).astype(np.float32)
    x = centres[np.arange(a.rows) % a.k] + rng.standard_normal((a.rows, a.dims)).astype(np.float32)
    init = x[(np.arange(a.k) * 7919) % a.rows]
    def fit_time(iters):
        km = KMeans(n_clusters=a.k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd")
        t0 = time.perf_counter()
        km.fit(x)
        elapsed = time.perf_counter() - t0
        if km.n_iter_ != iters:
            raise SystemExit(f"converged after {km.n_iter_} iterations; use fewer --iters")
        return elapsed

    best = float("inf")
    with threadpool_limits(limits=a.threads):
        for _ in range(3):
            best = min(best, (fit_time(1 + a.iters) - fit_time(1)) / a.iters)
    print(json.dumps({"peer": "scikit-learn", "rows": a.rows, "dims": a.dims, "k": a.k, "threads": a.threads,
                      "ms_per_lloyd_iteration": round(best * 1e3, 3)}))


if __name__ == "__main__":
    main()
