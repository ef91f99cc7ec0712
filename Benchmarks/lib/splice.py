"""Replaces the text between <!-- results:PART --> and <!-- /results:PART --> in docs/benchmarks.md with
Benchmarks/.work/results/PART.md, for each part that has results. Prose outside the markers is left alone."""
import os, re, sys

results, doc = sys.argv[1], sys.argv[2]
text = open(doc, encoding="utf-8").read()
for name in sorted(os.listdir(results)):
    part = name[:-3]
    block = open(os.path.join(results, name), encoding="utf-8").read().strip()
    pattern = re.compile(rf"(<!-- results:{part} -->\n).*?(<!-- /results:{part} -->)", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda m: m.group(1) + block + "\n" + m.group(2), text)
        print(f"docs: {part} updated", file=sys.stderr)
open(doc, "w", encoding="utf-8").write(text)
