/// The schema, as named, ordered, append-only migrations. `PRAGMA user_version` records how many have run.
///
/// The schema is a public interface (operators query it with sqlite3 and Datasette; see docs/schema.md): a migration
/// may add tables, columns, indexes and views, never rename or change the meaning of an existing column. (v9 changed
/// what the trigram index `articles_fts` holds, documented there and in docs/schema.md: Latin matches are kept.)
package enum Migrations {
    struct Migration {
        let name: String
        let sql: String
    }

    static let all: [Migration] = [
        Migration(name: "v1: sources, articles, revisions, aliases, failures, crawl runs, trigram search", sql: v1),
        Migration(
            name: "v2: verbatim lead, content id index, tombstones, views latest_articles and source_health",
            sql: v2),
        Migration(name: "v3: covering index for the seen check", sql: seenCheckIndex),
        Migration(name: "v4: article count kept by triggers", sql: articleCount),
        Migration(name: "v5: word index for queries of every length (articles_search)", sql: wordIndex),
        Migration(name: "v6: character index for one-character queries (articles_chars)", sql: characterIndex),
        Migration(
            name: "v7: every source that lists an article (article_sources), counted per source", sql: articleSources),
        Migration(
            name: "v8: the search indexes' insert triggers stand aside while the store indexes a batch itself",
            sql: deferredIndexing),
        Migration(name: "v9: the trigram index (articles_fts) holds the non-CJK text only", sql: latinTrigramIndex),
    ]

    package static var latestVersion: Int { all.count }

    /// Runs every migration newer than the database, each in its own transaction with its version bump, so a crash
    /// leaves the database at a whole version.
    /// `target` stops at an older version (tests build "an existing v1 database" with it).
    package static func migrate(_ connection: SQLiteConnection, upTo target: Int = latestVersion) throws {
        let current = try connection.userVersion
        guard current <= all.count else {
            throw StoreError.schemaTooNew(found: current, supported: all.count)
        }
        for (index, migration) in all.enumerated() where index + 1 > current && index + 1 <= target {
            try connection.writeTransaction {
                try connection.execute(migration.sql)
                try connection.execute("PRAGMA user_version = \(index + 1)")
            }
        }
        if try connection.userVersion >= 5 { try SearchIndexBuild.resume(connection) }
    }

    /// The seen check (`ArticleStore.linkState`) reads these columns by URL for every listing link. In the table they
    /// sit after `body_html` and `body_text`, so reading `content_hash` and `revision` from the row walks the body's
    /// overflow pages (2-3 page reads per link on RFI-sized bodies); this index answers the lookup by itself.
    private static let seenCheckIndex = """
        CREATE INDEX articles_seen ON articles(url, published_at, modified_at, listing_timestamp, content_hash, revision);
        """

    /// `GET /status`, the metrics and systemd's status line show the number of articles after every pass;
    /// `count(*)` walks a whole index (hundreds of milliseconds at a million articles, with the writer's lock held).
    /// One row, kept exact by triggers in the same transaction as each insert or delete.
    private static let articleCount = """
        CREATE TABLE article_count (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            n  INTEGER NOT NULL
        );
        INSERT INTO article_count (id, n) SELECT 1, count(*) FROM articles;
        CREATE TRIGGER article_count_insert AFTER INSERT ON articles BEGIN
            UPDATE article_count SET n = n + 1 WHERE id = 1;
        END;
        CREATE TRIGGER article_count_delete AFTER DELETE ON articles BEGIN
            UPDATE article_count SET n = n - 1 WHERE id = 1;
        END;
        """

    /// `articles_search`: an FTS5 index (unicode61) of `SearchText.indexed` title, lead, body and authors, in which a
    /// CJK word of any length is a token or a phrase of tokens (see `SearchText`). An external-content table of
    /// `articles` declared with `content="articles"` (double quotes: the form Datasette detects for `?_search=`), so it
    /// stores only the index. Triggers keep it in the article's own transaction; an article is deleted from it only if
    /// it is in it (its `_docsize` row), so a build interrupted half-way never deletes what was never inserted.
    /// The rows that existed before v5 are indexed by `SearchIndexBuild`, in batches after this migration commits,
    /// with `search_index_build` recording how far it got.
    private static let wordIndex = """
        CREATE VIRTUAL TABLE articles_search USING fts5(
            title, lead, body_text, authors,
            content="articles", content_rowid="id", tokenize="unicode61 remove_diacritics 2"
        );
        CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_search(rowid, title, lead, body_text, authors)
                VALUES (new.id, herald_search_text(new.title), herald_search_text(new.lead),
                        herald_search_text(new.body_text), herald_search_text(new.authors));
        END;
        CREATE TRIGGER articles_search_delete AFTER DELETE ON articles
        WHEN EXISTS (SELECT 1 FROM articles_search_docsize WHERE id = old.id) BEGIN
            INSERT INTO articles_search(articles_search, rowid, title, lead, body_text, authors)
                VALUES ('delete', old.id, herald_search_text(old.title), herald_search_text(old.lead),
                        herald_search_text(old.body_text), herald_search_text(old.authors));
        END;
        CREATE TRIGGER articles_search_update AFTER UPDATE OF title, lead, body_text, authors ON articles BEGIN
            INSERT INTO articles_search(articles_search, rowid, title, lead, body_text, authors)
                SELECT 'delete', old.id, herald_search_text(old.title), herald_search_text(old.lead),
                       herald_search_text(old.body_text), herald_search_text(old.authors)
                WHERE EXISTS (SELECT 1 FROM articles_search_docsize WHERE id = old.id);
            INSERT INTO articles_search(rowid, title, lead, body_text, authors)
                VALUES (new.id, herald_search_text(new.title), herald_search_text(new.lead),
                        herald_search_text(new.body_text), herald_search_text(new.authors));
        END;
        -- How far the build of the rows stored before v5 got: ids in (done_through, until] are not indexed yet (unless
        -- an update re-inserted them). Deleted when the build is complete.
        CREATE TABLE search_index_build (
            id           INTEGER PRIMARY KEY CHECK (id = 1),
            done_through INTEGER NOT NULL,
            until        INTEGER NOT NULL
        );
        INSERT INTO search_index_build (id, done_through, until) SELECT 1, 0, coalesce(max(id), 0) FROM articles;
        """

    /// `articles_chars`: which CJK characters each article's title, lead and body hold, each once (`SearchText.characters`),
    /// in a contentless FTS5 table with `detail=none` (rowids only, no positions). A one-character query is a prefix
    /// query in `articles_search`, which merges the doclists of every pair starting with that character before
    /// returning a row (88 ms for 人 on 100,000 articles, ten times that on a million); here it is one token read
    /// lazily, newest first. The build of existing rows restarts from id 0 for both indexes (rows already in
    /// `articles_search` are skipped).
    private static let characterIndex = """
        CREATE VIRTUAL TABLE articles_chars USING fts5(chars, content='', detail=none, tokenize='unicode61');
        CREATE TRIGGER articles_chars_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_chars(rowid, chars) VALUES (new.id, herald_search_chars(new.title, new.lead, new.body_text));
        END;
        CREATE TRIGGER articles_chars_delete AFTER DELETE ON articles
        WHEN EXISTS (SELECT 1 FROM articles_chars_docsize WHERE id = old.id) BEGIN
            INSERT INTO articles_chars(articles_chars, rowid, chars)
                VALUES ('delete', old.id, herald_search_chars(old.title, old.lead, old.body_text));
        END;
        CREATE TRIGGER articles_chars_update AFTER UPDATE OF title, lead, body_text ON articles BEGIN
            INSERT INTO articles_chars(articles_chars, rowid, chars)
                SELECT 'delete', old.id, herald_search_chars(old.title, old.lead, old.body_text)
                WHERE EXISTS (SELECT 1 FROM articles_chars_docsize WHERE id = old.id);
            INSERT INTO articles_chars(rowid, chars) VALUES (new.id, herald_search_chars(new.title, new.lead, new.body_text));
        END;
        INSERT OR REPLACE INTO search_index_build (id, done_through, until) SELECT 1, 0, coalesce(max(id), 0) FROM articles;
        """

    /// `articles.source` is the source whose pass stored the article first; a site's HTML section and its feed list
    /// the same articles, and which of them got there first is an accident of timing. `article_sources` records every
    /// source whose listing showed the article (the store adds the row when it saves, and the crawl when a listing
    /// shows an article already stored), with when it first and last did (`last_listed_at` to the hour: refreshing it
    /// on every pass would make every pass write a row per link), so `--source`, exports, retention and
    /// `source_health` see a source's articles whichever source stored them. `source_article_counts` is kept by triggers so the per-source figures
    /// (`source_health`, the metrics) never count a million rows.
    private static let articleSources = """
        CREATE TABLE article_sources (
            source          TEXT NOT NULL,
            article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            first_listed_at TEXT NOT NULL,
            last_listed_at  TEXT NOT NULL,
            PRIMARY KEY (source, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_sources_by_article ON article_sources(article_id);

        CREATE TABLE source_article_counts (
            source         TEXT PRIMARY KEY,
            n              INTEGER NOT NULL,
            last_listed_at TEXT
        ) WITHOUT ROWID;
        CREATE TRIGGER source_article_counts_insert AFTER INSERT ON article_sources BEGIN
            INSERT INTO source_article_counts (source, n, last_listed_at) VALUES (new.source, 1, new.first_listed_at)
            ON CONFLICT(source) DO UPDATE SET n = n + 1, last_listed_at = max(coalesce(last_listed_at, ''),
                                                                              excluded.last_listed_at);
        END;
        CREATE TRIGGER source_article_counts_delete AFTER DELETE ON article_sources BEGIN
            UPDATE source_article_counts SET n = n - 1 WHERE source = old.source;
        END;

        INSERT INTO article_sources (source, article_id, first_listed_at, last_listed_at)
            SELECT source, id, first_seen_at, fetched_at FROM articles;

        DROP VIEW source_health;
        CREATE VIEW source_health AS
            SELECT s.name AS source,
                   -- the daemon keeps sources.last_success_at; `herald crawl` passes only leave crawl_runs rows
                   nullif(max(coalesce(s.last_success_at, ''),
                              coalesce((SELECT max(r.finished_at) FROM crawl_runs r
                                        WHERE r.source = s.name AND r.outcome IN ('ok', 'partial')), '')),
                          '') AS last_success_at,
                   nullif(max(coalesce(s.last_run_at, ''),
                              coalesce((SELECT max(r.started_at) FROM crawl_runs r WHERE r.source = s.name), '')),
                          '') AS last_run_at,
                   (SELECT r.outcome FROM crawl_runs r WHERE r.source = s.name
                    ORDER BY r.started_at DESC, r.id DESC LIMIT 1) AS last_outcome,
                   s.consecutive_failures,
                   s.last_error,
                   s.next_run_at,
                   coalesce(c.n, 0) AS articles,
                   c.last_listed_at AS last_new_article_at
            FROM sources s LEFT JOIN source_article_counts c ON c.source = s.name;
        """

    /// Group commit (`ArticleStore.saveCoalescing`) stores several articles in one transaction, but with the FTS5 of
    /// SQLite 3.40 that alone saves nothing: every statement after the first FTS5 write opens a statement savepoint,
    /// and FTS5 writes its pending terms to disk as a new segment at each savepoint, so each article still makes its
    /// own segment in each index (measured: 15 articles per transaction cost the same CPU as one). So the insert
    /// triggers of the three search indexes skip while `search_index_deferral` holds a row, and the store, inside
    /// the batch's transaction, inserts the row, saves the articles, then indexes them with one `INSERT … SELECT`
    /// per index and deletes the row: one segment per index per batch. Other connections never see the row (it lives
    /// and dies inside one transaction), so for every other writer the triggers behave as before. Updates and deletes
    /// keep their triggers (a revision in a batch first indexes what the batch deferred).
    private static let deferredIndexing = """
        CREATE TABLE search_index_deferral (id INTEGER PRIMARY KEY CHECK (id = 1));
        DROP TRIGGER articles_fts_insert;
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_index_deferral) BEGIN
            INSERT INTO articles_fts(rowid, title, lead, body_text) VALUES (new.id, new.title, new.lead, new.body_text);
        END;
        DROP TRIGGER articles_search_insert;
        CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_index_deferral) BEGIN
            INSERT INTO articles_search(rowid, title, lead, body_text, authors)
                VALUES (new.id, herald_search_text(new.title), herald_search_text(new.lead),
                        herald_search_text(new.body_text), herald_search_text(new.authors));
        END;
        DROP TRIGGER articles_chars_insert;
        CREATE TRIGGER articles_chars_insert AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_index_deferral) BEGIN
            INSERT INTO articles_chars(rowid, chars) VALUES (new.id, herald_search_chars(new.title, new.lead, new.body_text));
        END;
        """

    /// `articles_fts` indexed every character of every article with the trigram tokenizer, so all the Chinese text was
    /// indexed a second time beside `articles_search` (20 % of the file against 16 %), while `herald search` has asked
    /// `articles_search` for every all-CJK word since v5. From v9 it indexes `herald_latin_text` of each column: every
    /// run of CJK characters replaced by one U+0001, so no trigram spans Chinese text and a non-CJK substring
    /// (`T-Dome`, `NDTV`, `COP28`) matches exactly where it matched before; a mixed word (`400亿美元`) is asked as its
    /// own Latin form (`400` + U+0001) and checked on the row. A tenth of the old size on the benchmark archive.
    /// Contentless (`content=''`): the columns of the old external-content declaration would be read back from
    /// `articles` and no longer line up with what is indexed (snippets, `rebuild`). The name stays, so a `MATCH` on
    /// it keeps working for Latin text (docs/schema.md: what it finds now, and `articles_search` for Chinese).
    /// Rebuilt by `SearchIndexBuild` in batches after this migration commits (resumable, with progress); deletes and
    /// updates touch only rows already in it (its `_docsize` row), like `articles_search`.
    private static let latinTrigramIndex = """
        DROP TRIGGER articles_fts_insert;
        DROP TRIGGER articles_fts_delete;
        DROP TRIGGER articles_fts_update;
        DROP TABLE articles_fts;
        CREATE VIRTUAL TABLE articles_fts USING fts5(title, lead, body_text, content='', tokenize='trigram');
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_index_deferral) BEGIN
            INSERT INTO articles_fts(rowid, title, lead, body_text)
                VALUES (new.id, herald_latin_text(new.title), herald_latin_text(new.lead), herald_latin_text(new.body_text));
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
        WHEN EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = old.id) BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)
                VALUES ('delete', old.id, herald_latin_text(old.title), herald_latin_text(old.lead),
                        herald_latin_text(old.body_text));
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body_text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)
                SELECT 'delete', old.id, herald_latin_text(old.title), herald_latin_text(old.lead),
                       herald_latin_text(old.body_text)
                WHERE EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = old.id);
            INSERT INTO articles_fts(rowid, title, lead, body_text)
                VALUES (new.id, herald_latin_text(new.title), herald_latin_text(new.lead), herald_latin_text(new.body_text));
        END;
        INSERT OR REPLACE INTO search_index_build (id, done_through, until) SELECT 1, 0, coalesce(max(id), 0) FROM articles;
        """

    /// What the insert triggers would have written for the articles `ids` (a JSON array), written by the store at the
    /// end of a group-committed batch (see `deferredIndexing`): the same columns and functions as the triggers.
    static let indexDeferredArticles = [
        """
        INSERT INTO articles_fts(rowid, title, lead, body_text)
            SELECT id, herald_latin_text(title), herald_latin_text(lead), herald_latin_text(body_text)
            FROM articles WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id
        """,
        """
        INSERT INTO articles_search(rowid, title, lead, body_text, authors)
            SELECT id, herald_search_text(title), herald_search_text(lead), herald_search_text(body_text),
                   herald_search_text(authors)
            FROM articles WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id
        """,
        """
        INSERT INTO articles_chars(rowid, chars)
            SELECT id, herald_search_chars(title, lead, body_text)
            FROM articles WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id
        """,
    ]

    private static let v1 = """
        CREATE TABLE sources (
            name                 TEXT PRIMARY KEY,
            listing              TEXT NOT NULL,
            etag                 TEXT,
            last_modified        TEXT,
            next_run_at          TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_error           TEXT,
            last_run_at          TEXT,
            last_success_at      TEXT,
            created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );

        CREATE TABLE articles (
            id                INTEGER PRIMARY KEY,
            source            TEXT NOT NULL,
            url               TEXT NOT NULL UNIQUE,
            canonical_url     TEXT,
            content_id        TEXT,
            title             TEXT NOT NULL,
            section           TEXT,
            authors           TEXT NOT NULL DEFAULT '[]',
            published_at      TEXT,
            modified_at       TEXT,
            listing_timestamp TEXT,
            first_seen_at     TEXT NOT NULL,
            fetched_at        TEXT NOT NULL,
            lead              TEXT,
            image_url         TEXT,
            image_caption     TEXT,
            body_html         TEXT NOT NULL,
            body_text         TEXT NOT NULL,
            tags              TEXT NOT NULL DEFAULT '[]',
            content_hash      TEXT NOT NULL,
            revision          INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX articles_by_source_published ON articles(source, published_at);
        CREATE INDEX articles_by_published ON articles(published_at);
        CREATE INDEX articles_by_canonical_url ON articles(canonical_url);
        CREATE INDEX articles_by_fetched ON articles(fetched_at);

        CREATE TABLE article_revisions (
            id           INTEGER PRIMARY KEY,
            article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            revision     INTEGER NOT NULL,
            fetched_at   TEXT NOT NULL,
            modified_at  TEXT,
            title        TEXT NOT NULL,
            lead         TEXT,
            body_html    TEXT NOT NULL,
            body_text    TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            UNIQUE (article_id, revision),
            UNIQUE (article_id, content_hash)
        );

        CREATE TABLE url_aliases (
            url           TEXT PRIMARY KEY,
            article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            first_seen_at TEXT NOT NULL
        );
        CREATE INDEX url_aliases_by_article ON url_aliases(article_id);

        CREATE TABLE fetch_failures (
            url               TEXT PRIMARY KEY,
            source            TEXT NOT NULL,
            error             TEXT NOT NULL,
            permanent         INTEGER NOT NULL,
            attempts          INTEGER NOT NULL DEFAULT 1,
            listing_timestamp TEXT,
            first_failed_at   TEXT NOT NULL,
            last_failed_at    TEXT NOT NULL,
            retry_after       TEXT
        );

        CREATE TABLE crawl_runs (
            id          INTEGER PRIMARY KEY,
            source      TEXT NOT NULL,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            outcome     TEXT NOT NULL DEFAULT 'running',
            pages       INTEGER NOT NULL DEFAULT 0,
            links_found INTEGER NOT NULL DEFAULT 0,
            new         INTEGER NOT NULL DEFAULT 0,
            updated     INTEGER NOT NULL DEFAULT 0,
            unchanged   INTEGER NOT NULL DEFAULT 0,
            skipped     INTEGER NOT NULL DEFAULT 0,
            failed      INTEGER NOT NULL DEFAULT 0,
            error       TEXT
        );
        CREATE INDEX crawl_runs_by_source ON crawl_runs(source, started_at);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, lead, body_text,
            content='articles', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, lead, body_text) VALUES (new.id, new.title, new.lead, new.body_text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)
                VALUES ('delete', old.id, old.title, old.lead, old.body_text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body_text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)
                VALUES ('delete', old.id, old.title, old.lead, old.body_text);
            INSERT INTO articles_fts(rowid, title, lead, body_text) VALUES (new.id, new.title, new.lead, new.body_text);
        END;
        """

    /// Added columns only (readers of v1 see the same columns with the same meaning), one index, one table, two views.
    private static let v2 = """
        -- The standfirst exactly as the page has it: entities decoded, whitespace untouched (RFI's chapo ends with eight
        -- spaces, which the seed export format keeps). `lead` stays the normalised text. NULL for rows stored before v2.
        ALTER TABLE articles ADD COLUMN lead_verbatim TEXT;
        ALTER TABLE article_revisions ADD COLUMN lead_verbatim TEXT;

        CREATE INDEX articles_by_content_id ON articles(content_id);

        -- What retention (herald prune) deleted, one row per URL that led to the article (its url and its aliases), so
        -- the crawl's seen check still knows the URL and never fetches it again as new.
        CREATE TABLE tombstones (
            url           TEXT PRIMARY KEY,
            article_id    INTEGER,
            source        TEXT NOT NULL,
            content_id    TEXT,
            canonical_url TEXT,
            title         TEXT,
            published_at  TEXT,
            first_seen_at TEXT,
            deleted_at    TEXT NOT NULL,
            reason        TEXT NOT NULL
        );

        CREATE VIEW latest_articles AS
            SELECT id, source, published_at, title, coalesce(canonical_url, url) AS url
            FROM articles
            ORDER BY published_at DESC, id DESC;

        CREATE VIEW source_health AS
            SELECT s.name AS source,
                   -- the daemon keeps sources.last_success_at; `herald crawl` passes only leave crawl_runs rows
                   nullif(max(coalesce(s.last_success_at, ''),
                              coalesce((SELECT max(r.finished_at) FROM crawl_runs r
                                        WHERE r.source = s.name AND r.outcome IN ('ok', 'partial')), '')),
                          '') AS last_success_at,
                   nullif(max(coalesce(s.last_run_at, ''),
                              coalesce((SELECT max(r.started_at) FROM crawl_runs r WHERE r.source = s.name), '')),
                          '') AS last_run_at,
                   (SELECT r.outcome FROM crawl_runs r WHERE r.source = s.name
                    ORDER BY r.started_at DESC, r.id DESC LIMIT 1) AS last_outcome,
                   s.consecutive_failures,
                   s.last_error,
                   s.next_run_at,
                   (SELECT count(*) FROM articles a WHERE a.source = s.name) AS articles,
                   (SELECT max(a.first_seen_at) FROM articles a WHERE a.source = s.name) AS last_new_article_at
            FROM sources s;
        """
}
