#!/usr/bin/env bash
# Synthesis-engine benchmark (issue 4): Concorde vs scikit-learn on the same corpus, same run.
#
# Usage (from the repository root):
#   bench/analysis/run.sh [CORPUS] [--million]
# CORPUS defaults to ../shared/corpus/gdn_answers.jsonl.gz. With --million, also generates
# (once) 1,000,000 distinct contributions with gen_million.py and analyses them.
# Environment: VENV (default ~/.cache/concorde-bench-venv), WORK (default /tmp/concorde-bench),
# CARGO_TARGET_DIR (default /tmp/analysis-target).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/analysis"
CORPUS="${1:-$ROOT/../shared/corpus/gdn_answers.jsonl.gz}"
MILLION=0
for a in "$@"; do [ "$a" = "--million" ] && MILLION=1; done
[ "${CORPUS}" = "--million" ] && CORPUS="$ROOT/../shared/corpus/gdn_answers.jsonl.gz"
VENV="${VENV:-$HOME/.cache/concorde-bench-venv}"
WORK="${WORK:-/tmp/concorde-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/analysis-target}"
STOPWORDS="$ROOT/crates/analysis/data/stopwords_iso_fr.txt"
mkdir -p "$WORK"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time" >&2
  apt-get install -y time >/dev/null
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import sklearn" 2>/dev/null || "$VENV/bin/pip" install -q scikit-learn

(cd "$ROOT/crates/analysis" && cargo build --release --quiet --bin analysis-bench)
BIN="$CARGO_TARGET_DIR/release/analysis-bench"

# run NAME CMD... : prints the command's JSON line, plus wall time and peak RSS.
run() {
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.json" 2> "$WORK/$name.err"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$WORK/$name.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$WORK/$name.time" | awk '{print $NF}')
  echo "$name wall=$wall peak_rss_kb=$rss $(cat "$WORK/$name.json")"
}

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# corpus: $CORPUS (texts of at least 40 characters, labelled by question)"
run sklearn "$VENV/bin/python" "$HERE/peer_sklearn.py" --input "$CORPUS" --stopwords "$STOPWORDS" --min-chars 40 --label-field question
run concorde_k_labels "$BIN" --input "$CORPUS" --min-chars 40 --label-field question --themes-from-labels --output "$WORK/concorde.json" --html "$WORK/concorde.html"
run concorde_auto "$BIN" --input "$CORPUS" --min-chars 40 --label-field question --min-themes 5 --max-themes 60

if [ "$MILLION" = 1 ]; then
  if [ ! -s "$WORK/million.jsonl.gz" ]; then
    echo "# generating 1,000,000 contributions (once)" >&2
    python3 "$HERE/gen_million.py" --input "$ROOT/../shared/corpus/gdn_answers.jsonl.gz" --output "$WORK/million.jsonl.gz"
  fi
  run concorde_million "$BIN" --input "$WORK/million.jsonl.gz" --min-chars 40 --label-field question --themes-from-labels --output "$WORK/million-result.json"
fi

python3 - "$WORK" <<'PY'
import json, sys, re, os
w = sys.argv[1]
def load(n):
    p = os.path.join(w, n + ".json")
    if not os.path.exists(p) or not os.path.getsize(p):
        return None
    d = json.loads(open(p).read().splitlines()[0])
    t = open(os.path.join(w, n + ".time")).read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
    d["wall"] = sum(float(x) * 60 ** i for i, x in enumerate(reversed(m)))
    d["rss_mb"] = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    return d
s, c, a, m = (load(n) for n in ("sklearn", "concorde_k_labels", "concorde_auto", "concorde_million"))
print("\n| run | docs | themes | wall s | peak MB | NMI | ARI |\n|---|---|---|---|---|---|---|")
for name, d in (("scikit-learn", s), ("Concorde, k = #questions", c), ("Concorde, automatic k in 5..60", a), ("Concorde, 1M generated", m)):
    if d:
        print(f"| {name} | {d['documents']} | {d['themes']} | {d['wall']:.1f} | {d['rss_mb']:.0f} | {d['nmi']:.4f} | {d['ari']:.4f} |")
if s and c:
    print(f"\nspeed-up {s['wall'] / c['wall']:.1f}x (goal >= 5x); memory {c['rss_mb'] / s['rss_mb']:.2f} of sklearn's (goal <= 0.33); "
          f"NMI {c['nmi']:.4f} vs {s['nmi']:.4f} (goal >=)")
if m:
    print(f"1M: {m['wall']:.1f} s (goal < 60), {m['rss_mb']:.0f} MB (goal < 2048)")
PY
