"""SeqGraph against PyTorch on every workload, side by side, interleaved (A B A B …).

Run through bench/compare.sh, which installs and checks PyTorch and builds SeqGraph first.
Each round runs one fresh process per side; a process measures several repetitions after a
warm-up and reports the median. Across rounds we report each side's median and min–max, and
the median of the pairwise (same-round) ratios, oriented so that > 1 means SeqGraph is better.
The table goes to stdout and, with --write, into docs/BENCHMARKS.md between the markers.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = ["dotnet", os.path.join(ROOT, "src/SeqGraph.Cli/bin/Release/net10.0/SeqGraph.Cli.dll")]
ANCHOR = ["dotnet", os.path.join(ROOT, "bench/OnnxAnchor/bin/Release/net10.0/OnnxAnchor.dll")]
PY = [sys.executable]
AVX512 = " avx512f " in " " + open("/proc/cpuinfo").read().split("flags", 1)[1].split("\n", 1)[0] + " "
# ../shared/PYTORCH_BASELINE.md: OpenBLAS 0.3.21 answers "Core not found" to SapphireRapids and picks its AVX-512
# kernels on the AVX-512 machines; without AVX-512 it detects the core itself (Zen, Haswell) and ATen runs its AVX2 code.
TORCH_ENV = dict(os.environ, **({"OPENBLAS_CORETYPE": "SapphireRapids", "ATEN_CPU_CAPABILITY": "avx512"} if AVX512
                                else {"ATEN_CPU_CAPABILITY": "avx2"}))
LANES = 16 if AVX512 else 8  # float lanes of the widest FMA
TORCH_SETUP = ("OPENBLAS_CORETYPE=SapphireRapids → AVX-512 kernels, ATEN_CPU_CAPABILITY=avx512" if AVX512
               else "no AVX-512 on this CPU: OpenBLAS's own core detection, ATEN_CPU_CAPABILITY=avx2")
CORA = os.path.join(ROOT, "..", "shared", "data", "graphs", "cora")
GRIMM = os.path.join(ROOT, "..", "shared", "data", "books", "grimms_fairy_tales.txt")
BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"


def run_json(cmd, torch_side):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT,
                         env=TORCH_ENV if torch_side else None).stdout
    return json.loads(out.strip().splitlines()[-1])


def median(xs):
    return statistics.median(xs)


class BusyCore:
    """One busy-loop process for the duration of a measurement: the contended rows (another program holds a core)."""

    def __enter__(self):
        self.p = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        return self

    def __exit__(self, *exc):
        self.p.kill()
        self.p.wait()


def contended(fn):
    def run(t, q):
        with BusyCore():
            return fn(t, q)
    return run


# ----- workloads: each returns {metric: value} for one process run ---------------------------

def gemm_seqgraph(t, q):
    r = run_json(CLI + ["bench", "gemm", "--json", "--threads", str(t), "--repeats", "3" if q else "7"], False)
    return {f"{x['m']}×{x['k']}×{x['n']} {x['layout']}": x["gflops"] for x in r["results"]}


def gemm_torch(t, q):
    r = run_json(PY + ["bench/pytorch/gemm.py", str(t)], True)
    return {f"{x['m']}×{x['k']}×{x['n']} {x['layout']}": x["gflops"] for x in r["results"]}


def rnn_seqgraph(t, q, model, impl):
    steps, reps = ("10", "5") if q else ("30", "5")
    r = run_json(CLI + ["bench", "rnn", "--model", model, "--impl", impl, "--threads", str(t), "--steps", steps, "--repeats", reps], False)
    return {"steps/s": median(r["steps_per_second"])}


def rnn_torch(t, q, variant):
    steps = "10" if q else "30"
    r = run_json(PY + ["bench/pytorch/rnn_palindrome.py", variant, str(t), steps, "5"], True)
    return {"steps/s": median(r["steps_per_second"])}


def text_seqgraph(t, q, hidden):
    steps = "20" if q else "60"
    r = run_json(CLI + ["bench", "text", "--corpus", GRIMM, "--hidden", str(hidden), "--threads", str(t), "--steps", steps,
                        "--sample-chars", "3000" if q or hidden > 128 else "20000", "--json"], False)
    return {"train chars/s": r["train_chars_per_second"], "sample chars/s": r["sample_chars_per_second"],
            "peak MB": r.get("peak_rss_mb", float("nan"))}


def text_torch(t, q, hidden):
    steps = "20" if q else "60"
    r = run_json(PY + ["bench/pytorch/char_lstm.py", GRIMM, str(t), str(hidden), steps, "3000" if q or hidden > 128 else "20000"], True)
    return {"train chars/s": r["train_chars_per_second"], "sample chars/s": r["sample_chars_per_second"],
            "peak MB": r.get("peak_rss_mb", float("nan"))}


def graph_epochs(q, model):
    return 50 if (q and model == "gat") else 200


def graph_seqgraph(t, q, model):
    import tempfile
    epochs = graph_epochs(q, model)
    runs = 1 if model == "gat" else (2 if q else 3)
    with tempfile.TemporaryDirectory() as out:
        r = run_json(CLI + ["graph", "train", "--data", CORA, "--model", model, "--epochs", str(epochs), "--patience", "0",
                            "--seeds", f"0..{runs - 1}", "--threads", str(t), "--out", out, "--json"], False)
    return {f"seconds / {epochs} epochs": median([x["seconds"] for x in r["runs"]])}


def graph_torch(t, q, model):
    script = "bench/pytorch/gcn.py" if model == "gcn" else "bench/pytorch/gat.py"
    extra = ["--sparse-features"] if model == "gcn" else []
    epochs = graph_epochs(q, model)
    runs = 1 if model == "gat" else (2 if q else 3)
    r = run_json(PY + [script, "--data", CORA, "--threads", str(t), "--runs", str(runs), "--epochs", str(epochs)] + extra, True)
    return {f"seconds / {epochs} epochs": median(r["seconds"])}


def onnx_anchor(side, t, q, hidden):
    """bench/OnnxAnchor, one side per process: SeqGraph's sampler and batched forward, or the model SeqGraph
    exports run in ONNX Runtime (which also checks its greedy text and logits against SeqGraph's, untimed)."""
    r = run_json(ANCHOR + ["--side", side, "--hidden", str(hidden), "--threads", str(t), "--repeats", "5"] + (["--quick"] if q else []), False)
    out = {"sample chars/s": r["sample chars/s"], "forward B=64 T=30 chars/s": r["forward chars/s"]}
    if side == "ort":
        out["_check"] = (f"hidden {hidden}, {t} thread(s): greedy text of {r['chars']:,} chars "
                         + ("identical" if r["greedy text first difference"] < 0 else f"**differs from character {r['greedy text first difference']}**")
                         + f"; batched forward max |Δ logit| {r['forward max abs diff']:.2g}")
        out["_version"] = r["onnxruntime"]
    return out


ORT = "ONNX Runtime"


# (section, label, seqgraph fn, anchor fn, higher is better, target ratio or None[, anchor name: PyTorch unless given])
def workloads(quick):
    w = [
        ("GEMM (GFLOPS)", "", gemm_seqgraph, gemm_torch, True, 1.0),
        ("LSTM training, digit palindromes T=20 B=128 H=128", "fused vs nn.LSTM",
         lambda t, q: rnn_seqgraph(t, q, "lstm", "fused"), lambda t, q: rnn_torch(t, q, "lstm-module"), True, 2.0),
        ("LSTM training, digit palindromes T=20 B=128 H=128", "fused vs hand-written cell",
         lambda t, q: rnn_seqgraph(t, q, "lstm", "fused"), lambda t, q: rnn_torch(t, q, "lstm-cell"), True, 2.0),
        ("LSTM training, digit palindromes T=20 B=128 H=128", "reference vs hand-written cell",
         lambda t, q: rnn_seqgraph(t, q, "lstm", "reference"), lambda t, q: rnn_torch(t, q, "lstm-cell"), True, 1.0),
        ("Vanilla RNN training, digit palindromes T=20 B=128 H=128", "fused vs nn.RNN",
         lambda t, q: rnn_seqgraph(t, q, "rnn", "fused"), lambda t, q: rnn_torch(t, q, "rnn-module"), True, None),
        ("Vanilla RNN training, digit palindromes T=20 B=128 H=128", "reference vs hand-written cell",
         lambda t, q: rnn_seqgraph(t, q, "rnn", "reference"), lambda t, q: rnn_torch(t, q, "rnn-cell"), True, None),
        ("LSTM training, digit palindromes T=20 B=128 H=128, one busy process on the other core", "fused vs nn.LSTM",
         contended(lambda t, q: rnn_seqgraph(t, q, "lstm", "fused")), contended(lambda t, q: rnn_torch(t, q, "lstm-module")), True, None),
        ("Char-LSTM on Grimm, 2 layers, E=64, B=64, T=30", "hidden 128",
         lambda t, q: text_seqgraph(t, q, 128), lambda t, q: text_torch(t, q, 128), True, {"train chars/s": 2.0, "sample chars/s": 10.0}),
        ("GCN on Cora", "",
         lambda t, q: graph_seqgraph(t, q, "gcn"), lambda t, q: graph_torch(t, q, "gcn"), False, 3.0),
        ("GAT on Cora", "",
         lambda t, q: graph_seqgraph(t, q, "gat"), lambda t, q: graph_torch(t, q, "gat"), False, 6.0),
    ]
    for hidden in (128, 512):
        w.append(("ONNX Runtime anchor: char-LSTM exported to ONNX, 2 layers, E=64", f"hidden {hidden}",
                  lambda t, q, h=hidden: onnx_anchor("seqgraph", t, q, h), lambda t, q, h=hidden: onnx_anchor("ort", t, q, h), True,
                  {"sample chars/s": 3.0 if hidden == 128 else None, "forward B=64 T=30 chars/s": 1.0}, ORT))
    if not quick:
        w.insert(8, ("Char-LSTM on Grimm, 2 layers, E=64, B=64, T=30", "hidden 512",
                     lambda t, q: text_seqgraph(t, q, 512), lambda t, q: text_torch(t, q, 512), True, {"train chars/s": 1.5, "sample chars/s": 10.0}))
    return w


def peak_gflops_per_core():
    """2 FMA pipes × the float lanes (16 with AVX-512, 8 with AVX2) × 2 flops × the highest clock the kernel reports."""
    mhz = []
    for path in ("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",):
        try:
            mhz.append(int(open(path).read()) / 1000)
        except OSError:
            pass
    if not mhz:
        mhz = [float(m) for m in re.findall(r"cpu MHz\s*:\s*([\d.]+)", open("/proc/cpuinfo").read())]
    ghz = max(mhz) / 1000 if mhz else float("nan")
    return 2 * LANES * 2 * ghz, ghz


def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one round, shorter runs, no hidden-512 char-LSTM (under 5 minutes)")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--only", default=None, help="run only sections whose title contains this text")
    ap.add_argument("--write", action="store_true", help="write the table into docs/BENCHMARKS.md")
    args = ap.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)

    torch_version = run_json(PY + ["-c", "import json, torch; print(json.dumps({'v': torch.__version__}))"], True)["v"]
    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read()).group(1).strip()
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    peak, ghz = peak_gflops_per_core()
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = open("/proc/loadavg").read().split()[:3]

    rows, checks, ort_version = [], [], None
    for section, label, ours, theirs, higher, target, *anchor in workloads(args.quick):
        anchor = anchor[0] if anchor else "PyTorch"
        if args.only and args.only not in section:
            continue
        for t in args.threads:
            a, b = [], []
            for _ in range(rounds):  # A B A B …
                a.append(ours(t, args.quick))
                b.append(theirs(t, args.quick))
                print(f"  {section} {label} threads={t}: {a[-1]} | {b[-1]}", file=sys.stderr)
                if "_check" in b[-1]:
                    checks.append(b[-1]["_check"] + f", round {len(b)}")
                    ort_version = b[-1]["_version"]
            for metric in a[0]:
                if metric not in b[0] or metric.startswith("_"):
                    continue
                sa = [x[metric] for x in a]
                sb = [x[metric] for x in b]
                ratios = [(x / y if higher else y / x) for x, y in zip(sa, sb) if x and y]
                rows.append(dict(section=section, label=label, metric=metric, threads=t, ours=median(sa), ours_min=min(sa),
                                 ours_max=max(sa), torch=median(sb), torch_min=min(sb), torch_max=max(sb),
                                 ratio=median(ratios) if ratios else float("nan"),
                                 target=target.get(metric) if isinstance(target, dict) else target, higher=higher, anchor=anchor))

    lines = [f"Run of {started:%Y-%m-%d %H:%M} UTC: `bench/compare.sh{' --quick' if args.quick else ''}` "
             + (f"({rounds} rounds, A B A B; each figure the median over rounds of a process's median of ≥5 repetitions)."
              if rounds > 1 else "(one round, so no spread: each figure one process's median of ≥5 repetitions; "
                                 "the full run's 3 rounds are the figures to quote)."),
             "",
             f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; .NET SDK {dotnet}; "
             f"PyTorch {torch_version} on OpenBLAS (openmp build, {TORCH_SETUP}), same thread count on both sides. Load average before: {' '.join(load_before)}, "
             f"after: {' '.join(open('/proc/loadavg').read().split()[:3])}.",
             "",
             f"Theoretical FP32 peak: 2 FMA pipes × {LANES} lanes × 2 flops × {ghz:.2f} GHz = {peak:.0f} GFLOPS per core, "
             f"with the highest clock the kernel reports; the CPU boosts above it, which is why measured GEMM figures "
             f"can exceed 100% of this peak.",
             "",
             "Ratio > 1 means SeqGraph is better (faster, or more per second). Spread is min–max over rounds.",
             "",
             "| workload | metric | threads | SeqGraph (spread) | PyTorch (spread) | ratio | target |",
             "|---|---|---:|---:|---:|---:|---|"]
    ort_rows = [r for r in rows if r["anchor"] == ORT]
    torch_rows = [r for r in rows if r["anchor"] != ORT]
    if torch_rows:
        lines += table_rows(torch_rows, peak)
    else:
        lines = lines[:-3]
    if ort_rows:
        lines += ["", f"ONNX Runtime anchor (bench/OnnxAnchor; same run, same thread count): the char-LSTM exported by SeqGraph's "
                  f"ONNX exporter and run in ONNX Runtime {ort_version} from C# (Microsoft.ML.OnnxRuntime, CPU execution provider; "
                  f"intra-op threads = the thread count, inter-op 1, sequential execution, all graph optimizations; inputs and outputs "
                  f"bound once to preallocated buffers through IOBinding). Sampling is batch-1 greedy generation, SeqGraph's own "
                  f"sampler (`text sample --temperature 0`) against one ORT Run per character feeding hn/cn back; the forward is the "
                  f"2-layer LSTM and head over B=64, T=30 without gradients. Same weights on both sides (seed 0, 10 training steps "
                  f"on Grimm).",
                  "",
                  "| workload | metric | threads | SeqGraph (spread) | ONNX Runtime (spread) | ratio | target |",
                  "|---|---|---:|---:|---:|---:|---|"]
        lines += table_rows(ort_rows, peak)
        lines += [""] + [f"- {c}" for c in checks]
    # threads never hurt: SeqGraph at 2 threads against 1 thread on the same contended workload, same run
    for r2 in [r for r in rows if "busy process" in r["section"] and r["threads"] > 1]:
        r1 = next((r for r in rows if r["section"] == r2["section"] and r["label"] == r2["label"]
                   and r["metric"] == r2["metric"] and r["threads"] == 1), None)
        if r1:
            ok = r2["ours"] >= r1["ours"]
            lines += ["", f"Threads never hurt ({r2['section']}): SeqGraph at {r2['threads']} threads {fmt(r2['ours'])} {r2['metric']} "
                          f"against {fmt(r1['ours'])} at 1 thread — target ≥ 1 thread " + ("met" if ok else "**not met**") + "."]
    table = "\n".join(lines)
    print(table)
    if args.write:
        write_table(table)


