// The resident-size floor of the C libraries the design card fixes (libcurl with OpenSSL, libxml2, SQLite): a process
// that fetches each URL given (libcurl, gzip on), parses it with libxml2 and runs one XPath, writes a row and an FTS5
// trigram row to a WAL database, then idles. It prints VmRSS, RssAnon and RssFile after the work and when idle: no
// daemon built on these three libraries can be resident in less.
//
//   cc -O2 -o c_floor c_floor.c $(pkg-config --cflags --libs libcurl libxml-2.0 sqlite3)
//   ./c_floor http://127.0.0.1:8089/cn/ http://127.0.0.1:8089/cn/    (the site Benchmarks/run serves)
#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
struct buf { char *p; size_t n; };
static size_t sink(char *d, size_t s, size_t m, void *u) { struct buf *b = u; b->p = realloc(b->p, b->n + s*m); memcpy(b->p + b->n, d, s*m); b->n += s*m; return s*m; }
static void show(const char *when) { char line[256]; FILE *f = fopen("/proc/self/status", "r"); printf("%s:", when);
  while (fgets(line, sizeof line, f)) if (!strncmp(line, "VmRSS", 5) || !strncmp(line, "RssAnon", 7) || !strncmp(line, "RssFile", 7)) { line[strlen(line)-1] = 0; printf("  %s", line); }
  printf("\n"); fclose(f); }
int main(int argc, char **argv) {
  show("start");
  curl_global_init(CURL_GLOBAL_ALL); xmlInitParser();
  for (int i = 1; i < argc; i++) {
    CURL *c = curl_easy_init(); struct buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, argv[i]); curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink); curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_perform(c); curl_easy_cleanup(c);
    htmlDocPtr d = htmlReadMemory(b.p, b.n, argv[i], "utf-8", HTML_PARSE_RECOVER|HTML_PARSE_NOERROR|HTML_PARSE_NOWARNING|HTML_PARSE_NONET);
    xmlXPathContextPtr x = xmlXPathNewContext(d); xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar*)"//a/@href", x);
    printf("%zu bytes, %d links\n", b.n, o && o->nodesetval ? o->nodesetval->nodeNr : 0);
    xmlXPathFreeObject(o); xmlXPathFreeContext(x); xmlFreeDoc(d); free(b.p);
  }
  sqlite3 *db; sqlite3_open(getenv("FLOOR_DB") ? getenv("FLOOR_DB") : "c_floor.db", &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(x TEXT); CREATE VIRTUAL TABLE IF NOT EXISTS f USING fts5(x, tokenize='trigram'); INSERT INTO t VALUES('a'); INSERT INTO f VALUES('中文新闻标题');", 0, 0, 0);
  show("after work");
  sleep(3); show("idle");
  return 0;
}
