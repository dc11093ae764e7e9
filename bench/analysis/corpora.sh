#!/usr/bin/env bash
# Synthesis on every labelled corpus at hand (issue 16): the whole Grand Débat file and each of
# its three themes, Concorde with an automatically chosen number of themes against the
# scikit-learn peer (k = number of questions), in the same run; wall time and peak memory of
# each process.
#
# Usage (from the repository root): bench/analysis/corpora.sh [GDN_FILE]
# Environment: VENV, WORK, CARGO_TARGET_DIR as in run.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/analysis"
GDN="${1:-$ROOT/../shared/corpus/gdn_answers.jsonl.gz}"
VENV="${VENV:-$HOME/.cache/concorde-bench-venv}"
WORK="${WORK:-/tmp/concorde-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/analysis-target}"
STOPWORDS="$ROOT/crates/analysis/data/stopwords_iso_fr.txt"
mkdir -p "$WORK"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import sklearn" 2>/dev/null || "$VENV/bin/pip" install -q scikit-learn
(cd "$ROOT/crates/analysis" && cargo build --release --quiet --bin analysis-bench)
BIN="$CARGO_TARGET_DIR/release/analysis-bench"
[ -s "$WORK/gdn_fiscalite.jsonl.gz" ] || python3 "$HERE/split_themes.py" --input "$GDN" --out "$WORK"

run() {
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.json" 2> "$WORK/$name.err"
}

echo "# machine: $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in all democratie organisation fiscalite; do
  if [ "$c" = all ]; then f="$GDN"; else f="$WORK/gdn_$c.jsonl.gz"; fi
  run "sk_$c" "$VENV/bin/python" "$HERE/peer_sklearn.py" --input "$f" --stopwords "$STOPWORDS" --min-chars 40 --label-field question
  run "cc_$c" "$BIN" --input "$f" --min-chars 40 --label-field question --min-themes 5 --max-themes 60 --output "$WORK/cc_$c.result.json"
done

python3 - "$WORK" <<'PY'
import json, os, re, sys
w = sys.argv[1]
def load(n):
    d = json.loads(open(os.path.join(w, n + ".json")).read().splitlines()[0])
    t = open(os.path.join(w, n + ".time")).read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
    d["wall"] = sum(float(x) * 60 ** i for i, x in enumerate(reversed(m)))
    d["rss"] = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    return d
print("| corpus | docs | sklearn k | sklearn NMI | Concorde k (auto) | Concorde NMI | Δ NMI | sklearn s | Concorde s | speed-up | sklearn MB | Concorde MB | memory ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for c in ("all", "democratie", "organisation", "fiscalite"):
    s, k = load("sk_" + c), load("cc_" + c)
    print(f"| {c} | {k['documents']:,} | {s['themes']} | {s['nmi']:.4f} | {k['themes']} | {k['nmi']:.4f} | {k['nmi'] - s['nmi']:+.4f} | "
          f"{s['wall']:.1f} | {k['wall']:.1f} | {s['wall'] / k['wall']:.1f}× | {s['rss']:.0f} | {k['rss']:.0f} | {k['rss'] / s['rss']:.2f} |")
PY
