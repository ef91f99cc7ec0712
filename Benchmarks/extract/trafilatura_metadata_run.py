"""trafilatura's metadata on the corpus's pages, to score beside Herald's (Benchmarks/quality): for each page,
`trafilatura.extract_metadata(html)` (the metadata step `extract(..., with_metadata=True)` runs), one JSON object
{title, authors, date} (or null) per page on stdout, in argument order. Not timed: the body run is the speed figure.
Authors: trafilatura joins several with "; "; they are split back so both sides are scored alike."""
import json, sys
import trafilatura

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        html = f.read()
    try:
        doc = trafilatura.extract_metadata(html)
    except Exception as error:
        print(f"{path}: {type(error).__name__}: {error}", file=sys.stderr)
        doc = None
    if doc is None:
        out = None
    else:
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        out = {"title": doc.title, "authors": authors, "published": doc.date}
    sys.stdout.write(json.dumps(out) + "\n")
