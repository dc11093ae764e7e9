#!/usr/bin/env python3
"""Fills a Concorde SQLite database (already migrated, with the demo debate loaded) with N
contributions to the demo debate, taken from the Grand Débat National answers
(../shared/corpus/gdn_answers.jsonl.gz) and cycled with a suffix until N distinct rows exist.

Usage: fill.py DB_PATH CORPUS N
"""
import gzip, json, sqlite3, sys, time

db, corpus, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = sqlite3.connect(db)
debate = con.execute("SELECT id FROM debates WHERE slug = 'solidarites'").fetchone()[0]
questions = [r[0] for r in con.execute("SELECT id FROM debate_questions WHERE debate_id = ? ORDER BY position", (debate,))]
quartiers = [r[0] for r in con.execute("SELECT id FROM quartiers")]
categories = [r[0] for r in con.execute("SELECT id FROM categories")]
texts = []
with gzip.open(corpus, "rt", encoding="utf-8") as f:
    for line in f:
        try:
            t = json.loads(line).get("text", "").strip()
        except ValueError:
            continue
        if t:
            texts.append(t[:3000])
start = time.time()
now = int(time.time()) - n
channels = ["online"] * 8 + ["paper", "workshop"]
rows = []
con.execute("BEGIN")
for i in range(n):
    t = texts[i % len(texts)]
    cycle = i // len(texts)
    body = t if cycle == 0 else f"{t} ({cycle})"
    title = body[:80]
    rows.append((debate, questions[i % len(questions)], None, "collective" if i % 50 == 0 else "individual",
                 channels[i % len(channels)], title, body,
                 categories[i % len(categories)] if categories else None,
                 quartiers[i % len(quartiers)] if quartiers else None, now + i, now + i))
    if len(rows) == 50_000:
        con.executemany("INSERT INTO contributions (debate_id, question_id, author_id, kind, channel, title, body, category_id, quartier_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        rows = []
if rows:
    con.executemany("INSERT INTO contributions (debate_id, question_id, author_id, kind, channel, title, body, category_id, quartier_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
con.commit()
print(f"{n} contributions in {time.time() - start:.1f} s", file=sys.stderr)
