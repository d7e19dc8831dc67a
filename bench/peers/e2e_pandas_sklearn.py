#!/usr/bin/env python3
"""The notebook way, timed: pandas reads the CSV, median-imputes, StandardScaler, KMeans(k) with
scikit-learn's defaults, silhouette on a 20,000-row sample, write assignments. Side-by-side peer for
`segmint run FILE --k K`.

    python3 bench/peers/e2e_pandas_sklearn.py /tmp/customers_1m.csv --k 8 --threads 2
"""
import argparse
import json
import time

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default="/tmp/sklearn_segments.csv")
    a = ap.parse_args()
    t = {}
    t0 = time.perf_counter()
    with threadpool_limits(limits=a.threads):
        df = pd.read_csv(a.csv)
        t["read"] = time.perf_counter() - t0
        x = df.drop(columns=["customer_id"])
        x = x.fillna(x.median())
        z = StandardScaler().fit_transform(x.to_numpy(dtype="float32"))
        t1 = time.perf_counter()
        km = KMeans(n_clusters=a.k, random_state=0).fit(z)
        t["kmeans"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        sil = silhouette_score(z, km.labels_, sample_size=20000, random_state=0)
        t["silhouette"] = time.perf_counter() - t2
        pd.DataFrame({"customer_id": df["customer_id"], "segment": km.labels_}).to_csv(a.out, index=False)
    t["total"] = time.perf_counter() - t0
    print(json.dumps({"peer": "pandas+scikit-learn", "k": a.k, "threads": a.threads, "silhouette": round(float(sil), 4),
                      "n_iter": int(km.n_iter_), "seconds": {k: round(v, 3) for k, v in t.items()}}))


if __name__ == "__main__":
    main()
