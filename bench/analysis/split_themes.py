#!/usr/bin/env python3
"""Split the Grand Débat answers by theme: OUT/gdn_<theme>.jsonl.gz, lines kept verbatim.

Usage: split_themes.py --input gdn_answers.jsonl.gz --out DIR
"""
import argparse
import gzip
import json
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    outs = {}
    with gzip.open(a.input, "rt", encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)["theme"]
            if t not in outs:
                outs[t] = gzip.open(os.path.join(a.out, f"gdn_{t}.jsonl.gz"), "wt", encoding="utf-8", compresslevel=1)
            outs[t].write(line)
    for o in outs.values():
        o.close()


if __name__ == "__main__":
    main()
