#!/usr/bin/env python3
"""Crawl: `herald crawl` vs a Scrapy spider (rfi_spider.py), same site, same concurrency, alternating.

The site is a generated RFI-like site on a loopback nginx. Both start from the same listing pages (the section and
programme listings, each followed through <link rel="next">), fetch every article once, extract it and store it in
SQLite. No politeness delay; robots.txt obeyed on both sides; per-host and total concurrency both N.
Each side runs under /usr/bin/time -v (peak RSS, user and system CPU) on a fresh database.

    bench.py --herald BIN --python VENV_PYTHON --site DIR --origin http://127.0.0.1:8089 --concurrency 8 --runs 3 --out DIR
"""
import argparse, json, os, re, sqlite3, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from measure import median, load

ap = argparse.ArgumentParser()
ap.add_argument("--herald", required=True)
ap.add_argument("--python", required=True)
ap.add_argument("--site", required=True)
ap.add_argument("--origin", required=True)
ap.add_argument("--concurrency", type=int, default=8)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--out", required=True)
ap.add_argument("--only", choices=["herald", "scrapy"])
a = ap.parse_args()
a.herald, a.python = os.path.abspath(a.herald), os.path.abspath(a.python)
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(a.out, exist_ok=True)

listings = json.load(open(os.path.join(a.site, "expected", "listings.json")))
starts = [a.origin + path for path in listings
          if path.startswith("/cn/") and path != "/cn/" and "/page/" in (listings[path]["next"] or "")
          and "/page/" not in path]
listing_pages = sum(1 for p in listings if p.startswith("/cn/") and p != "/cn/"
                    and any(p == s[len(a.origin):] or p.startswith(s[len(a.origin):] + "page/") for s in starts))
manifest = json.load(open(os.path.join(a.site, "expected", "manifest.json")))
expected = {x["url"]: x for x in manifest["article_index"]}
n = a.concurrency


def herald_config(work):
    sources = [{"name": f"listing-{i}", "listing": url, "kind": "html", "profile": "rfi", "maxPages": 1000,
                "maxArticlesPerPass": 100000} for i, url in enumerate(starts)]
    config = {"database": os.path.join(work, "herald.db"), "statusSocket": os.path.join(work, "herald.sock"),
              "concurrency": n, "perHost": {"concurrency": n, "delay": "0s"}, "respectRobotsTxt": True,
              "logLevel": "warning", "sources": sources}
    path = os.path.join(work, "config.json")
    json.dump(config, open(path, "w"), indent=1)
    return path


def timed(cmd, work, name):
    tv = os.path.join(work, "time.txt")
    began = time.perf_counter()
    with open(os.path.join(work, f"{name}.out"), "wb") as out, open(os.path.join(work, f"{name}.err"), "wb") as err:
        rc = subprocess.call(["/usr/bin/time", "-v", "-o", tv, *cmd], stdout=out, stderr=err, cwd=work)
    wall = time.perf_counter() - began
    text = open(tv).read()
    def field(label):
        return float(re.search(re.escape(label) + r": ([0-9.]+)", text).group(1))
    return {"rc": rc, "wall": wall, "user": field("User time (seconds)"), "sys": field("System time (seconds)"),
            "maxrss_mb": field("Maximum resident set size (kbytes)") / 1024}


