#!/usr/bin/env python3
"""Coded data for the assisted-coding benchmark, made from the Grand Débat answers.

No one coded these answers by hand, so the codes are facts recorded independently of the
words: the question each answer was given to. Three sets, each split at random (seeded) into a
small coded part ("what analysts coded") and an uncoded part to suggest codes for:

- fiscalite: answers of the fiscalité theme, code = its question (4 codes), 300 coded;
- democratie: answers of the démocratie theme, code = its question (21 codes), 1,000 coded;
- multi: items joining 1 to 3 answers to *different* questions of the démocratie theme (as a
  paper notebook answers several questions at once), codes = those questions, 1,000 coded.

Answers of fewer than 40 characters are left out, as in the synthesis benchmark. Writes
DIR/NAME.train.jsonl, DIR/NAME.test.jsonl (no codes) and DIR/NAME.truth.jsonl.

Usage: make_data.py --input gdn_answers.jsonl.gz --out DIR [--seed 1] [--test 4000]
"""
import argparse
import gzip
import json
import os
import random


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def split(name, items, n_train, n_test, rng, out):
    rng.shuffle(items)
    train, test = items[:n_train], items[n_train:n_train + n_test]
    write(os.path.join(out, f"{name}.train.jsonl"), train)
    write(os.path.join(out, f"{name}.test.jsonl"), [{"id": t["id"], "text": t["text"]} for t in test])
    write(os.path.join(out, f"{name}.truth.jsonl"), [{"id": t["id"], "codes": t["codes"]} for t in test])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--test", type=int, default=4000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    by_theme = {}
    with gzip.open(a.input, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if len(d.get("text") or "") >= 40:
                by_theme.setdefault(d["theme"], []).append(d)
    qids = {}
    def code(q):
        return qids.setdefault(q, f"Q{len(qids) + 1:02d}")
    rng = random.Random(a.seed)
    for name, theme, n_train in (("fiscalite", "fiscalite", 300), ("democratie", "democratie", 1000)):
        items = [{"id": d["id"], "text": d["text"], "codes": [code(d["question"])]} for d in by_theme[theme]]
        split(name, items, n_train, a.test, rng, a.out)
    pool = by_theme["democratie"][:]
    rng.shuffle(pool)
    items, i = [], 0
    while i + 3 < len(pool) and len(items) < 1000 + a.test:
        k = rng.choice((1, 2, 3))
        parts, qs = [], []
        while len(parts) < k and i < len(pool):
            d = pool[i]
            i += 1
            if d["question"] not in qs:
                parts.append(d["text"])
                qs.append(d["question"])
        items.append({"id": f"m{len(items)}", "text": "\n".join(parts), "codes": sorted(code(q) for q in qs)})
    split("multi", items, 1000, a.test, rng, a.out)


if __name__ == "__main__":
    main()
