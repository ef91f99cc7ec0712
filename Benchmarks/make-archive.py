#!/usr/bin/env python3
"""Fill a Herald database with synthetic articles for search benchmarks.

    Benchmarks/make-archive.py --site SITE --db herald.db --articles 100000

The database must already exist with Herald's schema (create it with herald itself, e.g. `herald prune --config C`
on a config whose `database` is the file: opening runs the migrations). Articles go in through plain SQL, as any
SQLite client could write them, so the FTS triggers index them exactly as they index crawled ones.

The text is Chinese news prose: each article takes 20-44 paragraphs drawn at random from the fixture site's 60
articles (expected/<content_id>.json, body_text), the seed article included, with a fixture headline and lead: about
1,500 characters of body, like a real RFI article. Word frequencies follow the fixtures (台北 is in about half the
articles, 习近平 in under a tenth).
Deterministic for a given --seed.
"""
import argparse
import glob
import hashlib
import json
import os
import random
import sqlite3
import sys
from datetime import datetime, timedelta, timezone


def is_cjk(c):
    """SearchText.isCJK in Sources/HeraldStore/Search/SearchText.swift: Han, kana, Hangul."""
    v = ord(c)
    return (0x3040 <= v <= 0x30FF or 0x31F0 <= v <= 0x31FF or 0x3400 <= v <= 0x4DBF or 0x4E00 <= v <= 0x9FFF
            or 0xAC00 <= v <= 0xD7AF or 0xF900 <= v <= 0xFAFF or 0x1100 <= v <= 0x11FF or 0x3130 <= v <= 0x318F
            or 0x20000 <= v <= 0x3134F)


def search_text(text):
    """herald_search_text (SearchText.indexed): each CJK run as its overlapping pairs and its last character.

    Herald registers this function on its own connections; the word index's triggers (schema v5) call it, so any
    other writer must register an equal one before inserting articles."""
    if text is None:
        return None
    out, run = [], []

    def flush():
        if run:
            out.append(" " + "".join(run[i] + run[i + 1] + " " for i in range(len(run) - 1)) + run[-1] + " ")
            run.clear()
    for c in text:
        if is_cjk(c):
            run.append(c)
        else:
            flush()
            out.append(c)
    flush()
    return "".join(out)


def latin_text(text):
    """herald_latin_text (SearchText.latin): every run of CJK characters replaced by one U+0001, the rest unchanged.
    What the trigram index articles_fts holds from schema v9 (its triggers call it)."""
    if text is None:
        return None
    out, in_run = [], False
    for c in text:
        if is_cjk(c):
            if not in_run:
                out.append("\x01")
            in_run = True
        else:
            out.append(c)
            in_run = False
    return "".join(out)


def register(db):
    """The SQL functions the search indexes' triggers call (schema v5, v6, v9): register them before writing articles."""
    db.create_function("herald_search_text", 1, search_text, deterministic=True)
    db.create_function("herald_search_chars", -1, search_chars, deterministic=True)
    db.create_function("herald_latin_text", 1, latin_text, deterministic=True)


