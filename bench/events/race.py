"""1,000 registrations at once (64 at a time) for a 30-place workshop, through the API of one or
two instances (alternating), each by its own account. Checks exactly 30 confirmed and 970 on the
waiting list, nobody twice, and prints registrations per second.

Usage: race.py EVENT_ID BASE_URL [BASE_URL…]
"""
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

event, bases = sys.argv[1], sys.argv[2:]


def register(i):
    req = urllib.request.Request(f"{bases[i % len(bases)]}/api/v1/events/{event}/registrations",
                                 data=b"{}", method="POST",
                                 headers={"Authorization": f"Bearer cc_bench{i}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read())["state"]


start = time.time()
with ThreadPoolExecutor(max_workers=64) as pool:
    results = list(pool.map(register, range(1000)))
elapsed = time.time() - start
states = [s for _, s in results]
confirmed, waiting = states.count("confirmed"), states.count("waiting")
ok = all(code == 201 for code, _ in results) and confirmed == 30 and waiting == 970
print(f"  {len(results)} registrations in {elapsed:.2f} s: {len(results) / elapsed:.0f}/s; "
      f"confirmed {confirmed}, waiting {waiting} {'OK' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
