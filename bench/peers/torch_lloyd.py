#!/usr/bin/env python3
"""PyTorch peer for segmint's GPU stages, run side by side on the GPU machine (tools/gpu_check.sh).

    python3 bench/peers/torch_lloyd.py --rows 10000000 --dims 16 --k 8 64 1024 --silhouette-rows 200000

One Lloyd iteration the way GPU k-means code is usually written in PyTorch (issue 3's reference points):
squared distances by the GEMM expansion ‖x‖² − 2·x·cᵀ + ‖c‖², argmin, then per-centroid sums with
index_add_ and counts with bincount. TF32 is switched off (as segmint's CUBLAS_DEFAULT_MATH), so the
product is plain FP32. Exact silhouette: torch.cdist per block of rows against all rows, per-cluster sums
by a one-hot product. Times are CUDA-event medians after a warm-up. Prints one JSON object per line.
"""
import argparse
import json
import statistics

import torch


def timed_ms(fn, repeat):
    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times)


def lloyd_iteration(x, c):
    xn = (x * x).sum(1, keepdim=True)
    cn = (c * c).sum(1)
    d2 = xn - 2.0 * (x @ c.T) + cn
    labels = d2.argmin(1)
    sums = torch.zeros_like(c).index_add_(0, labels, x)
    counts = torch.bincount(labels, minlength=c.shape[0])
    inertia = d2.gather(1, labels[:, None]).sum()
    return sums, counts, inertia


def silhouette_exact(x, labels, k, block=2048):
    n = x.shape[0]
    counts = torch.bincount(labels, minlength=k).to(torch.float64)
    onehot = torch.nn.functional.one_hot(labels, k).to(torch.float32)
    total = torch.zeros((), dtype=torch.float64, device=x.device)
    for i0 in range(0, n, block):
        d = torch.cdist(x[i0:i0 + block], x)
        sums = (d @ onehot).to(torch.float64)
        own = labels[i0:i0 + block]
        a = sums.gather(1, own[:, None]).squeeze(1) / (counts[own] - 1).clamp(min=1)
        other = sums / counts.clamp(min=1)
        other.scatter_(1, own[:, None], float("inf"))
        other[:, counts == 0] = float("inf")
        b = other.min(1).values
        s = (b - a) / torch.maximum(a, b)
        s[counts[own] <= 1] = 0
        total += s.sum()
    return total / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dims", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--k", type=int, nargs="+", default=[8, 64, 1024])
    ap.add_argument("--silhouette-rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    gen = torch.Generator(device=dev).manual_seed(1)
    for d in a.dims:
        x = torch.randn(a.rows, d, device=dev, generator=gen)
        for k in a.k:
            if d > 16 and k > 64:
                continue  # the reference points: (16, 8), (64, 8), (16, 64), (16, 1024)
            c = x[(torch.arange(k, device=dev) * 7919 + 3) % a.rows].clone()
            ms = timed_ms(lambda: lloyd_iteration(x, c), a.repeat)
            floor_ms = a.rows * d * 4 / 4.8e12 * 1e3  # one read of the data at the H200's 4.8 TB/s
            print(json.dumps({"peer": "torch", "stage": "lloyd_iteration", "rows": a.rows, "d": d, "k": k,
                              "ms": round(ms, 4), "hbm_floor_ms": round(floor_ms, 4),
                              "device": torch.cuda.get_device_name()}), flush=True)
        del x
    m = a.silhouette_rows
    x = torch.randn(m, 16, device=dev, generator=gen)
    labels = torch.arange(m, device=dev) % 8
    ms = timed_ms(lambda: silhouette_exact(x, labels, 8), 1)
    print(json.dumps({"peer": "torch", "stage": "silhouette_exact", "rows": m, "d": 16, "k": 8, "ms": round(ms, 2),
                      "device": torch.cuda.get_device_name()}), flush=True)


if __name__ == "__main__":
    main()
