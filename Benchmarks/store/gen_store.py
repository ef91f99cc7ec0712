#!/usr/bin/env python3
"""Fill a Herald database (schema already created by `herald-bench init`) with N synthetic articles, fast.

Rows look like what Herald stores for RFI: a percent-encoded /cn/<section>/<yyyymmdd>-<slug> URL, a Chinese title,
lead and a 3-5 KB body (text and HTML) built from the fixture site's generated paragraphs, one revision row per
article (as ArticleStore.insert writes), and the search indexes kept in sync by the schema's own triggers (with make-archive.py's versions of Herald's SQL
functions registered). One transaction,
journal off while loading; WAL is switched back on at the end, as Herald opens it.

    gen_store.py --db PATH --articles 1000000 --pool SITE/expected
"""
import argparse, glob, hashlib, importlib.util, json, os, random, sqlite3, sys, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--articles", type=int, default=1_000_000)
ap.add_argument("--pool", required=True, help="a fixture site's expected/ folder (paragraphs, titles, leads)")
ap.add_argument("--seed", type=int, default=6)
args = ap.parse_args()

rnd = random.Random(args.seed)
paragraphs, titles, leads = [], [], []
for path in sorted(glob.glob(os.path.join(args.pool, "WBMZ*.json")))[:400]:
    record = json.load(open(path, encoding="utf-8"))
    titles.append(record["title"]); leads.append(record["lead"])
    paragraphs.extend(p for p in record["body_text"].split("\n") if len(p) > 20)
if not paragraphs:
    sys.exit(f"no fixture articles under {args.pool}")
sections = ["中国", "国际", "港澳台", "经贸", "政治", "法国"]
quoted = {s: urllib.parse.quote(s) for s in sections}

def body(target_bytes):
    parts, size = [], 0
    while size < target_bytes:
        p = rnd.choice(paragraphs)
        parts.append(p); size += len(p.encode()) + 1
    return parts

def rows():
    start = 946684800  # 2000-01-01
    span = 26 * 365 * 86400
    for i in range(1, args.articles + 1):
        section = sections[i % 6]
        t = start + (i * span) // args.articles + rnd.randrange(3600)
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        day = ts[:10].replace("-", "")
        title = f"{rnd.choice(titles)} ({i})"
        slug = urllib.parse.quote(title[:24].replace(" ", "-"))
        url = f"https://www.rfi.fr/cn/{quoted[section]}/{day}-{slug}-{i}"
        parts = body(rnd.randrange(3000, 5000))
        text = "\n".join(parts)
        html = "".join(f"<p>{p}</p>" for p in parts)
        lead = rnd.choice(leads)
        digest = hashlib.sha256(f"{title}\x00{lead}\x00{html}".encode()).hexdigest()
        yield (i, "rfi-cn", url, url, f"WBMZ{i:06d}-RFI-CN-{day}", title, section, '["法广"]', ts, ts, ts, ts, ts,
               lead, "https://s.rfi.fr/media/display/x.jpg", "图片说明", html, text, '["中美关系"]', digest)

db = sqlite3.connect(args.db, isolation_level=None)
# The search indexes' triggers (schema v5, v6, v9) call Herald's SQL functions: the same ones as make-archive.py's.
_spec = importlib.util.spec_from_file_location(
    "make_archive", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "make-archive.py"))
_make_archive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_make_archive)
_make_archive.register(db)
if db.execute("SELECT count(*) FROM articles").fetchone()[0]:
    sys.exit(f"{args.db} already holds articles")
db.execute("PRAGMA journal_mode = OFF")
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA cache_size = -1000000")
listed_by = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_sources'").fetchone() is not None
began = time.time()
db.execute("BEGIN")
batch = []
def flush():
    db.executemany("""INSERT INTO articles (id, source, url, canonical_url, content_id, title, section, authors,
        published_at, modified_at, listing_timestamp, first_seen_at, fetched_at, lead, image_url, image_caption,
        body_html, body_text, tags, content_hash, revision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)""", batch)
    db.executemany("""INSERT INTO article_revisions (article_id, revision, fetched_at, modified_at, title, lead,
        body_html, body_text, content_hash) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)""",
        [(r[0], r[12], r[9], r[5], r[13], r[16], r[17], r[19]) for r in batch])
    if listed_by:  # schema v7: the store records the storing source as a lister of the article
        db.executemany("INSERT INTO article_sources (source, article_id, first_listed_at, last_listed_at) VALUES (?, ?, ?, ?)",
                       [(r[1], r[0], r[11], r[12]) for r in batch])
    batch.clear()
for n, row in enumerate(rows(), 1):
    batch.append(row)
    if len(batch) == 5000:
        flush()
        if n % 100_000 == 0:
            print(f"{n} rows, {time.time() - began:.0f} s", flush=True)
flush()
db.execute("COMMIT")
db.execute("PRAGMA journal_mode = WAL")
db.execute("ANALYZE")
db.close()
size = os.path.getsize(args.db)
print(f"{args.articles} articles in {time.time() - began:.0f} s; {size / 1e9:.2f} GB, {size / args.articles / 1024:.1f} KiB per article")
