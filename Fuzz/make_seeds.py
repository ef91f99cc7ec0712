#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, cut from the generated fixture site (Tests/HeraldTestSupport/Fixtures).

Fixture pages are ~500 KB, mostly inline script, style and SVG; a fuzzer mutating inputs that size runs a few
hundred executions a second. So the seeds keep each page's structure but drop that bulk (and cut feeds to a few
items), which leaves 5-40 KB inputs that still reach every branch the full pages reach.

    make_seeds.py --site SITE --target article|feed|url --out DIR

article and feed seeds start with the harness's selector byte (see Fuzz/Harnesses/*.swift).
"""
import argparse
import hashlib
import pathlib
import re

BULK = re.compile(rb"<(script|style|svg)\b.*?</\1\s*>", re.S | re.I)


def strip(data: bytes) -> bytes:
    return BULK.sub(b"", data)


def essentials(data: bytes) -> bytes:
    """The page's head (metadata, JSON-LD) and its <article>, without the site chrome around them."""
    data = strip(data)
    head = re.search(rb"<head\b.*?</head>", data, re.S)
    article = re.search(rb"<article\b.*?</article>", data, re.S)
    if not head or not article:
        return data
    prefix = data[: data.find(b"<head")]
    return prefix + head.group(0) + b"<body>" + article.group(0) + b"</body></html>"


def write(out: pathlib.Path, data: bytes) -> None:
    name = hashlib.sha1(data).hexdigest()
    (out / name).write_bytes(data)


def articles(site: pathlib.Path, out: pathlib.Path) -> None:
    pages = sorted(site.glob("cn/*/2*/index.html"))[:12] + sorted(site.glob("cn/*/*/2*/index.html"))[:2]
    hostile = ["gbk-meta-charset", "big5-http-equiv", "latin1-http-equiv", "utf8-bom-meta-gbk", "invalid-utf8",
               "truncated", "no-article", "base-href", "relative-links"]
    pages += [site / "hostile" / f"{name}.html" for name in hostile]
    for index, page in enumerate(pages):
        data = essentials(page.read_bytes()) if index % 3 else strip(page.read_bytes())
        # Selector: even = rfi profile, odd = generic; the rest picks a Content-Type (no header first).
        write(out, bytes([index % 4]) + data)
    nested = (site / "hostile" / "deep-nesting.html").read_bytes()
    write(out, bytes([0]) + strip(nested)[-40000:])          # the 10,000 unclosed divs and the page end
    write(out, bytes([1]) + b"<html><head><title>t</title></head><body><article><h1>x</h1><p>y</p></article></body></html>")


def feeds(site: pathlib.Path, out: pathlib.Path) -> None:
    for path, item, selector in [("cn/rss/index.xml", b"item", 1), ("cn/atom.xml", b"entry", 2),
                                 ("feedx/rfi.xml", b"item", 1 | 8)]:
        data = (site / path).read_bytes()
        parts = re.split(rb"(?=<" + item + rb"[\s>])", data)
        closing = b"</channel></rss>" if item == b"item" else b"</feed>"
        for count in (1, 3):
            write(out, bytes([selector]) + b"".join(parts[: count + 1]) + closing)
        write(out, bytes([0]) + b"".join(parts[:3]))              # cut off mid-feed, kind auto
    for listing in ["cn/index.html", "hostile/base-href.html", "hostile/relative-links.html"]:
        write(out, bytes([3]) + strip((site / listing).read_bytes()))
    big = strip((site / "hostile" / "listing-5000-links.html").read_bytes())
    write(out, bytes([3]) + big[:60000])


def urls(site: pathlib.Path, out: pathlib.Path) -> None:
    seen = set()
    bases = ["https://www.rfi.fr/cn/", "https://www.rfi.fr/cn/%E7%BB%8F%E8%B4%B8/page/2/", "http://127.0.0.1:8080/a/b?c"]
    for page in ["cn/index.html", "hostile/base-href.html", "hostile/relative-links.html"]:
        for href in re.findall(rb'href="([^"]*)"', (site / page).read_bytes()):
            if href in seen or len(seen) > 300:
                continue
            seen.add(href)
            write(out, href + b"\n" + bases[len(seen) % len(bases)].encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", required=True, type=pathlib.Path)
    parser.add_argument("--target", required=True, choices=["article", "feed", "url"])
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    {"article": articles, "feed": feeds, "url": urls}[args.target](args.site, args.out)


if __name__ == "__main__":
    main()
