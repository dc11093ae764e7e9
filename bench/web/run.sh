#!/usr/bin/env bash
# Web benchmark at 1,000,000 contributions: wrk (64 connections) against the debate page, the
# contributions list (first page, filtered by question, 1,000 pages deep) and search (a common
# and a rare word), on SQLite and on PostgreSQL, beside nginx serving the list's first page from
# a file in the same run (the ratio is the figure that matters on a shared 2-core machine).
#
# The million comes from bench/analysis/gen_million.py (made once), loaded with
# `concorde import contributions … --create-questions` into the demo debate.
#
# Usage (from the repository root): bench/web/run.sh [sqlite] [postgres]   (default: both)
# Environment: MILLION (default /tmp/concorde-bench/million.jsonl.gz), WORK (default
# /tmp/concorde-web-bench), CONCORDE_BENCH_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/postgres), DURATION (wrk seconds, default 10), CARGO_TARGET_DIR,
# CACHES (default true; `CACHES=false` serves with the `caches = false` setting, so that every
# page is read from the database: the cold-path figures, on today's code).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="$root/../shared/corpus/gdn_answers.jsonl.gz"
million="${MILLION:-/tmp/concorde-bench/million.jsonl.gz}"
work="${WORK:-/tmp/concorde-web-bench}"
pg="${CONCORDE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
duration="${DURATION:-10}"
caches="${CACHES:-true}"
case "$caches" in true|false) ;; *) echo "CACHES must be true or false" >&2; exit 2 ;; esac
target="${CARGO_TARGET_DIR:-$root/target}"
backends=("$@"); [ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx-light >/dev/null
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"
if [ ! -s "$million" ]; then
  mkdir -p "$(dirname "$million")"
  python3 "$root/bench/analysis/gen_million.py" --input "$corpus" --output "$million"
fi

# SQL on the benchmark database ($1: backend, $2: dir or URL, $3: query) → one line.
sql() {
  if [ "$1" = sqlite ]; then
    python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("|".join(map(str,r)))' "$2/concorde.db" "$3"
  else
    psql "$2" -Atc "$3"
  fi
}

# wrk on a URL → "req/s p50 p99" (ms).
measure() {
  wrk -t2 -c64 -d"${duration}s" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "%d %.1f %.1f\n", rps, ms(p50), ms(p99)}'
}

row() { # label, URL
  read -r rps p50 p99 < <(measure "$2")
  printf '| %s | %s | %s | %s ms | %s ms |\n' "$backend" "$1" "$rps" "$p50" "$p99"
}

port=8097
nginx_port=8098
for backend in "${backends[@]}"; do
  dir="$work/$backend"
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$backend" = sqlite ]; then
    url="sqlite://$dir/concorde.db?mode=rwc"; where="$dir"
  else
    db=concorde_web_bench
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    psql "$pg" -qc "CREATE DATABASE $db" >/dev/null
    url="${pg%/*}/$db"; where="$url"
  fi
  export DATABASE_URL="$url"
  "$bin" --data "$dir" demo >/dev/null
  echo "# $backend: importing $(basename "$million")" >&2
  "$bin" --data "$dir" import contributions "$million" --debate solidarites --create-questions >"$dir/import.out" 2>&1
  tail -n 3 "$dir/import.out" >&2
  CONCORDE_CACHES="$caches" "$bin" --data "$dir" --log-format json serve --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
  # The search index builds itself in the background after a start on a fresh data folder.
  t0=$(date +%s)
  while curl -fs "$base/debats/solidarites/recherche?q=transport" | grep -q "en cours de construction"; do sleep 2; done
  echo "# $backend: search index ready after $(( $(date +%s) - t0 )) s" >&2

  debate=$(sql "$backend" "$where" "SELECT id FROM debates WHERE slug = 'solidarites'")
  question=$(sql "$backend" "$where" "SELECT question_id FROM contributions WHERE debate_id = $debate GROUP BY question_id ORDER BY COUNT(*) DESC LIMIT 1")
  cursor=$(sql "$backend" "$where" "SELECT created_at, id FROM contributions WHERE debate_id = $debate AND status = 'published' ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 19999")
  deep="apres=${cursor%|*}-${cursor#*|}"
  list="$base/debats/solidarites/contributions"

  # nginx serves the list's first page, saved to a file, in the same run.
  mkdir -p "$dir/www"
  curl -fs "$list" >"$dir/www/index.html"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$nginx_port; root $dir/www; location / { default_type text/html; } }
}
EOF
  nginx -c "$dir/nginx.conf"
  trap 'kill $server 2>/dev/null || true; nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true' EXIT

  # Warm the counts and caches once.
  for u in "$base/debats/solidarites" "$list" "$list?question=$question" "$list?$deep" \
           "$base/debats/solidarites/recherche?q=imp%C3%B4ts" "$base/debats/solidarites/recherche?q=permaculture"; do
    curl -fs "$u" >/dev/null
  done
  echo "# $backend: caches=$caches" >&2
  echo "| database | page | req/s | p50 | p99 |"
  echo "|---|---|---|---|---|"
  row "nginx, the list's HTML from a file" "http://127.0.0.1:$nginx_port/index.html"
  row "debate page" "$base/debats/solidarites"
  row "list, first page" "$list"
  row "list, filtered by question" "$list?question=$question"
  row "list, 1,000 pages deep" "$list?$deep"
  row "search, common word (impôts)" "$base/debats/solidarites/recherche?q=imp%C3%B4ts"
  row "search, rare word (permaculture)" "$base/debats/solidarites/recherche?q=permaculture"
  nginx -c "$dir/nginx.conf" -s stop
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
done
