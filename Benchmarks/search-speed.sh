#!/usr/bin/env bash
# Search speed: `herald search` over a 100,000-article database, for queries the trigram index answers (3+
# characters) and for short ones it cannot (1-2 characters: a row scan).
#
#   Benchmarks/search-speed.sh                 # release build, 100,000 articles, 10 runs per query
#   ARTICLES=20000 RUNS=20 Benchmarks/search-speed.sh
#   DB=/tmp/bench.db Benchmarks/search-speed.sh    # reuse a database made by an earlier run
#
# The database is created by herald (its migrations), then filled through SQL by Benchmarks/make-archive.py with
# synthetic articles made of the fixture site's paragraphs. Needs python3 and hyperfine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
articles=${ARTICLES:-100000}
work=${WORK:-$(mktemp -d)}
db=${DB:-$work/herald.db}

for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine python3)" >&2; exit 1; }
done
(cd "$root" && swift build -c release >/dev/null)
herald="$root/.build/release/herald"

if [ ! -s "$db" ]; then
  site=$work/site
  python3 "$root/Tests/HeraldTestSupport/Fixtures/make_site.py" --out "$site" --huge-mb 0 >/dev/null
  printf '{"database": "%s", "sources": [{"name": "rfi-cn", "listing": "https://www.rfi.fr/cn/", "profile": "rfi"}]}\n' \
    "$db" > "$work/config.json"
  "$herald" prune --config "$work/config.json" >/dev/null      # opening the database creates the schema
  python3 "$root/Benchmarks/make-archive.py" --site "$site" --db "$db" --articles "$articles"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $db, $(sqlite3 "$db" 'select count(*) from articles') articles, $(du -m "$db" | cut -f1) MiB"
for query in 习近平 欧盟要求 台北 降息 "台北 习近平"; do
  echo "$query: $("$herald" search $query --database "$db" --json --limit 100000 | wc -l) matches"
done
json=$(mktemp)
hyperfine --warmup 2 --runs "$runs" --export-json "$json" \
  "$herald search 习近平 --database $db" \
  "$herald search 欧盟要求 --database $db" \
  "$herald search 台北 --database $db" \
  "$herald search 降息 --database $db" \
  "$herald search 台北 习近平 --database $db" \
  "$herald --version" >/dev/null
python3 - "$json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
startup = results[-1]["median"]
print(f"{'command (first page: 20 results)':60} {'median':>9} {'minus start-up':>15}")
for r in results:
    print(f"{r['command'].split(' --database')[0].split('/')[-1]:60} {r['median']*1000:8.1f}ms "
          f"{(r['median'] - startup)*1000:13.1f}ms")
PY
rm -f "$json"
