#!/usr/bin/env bash
# Side-by-side GEMM benchmark: SeqGraph vs PyTorch (torch.mm on OpenBLAS), alternating A B A B.
# Usage: bench/gemm_compare.sh [ROUNDS] (default 3), from anywhere inside the repository.
# Prints a markdown table: medians per side and the median of the pairwise (same-round) ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
PY=/usr/bin/python3
TORCH_ENV=(env OPENBLAS_CORETYPE=SapphireRapids ATEN_CPU_CAPABILITY=avx512)
CLI=src/SeqGraph.Cli/bin/Release/net10.0/SeqGraph.Cli.dll
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

dotnet build -c Release -warnaserror -v quiet -nologo >/dev/null

# Check the PyTorch setup: version, BLAS, and that torch.mm 1024³ on one thread is not the reference BLAS.
"${TORCH_ENV[@]}" "$PY" - <<'PY'
import time, torch
torch.set_num_threads(1)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
torch.mm(a, b)
best = min((lambda t0: (torch.mm(a, b), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(5))
gf = 2 * 1024**3 / best / 1e9
libs = {line.split("/")[-2] + "/" + line.split("/")[-1].strip() for line in open("/proc/self/maps") if "blas" in line}
blas = ", ".join(sorted(libs)) or "unknown"
print(f"torch {torch.__version__}, BLAS {blas}, torch.mm 1024^3 1 thread: {gf:.0f} GFLOPS")
if gf < 100:
    print("PyTorch is mis-configured (below 100 GFLOPS): check libblas.so.3 -> openblas-openmp and OPENBLAS_CORETYPE")
    raise SystemExit(1)
PY
echo "dotnet $(dotnet --version), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

for threads in 1 2; do
  for round in $(seq 1 "$ROUNDS"); do
    dotnet "$CLI" bench gemm --json --threads "$threads" > "$OUT/seqgraph-$threads-$round.json"
    "${TORCH_ENV[@]}" "$PY" bench/pytorch/gemm.py "$threads" > "$OUT/torch-$threads-$round.json"
  done
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PY" - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(side, threads, r):
    with open(f"{out}/{side}-{threads}-{r}.json") as f:
        return {(x["m"], x["k"], x["n"], x["layout"]): x["gflops"] for x in json.load(f)["results"]}
print("| M×K×N | layout | threads | SeqGraph GFLOPS | PyTorch GFLOPS | ratio |")
print("|---|---|---|---:|---:|---:|")
for threads in (1, 2):
    ours = [load("seqgraph", threads, r) for r in range(1, rounds + 1)]
    theirs = [load("torch", threads, r) for r in range(1, rounds + 1)]
    for key in ours[0]:
        s = statistics.median(o[key] for o in ours)
        t = statistics.median(x[key] for x in theirs)
        ratio = statistics.median(o[key] / x[key] for o, x in zip(ours, theirs))
        m, k, n, layout = key
        print(f"| {m}×{k}×{n} | {layout} | {threads} | {s:.1f} | {t:.1f} | {ratio:.2f} |")
PY
