"""trafilatura as the corpus's own evaluator runs it (tests/eval_common.py RUNNERS["fallback"]): extract(html,
fast=False, include_comments=False, include_tables=True, include_formatting=False), plain text. One JSON string (or
null) per page on stdout, in argument order. With no files it only imports (start-up baseline)."""
import json, sys
import trafilatura

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        html = f.read()
    try:
        out = trafilatura.extract(html, fast=False, include_comments=False, include_tables=True,
                                  include_formatting=False)
    except Exception as error:  # a crash is a full miss, as in eval_common.run_and_count
        print(f"{path}: {type(error).__name__}: {error}", file=sys.stderr)
        out = None
    sys.stdout.write(json.dumps(out) + "\n")
