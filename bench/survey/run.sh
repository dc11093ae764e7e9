#!/usr/bin/env bash
# Survey benchmark: a questionnaire of 30 questions (every kind) and 250,000 respondents
# imported as a panel through `concorde survey import-panel`, weighted on sexe, age and 40
# quartiers (`survey weigh`), then:
#   - the results page computed cold (the survey's revision raised before each measure, so
#     nothing comes from the cache), 5 times, and served warm from the cache;
#   - the open-data export of the 250,000 responses, streamed: time and the server's peak
#     memory (VmHWM) before and after.
# Usage (from the repository root): bench/survey/run.sh [sqlite|postgres]   (default sqlite)
# Environment: N (respondents, default 250000), WORK (default /tmp/concorde-survey-bench),
# CONCORDE_BENCH_POSTGRES, CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${WORK:-/tmp/concorde-survey-bench}"
n="${N:-250000}"
backend="${1:-sqlite}"
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"
rm -rf "$work" && mkdir -p "$work"
python3 "$root/bench/survey/seed.py" "$work" "$n"
if [ "$backend" = postgres ]; then
  pg="${CONCORDE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
  psql "$pg" -qc "DROP DATABASE IF EXISTS concorde_survey_bench" -qc "CREATE DATABASE concorde_survey_bench" >/dev/null
  export DATABASE_URL="${pg%/*}/concorde_survey_bench"
else
  export DATABASE_URL="sqlite:$work/c.db?mode=rwc"
fi
run() { "$bin" --data "$work/data" "$@"; }
run demo >/dev/null
run survey define --survey bench --debate solidarites --title "Banc d'essai" --definition "$work/definition.json" --open --public-results
t0=$(date +%s.%N)
run survey import-panel --survey bench --file "$work/panel.csv"
t1=$(date +%s.%N)
run survey weigh --survey bench --margins "$work/margins.csv" --by sexe,age,quartier | head -3
t2=$(date +%s.%N)
printf "import of %s respondents: %.1f s; raking and storing the weights: %.1f s\n" "$n" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"

port=18937
"$bin" --data "$work/data" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/enquetes/bench/resultats"
bump() {
  if [ "$backend" = postgres ]; then psql "$DATABASE_URL" -qc "UPDATE surveys SET revision = revision + 1 WHERE slug = 'bench'";
  else python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE surveys SET revision = revision + 1 WHERE slug = 'bench'\"); c.commit()" "$work/c.db"; fi
}
echo "| measure | seconds |"
echo "|---|---|"
for i in 1 2 3 4 5; do
  bump
  printf "| results page, cold %d | %s |\n" "$i" "$(curl -s -o /dev/null -w '%{time_total}' "$url")"
done
for i in 1 2 3; do
  printf "| results page, from the cache %d | %s |\n" "$i" "$(curl -s -o /dev/null -w '%{time_total}' "$url")"
done
hwm() { awk '/VmHWM/ {print $2/1024}' "/proc/$pid/status"; }
before=$(hwm)
printf "| open-data export of the responses | %s |\n" "$(curl -s -o "$work/export.csv" -w '%{time_total}' "http://127.0.0.1:$port/donnees/enquetes/bench/reponses.csv")"
after=$(hwm)
echo
echo "export: $(wc -l < "$work/export.csv") lines, $(du -m "$work/export.csv" | cut -f1) MB; server peak memory (VmHWM) ${before} MB before the export, ${after} MB after"
# The common case: the 250,000 as online responses, and a panel of 1,100 weighted.
kill $pid; wait $pid 2>/dev/null || true
sql() {
  if [ "$backend" = postgres ]; then psql "$DATABASE_URL" -qc "$1";
  else python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$work/c.db" "$1"; fi
}
sql "UPDATE survey_responses SET source = 'online', weight = NULL, panel_ref = NULL WHERE survey_id = (SELECT id FROM surveys WHERE slug = 'bench')"
head -1101 "$work/panel.csv" > "$work/panel1100.csv"
run survey import-panel --survey bench --file "$work/panel1100.csv"
run survey weigh --survey bench --margins "$work/margins.csv" --by sexe,age,quartier | head -1
"$bin" --data "$work/data" serve --listen "127.0.0.1:$port" >>"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for i in 1 2 3; do
  bump
  printf "| results page, 250,000 online + 1,100 weighted panel, cold %d | %s |\n" "$i" "$(curl -s -o /dev/null -w '%{time_total}' "$url")"
done
echo "server peak memory (VmHWM) after: $(hwm) MB"
# The export alone, on a server that computed nothing before it.
kill $pid; wait $pid 2>/dev/null || true
"$bin" --data "$work/data" serve --listen "127.0.0.1:$port" >>"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
before=$(hwm)
printf "open-data export on a fresh server: %s s; " "$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/donnees/enquetes/bench/reponses.csv")"
echo "peak memory ${before} MB before, $(hwm) MB after"
