#!/usr/bin/env bash
# Search benchmark: up to 1,000,000 generated contributions indexed on disk, then p50/p99 of
# top-20 searches with their total count, and one-document updates.
#
# Usage (from the repository root):
#   bench/search/run.sh [N]            # N documents, default 1000000 (at most 1,000,000)
# Environment: WORK (default /tmp/concorde-bench, where bench/analysis/run.sh also keeps the
# generated corpus), INDEX_DIR (default /tmp/concorde-search-bench, wiped and rebuilt),
# CARGO_TARGET_DIR (default ./target), RUNS (default 300 per query).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${1:-1000000}"
WORK="${WORK:-/tmp/concorde-bench}"
INDEX_DIR="${INDEX_DIR:-/tmp/concorde-search-bench}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNS="${RUNS:-300}"
mkdir -p "$WORK"

if [ ! -s "$WORK/million.jsonl.gz" ]; then
  echo "# generating 1,000,000 contributions (once)" >&2
  python3 "$ROOT/bench/analysis/gen_million.py" --input "$ROOT/../shared/corpus/gdn_answers.jsonl.gz" \
    --output "$WORK/million.jsonl.gz" --seed 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time" >&2
  apt-get install -y time >/dev/null
fi

(cd "$ROOT" && cargo build --release --quiet -p concorde-search --bin search-bench)

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v -o "$WORK/search-bench.time" "$TARGET/release/search-bench" \
  --input "$WORK/million.jsonl.gz" --n "$N" --dir "$INDEX_DIR" --runs "$RUNS"
echo "peak RSS: $(awk '/Maximum resident set size/ {printf "%.0f MB", $NF/1024}' "$WORK/search-bench.time")"
