#!/usr/bin/env python3
"""scikit-learn's time per EM iteration (GaussianMixture), side by side with segmint's BM_gmm_em_iteration.

    python3 bench/peers/sklearn_gmm.py --rows 200000 --dims 16 --k 8 --covariance full --threads 2

Same synthetic layout as bench/bench_data.hpp. Time per iteration = (fit with 1 + iters − fit with 1
iteration) / iters, from the same initial parameters (tol = 0 so EM never stops early), best of 3.
"""
import argparse
import json
import time
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--dims", type=int, default=16)
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--covariance", default="full")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    a = ap.parse_args()
    rng = np.random.default_rng(1)
    centres = 4 * rng.standard_normal((a.k, a.dims)).astype(np.float32)
    x = (centres[np.arange(a.rows) % a.k] + rng.standard_normal((a.rows, a.dims)).astype(np.float32)).astype(np.float64)
    init = GaussianMixture(a.k, covariance_type=a.covariance, max_iter=2, random_state=0).fit(x)

    def fit_time(iters):
        gm = GaussianMixture(a.k, covariance_type=a.covariance, max_iter=iters, tol=0.0, weights_init=init.weights_,
                             means_init=init.means_, precisions_init=init.precisions_)
        t0 = time.perf_counter()
        gm.fit(x)
        return time.perf_counter() - t0

    best = float("inf")
    with threadpool_limits(limits=a.threads):
        for _ in range(3):
            best = min(best, (fit_time(1 + a.iters) - fit_time(1)) / a.iters)
    print(json.dumps({"peer": "scikit-learn GaussianMixture", "rows": a.rows, "dims": a.dims, "k": a.k,
                      "covariance": a.covariance, "threads": a.threads, "ms_per_em_iteration": round(best * 1e3, 1)}))


if __name__ == "__main__":
    main()
