#!/usr/bin/env python3
"""Peer for the assisted-coding benchmark: scikit-learn TF-IDF + one-vs-rest LinearSVC.

TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents='unicode', French stop
words from stopwords-iso), MultiLabelBinarizer, OneVsRestClassifier(LinearSVC()) with library
defaults (C=1, squared hinge). A code is predicted when its decision value is positive.
Prints one JSON line: micro precision, recall, F1 on the uncoded part, and times.

Usage: peer_svc.py --train T.jsonl --test U.jsonl --truth TRUTH.jsonl --stopwords FILE
"""
import argparse
import json
import time


def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]


def main():
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser()
    for k in ("--train", "--test", "--truth", "--stopwords"):
        ap.add_argument(k, required=True)
    a = ap.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC
    train, test, truth = load(a.train), load(a.test), load(a.truth)
    stop = [w.strip() for w in open(a.stopwords, encoding="utf-8") if w.strip() and not w.startswith("#")]
    vec = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode", stop_words=stop)
    x = vec.fit_transform([t["text"] for t in train])
    mlb = MultiLabelBinarizer()
    y = mlb.fit_transform([t["codes"] for t in train])
    clf = OneVsRestClassifier(LinearSVC()).fit(x, y)
    pred = clf.predict(vec.transform([t["text"] for t in test]))
    gold = {t["id"]: set(t["codes"]) for t in truth}
    tp = fp = fn = 0
    for row, t in zip(pred, test):
        p = {mlb.classes_[j] for j in row.nonzero()[0]}
        g = gold[t["id"]]
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    prec = tp / max(tp + fp, 1)
    rec = tp / max(tp + fn, 1)
    f1 = 2 * prec * rec / max(prec + rec, 1e-12)
    print(json.dumps({"engine": "sklearn", "micro_precision": round(prec, 4), "micro_recall": round(rec, 4),
                      "micro_f1": round(f1, 4), "total_s": round(time.perf_counter() - t0, 2)}))


if __name__ == "__main__":
    main()
