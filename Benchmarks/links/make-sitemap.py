#!/usr/bin/env python3
"""Writes a 50,000-URL Google News style sitemap of about 50 MB (sitemaps.org's limits), plain and gzip'd, for
Benchmarks/links/speed. Deterministic; entries in no date order."""
import gzip
import random
import sys

out = sys.argv[1]
rng = random.Random(50000)
words = ["minister", "council", "budget", "talks", "river", "storm", "election", "court", "trade", "summit"]
parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
         'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
         'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n']
for i in range(50000):
    minute = rng.randrange(0, 60 * 24 * 365)
    stamp = "2024-%02d-%02dT%02d:%02d:00Z" % (1 + minute // 43200 % 12, 1 + minute // 1440 % 28, minute // 60 % 24,
                                               minute % 60)
    title = " ".join(rng.choice(words) for _ in range(12))
    caption = " ".join(rng.choice(words) for _ in range(80))
    parts.append("<url><loc>https://sitemap.example/news/%s-%d.html</loc><lastmod>%s</lastmod>"
                 "<news:news><news:publication><news:name>Example</news:name><news:language>en</news:language>"
                 "</news:publication><news:publication_date>%s</news:publication_date><news:title>%s</news:title>"
                 "</news:news><image:image><image:loc>https://img.sitemap.example/%d.jpg</image:loc>"
                 "<image:caption>%s</image:caption></image:image></url>\n"
                 % ("-".join(title.split()[:5]), i, stamp, stamp, title, i, caption))
parts.append("</urlset>\n")
data = "".join(parts).encode()
open(out, "wb").write(data)
with gzip.open(out + ".gz", "wb", compresslevel=6) as f:
    f.write(data)
print("%s: %d bytes" % (out, len(data)))
