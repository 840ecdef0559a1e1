"""Writes a month of usage into a Sluice SQLite store for the console's render-time measurement:
for every key given on stdin (one id, team and project per line, tab-separated), a few records per day
over the last 30 days, spread over two models. Run while the gateway is up (the store is in WAL mode)."""
import random
import sqlite3
import sys
import time

store = sys.argv[1]
keys = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
rng = random.Random(18)
now_ms = int(time.time() * 1000)
day_ms = 86_400_000
rows = []
for day in range(30):
    for key_id, team, project in keys:
        for model in ("claude-sonnet-4-20250514", "claude-haiku-4-5"):
            if rng.random() < 0.5:
                continue
            ts = now_ms - day * day_ms - rng.randrange(day_ms // 2)
            tokens_in, tokens_out = rng.randrange(100, 5000), rng.randrange(50, 2000)
            cost = tokens_in * 3 + tokens_out * 15  # micro-USD at $3 / $15 per million tokens
            rows.append((ts, key_id, team, project, model, tokens_in, tokens_out, cost, 200, 900_000, ""))
db = sqlite3.connect(store, timeout=30)
db.executemany("INSERT INTO usage VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
print(len(rows))
