#!/usr/bin/env python3
"""Writes a synthetic Decidim process export (0.27+ shape) into a folder: proposals.csv,
comments.csv (threads up to depth 3 on proposals and debates), debates.json, meetings.csv.
Texts are drawn from the Grand Débat's answers when --corpus is given, otherwise generated.

Usage: gen_process.py OUT_DIR [--proposals N] [--comments M] [--debates D] [--corpus FILE.jsonl.gz]
"""
import argparse, csv, gzip, json, os, random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--proposals", type=int, default=10_000)
p.add_argument("--comments", type=int, default=50_000)
p.add_argument("--debates", type=int, default=30)
p.add_argument("--corpus")
a = p.parse_args()
rnd = random.Random(17)
os.makedirs(a.out, exist_ok=True)
texts = []
if a.corpus:
    with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= 200_000:
                break
            t = json.loads(line).get("text") or ""
            if 20 < len(t) < 2500:
                texts.append(t)
if not texts:
    words = "bus vélo logement loyer jardin école quartier association solidarité repas voisin".split()
    texts = [" ".join(rnd.choice(words) for _ in range(rnd.randint(8, 80))) for _ in range(5000)]
cats = ["Mobilité", "Logement", "Solidarité", "Culture", "Environnement", ""]
states = ["accepted", "rejected", "evaluating", "", ""]
base = "https://participer.example.org/processes/bench/f/31/proposals/"
w = csv.writer(open(os.path.join(a.out, "proposals.csv"), "w", newline="", encoding="utf-8"), delimiter=";")
w.writerow(["id", "category/id", "category/name/fr", "title/fr", "body/fr", "state", "answer/fr",
            "votes", "published_at", "url", "meeting_urls", "withdrawn", "author/name"])
for i in range(1, a.proposals + 1):
    t = rnd.choice(texts)
    c = rnd.choice(cats)
    w.writerow([i, cats.index(c) if c else "", c, t[:80], "<p>" + t + "</p>", rnd.choice(states), "",
                rnd.randint(0, 200), "2023-05-04 10:00:00 +0200", base + str(i), "",
                "true" if rnd.random() < 0.03 else "false", "Someone"])
json.dump([{"id": d, "title": {"fr": f"Débat {d} : que faire ?"}, "description": {"fr": "<p>Dites-nous.</p>"},
            "instructions": {"fr": ""}, "start_time": None, "end_time": None}
           for d in range(1, a.debates + 1)],
          open(os.path.join(a.out, "debates.json"), "w", encoding="utf-8"))
w = csv.writer(open(os.path.join(a.out, "comments.csv"), "w", newline="", encoding="utf-8"), delimiter=";")
w.writerow(["id", "created_at", "body", "locale", "author/id", "author/name", "alignment", "depth",
            "user_group/id", "user_group/name", "commentable_id", "commentable_type", "root_commentable_url"])
made = []  # (id, depth, root kind, root id)
for i in range(1, a.comments + 1):
    if made and rnd.random() < 0.4:
        pid, pd, kind, rid = rnd.choice(made)
        if pd < 3:
            made.append((i, pd + 1, kind, rid))
            w.writerow([i, "2023-05-05 10:00:00 +0200", rnd.choice(texts)[:600], "fr", 1, "X",
                        rnd.choice([1, 0, -1]), pd + 1, "", "", pid, "Decidim::Comments::Comment",
                        base + str(rid) if kind == "p" else f"https://x/debates/{rid}"])
            continue
    if rnd.random() < 0.2:
        rid = rnd.randint(1, a.debates)
        made.append((i, 0, "d", rid))
        w.writerow([i, "2023-05-05 10:00:00 +0200", rnd.choice(texts)[:600], "fr", 1, "X", 0, 0, "", "",
                    rid, "Decidim::Debates::Debate", f"https://x/debates/{rid}"])
    else:
        rid = rnd.randint(1, a.proposals)
        made.append((i, 0, "p", rid))
        w.writerow([i, "2023-05-05 10:00:00 +0200", rnd.choice(texts)[:600], "fr", 1, "X",
                    rnd.choice([1, 0, -1]), 0, "", "", rid, "Decidim::Proposals::Proposal", base + str(rid)])
w = csv.writer(open(os.path.join(a.out, "meetings.csv"), "w", newline="", encoding="utf-8"), delimiter=";")
w.writerow(["id", "title/fr", "description/fr", "start_time", "end_time", "address"])
w.writerow([1, "Atelier", "", "2023-05-20 14:00:00 +0200", "2023-05-20 17:00:00 +0200", "Nantes"])