def table_rows(rows, peak):
    lines = []
    for r in rows:
        name = r["section"] + (f" — {r['label']}" if r["label"] else "")
        extra = ""
        if r["section"].startswith("GEMM"):
            extra = f" ({r['ours'] / (peak * r['threads']):.0%} of peak)" if peak == peak else ""
        target = "" if r["target"] is None else (f"≥ {r['target']:g}× " + ("met" if r["ratio"] >= r["target"] else "**not met**"))
        if r["metric"] == "peak MB":
            target, ratio = "(lower is better; reported)", f"{r['torch'] / r['ours']:.2f}" if r["ours"] else "–"
        else:
            ratio = f"{r['ratio']:.2f}"
        lines.append(f"| {name} | {r['metric']} | {r['threads']} | {fmt(r['ours'])}{extra} ({fmt(r['ours_min'])}–{fmt(r['ours_max'])}) | "
                     f"{fmt(r['torch'])} ({fmt(r['torch_min'])}–{fmt(r['torch_max'])}) | {ratio} | {target} |")
    return lines


def write_table(table):
    path = os.path.join(ROOT, "docs", "BENCHMARKS.md")
    doc = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in doc and END in doc:
        doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
    else:
        head, _, rest = doc.partition("\n")
        doc = f"{head}\n\n## Side by side (bench/compare.sh)\n\n{block}\n{rest}"
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(doc)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
