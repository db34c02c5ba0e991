"""Side-by-side timing of 200 GCN epochs on Cora: SeqGraph vs PyTorch, alternating A B A B.

Each round starts one fresh process per side; each process trains `--runs` models one after
another. The first run of a process is "cold" (includes JIT / first-call costs), later runs are
"warm". Prints medians and ratios per thread count as JSON.

Run from the repository root after `dotnet build -c Release`:
  /usr/bin/python3 bench/pytorch/compare_gcn.py --rounds 4 --runs 3 --threads 1 2
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

DATA = "../shared/data/graphs/cora"
CLI = "src/SeqGraph.Cli/bin/Release/net10.0/SeqGraph.Cli.dll"


def seqgraph(threads, runs, out):
    cmd = ["dotnet", CLI, "graph", "train", "--data", DATA, "--model", "gcn", "--seeds", f"0..{runs - 1}",
           "--threads", str(threads), "--out", out, "--json"]
    s = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return [r["seconds"] for r in s["runs"]]


def pytorch(threads, runs):
    env = dict(os.environ, OPENBLAS_CORETYPE="SapphireRapids", ATEN_CPU_CAPABILITY="avx512")
    cmd = [sys.executable, "bench/pytorch/gcn.py", "--data", DATA, "--threads", str(threads),
           "--runs", str(runs), "--sparse-features"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout)["seconds"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = p.parse_args()
    report = {"machine": platform.processor() or platform.machine(), "cores": os.cpu_count(), "results": []}
    with tempfile.TemporaryDirectory() as out:
        for t in args.threads:
            sg, pt = [], []
            for _ in range(args.rounds):  # A B A B ...
                sg.append(seqgraph(t, args.runs, out))
                pt.append(pytorch(t, args.runs))
            cold = lambda xs: statistics.median(x[0] for x in xs)
            warm = lambda xs: statistics.median(v for x in xs for v in x[1:])
            row = {
                "threads": t,
                "seqgraph_cold_s": cold(sg), "pytorch_cold_s": cold(pt),
                "seqgraph_warm_s": warm(sg), "pytorch_warm_s": warm(pt),
                "raw_seqgraph": sg, "raw_pytorch": pt,
            }
            row["speedup_cold"] = round(row["pytorch_cold_s"] / row["seqgraph_cold_s"], 2)
            row["speedup_warm"] = round(row["pytorch_warm_s"] / row["seqgraph_warm_s"], 2)
            report["results"].append(row)
            print(json.dumps(row), flush=True)
    print(json.dumps({k: v for k, v in report.items() if k != "results"}))


if __name__ == "__main__":
    main()
