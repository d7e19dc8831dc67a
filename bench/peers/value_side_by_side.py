#!/usr/bin/env python3
"""`segmint value` (BG/NBD fit + P(alive) + expected purchases) side by side with lifetimes 0.11.3 on the same
synthetic customers, drawn from BG/NBD with the CDNOW parameters (seeded: the same file every time).

    python3 bench/peers/value_side_by_side.py --customers 1000000 --segmint build/cpu/tools/segmint [--rounds 3]
    python3 bench/peers/value_side_by_side.py --model pareto_nbd ...   (lifetimes' ParetoNBDFitter as the peer)

Prints the best wall time of each over the rounds (interleaved), the ratio, and both fits. segmint's time is
the whole command (read the CSV, fit, score, write value.csv and value.json); lifetimes' is the fit and the two
predictions on a DataFrame already in memory (its CSV read is not counted).
"""
import argparse
import json
import pathlib
import subprocess
import tempfile
import time

import numpy as np


def simulate(n, seed=7, r=0.243, alpha=4.414, a=0.793, b=2.426):
    """frequency, recency, T (weeks) of n customers observed for 27-39 weeks after their first purchase."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    T = rng.uniform(27, 39, n).round(2)
    t = np.zeros(n)
    x = np.zeros(n, dtype=np.int64)
    last = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        gap = rng.exponential(1, n) / np.maximum(lam, 1e-12)
        t = np.where(alive, t + gap, t)
        bought = alive & (t <= T)
        x += bought
        last = np.where(bought, t, last)
        alive = bought & (rng.random(n) >= p)
    return x, last.round(2), T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--segmint", default="build/cpu/tools/segmint")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-lifetimes", action="store_true")
    ap.add_argument("--model", choices=["bgnbd", "pareto_nbd"], default="bgnbd")
    args = ap.parse_args()
    import pandas as pd

    x, rec, T = simulate(args.customers)
    df = pd.DataFrame({"id": np.arange(1, args.customers + 1), "frequency": x, "recency": rec, "T": T})
    tmp = pathlib.Path(tempfile.mkdtemp())
    path = tmp / "summary.csv"
    df.to_csv(path, index=False)
    best_s, best_l = float("inf"), float("inf")
    fit_s = fit_l = None
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        subprocess.run([args.segmint, "value", "--summary", str(path), "--id", "id", "--unit", "weeks", "--horizon", "10",
                        "--model", args.model, "--out", str(tmp / "out")], check=True, stdout=subprocess.DEVNULL)
        best_s = min(best_s, time.perf_counter() - t0)
        fit_s = json.loads((tmp / "out/value.json").read_text())[args.model]
        if args.skip_lifetimes:
            continue
        from lifetimes import BetaGeoFitter, ParetoNBDFitter
        t0 = time.perf_counter()
        bg = (BetaGeoFitter() if args.model == "bgnbd" else ParetoNBDFitter()).fit(df.frequency, df.recency, df["T"])
        bg.conditional_probability_alive(df.frequency, df.recency, df["T"])
        bg.conditional_expected_number_of_purchases_up_to_time(10, df.frequency, df.recency, df["T"])
        best_l = min(best_l, time.perf_counter() - t0)
        fit_l = {k: float(v) for k, v in bg.params_.items()}
    print(f"customers {args.customers}: segmint value best {best_s:.3f} s; lifetimes best {best_l:.3f} s; "
          f"ratio {best_l / best_s:.1f}x")
    print("segmint  ", {k: round(v, 5) for k, v in fit_s.items()})
    if fit_l:
        print("lifetimes", {k: round(v, 5) for k, v in fit_l.items()})


if __name__ == "__main__":
    main()
