#!/usr/bin/env bash
# One command for the whole side-by-side table: SeqGraph against PyTorch on every workload, and against
# ONNX Runtime (the exported char-LSTM) as a second anchor.
#   bench/compare.sh [--quick] [--write] [--rounds N] [--threads 1 2] [--only TEXT]
# (--only "ONNX Runtime" runs the ONNX Runtime anchor alone.)
# --quick finishes in under 5 minutes; the full run in under 30. --write puts the table into
# docs/BENCHMARKS.md. Not part of `dotnet test` or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3   # Debian's interpreter: the only one that sees Debian's python3-torch

# 1. PyTorch as ../shared/PYTORCH_BASELINE.md sets it up: Debian's torch on OpenBLAS (openmp build).
if ! "$PY" -c "import torch" 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ]; then
  echo "installing python3-torch and libopenblas0-openmp (needs root)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-openmp >&2
fi
# Make sure libblas.so.3 resolves to OpenBLAS for the benchmark processes, not the reference BLAS.
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# 2. Check that torch really runs on OpenBLAS, not the reference BLAS: torch.mm 1024³ on one thread,
#    after a second of warm-up (a cold first call reads half speed). The reference BLAS gives a few
#    GFLOPS; OpenBLAS 60-80 with AVX2 kernels, 100-200 with AVX-512 ones, depending on how busy the machine is.
# The AVX-512 machines: OpenBLAS 0.3.21 needs the core named (it answers "Core not found" and picks its AVX-512
# kernels); without AVX-512 it detects the core itself and ATen runs its AVX2 code. compare.py sets the same.
if grep -qw avx512f /proc/cpuinfo; then TORCH_CPU="OPENBLAS_CORETYPE=SapphireRapids ATEN_CPU_CAPABILITY=avx512"; else TORCH_CPU="ATEN_CPU_CAPABILITY=avx2"; fi
env $TORCH_CPU OPENBLAS_VERBOSE=2 "$PY" - <<'PY' 2>/tmp/seqgraph-openblas.$$ || { cat /tmp/seqgraph-openblas.$$ >&2; exit 1; }
import time, torch
torch.set_num_threads(1)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
t0 = time.perf_counter()
while time.perf_counter() - t0 < 1.0:
    torch.mm(a, b)
best = min((lambda t0: (torch.mm(a, b), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(10))
gf = 2 * 1024 ** 3 / best / 1e9
blas = sorted({l.split()[-1].split("/")[-2] for l in open("/proc/self/maps") if "libblas" in l or "openblas" in l})
print(f"torch {torch.__version__}, BLAS from {blas}, torch.mm 1024^3 on 1 thread: {gf:.0f} GFLOPS", flush=True)
if gf < 30:
    raise SystemExit("PyTorch is mis-configured (below 30 GFLOPS): libblas.so.3 must be openblas-openmp, not the reference BLAS")
PY
grep -i "core" /tmp/seqgraph-openblas.$$ | head -1 >&2 || true
rm -f /tmp/seqgraph-openblas.$$

# 3. Build SeqGraph once, and the ONNX Runtime anchor (bench/OnnxAnchor: ONNX Runtime from C#, outside the
#    solution so that the library and the CLI never reference it), then run the interleaved comparison.
dotnet build -c Release -warnaserror -v quiet -nologo >/dev/null
dotnet build bench/OnnxAnchor -c Release -warnaserror -v quiet -nologo >/dev/null
exec "$PY" bench/compare.py "$@"
