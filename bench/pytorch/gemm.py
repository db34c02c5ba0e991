"""PyTorch side of the GEMM comparison: GFLOPS of torch.mm on the shapes of `seqgraph bench gemm`.

Usage: gemm.py THREADS [REPEATS]. Prints the same JSON as `seqgraph bench gemm --json`.
Transposed layouts use .t() views of tensors stored transposed, so torch sees the same
memory layout as SeqGraph's Sgemm (no copies). Run with the environment from
docs/BENCHMARKS.md (OpenBLAS core type, ATen capability).
"""
import json
import statistics
import sys
import time

import torch

SHAPES = [(64, 128, 512), (128, 256, 1024), (1920, 512, 2048), (1024, 1024, 1024)]  # (M, K, N)


def measure(fn, flops, repeats):
    inner = max(1, int(2e9 / flops))  # one timing takes at least ~20 ms, as on the SeqGraph side
    fn()  # warm-up, not timed
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return flops / statistics.median(times) / 1e9


def main():
    threads = int(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    results = []
    with torch.no_grad():
        for m, k, n in SHAPES:
            a, b = torch.rand(m, k) * 2 - 1, torch.rand(k, n) * 2 - 1
            a_t, b_t = a.t().contiguous(), b.t().contiguous()  # stored k×m and n×k
            c = torch.empty(m, n)
            cases = {
                "NN": lambda: torch.mm(a, b, out=c),
                "NT": lambda: torch.mm(a, b_t.t(), out=c),
                "TN": lambda: torch.mm(a_t.t(), b, out=c),
            }
            for layout, fn in cases.items():
                gflops = measure(fn, 2.0 * m * n * k, repeats)
                results.append({"m": m, "k": k, "n": n, "layout": layout, "threads": threads, "gflops": round(gflops, 2)})
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
