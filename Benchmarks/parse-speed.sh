#!/usr/bin/env bash
# Parse speed: `herald parse` on the fixture site's 60 RFI-like article pages, next to libxml2's bare parse of the
# same bytes (`xmllint --html --noout`, the floor for any libxml2-based extractor).
#
#   Benchmarks/parse-speed.sh            # release build, fixture site in a temp dir, 10 runs each
#   RUNS=20 Benchmarks/parse-speed.sh
#
# Needs: python3 (fixture generator), hyperfine and xmllint (apt-get install hyperfine libxml2-utils).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
site=${SITE:-$(mktemp -d)/site}

for tool in hyperfine xmllint python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine libxml2-utils python3)" >&2; exit 1; }
done
[ -f "$site/expected/manifest.json" ] || python3 "$root/Tests/HeraldTestSupport/Fixtures/make_site.py" --out "$site" --huge-mb 0 >/dev/null
(cd "$root" && swift build -c release --static-swift-stdlib >/dev/null)   # as `make release` builds it
herald="$root/.build/release/herald"

mapfile -t pages < <(python3 -c "
import json,sys
m=json.load(open('$site/expected/manifest.json'))
for a in m['article_index']: print('$site/' + a['file'])")
count=${#pages[@]}
bytes=$(cat "${pages[@]}" | wc -c)
list=$(mktemp)
printf '%s\0' "${pages[@]}" > "$list"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
echo "pages: $count article pages, $((bytes / count / 1024)) KiB on average"
json=$(mktemp)
hyperfine --warmup 2 --runs "$runs" --export-json "$json" \
  -n "herald parse --profile rfi --json (all $count pages, one process)" \
  "xargs -0 -a $list $herald parse --profile rfi --json > /dev/null" \
  -n "xmllint --html --noout (all $count pages, one process)" \
  "xargs -0 -a $list xmllint --html --noout 2>/dev/null" \
  -n "herald --version (process start-up alone)" \
  "$herald --version > /dev/null" \
  -n "xmllint --version (process start-up alone)" \
  "xmllint --version 2>/dev/null" >/dev/null
python3 - "$json" "$count" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
count = int(sys.argv[2])
print(f"{'command':62} {'median':>9} {'per page':>10} {'pages/s':>9}")
for r, startup in ((results[0], results[2]["median"]), (results[1], results[3]["median"])):
    per_page = (r["median"] - startup) / count * 1000
    print(f"{r['command']:62} {r['median']*1000:8.1f}ms {per_page:8.2f}ms {1000/per_page:9.0f}")
print(f"(per-page figures subtract each program's own start-up: herald {results[2]['median']*1000:.1f} ms, "
      f"xmllint {results[3]['median']*1000:.1f} ms)")
PY
rm -f "$list" "$json"
