#!/usr/bin/env bash
# Search speed: `herald search` over a generated database (100,000 articles by default): first page (20 results,
# ranked), first page newest first (--sort date) and the full count (--count), in-process, then the first page end
# to end, for every kind of query: Chinese words of one, two, three and four characters (common, rare, absent), Latin
# and mixed words, OR, NOT, fields. Before them the size of each search index; after them the insert cost of the
# crawl's save with and without the v5/v6 indexes, and with group commit.
#
#   Benchmarks/search-speed.sh                 # release build, 100,000 articles, 10 runs per command
#   ARTICLES=20000 RUNS=20 Benchmarks/search-speed.sh
#   DB=/tmp/bench.db Benchmarks/search-speed.sh    # reuse a database made by an earlier run (migrated on first use)
#   DB=big.db ARTICLES=1000000 DEFER=1 Benchmarks/search-speed.sh   # a new database whose search indexes are built
#                                              # after the inserts by herald's resumable build, as after a migration
#   SAVES=0 Benchmarks/search-speed.sh         # skip the insert measurement
#
# The database is created by herald (its migrations), then filled through SQL by Benchmarks/make-archive.py with
# synthetic articles made of the fixture site's paragraphs. Needs python3, sqlite3 and hyperfine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
articles=${ARTICLES:-100000}
saves=${SAVES:-5000}
work=${WORK:-$(mktemp -d)}
db=${DB:-$work/herald.db}
site=$work/site

for tool in hyperfine python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine python3 sqlite3)" >&2; exit 1; }
done
(cd "$root" && swift build -c release >/dev/null)
herald="$root/.build/release/herald"
bench="$root/.build/release/herald-bench"

[ -d "$site" ] || python3 "$root/Tests/HeraldTestSupport/Fixtures/make_site.py" --out "$site" --huge-mb 0 >/dev/null
if [ ! -s "$db" ]; then
  printf '{"database": "%s", "sources": [{"name": "rfi-cn", "listing": "https://www.rfi.fr/cn/", "profile": "rfi"}]}\n' \
    "$db" > "$work/config.json"
  "$herald" prune --config "$work/config.json" >/dev/null      # opening the database creates the schema
  python3 "$root/Benchmarks/make-archive.py" --site "$site" --db "$db" --articles "$articles" ${DEFER:+--defer-index}
fi
"$bench" init --db "$db" >/dev/null     # an older database: the migrations build the search indexes (timed on stderr)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $db, $(sqlite3 "$db" 'select count(*) from articles') articles, $(du -m "$db" | cut -f1) MiB, schema $(sqlite3 "$db" 'pragma user_version')"
# dbstat's aggregate rows per table (reads only those b-trees, not the whole file); their pageno is the page count
# (their pgsize is a 32-bit sum that wraps past 2 GiB in SQLite 3.40)
tables=$(for t in articles_fts articles_search articles_chars; do for p in data idx docsize config; do printf "'%s_%s'," "$t" "$p"; done; done)
sqlite3 "$db" "
  SELECT printf('  %-16s %6.0f MiB  %4.1f %% of the file', g, s / 1048576.0,
                100.0 * s / (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size))
  FROM (SELECT CASE WHEN name LIKE 'articles_fts%' THEN 'articles_fts' WHEN name LIKE 'articles_search%' THEN 'articles_search'
                    ELSE 'articles_chars' END AS g, sum(pageno) * (SELECT page_size FROM pragma_page_size) AS s
        FROM dbstat WHERE name IN (${tables%,}) AND aggregate = 1 GROUP BY g)"

queries=(习近平 欧盟要求 台北 降息 "台北 习近平" 台 人 鳄 美元 量子计算 NDTV AI T-Dome 400亿美元 "台北 OR 高雄" "台北 -习近平"
         "title:台湾" "author:王毅" COP G20峰会 500亿 "美元 OR T-Dome" "美元 OR COP" "台 OR NDTV"
         "COP 美元" "美元 OR T-Dome 台北")
# In-process (herald-bench search: ArchiveReader on one connection, median of RUNS after a warm-up): what the query
# costs, without the process start-up that dominates a command's wall time.
"$bench" search --db "$db" --runs "$runs" "${queries[@]}"

# End to end: the command a person types, first page, start-up included.
commands=()
for query in "${queries[@]}"; do commands+=("$herald search $query --database $db"); done
json=$(mktemp)
hyperfine -N --warmup 2 --runs "$runs" --export-json "$json" "${commands[@]}" "$herald --version" >/dev/null 2>&1
python3 - "$json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print(f"end to end, first page (hyperfine median): " + ", ".join(
    f"{r['command'].split('herald search ')[1].split(' --database')[0]} {r['median'] * 1000:.0f} ms" for r in results[:-1])
    + f"; herald --version {results[-1]['median'] * 1000:.0f} ms")
PY
rm -f "$json"

if [ "$saves" -gt 0 ]; then
  # The crawl's insert (ArticleStore.save: article, revision row, every index) on a fresh database: the v4 write path
  # (--v4-path: no word or character index, the trigram index over the whole text as before v9), today's with one
  # save per transaction, and as the crawl saves (8 tasks at once through saveCoalescing: group commit, the indexes
  # written once per batch); alternated twice.
  for round in 1 2; do
    for mode in --v4-path "" "--concurrency 8 --coalesce"; do
      rm -f "$work/save.db"*
      # shellcheck disable=SC2086
      "$bench" save --site "$site" --db "$work/save.db" --n "$saves" $mode
    done
  done
  rm -f "$work/save.db"*
fi
