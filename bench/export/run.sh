#!/usr/bin/env bash
# Export benchmark: peak memory and time of `concorde export contributions` on N contributions
# (default 1,000,000) in SQLite, CSV and JSON Lines. Release build; GNU time measures peak RSS.
# Usage: bench/export/run.sh [CORPUS] [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/../shared/corpus/gdn_answers.jsonl.gz}"
n="${2:-1000000}"
work="${WORK:-/tmp/concorde-export-bench}"
target="${CARGO_TARGET_DIR:-$root/target}"
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"
rm -rf "$work"; mkdir -p "$work"
"$bin" --data "$work" demo >/dev/null
python3 "$root/bench/export/fill.py" "$work/concorde.db" "$corpus" "$n"
for fmt in csv jsonl; do
  /usr/bin/time -v -o "$work/$fmt.time" "$bin" --data "$work" export contributions --debate solidarites --format "$fmt" --output "$work/out.$fmt" 2>/dev/null
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/$fmt.time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$fmt.time")
  size=$(du -m "$work/out.$fmt" | cut -f1)
  echo "$fmt: $n rows, ${size} MB written, wall $wall, peak RSS ${rss} MB"
done