def search_chars(*texts):
    """herald_search_chars (SearchText.characters): the distinct CJK characters of its arguments, in order of first
    appearance, separated by spaces (NULLs skipped). The character index's triggers (schema v6) call it."""
    seen, out = set(), []
    for text in texts:
        if text is None:
            continue
        for c in text:
            if is_cjk(c) and c not in seen:
                seen.add(c)
                out.append(c)
    return " ".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, help="a generated fixture site (make_site.py --out SITE)")
    parser.add_argument("--db", required=True, help="a database created by herald")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--source", default="rfi-cn")
    parser.add_argument("--seed", type=int, default=20231028)
    parser.add_argument("--defer-index", action="store_true",
                        help="leave the search indexes to herald's resumable build (as after a migration from v4): the "
                             "insert triggers stand aside (search_index_deferral, schema v8+) and search_index_build "
                             "covers the new ids; the next `herald-bench init` builds them in batches, in Swift")
    args = parser.parse_args()

    records = [json.load(open(f, encoding="utf-8")) for f in sorted(glob.glob(os.path.join(args.site, "expected", "WBMZ*.json")))]
    if not records:
        sys.exit(f"no expected/WBMZ*.json under {args.site}: generate the fixture site first")
    paragraphs = [p for r in records for p in r["body_text"].split("\n") if p.strip()]
    titles = [r["title"] for r in records]
    leads = [r["lead"] for r in records if r.get("lead")]
    sections = sorted({r["section"] for r in records if r.get("section")})

    db = sqlite3.connect(args.db)
    register(db)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version < 2:
        sys.exit(f"{args.db} has schema version {version}: create it with this herald first")
    rng = random.Random(args.seed)
    start = datetime(2015, 1, 1, tzinfo=timezone.utc)
    span = 10 * 365 * 86400
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    first_id = (db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]) + 1
    if args.defer_index and version < 8:
        sys.exit(f"--defer-index needs schema v8 or later ({args.db} has {version})")

    def begin():
        db.execute("BEGIN")
        if args.defer_index:  # the insert triggers skip while this row exists (it never outlives a transaction)
            db.execute("INSERT OR IGNORE INTO search_index_deferral (id) VALUES (1)")

    def commit():
        if args.defer_index:
            db.execute("DELETE FROM search_index_deferral")
        db.execute("COMMIT")

    begin()
    for n in range(args.articles):
        i = first_id + n
        published = start + timedelta(seconds=rng.randrange(span))
        fetched = published + timedelta(minutes=rng.randrange(5, 120))
        body = rng.sample(paragraphs, rng.randint(20, 44))
        body_text = "\n".join(body)
        body_html = "".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>" for p in body)
        title = rng.choice(titles)
        lead = rng.choice(leads)
        url = f"https://www.rfi.fr/cn/bench/{published:%Y%m%d}-{i}"
        content_hash = hashlib.sha256("\0".join([title, lead, body_html]).encode()).hexdigest()
        db.execute(
            """INSERT INTO articles (id, source, url, canonical_url, content_id, title, section, authors, published_at,
                   modified_at, first_seen_at, fetched_at, lead, lead_verbatim, body_html, body_text, tags,
                   content_hash, revision)
               VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, NULL, ?, ?, ?, ?, ?, ?, '[]', ?, 1)""",
            (i, args.source, url, url, f"BENCH{i:07d}-RFI-CN-{published:%Y%m%d}", title, rng.choice(sections),
             published.strftime(fmt), fetched.strftime(fmt), fetched.strftime(fmt), lead, lead + " " * 8,
             body_html, body_text, content_hash))
        db.execute(
            """INSERT INTO article_revisions (article_id, revision, fetched_at, title, lead, lead_verbatim, body_html,
                   body_text, content_hash) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)""",
            (i, fetched.strftime(fmt), title, lead, lead + " " * 8, body_html, body_text, content_hash))
        if version >= 7:  # the store records the storing source as a lister of the article
            db.execute("INSERT INTO article_sources (source, article_id, first_listed_at, last_listed_at) VALUES (?, ?, ?, ?)",
                       (args.source, i, fetched.strftime(fmt), fetched.strftime(fmt)))
        if n % 10_000 == 9_999:
            commit()
            print(f"{n + 1} articles", file=sys.stderr)
            begin()
    if args.defer_index:  # ids first_id.. are not indexed yet: the build covers them (rows already indexed are skipped)
        db.execute("""INSERT OR REPLACE INTO search_index_build (id, done_through, until)
                      SELECT 1, coalesce((SELECT done_through FROM search_index_build), ?), max(id) FROM articles""",
                   (first_id - 1,))
    commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    chars = db.execute("SELECT avg(length(body_text)) FROM articles").fetchone()[0]
    print(f"{args.db}: {total} articles, {chars:.0f} characters of body text on average, "
          f"{os.path.getsize(args.db) / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
