#!/usr/bin/env python3
"""Populations with a known segmentation for `segmint tune` (issue #16's acceptance), as CSV tables with an id
column, plus a truth CSV (id, truth) for each:
  six     six Gaussian segments of unequal size (40/25/15/10/6/4%) and spread (sd 0.5..1.5) in 8 features,
          centres N(0, 6²) redrawn until every two are 12 apart;
  rfm     four customer segments with log-normal recency (days), orders and spend (sd 0.25 in log units);
  noise   one standard Gaussian blob (no segments).
The C++ tests draw the same kinds of population (tests/support/synthetic_segments.hpp) with their own generator.

    python3 bench/peers/make_tune_populations.py --kind six --rows 10000 --seed 1 --out /tmp/six_1.csv
"""
import argparse

import numpy as np
import pandas as pd


def six(rng, rows):
    share = [0.40, 0.25, 0.15, 0.10, 0.06, 0.04]
    sd = [1.0, 0.5, 1.5, 0.8, 1.2, 0.6]
    centres = []
    while len(centres) < 6:
        c = rng.normal(0, 6, 8)
        if all(np.linalg.norm(c - o) >= 12 for o in centres):
            centres.append(c)
    parts = [centres[g] + sd[g] * rng.normal(0, 1, (int(share[g] * rows), 8)) for g in range(6)]
    return np.vstack(parts), np.repeat(np.arange(6), [len(p) for p in parts]), [f"f{j}" for j in range(8)]


def rfm(rng, rows):
    log_mean = np.array([[2.0, 2.8, 7.0], [3.5, 1.8, 5.5], [5.5, 1.0, 4.0], [2.5, 0.9, 6.5]])
    share = [0.375, 0.3125, 0.1875, 0.125]
    parts = [np.exp(log_mean[g] + 0.25 * rng.normal(0, 1, (int(share[g] * rows), 3))) for g in range(4)]
    return np.vstack(parts), np.repeat(np.arange(4), [len(p) for p in parts]), ["recency_days", "orders", "spend"]


def noise(rng, rows, features=6):
    return rng.normal(0, 1, (rows, features)), np.zeros(rows, dtype=int), [f"x{j}" for j in range(features)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["six", "rfm", "noise"], required=True)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    x, truth, columns = {"six": six, "rfm": rfm, "noise": noise}[a.kind](np.random.default_rng(a.seed), a.rows)
    df = pd.DataFrame(x, columns=columns)
    df.insert(0, "id", np.arange(1, len(df) + 1))
    df.to_csv(a.out, index=False, float_format="%.6g")
    pd.DataFrame({"id": df["id"], "truth": truth}).to_csv(a.out.replace(".csv", "_truth.csv"), index=False)
    print(f"wrote {a.out}: {len(df)} rows")


if __name__ == "__main__":
    main()
