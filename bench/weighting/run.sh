#!/usr/bin/env bash
# Raking benchmark (issue 11): Concorde's weighting crate against R's survey::rake, same files,
# same run.
#
# Usage (from the repository root):
#   bench/weighting/run.sh [QUARTIERS_CSV]
# QUARTIERS_CSV defaults to ../shared/ref/nantes_quartiers.csv. Generates (with gen_panel.py,
# seeds fixed) the 1,100-respondent Nantes panel and a 250,000-respondent panel on 4 margins of
# 50 categories each, rakes both with Concorde (release build) and with R (rake.R, run to
# convergence), and compares the weights. Environment: WORK (default /tmp/concorde-weighting-bench),
# CARGO_TARGET_DIR (default /tmp/weighting-target), N (default 250000), RUNS (default 3: Concorde's
# figure is the best of RUNS).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/weighting"
QUARTIERS="${1:-$ROOT/../shared/ref/nantes_quartiers.csv}"
WORK="${WORK:-/tmp/concorde-weighting-bench}"
N="${N:-250000}"
RUNS="${RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/weighting-target}"
mkdir -p "$WORK"

command -v Rscript >/dev/null || { echo "Rscript is missing: apt-get install r-base-core r-cran-survey" >&2; exit 1; }

echo "== build (release)" >&2
(cd "$ROOT" && cargo build --release -q -p concorde-weighting --bin weighting-bench)
BENCH="$CARGO_TARGET_DIR/release/weighting-bench"

echo "== panels" >&2
python3 "$HERE/gen_panel.py" --quartiers "$QUARTIERS" --n 1100 \
  --panel "$WORK/nantes_panel.csv" --margins "$WORK/nantes_margins.csv"
if [ ! -s "$WORK/big_panel_$N.csv" ]; then
  python3 "$HERE/gen_panel.py" --kind bench --n "$N" --vars 4 --categories 50 \
    --panel "$WORK/big_panel_$N.csv" --margins "$WORK/big_margins_$N.csv"
fi

value() { sed -n "s/^.*$1=\([0-9.e+-]*\).*$/\1/p" | head -n 1; }

# best of RUNS for Concorde; prints the last run's lines to stderr
concorde_run() { # panel margins by weights_out estimate
  local best="" out
  for _ in $(seq 1 "$RUNS"); do
    out="$("$BENCH" "$@")"
    local r; r="$(echo "$out" | value rake_seconds)"
    if [ -z "$best" ] || awk "BEGIN{exit !($r < $best)}"; then best="$r"; fi
  done
  echo "$out" >&2
  echo "$best $(echo "$out" | value total_seconds) $(echo "$out" | value iterations)"
}

compare() { # concorde_weights r_weights
  python3 - "$1" "$2" <<'EOF'
import sys
def read(p):
    with open(p) as f:
        next(f)
        return {l.split(";")[0]: float(l.split(";")[1]) for l in f}
a, b = read(sys.argv[1]), read(sys.argv[2])
assert a.keys() == b.keys(), "different respondents"
print(f"{max(abs(a[k] - b[k]) / b[k] for k in a):.1e}")
EOF
}

row() { # name panel margins by estimate
  local name="$1" panel="$2" margins="$3" by="$4" est="$5"
  echo "== $name: Concorde" >&2
  read -r c_rake c_total c_iter < <(concorde_run "$panel" "$margins" "$by" "$WORK/$name.concorde.csv" "$est")
  echo "== $name: R survey::rake" >&2
  local r_start r_end r_out r_rake r_total
  r_start=$(date +%s.%N)
  r_out="$(Rscript "$HERE/rake.R" "$panel" "$margins" "$by" "$WORK/$name.r.csv")"
  r_end=$(date +%s.%N)
  r_rake="$(echo "$r_out" | value rake_seconds)"
  r_total="$(awk "BEGIN{printf \"%.2f\", $r_end - $r_start}")"
  local diff; diff="$(compare "$WORK/$name.concorde.csv" "$WORK/$name.r.csv")"
  local ratio; ratio="$(awk "BEGIN{printf \"%.0f\", $r_rake / ($c_rake > 0 ? $c_rake : 0.0001)}")"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s× | %s |\n' \
    "$name" "$(wc -l < "$panel" | awk '{print $1 - 1}')" "$c_iter" "$c_rake" "$c_total" "$r_rake" "$r_total" "$ratio" "$diff"
}

{
  echo "| panel | respondents | iterations | Concorde rake s | Concorde whole s | R rake s | R whole s | ratio (rake) | weights: largest relative gap |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row nantes "$WORK/nantes_panel.csv" "$WORK/nantes_margins.csv" sexe,age,quartier aide
  row big "$WORK/big_panel_$N.csv" "$WORK/big_margins_$N.csv" v1,v2,v3,v4 v1
} | tee "$WORK/results.md"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); R $(Rscript -e 'cat(as.character(getRversion()), as.character(packageVersion("survey")))')" | tee -a "$WORK/results.md"
