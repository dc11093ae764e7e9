#!/usr/bin/env python3
"""Fills a Concorde SQLite database (already migrated, with the demo debate loaded) with N
contributions to the demo debate, taken from the Grand Débat National answers
(../shared/corpus/gdn_answers.jsonl.gz) and cycled with a suffix until N distinct rows exist;
then with M comments (default 0) spread over those contributions, in threads of four (a comment,
then three replies, each to the one before), their texts taken from the same answers.

Usage: fill.py DB_PATH CORPUS N [M]
"""
import gzip, json, sqlite3, sys, time

db, corpus, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
m = int(sys.argv[4]) if len(sys.argv) > 4 else 0
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


def insert(sql, rows):
    """Runs `sql` for every row of the iterator, 50,000 at a time, in one transaction."""
    con.execute("BEGIN")
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 50_000:
            con.executemany(sql, batch)
            batch = []
    if batch:
        con.executemany(sql, batch)
    con.commit()


def contributions():
    for i in range(n):
        t = texts[i % len(texts)]
        cycle = i // len(texts)
        body = t if cycle == 0 else f"{t} ({cycle})"
        yield (debate, questions[i % len(questions)], None, "collective" if i % 50 == 0 else "individual",
               channels[i % len(channels)], body[:80], body,
               categories[i % len(categories)] if categories else None,
               quartiers[i % len(quartiers)] if quartiers else None, now + i, now + i)


def comments(first, base):
    for j in range(m):
        cid = base + j + 1
        depth = j % 4
        yield (cid, first + ((j // 4) % n), cid - 1 if depth else None, depth,
               texts[(j * 7) % len(texts)][:2000], now + j, now + j)


now = int(time.time()) - n
channels = ["online"] * 8 + ["paper", "workshop"]
start = time.time()
insert("INSERT INTO contributions (debate_id, question_id, author_id, kind, channel, title, body, category_id, "
       "quartier_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", contributions())
print(f"{n} contributions in {time.time() - start:.1f} s", file=sys.stderr)
if m:
    start = time.time()
    first = con.execute("SELECT MIN(id) FROM contributions WHERE debate_id = ?", (debate,)).fetchone()[0]
    base = con.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0]
    insert("INSERT INTO comments (id, contribution_id, parent_id, depth, body, created_at, updated_at) "
           "VALUES (?,?,?,?,?,?,?)", comments(first, base))
    print(f"{m} comments in {time.time() - start:.1f} s", file=sys.stderr)
