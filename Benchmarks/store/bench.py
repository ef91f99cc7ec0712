#!/usr/bin/env python3
"""Scale of the store, on a generated database (gen_store.py): size per article, the seen check per URL
(herald-bench dedup: ArticleStore.linkState(url:) and the crawl pass's
per-listing linkStates(urls:), in-process), GET /status latency with `herald run` on that
database, a full-text search, and the latest-articles query.

    bench.py --herald BIN --herald-bench BIN --db PATH --out DIR
"""
import argparse, json, os, signal, socket, sqlite3, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from measure import median, load

ap = argparse.ArgumentParser()
ap.add_argument("--herald", required=True)
ap.add_argument("--herald-bench", required=True)
ap.add_argument("--db", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--requests", type=int, default=50)
a = ap.parse_args()
a.herald, a.herald_bench, a.db = (os.path.abspath(p) for p in (a.herald, a.herald_bench, a.db))
os.makedirs(a.out, exist_ok=True)
loads = [load()]

db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
articles = db.execute("SELECT max(id) FROM articles").fetchone()[0]
size = os.path.getsize(a.db)
summary = {"articles": articles, "db_bytes": size, "kib_per_article": size / articles / 1024,
           "sqlite": sqlite3.sqlite_version}

# Queries, from a fresh read-only connection each time would measure opening; this is one reader connection,
# median of 7 after one warm-up, as a reader (sqlite3, Datasette) would see them with a warm page cache.
def timed_query(sql, params=()):
    times, rows = [], None
    for i in range(8):
        began = time.perf_counter()
        rows = db.execute(sql, params).fetchall()
        if i:
            times.append(time.perf_counter() - began)
    return median(times) * 1000, len(rows)

queries = {
    "latest 20 (ORDER BY published_at DESC LIMIT 20)":
        "SELECT source, title, published_at, url FROM articles ORDER BY published_at DESC LIMIT 20",
    "count(*) FROM articles (what /status computed per call before)": "SELECT count(*) FROM articles",
    "FTS, rare term, ranked, snippet (docs/schema.md's example)":
        "SELECT a.title, snippet(articles_fts, 2, '[', ']', '…', 12) FROM articles_fts JOIN articles a "
        "ON a.id = articles_fts.rowid WHERE articles_fts MATCH '\"(" + str(articles // 2 + 7) + ")\"' ORDER BY rank LIMIT 10",
    "FTS, common phrase, first 20 matches": "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '养老金改革' LIMIT 20",
    "FTS, common phrase, ranked top 10 (every match scored)":
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '养老金改革' ORDER BY rank LIMIT 10",
}
summary["queries"] = {}
for label, sql in queries.items():
    ms, n = timed_query(sql)
    summary["queries"][label] = {"ms": ms, "rows": n}
    print(f"  {label}: {ms:.2f} ms ({n} rows)", file=sys.stderr)
db.close()

# The seen check, in-process.
dedup = subprocess.run([a.herald_bench, "dedup", "--db", a.db, "--n", "100000"], capture_output=True, text=True,
                       check=True).stdout.strip()
summary["dedup"] = dedup
print("  " + dedup.replace("\n", "\n  "), file=sys.stderr)

# GET /status with the daemon running on this database (one disabled source: the daemon idles, nothing writes).
work = os.path.join(a.out, "daemon")
os.makedirs(work, exist_ok=True)
sock = os.path.join(work, "herald.sock")
config = {"database": a.db, "statusSocket": sock, "logLevel": "warning",
          "sources": [{"name": "idle", "listing": "http://127.0.0.1:9/cn/", "enabled": False}]}
json.dump(config, open(os.path.join(work, "config.json"), "w"))
proc = subprocess.Popen([a.herald, "run", "--config", os.path.join(work, "config.json")],
                        stdout=open(os.path.join(work, "herald.log"), "wb"), stderr=subprocess.STDOUT)
try:
    for _ in range(600):
        if os.path.exists(sock):
            break
        time.sleep(0.1)
    def status():
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(30)
        began = time.perf_counter()
        s.connect(sock)
        s.sendall(b"GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        elapsed = time.perf_counter() - began
        s.close()
        body = json.loads(data.split(b"\r\n\r\n", 1)[1])
        return elapsed * 1000, body
    first, body = status()
    times = [status()[0] for _ in range(a.requests)]
    summary["status"] = {"first_ms": first, "median_ms": median(times), "max_ms": max(times),
                         "article_count": body.get("article_count")}
finally:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
loads.append(load())
summary["loads"] = loads
json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)

print(f"database: {articles:,} articles, {size / 1e9:.2f} GB, {summary['kib_per_article']:.1f} KiB per article "
      f"(articles + one revision each + trigram FTS); SQLite {sqlite3.sqlite_version}; load {loads[0]} … {loads[-1]}")
print("| measurement | median | note |")
print("|---|---|---|")
for line in dedup.splitlines():
    if line.startswith("dedup"):
        kind, _, batched = line.split()[1].partition("/")
        us = line.split("median of 5 rounds ")[1].split(" us/url")[0]
        what = {"stored": "stored URL, random over all articles", "recent": "stored URL, among the newest 2,000",
                "new": "new URL (three lookups miss)"}.get(kind, kind)
        call = "`linkStates(urls:)`, a listing's 100 links per call (as the crawl pass checks)" if batched \
            else "`linkState(url:)`, one call per URL"
        print(f"| seen check {call}, {what} | {us} µs | herald-bench, 100,000 URLs, in-process, writer connection |")
s = summary["status"]
print(f"| `GET /status` (daemon on this DB) | {s['median_ms']:.2f} ms | first call {s['first_ms']:.1f} ms, "
      f"max {s['max_ms']:.1f} ms over {a.requests}; article_count {s['article_count']} |")
for label, q in summary["queries"].items():
    print(f"| {label} | {q['ms']:.2f} ms | {q['rows']} rows |")
