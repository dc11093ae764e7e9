"""Seeds an events benchmark on a migrated Concorde database that holds the demo debate:
5,000 published events over a year (kinds and quartiers mixed), one event with 10,000
registrations, a 30-place workshop for the registration race, and 1,000 confirmed accounts with
a write token each (cc_bench<i>). Prints the ids: big=<id> race=<id>.

Usage: seed.py sqlite PATH | seed.py postgres URL
"""
import hashlib
import subprocess
import sys
import time

backend, where = sys.argv[1], sys.argv[2]
now = int(time.time())
KINDS = ["workshop", "mediation", "conference", "round_table", "session_workshop"]


def rows_events(debate, quartiers, n):
    for i in range(n):
        start = now + 3600 + (i * 6271) % (365 * 86400)
        yield (debate, KINDS[i % 5], f"Événement de quartier n°{i}", "Un atelier ouvert à tous.",
               quartiers[i % len(quartiers)], f"Salle {i % 40}, Nantes", start, start + 7200,
               None if i % 3 == 0 else 20 + i % 80, 1, now, now)


def token_hash(i):
    return hashlib.sha256(f"cc_bench{i}".encode()).hexdigest()


EVENT_SQL = ("INSERT INTO events (debate_id, kind, title, description, quartier_id, address, starts_at, "
             "ends_at, capacity, published, created_at, updated_at) VALUES ({})")

if backend == "sqlite":
    import sqlite3
    c = sqlite3.connect(where)
    debate = c.execute("SELECT id FROM debates WHERE slug = 'solidarites'").fetchone()[0]
    quartiers = [r[0] for r in c.execute("SELECT id FROM quartiers")]
    ph = ", ".join(["?"] * 12)
    c.executemany(EVENT_SQL.format(ph), rows_events(debate, quartiers, 5000))
    big = c.execute(EVENT_SQL.format(ph) + " RETURNING id",
                    (debate, "conference", "Grande conférence", "", quartiers[0], "Cité des Congrès",
                     now + 30 * 86400, now + 30 * 86400 + 7200, 20000, 1, now, now)).fetchone()[0]
    race = c.execute(EVENT_SQL.format(ph) + " RETURNING id",
                     (debate, "workshop", "Atelier très demandé", "", quartiers[1], "Maison de quartier",
                      now + 20 * 86400, now + 20 * 86400 + 7200, 30, 1, now, now)).fetchone()[0]
    c.executemany("INSERT INTO registrations (event_id, name, email, state, token_hash, created_at, updated_at) "
                  "VALUES (?, ?, ?, 'confirmed', ?, ?, ?)",
                  ((big, f"Personne {i}", f"big{i}@example.org", f"h{i}", now, now) for i in range(10000)))
    for i in range(1000):
        uid = c.execute("INSERT INTO users (email, password_hash, display_name, confirmed_at, created_at) "
                        "VALUES (?, 'x', ?, ?, ?) RETURNING id", (f"bench{i}@example.org", f"Bench {i}", now, now)).fetchone()[0]
        c.execute("INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at) VALUES (?, 'bench', ?, 'write', ?)",
                  (uid, token_hash(i), now))
    c.commit()
else:
    def psql(q):
        return subprocess.run(["psql", where, "-Atqc", q], check=True, capture_output=True, text=True).stdout.strip()
    debate = psql("SELECT id FROM debates WHERE slug = 'solidarites'")
    psql(f"""INSERT INTO events (debate_id, kind, title, description, quartier_id, address, starts_at, ends_at,
             capacity, published, created_at, updated_at)
           SELECT {debate}, (ARRAY['workshop','mediation','conference','round_table','session_workshop'])[1 + i % 5],
             'Événement de quartier n°' || i, 'Un atelier ouvert à tous.',
             (SELECT id FROM quartiers ORDER BY id OFFSET (i % (SELECT COUNT(*) FROM quartiers)) LIMIT 1),
             'Salle ' || (i % 40) || ', Nantes', {now} + 3600 + (i * 6271) % (365 * 86400),
             {now} + 10800 + (i * 6271) % (365 * 86400), CASE WHEN i % 3 = 0 THEN NULL ELSE 20 + i % 80 END,
             1, {now}, {now} FROM generate_series(0, 4999) i""")
    big = psql(f"""INSERT INTO events (debate_id, kind, title, description, address, starts_at, ends_at, capacity,
             published, created_at, updated_at) VALUES ({debate}, 'conference', 'Grande conférence', '',
             'Cité des Congrès', {now + 30 * 86400}, {now + 30 * 86400 + 7200}, 20000, 1, {now}, {now}) RETURNING id""").splitlines()[0]
    race = psql(f"""INSERT INTO events (debate_id, kind, title, description, address, starts_at, ends_at, capacity,
             published, created_at, updated_at) VALUES ({debate}, 'workshop', 'Atelier très demandé', '',
             'Maison de quartier', {now + 20 * 86400}, {now + 20 * 86400 + 7200}, 30, 1, {now}, {now}) RETURNING id""").splitlines()[0]
    psql(f"""INSERT INTO registrations (event_id, name, email, state, token_hash, created_at, updated_at)
           SELECT {big}, 'Personne ' || i, 'big' || i || '@example.org', 'confirmed', 'h' || i, {now}, {now}
           FROM generate_series(0, 9999) i""")
    psql(f"""WITH u AS (INSERT INTO users (email, password_hash, display_name, confirmed_at, created_at)
             SELECT 'bench' || i || '@example.org', 'x', 'Bench ' || i, {now}, {now} FROM generate_series(0, 999) i
             RETURNING id, email)
           INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at)
           SELECT id, 'bench', encode(sha256(('cc_bench' || substring(email from 6 for position('@' in email) - 6))::bytea), 'hex'),
             'write', {now} FROM u""")
    psql("ANALYZE")
print(f"big={big} race={race}")
