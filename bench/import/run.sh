#!/usr/bin/env bash
# Import benchmark: `concorde import contributions … --create-questions` of the Grand Débat's
# 385,588 answers (../shared/corpus/gdn_answers.jsonl.gz) and of 1,000,000 generated ones
# (bench/analysis/gen_million.py; made once with --million, used whenever present), each into a
# fresh SQLite database and a fresh PostgreSQL database holding the demo debate, then once more
# (every row already present). Release build; GNU time gives wall time and peak RSS.
#
# Usage (from the repository root): bench/import/run.sh [--million]
# Environment: CORPUS, MILLION (default /tmp/concorde-bench/million.jsonl.gz), WORK (default
# /tmp/concorde-import-bench), CONCORDE_BENCH_POSTGRES (a server URL, default
# postgres://postgres@127.0.0.1:5432/postgres; "none" skips PostgreSQL), CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus/gdn_answers.jsonl.gz}"
million="${MILLION:-/tmp/concorde-bench/million.jsonl.gz}"
work="${WORK:-/tmp/concorde-import-bench}"
pg="${CONCORDE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
target="${CARGO_TARGET_DIR:-$root/target}"
make_million=0
for a in "$@"; do [ "$a" = "--million" ] && make_million=1; done

[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"
mkdir -p "$work"
if [ "$make_million" = 1 ] && [ ! -s "$million" ]; then
  echo "# generating 1,000,000 contributions (once)" >&2
  mkdir -p "$(dirname "$million")"
  python3 "$root/bench/analysis/gen_million.py" --input "$corpus" --output "$million"
fi

# A fresh database URL for NAME on BACKEND (sqlite or postgres).
fresh() {
  local backend=$1 name=$2
  if [ "$backend" = sqlite ]; then
    echo "sqlite://$work/$name/concorde.db?mode=rwc"
  else
    local db="concorde_import_bench_$name"
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    psql "$pg" -qc "CREATE DATABASE $db" >/dev/null
    echo "${pg%/*}/$db"
  fi
}

# One import: prints a table row (what, database, run, rows, wall, rows/s, peak MB).
import() {
  local label=$1 backend=$2 url=$3 file=$4 run=$5 dir=$6
  DATABASE_URL="$url" /usr/bin/time -v -o "$dir/$run.time" "$bin" --data "$dir" \
    import contributions "$file" --debate solidarites --create-questions \
    >"$dir/$run.out" 2>"$dir/$run.err" || { cat "$dir/$run.err" >&2; return 1; }
  local imported present elapsed rss
  imported=$(awk -F': ' '/^imported:/ {print $2}' "$dir/$run.out")
  present=$(awk -F': ' '/^already present:/ {print $2}' "$dir/$run.out")
  elapsed=$(awk '/^elapsed:/ {print $2}' "$dir/$run.out")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/$run.time")
  python3 - "$label" "$backend" "$run" "$imported" "$present" "$elapsed" "$rss" <<'PY'
import sys
label, backend, run, imported, present, elapsed, rss = sys.argv[1:]
rows = int(imported) + int(present)
print(f"| {label} | {backend} | {run} | {int(imported):,} | {int(present):,} | {float(elapsed):.1f} s "
      f"| {rows / float(elapsed):,.0f} | {rss} MB |")
PY
}

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM; load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "| file | database | run | imported | already present | elapsed | rows/s | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
files=("gdn:$corpus")
[ -s "$million" ] && files+=("million:$million")
backends=(sqlite)
if [ "$pg" != none ] && psql "$pg" -qAtc "SELECT 1" >/dev/null 2>&1; then
  backends+=(postgres)
else
  echo "# PostgreSQL at $pg does not answer: skipped" >&2
fi
for entry in "${files[@]}"; do
  name=${entry%%:*} file=${entry#*:}
  for backend in "${backends[@]}"; do
    dir="$work/${name}_$backend"
    rm -rf "$dir"; mkdir -p "$dir"
    url=$(fresh "$backend" "${name}_$backend")
    DATABASE_URL="$url" "$bin" --data "$dir" demo >/dev/null
    import "$name" "$backend" "$url" "$file" first "$dir"
    import "$name" "$backend" "$url" "$file" again "$dir"
  done
done
