#!/usr/bin/env bash
# Side-by-side char-LSTM benchmark: SeqGraph (`seqgraph bench text`) vs PyTorch (bench/pytorch/char_lstm.py),
# alternating A B A B. 2-layer LSTM, embedding 64, T=30, batch 64, Adam, clip 5, on Grimm's fairy tales.
# Usage: bench/char_lstm_compare.sh [ROUNDS] (default 3), from anywhere inside the repository.
# Prints one JSON line per measurement (side, hidden, threads, round, figures); summarise with the
# Python snippet at the end (medians per side and the median of same-round ratios).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
PY=/usr/bin/python3
TORCH_ENV=(env OPENBLAS_CORETYPE=SapphireRapids ATEN_CPU_CAPABILITY=avx512)
CLI=src/SeqGraph.Cli/bin/Release/net10.0/SeqGraph.Cli.dll
CORPUS=../shared/data/books/grimms_fairy_tales.txt
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
dotnet build -c Release -warnaserror -v quiet -nologo >/dev/null

for hidden in 128 512; do
  steps=$([ "$hidden" = 128 ] && echo 150 || echo 20)
  for threads in 1 2; do
    for round in $(seq 1 "$ROUNDS"); do
      a=$(dotnet "$CLI" bench text --corpus "$CORPUS" --hidden "$hidden" --steps "$steps" --threads "$threads" --sample-chars 20000 --json)
      echo "{\"side\":\"seqgraph\",\"round\":$round,${a:1}" | tee -a "$OUT"
      b=$("${TORCH_ENV[@]}" "$PY" bench/pytorch/char_lstm.py "$CORPUS" "$threads" "$hidden" "$steps" 5000)
      echo "{\"side\":\"pytorch\",\"round\":$round,${b:1}" | tee -a "$OUT"
    done
  done
done

"$PY" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| hidden | threads | SeqGraph chars/s | PyTorch chars/s | ratio (median of rounds) | SeqGraph GFLOPS | sampling SeqGraph / PyTorch chars/s | sampling ratio | peak RSS MB SeqGraph / PyTorch |")
print("|---|---|---|---|---|---|---|---|---|")
for h in (128, 512):
    for t in (1, 2):
        s = [r for r in rows if r["side"] == "seqgraph" and r["hidden"] == h and r["threads"] == t]
        p = [r for r in rows if r["side"] == "pytorch" and r["hidden"] == h and r["threads"] == t]
        if not s or not p: continue
        med = lambda xs, k: statistics.median(x[k] for x in xs)
        ratios = [a["train_chars_per_second"] / b["train_chars_per_second"] for a, b in zip(s, p)]
        sratios = [a["sample_chars_per_second"] / b["sample_chars_per_second"] for a, b in zip(s, p)]
        print(f"| {h} | {t} | {med(s,'train_chars_per_second'):,.0f} | {med(p,'train_chars_per_second'):,.0f} | {statistics.median(ratios):.2f}x | "
              f"{med(s,'gflops'):.0f} | {med(s,'sample_chars_per_second'):,.0f} / {med(p,'sample_chars_per_second'):,.0f} | {statistics.median(sratios):.1f}x | "
              f"{med(s,'peak_rss_mb'):.0f} / {med(p,'peak_rss_mb'):.0f} |")
PY
