#!/usr/bin/env bash
# Events benchmark: (1) 1,000 registrations at once for a 30-place workshop through the API —
# exactly 30 places and 970 on the waiting list, on SQLite (one instance) and on PostgreSQL (two
# instances sharing the database); registrations per second. (2) wrk at 64 connections over many
# distinct URLs of an agenda of 5,000 events (pages, quartiers, kinds, past and upcoming, per
# debate and across debates) and event pages, among them one with 10,000 registrations; p50/p99.
#
# Usage (from the repository root): bench/events/run.sh [sqlite] [postgres]   (default: both)
# Environment: WORK (default /tmp/concorde-events-bench), CONCORDE_BENCH_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/postgres), DURATION (wrk seconds, default 10), CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/events"
work="${WORK:-/tmp/concorde-events-bench}"
pg="${CONCORDE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
duration="${DURATION:-10}"
target="${CARGO_TARGET_DIR:-$root/target}"
backends=("$@"); [ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"

wait_up() { for _ in $(seq 1 100); do curl -sf "$1/healthz" >/dev/null && return; sleep 0.1; done; echo "no server at $1" >&2; exit 1; }

# The distinct URLs of the agenda and the events ($1: big event id) → a file.
urls() {
  python3 - "$1" "$work/urls.txt" <<'PY'
import random, sys
big, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(7)
kinds = ["", "workshop", "mediation", "conference", "round_table", "session_workshop"]
lines = []
for _ in range(3000):
    base = r.choice(["/agenda", "/debats/solidarites/agenda"])
    q = [f"page={r.randint(1, 60)}"]
    if r.random() < 0.4: q.append(f"quartier={r.randint(1, 11)}")
    k = r.choice(kinds)
    if k: q.append(f"type={k}")
    if r.random() < 0.2: q.append("quand=passes")
    lines.append(base + "?" + "&".join(q))
for _ in range(2990):
    lines.append(f"/evenements/{r.randint(1, 5000)}")
lines += [f"/evenements/{big}"] * 10
r.shuffle(lines)
open(out, "w").write("\n".join(sorted(set(lines), key=lines.index)) + "\n")
print(len(set(lines)), "distinct URLs", file=sys.stderr)
PY
}

measure() { # label, base URL
  URLS="$work/urls.txt" wrk -t2 -c64 -d"${duration}s" --latency -s "$here/urls.lua" "$2" | awk -v label="$1" -v backend="$backend" '
    /Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$5}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "| %s | %s | %d | %.1f ms | %.1f ms | %d |\n", backend, label, rps, ms(p50), ms(p99), bad+0}'
}

echo "| backend | what | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for backend in "${backends[@]}"; do
  dir="$work/$backend"; rm -rf "$dir"; mkdir -p "$dir"
  if [ "$backend" = sqlite ]; then
    export DATABASE_URL="sqlite://$dir/concorde.db?mode=rwc"; where="$dir/concorde.db"
  else
    db=concorde_events_bench
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null; psql "$pg" -qc "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="${pg%/*}/$db"; where="$DATABASE_URL"
  fi
  "$bin" --data "$dir" demo >/dev/null
  ids="$(python3 "$here/seed.py" "$backend" "$where")"
  big="${ids#big=}"; big="${big%% *}"; race="${ids##*race=}"
  CONCORDE_RUN_JOBS=false "$bin" --data "$dir" serve --listen 127.0.0.1:8191 >"$dir/a.log" 2>&1 &
  a=$!
  bases=(http://127.0.0.1:8191)
  if [ "$backend" = postgres ]; then
    CONCORDE_RUN_JOBS=false "$bin" --data "$dir/b" serve --listen 127.0.0.1:8192 >"$dir/b.log" 2>&1 &
    b=$!; bases+=(http://127.0.0.1:8192)
  fi
  trap 'kill $a ${b:-} 2>/dev/null || true' EXIT
  for u in "${bases[@]}"; do wait_up "$u"; done
  echo "race on $backend (${#bases[@]} instance(s)):" >&2
  python3 "$here/race.py" "$race" "${bases[@]}" >&2
  urls "$big"
  measure "agenda of 5,000 events and event pages (one with 10,000 registrations)" "${bases[0]}"
  kill $a ${b:-} 2>/dev/null || true; wait 2>/dev/null || true; unset b
done
