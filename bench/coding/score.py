#!/usr/bin/env python3
"""Score Concorde's suggestions (written with --min-confidence 0) against the truth.

Prints one JSON line: micro precision/recall/F1 of all suggestions (the engine's best guess,
no abstention), then, for each threshold, the precision of the suggestions at or above it and
the share of contributions that get at least one.

Usage: score.py --suggested S.jsonl --truth TRUTH.jsonl [--thresholds 0.5,0.7,0.8,0.9]
"""
import argparse
import json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--suggested", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--thresholds", default="0.5,0.7,0.8,0.9")
    a = ap.parse_args()
    gold = {}
    for l in open(a.truth, encoding="utf-8"):
        d = json.loads(l)
        gold[d["id"]] = set(d["codes"])
    sugg = [json.loads(l) for l in open(a.suggested, encoding="utf-8") if l.strip()]
    out = {}
    def prf(th):
        tp = fp = fn = covered = 0
        for s in sugg:
            p = {c["code"] for c in s["codes"] if c["confidence"] >= th}
            g = gold[s["id"]]
            covered += bool(p)
            tp += len(p & g)
            fp += len(p - g)
            fn += len(g - p)
        prec = tp / max(tp + fp, 1)
        rec = tp / max(tp + fn, 1)
        return prec, rec, 2 * prec * rec / max(prec + rec, 1e-12), covered / max(len(sugg), 1)
    p, r, f, _ = prf(0.0)
    out.update(engine="concorde", micro_precision=round(p, 4), micro_recall=round(r, 4), micro_f1=round(f, 4))
    for th in (float(t) for t in a.thresholds.split(",")):
        p, r, f, cov = prf(th)
        out[f"at_{th}"] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "coverage": round(cov, 4)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
