#!/usr/bin/env bash
# Decidim process import benchmark: `concorde import decidim` of a synthetic process
# (bench/decidim/gen_process.py: 10,000 proposals, 50,000 comments threaded up to depth 3, 30
# debates) into a fresh SQLite database holding the demo debate, then once more (everything
# already present). Uses the debug build unless PROFILE=release.
#
# Usage (from the repository root): bench/decidim/run.sh
# Environment: WORK (default /tmp/concorde-decidim-bench), CORPUS (texts; optional),
# PROPOSALS, COMMENTS, PROFILE (debug or release), CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${WORK:-/tmp/concorde-decidim-bench}"
profile="${PROFILE:-debug}"
target="${CARGO_TARGET_DIR:-$root/target}"
corpus="${CORPUS:-$root/../shared/corpus/gdn_answers.jsonl.gz}"
flag=""; [ "$profile" = release ] && flag="--release"
(cd "$root" && cargo build $flag -p concorde --quiet)
bin="$target/$profile/concorde"
rm -rf "$work"; mkdir -p "$work/data"
corpus_arg=(); [ -s "$corpus" ] && corpus_arg=(--corpus "$corpus")
python3 "$root/bench/decidim/gen_process.py" "$work/process" \
  --proposals "${PROPOSALS:-10000}" --comments "${COMMENTS:-50000}" "${corpus_arg[@]}"
du -sh "$work/process"
"$bin" --data "$work/data" demo >/dev/null
for run in first second; do
  echo "# $run run"
  /usr/bin/time -f "wall %e s, peak RSS %M KB" \
    "$bin" --data "$work/data" import decidim "$work/process" --debate solidarites --question 1
done
