"""trafilatura as the article-extraction-benchmark runs it (extractors/run_trafilatura.py): the page decoded as UTF-8
text, extract(html, include_comments=False), plain text. One JSON string (or null) per page on stdout, in argument
order. With no files it only imports (start-up baseline)."""
import json, sys
import trafilatura

for path in sys.argv[1:]:
    with open(path, "rt", encoding="utf8") as f:
        html = f.read()
    try:
        out = trafilatura.extract(html, include_comments=False)
    except Exception as error:  # a crash is an empty body, as the benchmark would score it
        print(f"{path}: {type(error).__name__}: {error}", file=sys.stderr)
        out = None
    sys.stdout.write(json.dumps(out) + "\n")
