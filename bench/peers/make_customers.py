#!/usr/bin/env python3
"""Writes a synthetic customer table for end-to-end benchmarks: an id and 16 behavioural features
(8 latent segments, skewed spend columns, counts, a few missing values), like a CRM export.

    python3 bench/peers/make_customers.py --rows 1000000 --out /tmp/customers_1m.csv
"""
import argparse

import numpy as np
import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--segments", type=int, default=8)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    seg = rng.integers(0, a.segments, a.rows)
    centre = rng.normal(0, 1.5, (a.segments, 16))
    z = centre[seg] + rng.normal(0, 1, (a.rows, 16))
    cols = {}
    cols["customer_id"] = np.char.add("C", np.arange(a.rows).astype(str))
    cols["age"] = np.clip(40 + 12 * z[:, 0], 18, 95).round()
    cols["income_k"] = np.round(np.exp(3.9 + 0.4 * z[:, 1]), 1)
    for i, name in enumerate(["spend_grocery", "spend_fashion", "spend_electronics", "spend_home", "spend_beauty"]):
        cols[name] = np.round(np.exp(4 + 0.6 * z[:, 2 + i]), 2)
    cols["orders_12m"] = np.maximum(0, np.round(6 + 3 * z[:, 7]))
    cols["avg_ticket"] = np.round(np.exp(3.5 + 0.3 * z[:, 8]), 2)
    cols["days_since_last"] = np.maximum(0, np.round(60 + 40 * z[:, 9]))
    cols["tenure_days"] = np.maximum(1, np.round(700 + 300 * z[:, 10]))
    cols["web_visits"] = np.maximum(0, np.round(8 + 4 * z[:, 11]))
    cols["returns_share"] = np.round(np.clip(0.1 + 0.05 * z[:, 12], 0, 1), 3)
    cols["discount_share"] = np.round(np.clip(0.3 + 0.1 * z[:, 13], 0, 1), 3)
    cols["app_sessions"] = np.maximum(0, np.round(10 + 6 * z[:, 14]))
    cols["support_tickets"] = np.maximum(0, np.round(1 + z[:, 15]))
    df = pd.DataFrame(cols)
    df.loc[rng.random(a.rows) < 0.01, "income_k"] = np.nan
    df.to_csv(a.out, index=False)
    print(f"wrote {a.out}: {a.rows} rows x {df.shape[1]} columns")


if __name__ == "__main__":
    main()
