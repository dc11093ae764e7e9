#!/usr/bin/env bash
# Job queue benchmark: 100,000 queued mails drained to the outbox, on SQLite by one process and on
# PostgreSQL by two processes at once (`concorde jobs run`, each with its own data folder, hence
# its own outbox). Checks that every mail was sent exactly once: as many outbox files as jobs, no
# job id in both outboxes, every job `done` after one attempt. Prints jobs per second.
#
# Usage (from the repository root): bench/jobs/run.sh [sqlite] [postgres]   (default: both)
# Environment: JOBS (default 100000), WORK (default /tmp/concorde-jobs-bench),
# CONCORDE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres), CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jobs="${JOBS:-100000}"
work="${WORK:-/tmp/concorde-jobs-bench}"
pg="${CONCORDE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
target="${CARGO_TARGET_DIR:-$root/target}"
backends=("$@"); [ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"
payload='{"to":"p@example.org","subject":"Bench","body":"Un message de test."}'

check() { # $1: done-after-one-attempt count, $2..: outbox folders
  local done1="$1"; shift
  local files; files=$(cat <(for d in "$@"; do ls "$d/outbox" 2>/dev/null; done) | grep -c '\.eml$' || true)
  local dupes; dupes=$(for d in "$@"; do ls "$d/outbox" 2>/dev/null; done | sort | uniq -d | wc -l)
  echo "  outbox files: $files (expected $jobs), in two outboxes at once: $dupes, done after one attempt: $done1"
  [ "$files" = "$jobs" ] && [ "$dupes" = 0 ] && [ "$done1" = "$jobs" ] || { echo "  FAILED: not exactly once"; exit 1; }
}

for b in "${backends[@]}"; do
  rm -rf "$work"; mkdir -p "$work"
  if [ "$b" = sqlite ]; then
    "$bin" --data "$work/a" migrate >/dev/null
    python3 - "$work/a/concorde.db" "$jobs" "$payload" <<'PY'
import sqlite3, sys, time
db, n, payload = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(db)
now = int(time.time())
c.executemany("INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at) VALUES ('mail', ?, 'queued', 0, 8, ?, ?)",
              ((payload, now, now) for _ in range(n)))
c.commit()
PY
    echo "== SQLite, one process, $jobs mails"
    start=$(date +%s.%N)
    /usr/bin/time -f "  peak memory %M KB" "$bin" --data "$work/a" jobs run
    end=$(date +%s.%N)
    done1=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM jobs WHERE state=\"done\" AND attempts=1").fetchone()[0])' "$work/a/concorde.db")
    check "$done1" "$work/a"
  else
    db="concorde_jobs_bench"
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    psql "$pg" -qc "CREATE DATABASE $db" >/dev/null
    url="${pg%/*}/$db"
    DATABASE_URL="$url" "$bin" --data "$work/a" migrate >/dev/null
    psql "$url" -qc "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at) \
      SELECT 'mail', '$payload', 'queued', 0, 8, extract(epoch from now())::bigint, extract(epoch from now())::bigint FROM generate_series(1, $jobs)"
    echo "== PostgreSQL, two processes sharing the queue, $jobs mails"
    start=$(date +%s.%N)
    DATABASE_URL="$url" "$bin" --data "$work/a" jobs run > "$work/a.out" &
    DATABASE_URL="$url" "$bin" --data "$work/b" jobs run > "$work/b.out" &
    wait
    end=$(date +%s.%N)
    sed 's/^/  a: /' "$work/a.out"; sed 's/^/  b: /' "$work/b.out"
    done1=$(psql "$url" -Atc "SELECT COUNT(*) FROM jobs WHERE state='done' AND attempts=1")
    check "$done1" "$work/a" "$work/b"
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
  fi
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'  {s:.1f} s wall, {int(sys.argv[3])/s:,.0f} jobs/s')" "$start" "$end" "$jobs"
done
