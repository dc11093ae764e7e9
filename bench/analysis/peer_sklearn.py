#!/usr/bin/env python3
"""Peer pipeline for the synthesis-engine benchmark (issue 4).

scikit-learn: TfidfVectorizer(sublinear_tf, min_df=5, max_df=0.5, ngram_range=(1, 2),
strip_accents='unicode', French stop words from stopwords-iso) -> TruncatedSVD(100) ->
L2 normalisation -> MiniBatchKMeans(k = number of distinct labels). Prints one JSON line with
the time of each step, NMI and ARI against the labels. Time covers reading the file too.

Usage: peer_sklearn.py --input FILE(.jsonl[.gz]) --stopwords FILE [--min-chars 40]
       [--label-field question] [--seed 42]
"""
import argparse
import gzip
import json
import time


def main():
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--stopwords", required=True)
    ap.add_argument("--min-chars", type=int, default=40)
    ap.add_argument("--label-field", default="question")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    from sklearn.preprocessing import normalize

    t_import = time.perf_counter()
    opener = gzip.open if args.input.endswith(".gz") else open
    texts, labels = [], []
    with opener(args.input, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            t = d.get("text") or ""
            if len(t) >= args.min_chars:
                texts.append(t)
                labels.append(d.get(args.label_field))
    stop = [w.strip() for w in open(args.stopwords, encoding="utf-8")
            if w.strip() and not w.startswith("#")]
    t_read = time.perf_counter()

    vec = TfidfVectorizer(sublinear_tf=True, min_df=5, max_df=0.5, ngram_range=(1, 2),
                          strip_accents="unicode", stop_words=stop)
    x = vec.fit_transform(texts)
    t_vec = time.perf_counter()
    z = TruncatedSVD(100, random_state=args.seed).fit_transform(x)
    z = normalize(z)
    t_svd = time.perf_counter()
    k = len(set(labels))
    km = MiniBatchKMeans(n_clusters=k, random_state=args.seed)  # library defaults
    pred = km.fit_predict(z)
    t_km = time.perf_counter()
    print(json.dumps({
        "engine": "sklearn",
        "documents": len(texts),
        "themes": k,
        "vocabulary": x.shape[1],
        "nmi": round(normalized_mutual_info_score(labels, pred), 4),
        "ari": round(adjusted_rand_score(labels, pred), 4),
        "import_s": round(t_import - t0, 2),
        "read_s": round(t_read - t_import, 2),
        "tfidf_s": round(t_vec - t_read, 2),
        "svd_s": round(t_svd - t_vec, 2),
        "kmeans_s": round(t_km - t_svd, 2),
        "total_s": round(t_km - t0, 2),
    }))


if __name__ == "__main__":
    main()
