#!/usr/bin/env bash
# Encoding benchmark (issue 17): the Grand Débat's 385,588 answers as a Windows-1252 CSV (made
# once from ../shared/corpus/gdn_answers.jsonl.gz; characters Windows-1252 lacks become `?`),
# imported into a fresh SQLite database holding the demo debate with `--encoding auto` (the
# checking pass reads UTF-8, finds it is not, checks again as Windows-1252) and with
# `--encoding windows-1252` (one checking pass), twice each. Release build.
#
# Usage (from the repository root): bench/import/encoding.sh
# Environment: CORPUS, WORK (default /tmp/concorde-encoding-bench), CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus/gdn_answers.jsonl.gz}"
work="${WORK:-/tmp/concorde-encoding-bench}"
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release -p concorde --quiet)
bin="$target/release/concorde"
mkdir -p "$work"
csv="$work/gdn_cp1252.csv"
if [ ! -s "$csv" ]; then
  python3 - "$corpus" "$csv" <<'PY'
import csv, gzip, json, sys
with open(sys.argv[2], "w", encoding="cp1252", errors="replace", newline="") as out:
    w = csv.writer(out)
    w.writerow(["id", "question", "body"])
    for line in gzip.open(sys.argv[1], "rt", encoding="utf-8"):
        r = json.loads(line)
        w.writerow([r["id"], r["question"], "".join(c for c in r["text"] if not "\x80" <= c <= "\x9f")])
PY
fi
echo "# $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
for run in 1 2; do
  for enc in auto windows-1252; do
    dir="$work/$enc-$run"; rm -rf "$dir"; mkdir -p "$dir"
    url="sqlite://$dir/concorde.db?mode=rwc"
    DATABASE_URL="$url" "$bin" --data "$dir" demo >/dev/null
    DATABASE_URL="$url" "$bin" --data "$dir" import contributions "$csv" --debate solidarites \
      --create-questions --encoding "$enc" >"$dir/out" 2>"$dir/err"
    echo "| --encoding $enc | run $run | $(awk '/^imported:/ {print $2}' "$dir/out") | $(awk '/^elapsed:/ {print $2, $3, $4, $5}' "$dir/out") |"
  done
done
