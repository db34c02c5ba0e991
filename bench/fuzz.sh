#!/usr/bin/env bash
# The fuzz harness at full size (issue 15): builds tests/SeqGraph.Fuzz in Release, runs N seeded mutants
# of checkpoints, corpora, graph files and option values through the real command tree, and writes the
# outcome table (per family: cases, ok, rejected, diverged, internal errors, hangs, silent corruptions,
# bad messages, over-memory; wall time and machine) with one replayable example per defect class and
# command into docs/RELIABILITY.md between the fuzz markers.
#   bench/fuzz.sh [--count 10000] [--seed 1] [--no-write]
# A defect is replayed with: dotnet tests/SeqGraph.Fuzz/bin/Release/net10.0/SeqGraph.Fuzz.dll --seed S --replay K
# (the same --count is not needed: a case depends only on the seed and its index). Not part of
# `dotnet test` or CI, which run a bounded sample (FuzzTests).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=10000
SEED=1
WRITE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    *) echo "usage: bench/fuzz.sh [--count N] [--seed S] [--no-write]" >&2; exit 2 ;;
  esac
done
if [ "$COUNT" -lt 10000 ] && [ "$WRITE" = 1 ]; then
  echo "bench/fuzz.sh: docs/RELIABILITY.md records runs of at least 10,000 cases; add --no-write for a smaller one" >&2
  exit 2
fi
dotnet build tests/SeqGraph.Fuzz -c Release -warnaserror -v quiet -nologo >/dev/null
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
code=0
dotnet tests/SeqGraph.Fuzz/bin/Release/net10.0/SeqGraph.Fuzz.dll --seed "$SEED" --count "$COUNT" --work "$TMP/work" --out "$TMP/table.md" --shown 1 || code=$?
# 0: no defects, 1: defects (listed in the table); anything else is the harness failing
[ "$code" -le 1 ] || exit "$code"
[ "$WRITE" = 1 ] || exit 0
python3 - "$TMP/table.md" <<'PY'
import os, sys
BEGIN, END = "<!-- fuzz:begin -->", "<!-- fuzz:end -->"
table = open(sys.argv[1], encoding="utf-8").read().strip()
path = os.path.join("docs", "RELIABILITY.md")
doc = open(path, encoding="utf-8").read()
if BEGIN not in doc or END not in doc:
    raise SystemExit(f"{path}: the markers {BEGIN} and {END} are missing")
doc = doc[: doc.index(BEGIN)] + f"{BEGIN}\n{table}\n{END}" + doc[doc.index(END) + len(END):]
with open(path + ".tmp", "w", encoding="utf-8") as f:
    f.write(doc)
os.replace(path + ".tmp", path)
print(f"wrote the table into {path}", file=sys.stderr)
PY