def run_side(name, r):
    work = os.path.join(a.out, f"{name}-{r}")
    subprocess.call(["rm", "-rf", work]); os.makedirs(work)
    if name == "herald":
        cmd = [a.herald, "crawl", "--config", herald_config(work)]
        db = os.path.join(work, "herald.db")
    else:
        db = os.path.join(work, "scrapy.db")
        cmd = [a.python, "-m", "scrapy", "runspider", os.path.join(here, "rfi_spider.py"),
               "-a", "start=" + ",".join(starts), "-a", f"db={db}",
               "-s", f"CONCURRENT_REQUESTS={n}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={n}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "ROBOTSTXT_OBEY=True", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "LOG_LEVEL=WARNING", "-s", "TELNETCONSOLE_ENABLED=False"]
    m = timed(cmd, work, name)
    if m["rc"] != 0:
        sys.exit(f"{name} failed (exit {m['rc']}): see {work}/{name}.err")
    rows = sqlite3.connect(db).execute("SELECT url, title, published_at, lead, body_text FROM articles").fetchall()
    m["articles"] = len(rows)
    m["rows"] = rows
    return m


def norm(t):
    return re.sub(r"\s+", "", t or "")


def agreement(rows):
    bodies = titles = times = 0
    for url, title, published, lead, body in rows:
        exp = expected.get(url)
        if not exp:
            continue
        want = json.load(open(os.path.join(a.site, "expected", exp["content_id"] + ".json")))
        bodies += norm(body) == norm(want["body_text"])
        titles += title == want["title"]
        times += (published or "").replace("+00:00", "Z") == want["published"]
    return {"stored": len(rows), "body_exact": bodies, "titles": titles, "published": times}


sides = [a.only] if a.only else ["herald", "scrapy"]
results = {s: [] for s in sides}
loads = [load()]
for r in range(a.runs):
    for name in (sides if r % 2 == 0 else sides[::-1]):
        m = run_side(name, r)
        results[name].append(m)
        print(f"  run {r + 1}/{a.runs} {name}: {m['articles']} articles in {m['wall']:.1f} s, "
              f"cpu {m['user'] + m['sys']:.1f} s, peak RSS {m['maxrss_mb']:.0f} MB, load {load()}", file=sys.stderr)
    loads.append(load())

summary = {"concurrency": n, "sources": len(starts), "listing_pages": listing_pages, "articles": len(expected),
           "runs": a.runs, "loads": loads, "sides": {}}
for name in sides:
    ms = results[name]
    pages = [(m["articles"] + listing_pages) / m["wall"] for m in ms]
    summary["sides"][name] = {
        "wall_s": median([m["wall"] for m in ms]), "pages_per_s": median(pages),
        "articles_per_s": median([m["articles"] / m["wall"] for m in ms]),
        "cpu_s": median([m["user"] + m["sys"] for m in ms]), "user_s": median([m["user"] for m in ms]),
        "sys_s": median([m["sys"] for m in ms]), "maxrss_mb": median([m["maxrss_mb"] for m in ms]),
        "per_run_wall_s": [round(m["wall"], 2) for m in ms], "agreement": agreement(ms[-1]["rows"]),
    }
if len(sides) == 2:
    speed = [h["wall"] and (s["wall"] / h["wall"]) for h, s in zip(results["herald"], results["scrapy"])]
    summary["ratios"] = {"herald_speedup": median(speed),
                         "herald_rss_fraction": summary["sides"]["herald"]["maxrss_mb"] / summary["sides"]["scrapy"]["maxrss_mb"],
                         "herald_cpu_fraction": summary["sides"]["herald"]["cpu_s"] / summary["sides"]["scrapy"]["cpu_s"]}
json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)

print(f"site: {len(expected)} articles, {listing_pages} listing pages from {len(starts)} start listings; "
      f"concurrency {n}; {a.runs} runs alternating; load {loads[0]} … {loads[-1]}")
print("| side | median wall | pages/s | articles/s | CPU (user+sys) | peak RSS | stored | body text = expected |")
print("|---|---|---|---|---|---|---|---|")
for name in sides:
    s = summary["sides"][name]
    g = s["agreement"]
    print(f"| {name} | {s['wall_s']:.1f} s | {s['pages_per_s']:.0f} | {s['articles_per_s']:.0f} | "
          f"{s['cpu_s']:.1f} s ({s['user_s']:.1f}+{s['sys_s']:.1f}) | {s['maxrss_mb']:.0f} MB | {g['stored']} | "
          f"{g['body_exact']} (titles {g['titles']}, published {g['published']}) |")
if "ratios" in summary:
    r = summary["ratios"]
    print(f"herald vs scrapy: {r['herald_speedup']:.1f}x the pages/s (target >= 5x), "
          f"{r['herald_rss_fraction']:.2f} of its peak RSS (target <= 0.33), {r['herald_cpu_fraction']:.2f} of its CPU")
