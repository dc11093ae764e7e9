#!/usr/bin/env python3
"""Generate N distinct French contributions from the Grand Débat answers, for scale tests.

Method (documented in BENCHMARKS.md): answers of at least --min-chars characters are grouped by
question and cut into clauses (at . ; ! ? and line breaks). Each generated contribution picks a
question (weighted by its number of answers), then 1 to 3 clauses from random answers of that
same question, joined in random order; then each word of 4+ letters is, with probability 0.08,
replaced by a word drawn from another answer to the same question. Lines whose normalised text
was already produced are drawn again, so every line is distinct (no mere repeats), and each
keeps its question as label. Deterministic for a given --seed.

Usage: gen_million.py --input gdn_answers.jsonl.gz --output million.jsonl.gz [--n 1000000]
       [--min-chars 40] [--seed 1]
"""
import argparse
import gzip
import json
import random
import re

SPLIT = re.compile(r"(?<=[.;!?])\s+|\n+")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--min-chars", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    clauses, words, questions, weights = {}, {}, [], []
    with gzip.open(args.input, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = d.get("text") or ""
            if len(text) < args.min_chars:
                continue
            q = d["question"]
            parts = [p.strip() for p in SPLIT.split(text) if len(p.strip()) >= 8]
            clauses.setdefault(q, []).extend(parts or [text])
            words.setdefault(q, []).extend(w for w in text.split() if len(w) >= 4 and w.isalpha())
    for q in sorted(clauses):
        questions.append(q)
        weights.append(len(clauses[q]))

    seen = set()
    out = gzip.open(args.output, "wt", encoding="utf-8", compresslevel=3)
    made = 0
    while made < args.n:
        q = rng.choices(questions, weights)[0]
        pool, vocab = clauses[q], words[q]
        picked = [rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        toks = " ".join(picked).split()
        for i, w in enumerate(toks):
            if len(w) >= 4 and w.isalpha() and rng.random() < 0.08:
                toks[i] = rng.choice(vocab)
        text = " ".join(toks)
        key = " ".join(text.lower().split())
        if key in seen or len(text) < args.min_chars:
            continue
        seen.add(key)
        out.write(json.dumps({"id": f"g{made:07d}", "question": q, "text": text},
                             ensure_ascii=False) + "\n")
        made += 1
    out.close()


if __name__ == "__main__":
    main()
