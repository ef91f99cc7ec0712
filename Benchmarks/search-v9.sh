#!/usr/bin/env bash
# Schema v9 before and after, in one run: the search indexes' sizes and herald-bench search's query times on a v8
# database with the v8 binaries, then the v9 migration (herald-bench init), the sizes, VACUUM, the sizes and the
# query times with the v9 binaries; then the crawl's save cost with both, alternating. Run it on a copy: it migrates
# and vacuums DB.
#
#   DB=/tmp/copy-of-v8.db OLD=/path/to/v8/release NEW=.build/release SITE=/tmp/site Benchmarks/search-v9.sh
set -euo pipefail
db=${DB:?a copy of a v8 database}; old=${OLD:?the v8 release build folder}; new=${NEW:-.build/release}
site=${SITE:?a fixture site (make_site.py --out SITE)}; runs=${RUNS:-5}; saves=${SAVES:-2000}
sizes() {
  tables=$(for t in articles_fts articles_search articles_chars; do for p in data idx docsize config content; do printf "'%s_%s'," "$t" "$p"; done; done)
  sqlite3 "$db" "
  SELECT printf('  %-16s %8.1f MiB  %5.1f %% of the file  %5.1f %% of the used pages', g, s / 1048576.0,
                100.0 * s / (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size),
                100.0 * s / (SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_page_size, pragma_freelist_count))
  FROM (SELECT CASE WHEN name LIKE 'articles_fts%' THEN 'articles_fts' WHEN name LIKE 'articles_search%' THEN 'articles_search'
                    ELSE 'articles_chars' END AS g, sum(pageno) * (SELECT page_size FROM pragma_page_size) AS s
        FROM dbstat WHERE name IN (${tables%,}) AND aggregate = 1 GROUP BY g)"
  echo "  file $(du -m "$db" | cut -f1) MiB, schema $(sqlite3 "$db" 'pragma user_version'), free pages $(sqlite3 "$db" 'pragma freelist_count')"
}
queries=(习近平 欧盟要求 台北 降息 "台北 习近平" 台 人 鳄 美元 量子计算 NDTV AI T-Dome 400亿美元 "台北 OR 高雄" "台北 -习近平"
         "title:台湾" "author:王毅" COP G20峰会 500亿 "美元 OR T-Dome")
echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== before (v8)"; sizes
"$old/herald-bench" search --db "$db" --runs "$runs" "${queries[@]}"
echo "== migration to v9"
/usr/bin/time -f "  migration wall %e s, CPU %U+%S s" "$new/herald-bench" init --db "$db"
echo "== after, before VACUUM"; sizes
/usr/bin/time -f "  VACUUM wall %e s" sqlite3 "$db" "VACUUM"
echo "== after VACUUM"; sizes
"$new/herald-bench" search --db "$db" --runs "$runs" "${queries[@]}"
work=$(mktemp -d)
for round in 1 2; do
  for spec in "$old --without-word-index" "$old" "$new" "$old --concurrency 8 --coalesce" "$new --concurrency 8 --coalesce"; do
    set -- $spec; bin=$1; shift
    rm -f "$work"/save.db*
    echo "-- save, round $round: $bin $*"
    "$bin/herald-bench" save --site "$site" --db "$work/save.db" --n "$saves" "$@" 2>&1 | tail -1
  done
done
rm -rf "$work"
echo "== end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
