#!/usr/bin/env python3
"""Copies a representative subset of trafilatura's evaluation corpus into this folder (issue 10's offline test set).

    python3 make_subset.py CORPUS_TESTS_DIR HERALD_BINARY

CORPUS_TESTS_DIR is `tests/` of an adbar/trafilatura checkout (evaldata.json, eval/, cache/). Pages are chosen per
language (from `<html lang>`, deterministic: sorted by file name, every k-th), every Chinese and Japanese page is
taken, and each page is trimmed of what Herald strips before parsing anyway (non-JSON scripts, styles, SVG,
comments) only when Herald's generic body text is the same before and after trimming; otherwise it is copied as is.
Writes pages/*.html and evaldata.json (the chosen entries: file, url, lang, with, without).
"""
import json, os, re, subprocess, sys

tests, herald = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
quota = {"de": 14, "en": 12, "es": 7, "fr": 6, "pl": 5, "pt": 4, "it": 3, "fi": 2, "hu": 1, "no": 1, "ar": 1}
evaldata = json.load(open(os.path.join(tests, "evaldata.json"), encoding="utf-8"))
LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
CJK = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def path_of(item):
    for sub in ("eval", "cache"):
        p = os.path.join(tests, sub, item["file"])
        if os.path.isfile(p):
            return p
    return None


def lang_of(raw, item):
    if any(CJK.search(w) for w in item["with"]):
        return "ja" if any(re.search("[\u3040-\u30ff]", w) for w in item["with"]) else "zh"
    m = LANG.search(raw[:200_000])
    return m.group(1).decode().lower() if m else "?"


by_lang = {}
for url in sorted(evaldata, key=lambda u: evaldata[u]["file"]):
    item = evaldata[url]
    p = path_of(item)
    if p is None:
        continue
    raw = open(p, "rb").read()
    if len(raw) > 400_000:  # keep the test set small
        continue
    by_lang.setdefault(lang_of(raw, item), []).append((url, item, p))

chosen = []
for lang, pages in sorted(by_lang.items()):
    want = len(pages) if lang in ("zh", "ja") else quota.get(lang, 0)
    if want == 0:
        continue
    step = max(1, len(pages) // want)
    chosen += [(lang, *page) for page in pages[::step][:want]]

TRIM = [re.compile(rb"<script(?![^>]*json)[^>]*>.*?</script\s*>", re.I | re.S),
        re.compile(rb"<style[^>]*>.*?</style\s*>", re.I | re.S),
        re.compile(rb"<svg[^>]*>.*?</svg\s*>", re.I | re.S),
        re.compile(rb"<!--.*?-->", re.S)]


def body_text(path):
    out = subprocess.run([herald, "parse", "--profile", "generic", "--json", path], capture_output=True)
    return json.loads(out.stdout)["body_text"] if out.returncode == 0 and out.stdout.strip() else None


os.makedirs(os.path.join(here, "pages"), exist_ok=True)
subset = {}
for lang, url, item, path in chosen:
    raw = open(path, "rb").read()
    trimmed = raw
    for pattern in TRIM:
        trimmed = pattern.sub(b"", trimmed)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", item["file"])
    target = os.path.join(here, "pages", name)
    open(target, "wb").write(trimmed)
    if body_text(target) != body_text(path):
        open(target, "wb").write(raw)
    subset[url] = {"file": name, "lang": lang, "with": item["with"], "without": item["without"]}
json.dump(subset, open(os.path.join(here, "evaldata.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1,
          sort_keys=True)
print(f"{len(subset)} pages, languages: " + ", ".join(f"{l} {sum(1 for v in subset.values() if v['lang'] == l)}"
                                                      for l in sorted({v['lang'] for v in subset.values()})))
