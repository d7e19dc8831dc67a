#!/usr/bin/env python3
"""Peer for `segmint features`: the same customer features from an Online-Retail-shaped log with pandas,
under segmint's policies (exact duplicate lines dropped, lines without a customer dropped, 'C' invoices and
negative quantities netted as returns, customers without a purchase left out, as-of = last day + 1).

    python3 bench/peers/pandas_rfm.py examples/data/online_retail/by-day/*.csv.gz
    python3 bench/peers/pandas_rfm.py /tmp/segmint_bench_transactions_10000000.csv   # the benchmark's log
Prints the wall time of reading and of computing the features (pandas uses one core).
"""
import sys
import time

import pandas as pd

t0 = time.perf_counter()
cols = ["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"]
raw = pd.concat((pd.read_csv(f, dtype=str, keep_default_na=False) for f in sys.argv[1:]), ignore_index=True)
t1 = time.perf_counter()
lines = len(raw)
df = raw[~raw.duplicated()]
df = df[df.CustomerID != ""][cols].copy()
df["cust"] = df.CustomerID.str.replace(r"\.0$", "", regex=True)
df["day"] = pd.to_datetime(df.InvoiceDate.str[:10])
q = df.Quantity.astype(float)
df["amt"] = q * df.UnitPrice.astype(float)
df["ret"] = df.InvoiceNo.str.startswith("C") | (q < 0) | (df.amt < 0)
df.loc[df.ret, "amt"] = -df.loc[df.ret, "amt"].abs()
as_of = df.day.max() + pd.Timedelta(days=1)
pur = df[~df.ret]
g = pur.groupby("cust")
c = pd.DataFrame({"first": g.day.min(), "last": g.day.max(), "days": g.day.nunique(), "frequency": g.InvoiceNo.nunique(),
                  "gross": g.amt.sum()})
c["returned"] = (-df[df.ret].groupby("cust").amt.sum()).reindex(c.index).fillna(0.0)
c["recency_days"] = (as_of - c["last"]).dt.days
c["tenure_days"] = (as_of - c["first"]).dt.days
c["monetary_total"] = (c.gross - c.returned).clip(lower=0)
c["avg_order_value"] = c.monetary_total / c.frequency
t2 = time.perf_counter()
print(f"pandas: {lines} lines, {len(c)} customers: read {t1 - t0:.2f} s, features {t2 - t1:.2f} s, "
      f"total {t2 - t0:.2f} s ({lines / (t2 - t0) / 1e6:.2f} M lines/s)")
