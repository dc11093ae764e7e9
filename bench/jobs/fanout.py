#!/usr/bin/env python3
"""Comment latency with and without followers: a comment on a contribution followed by 500
accounts must answer as fast as one on a contribution nobody follows, since the mails to the
followers are queued as one job and sent afterwards.

Starts `concorde serve --demo` on a fresh SQLite data folder, adds two contributions (one with
500 followers), signs in 10 participants over HTTP as a browser would (form, CSRF token, cookie)
and has each post 10 comments on each contribution, alternating. Prints p50 and p95 of both, then
checks that the 500 followers' mails were all queued and sent.

Usage: python3 bench/jobs/fanout.py --bin target/release/concorde [--work DIR] [--port 8097]
"""
import argparse, http.cookiejar, os, re, shutil, sqlite3, statistics, subprocess, sys, time
import urllib.parse, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--work", default="/tmp/concorde-fanout-bench")
ap.add_argument("--port", type=int, default=8097)
ap.add_argument("--followers", type=int, default=500)
a = ap.parse_args()
shutil.rmtree(a.work, ignore_errors=True)
os.makedirs(a.work)
base = f"http://127.0.0.1:{a.port}"
env = dict(os.environ, CONCORDE_PUBLIC_URL=base)
subprocess.run([a.bin, "--data", a.work, "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
PASSWORD = "un mot de passe de banc d'essai"
for i in range(10):
    subprocess.run([a.bin, "--data", a.work, "user", "create", "--email", f"c{i}@example.org",
                    "--password", PASSWORD], check=True, env=env, stdout=subprocess.DEVNULL)

db = sqlite3.connect(os.path.join(a.work, "concorde.db"))
debate, = db.execute("SELECT id FROM debates WHERE slug = 'solidarites'").fetchone()
question, = db.execute("SELECT id FROM debate_questions WHERE debate_id = ? ORDER BY position LIMIT 1", (debate,)).fetchone()
now = int(time.time())
ids = []
for title in ("Suivie par beaucoup", "Suivie par personne"):
    cur = db.execute("INSERT INTO contributions (debate_id, question_id, kind, channel, title, body, status, created_at, updated_at) "
                     "VALUES (?, ?, 'individual', 'online', ?, 'Texte', 'published', ?, ?)", (debate, question, title, now, now))
    ids.append(cur.lastrowid)
followed, alone = ids
for i in range(a.followers):
    cur = db.execute("INSERT INTO users (email, password_hash, display_name, lang, confirmed_at, created_at) "
                     "VALUES (?, 'x', ?, 'fr', ?, ?)", (f"f{i}@example.org", f"Abonné {i}", now, now))
    db.execute("INSERT INTO follows (contribution_id, user_id, created_at) VALUES (?, ?, ?)", (followed, cur.lastrowid, now))
db.commit()

server = subprocess.Popen([a.bin, "--data", a.work, "serve", "--listen", f"127.0.0.1:{a.port}"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except Exception:
            time.sleep(0.1)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kw):
            return None

    def csrf(opener, path):
        html = opener.open(base + path).read().decode()
        return re.search(r'name="csrf" value="([^"]+)"', html).group(1)

    def post(opener, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        t = time.perf_counter()
        try:
            opener.open(urllib.request.Request(base + path, data=data))
            code = 200
        except urllib.error.HTTPError as e:
            code = e.code
        return time.perf_counter() - t, code

    timings = {followed: [], alone: []}
    for i in range(10):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        _, code = post(opener, "/connexion", {"csrf": csrf(opener, "/connexion"), "email": f"c{i}@example.org",
                                             "password": PASSWORD, "next": "/"})
        assert code == 303, code
        token = csrf(opener, f"/contributions/{followed}")
        for n in range(10):
            for cid in (followed, alone):
                t, code = post(opener, f"/contributions/{cid}/commentaires", {"csrf": token, "body": f"Commentaire {i}-{n}"})
                assert code == 303, code
                timings[cid].append(t * 1000)

    def q(v, p):
        v = sorted(v)
        return v[min(len(v) - 1, int(p * len(v)))]

    for cid, name in ((followed, f"{a.followers} followers"), (alone, "no follower")):
        v = timings[cid]
        print(f"comment on a contribution with {name}: p50 {statistics.median(v):.1f} ms, p95 {q(v, 0.95):.1f} ms ({len(v)} comments)")
    ratio = statistics.median(timings[followed]) / statistics.median(timings[alone])
    print(f"ratio of the p50s: {ratio:.2f}")
    # The mails follow: 100 comments × 500 followers (the commenters follow both contributions too).
    want = 100 * a.followers
    for _ in range(600):
        sent, = db.execute("SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND state = 'done'").fetchone()
        if sent >= want:
            break
        time.sleep(1)
    print(f"follower mails sent afterwards: {sent} (at least {want} expected)")
    sys.exit(0 if sent >= want else 1)
finally:
    server.terminate()
    server.wait()
