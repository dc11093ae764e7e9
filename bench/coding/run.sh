#!/usr/bin/env bash
# Assisted-coding benchmark (issue 16): Concorde's `code suggest` path (code-bench binary, the
# same function as `concorde code suggest`) against scikit-learn TF-IDF + one-vs-rest LinearSVC
# on the same splits, made by make_data.py from the Grand Débat answers.
#
# Usage (from the repository root): bench/coding/run.sh [GDN_FILE]
# Environment: VENV, WORK (default /tmp/concorde-coding), CARGO_TARGET_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/coding"
GDN="${1:-$ROOT/../shared/corpus/gdn_answers.jsonl.gz}"
VENV="${VENV:-$HOME/.cache/concorde-bench-venv}"
WORK="${WORK:-/tmp/concorde-coding}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/analysis-target}"
STOPWORDS="$ROOT/crates/analysis/data/stopwords_iso_fr.txt"
mkdir -p "$WORK"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import sklearn" 2>/dev/null || "$VENV/bin/pip" install -q scikit-learn
(cd "$ROOT/crates/analysis" && cargo build --release --quiet --bin code-bench)
BIN="$CARGO_TARGET_DIR/release/code-bench"
[ -s "$WORK/multi.truth.jsonl" ] || python3 "$HERE/make_data.py" --input "$GDN" --out "$WORK"

for n in fiscalite democratie multi; do
  "$BIN" --train "$WORK/$n.train.jsonl" --input "$WORK/$n.test.jsonl" --output "$WORK/$n.sugg.jsonl" --min-confidence 0 > "$WORK/$n.summary.json"
  python3 "$HERE/score.py" --suggested "$WORK/$n.sugg.jsonl" --truth "$WORK/$n.truth.jsonl" > "$WORK/$n.concorde.json"
  "$VENV/bin/python" "$HERE/peer_svc.py" --train "$WORK/$n.train.jsonl" --test "$WORK/$n.test.jsonl" --truth "$WORK/$n.truth.jsonl" --stopwords "$STOPWORDS" > "$WORK/$n.sklearn.json" 2>/dev/null
done

python3 - "$WORK" <<'PY'
import json, os, sys
w = sys.argv[1]
print("| set | coded | codes | sklearn P / R / F1 | Concorde P / R / F1 (best guess) | Concorde at ≥ 0.8 (default): precision, coverage |")
print("|---|---|---|---|---|---|")
for n in ("fiscalite", "democratie", "multi"):
    s = json.load(open(os.path.join(w, n + ".sklearn.json")))
    c = json.load(open(os.path.join(w, n + ".concorde.json")))
    r = json.load(open(os.path.join(w, n + ".summary.json")))["report"]
    d = c["at_0.8"]
    print(f"| {n} | {r['coded']} | {len(r['codes'])} | {s['micro_precision']:.3f} / {s['micro_recall']:.3f} / **{s['micro_f1']:.3f}** | "
          f"{c['micro_precision']:.3f} / {c['micro_recall']:.3f} / **{c['micro_f1']:.3f}** | {d['precision']:.3f}, {d['coverage']:.1%} |")
PY
