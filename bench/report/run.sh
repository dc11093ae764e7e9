#!/usr/bin/env bash
# Coverage audit benchmark (issue 12): `concorde report coverage` on a debate of N published
# contributions (default 1,000,000), on SQLite and on PostgreSQL, three runs each; prints the
# audit's own time ("computed in") and the command's wall time.
# Usage (from the repository root): bench/report/run.sh [N] [sqlite] [postgres]   (default: both)
# Environment: PROFILE=release (default) or debug; CONCORDE_BENCH_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/postgres); CARGO_TARGET_DIR; WORK (default /tmp/concorde-report-bench).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-1000000}"; shift || true
backends=("$@"); [ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)
profile="${PROFILE:-release}"
pg="${CONCORDE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
work="${WORK:-/tmp/concorde-report-bench}"
target="${CARGO_TARGET_DIR:-$root/target}"
if [ "$profile" = release ]; then
  (cd "$root" && cargo build --release -p concorde --quiet)
else
  (cd "$root" && cargo build -p concorde --quiet)
fi
bin="$target/$profile/concorde"
sql="$(sed "s/__N__/$n/" "$root/bench/report/fill.sql")"
for backend in "${backends[@]}"; do
  dir="$work/$backend"; rm -rf "$dir"; mkdir -p "$dir"
  if [ "$backend" = postgres ]; then
    db="concorde_report_bench"
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    psql "$pg" -qc "CREATE DATABASE $db" >/dev/null
    url="${pg%/*}/$db"
  else
    url="sqlite://$dir/concorde.db?mode=rwc"
  fi
  export DATABASE_URL="$url"
  "$bin" --data "$dir" demo >/dev/null
  start=$(date +%s.%N)
  if [ "$backend" = postgres ]; then
    printf '%s\nANALYZE;\n' "$sql" | psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null
  else
    python3 - "$dir/concorde.db" <<PY
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.executescript("""$sql""")
con.execute("ANALYZE")
con.commit()
PY
  fi
  echo "$backend: filled $n contributions in $(echo "$(date +%s.%N) - $start" | bc) s"
  for run in 1 2 3; do
    t0=$(date +%s.%N)
    out=$("$bin" --data "$dir" report coverage --debate solidarites --list 20 2>&1)
    wall=$(echo "$(date +%s.%N) - $t0" | bc)
    echo "$backend run $run ($profile): $(echo "$out" | grep '^covered:') — $(echo "$out" | grep 'computed in'), wall ${wall} s"
  done
  unset DATABASE_URL
done
