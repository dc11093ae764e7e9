#!/usr/bin/env bash
# Export benchmark: peak memory and time of `concorde export` on N contributions (default
# 1,000,000) and M comments (default none) in SQLite, as CSV, JSON Lines and XLSX. GNU time
# measures peak RSS.
# Usage: bench/export/run.sh [CORPUS] [N] [M]
# Environment: PROFILE=release (default) or debug; FORMATS="csv jsonl xlsx" (default all three).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/../shared/corpus/gdn_answers.jsonl.gz}"
n="${2:-1000000}"
m="${3:-0}"
profile="${PROFILE:-release}"
formats="${FORMATS:-csv jsonl xlsx}"
work="${WORK:-/tmp/concorde-export-bench}"
target="${CARGO_TARGET_DIR:-$root/target}"
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
if [ "$profile" = release ]; then
  (cd "$root" && cargo build --release -p concorde --quiet)
else
  (cd "$root" && cargo build -p concorde --quiet)
fi
bin="$target/$profile/concorde"
rm -rf "$work"; mkdir -p "$work"
"$bin" --data "$work" demo >/dev/null
python3 "$root/bench/export/fill.py" "$work/concorde.db" "$corpus" "$n" "$m"
what_rows="contributions:$n"
[ "$m" -gt 0 ] && what_rows="$what_rows comments:$m"
for wr in $what_rows; do
  what="${wr%%:*}"; rows="${wr##*:}"
  for fmt in $formats; do
    out="$work/$what.$fmt"
    /usr/bin/time -v -o "$work/$what.$fmt.time" "$bin" --data "$work" export "$what" --debate solidarites --format "$fmt" --output "$out" 2>/dev/null
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/$what.$fmt.time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$what.$fmt.time")
    size=$(du -m "$out" | cut -f1)
    echo "$what $fmt ($profile): $rows rows, ${size} MB written, wall $wall, peak RSS ${rss} MB"
    rm -f "$out"
  done
done
