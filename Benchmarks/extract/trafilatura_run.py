"""trafilatura as a user would run it on saved pages: extract(html, with_metadata=True, output_format="json").
One JSON object per page on stdout, in argument order. With no files it only imports (start-up baseline)."""
import json, sys
import trafilatura

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        html = f.read()
    out = trafilatura.extract(html, with_metadata=True, output_format="json", url=None)
    sys.stdout.write((out or "{}").replace("\n", " ") + "\n")
