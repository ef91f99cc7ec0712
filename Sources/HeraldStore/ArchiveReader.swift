import Foundation
import HeraldArticle
import HeraldTime

/// The read side of the archive: its own read-only connection, so `herald articles`, `show`, `search` and `export`
/// work while the daemon writes (WAL: the reader sees a consistent snapshot and never blocks the writer).
///
/// Not thread-safe (one connection, used by one command); open one per thread.
package final class ArchiveReader {
    let db: SQLiteConnection
    package var path: String { db.path }

    /// Opens `path` read-only. Throws `ArchiveError.missing` when there is no file and `schemaTooOld`/`schemaTooNew`
    /// when the schema is not the one this binary reads (a read-only connection cannot migrate).
    package init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ArchiveError.missing(path: path) }
        db = try SQLiteConnection(path: path, mode: .readOnly)
        let version = try db.userVersion
        if version < Migrations.latestVersion {
            throw ArchiveError.schemaTooOld(path: path, found: version, latest: Migrations.latestVersion)
        }
        if version > Migrations.latestVersion {
            throw ArchiveError.schemaTooNew(path: path, found: version, latest: Migrations.latestVersion)
        }
    }

    /// Runs `body` on one snapshot of the database (several queries that must agree, such as an export's files and
    /// its index).
    package func snapshot<T>(_ body: () throws -> T) throws -> T {
        try db.readTransaction(body)
    }

    // MARK: - Listing

    /// The condition "article `a` is listed by the source bound to the next `?`": every source whose listing showed it,
    /// not only the one that stored it first (`article_sources`).
    static let listedBy = "a.id IN (SELECT article_id FROM article_sources WHERE source = ?)"

    /// How many of `source`'s articles a prune with this cutoff would delete (the preview of a keepDays change).
    package func prunableCount(source: String, before cutoff: Instant) throws -> Int {
        try db.scalarInt(
            "SELECT count(*) FROM articles a WHERE \(ArticleStore.prunable)", [.text(source), .instant(cutoff)])
    }

    /// Every source the database has registered (crawled at least once), by name: cheap, from the `sources` table.
    package func registeredSources() throws -> [String] {
        try db.query("SELECT name FROM sources ORDER BY name") { $0.text(0) ?? "" }
    }

    /// The sources that list at least one stored article, by name (`source_article_counts`, kept by triggers).
    package func sources() throws -> [String] {
        try db.query("SELECT source FROM source_article_counts WHERE n > 0 ORDER BY source") { $0.text(0) ?? "" }
    }

    /// Articles newest first (by publication time; those without one last), optionally of one source and published
    /// (or, without a publication time, first fetched) at or after `since`.
    package func articles(
        source: String? = nil, since: Instant? = nil, limit: Int = 20,
        offset: Int = 0
    ) throws -> [ArticleSummary] {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let source {
            conditions.append(Self.listedBy)
            parameters.append(.text(source))
        }
        if let since {
            conditions.append("coalesce(a.published_at, a.first_seen_at) >= ?")
            parameters.append(.instant(since))
        }
        parameters += [.integer(limit), .integer(offset)]
        return try db.query(
            """
            SELECT \(Self.summaryColumns) FROM articles a
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
            """, parameters, row: Self.summary)
    }

    /// Every article of `source`, newest first by publication time (first fetch when unknown): the export index.
    package func index(source: String) throws -> [ArticleSummary] {
        try db.query(
            """
            SELECT \(Self.summaryColumns) FROM articles a WHERE \(Self.listedBy)
            ORDER BY coalesce(a.published_at, a.first_seen_at) DESC, a.id DESC
            """, [.text(source)], row: Self.summary)
    }

    /// Calls `body` with each article (every column), oldest id first, optionally of one source and fetched at or
    /// after `fetchedSince` (new, revised or re-checked since then). Rows are read one at a time, so an export of a
    /// large archive never holds it in memory.
    package func forEachArticle(
        source: String? = nil, fetchedSince: Instant? = nil,
        _ body: (ArchivedArticle) throws -> Void
    ) throws {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let source {
            conditions.append(Self.listedBy)
            parameters.append(.text(source))
        }
        if let fetchedSince {
            conditions.append("fetched_at >= ?")
            parameters.append(.instant(fetchedSince))
        }
        let statement = try db.prepare(
            """
            SELECT \(Self.articleColumns) FROM articles a
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")) ORDER BY id
            """)
        try statement.bind(parameters)
        defer { statement.reset() }
        while try statement.step() {
            try body(Self.article(statement))
        }
    }

    // MARK: - One article

    package func article(id: Int64) throws -> ArchivedArticle? {
        try db.first("SELECT \(Self.articleColumns) FROM articles WHERE id = ?", [.int(id)], row: Self.article)
    }

    /// The article `key` names: its id (digits), the URL Herald followed or an alias of it, the canonical URL the page
    /// declares, or the publisher's content id.
    package func article(matching key: String) throws -> ArchivedArticle? {
        if !key.isEmpty, key.allSatisfy(\.isASCII), key.allSatisfy(\.isNumber), let id = Int64(key) {
            return try article(id: id)
        }
        let lookups = [
            "url = ?",
            "id = (SELECT article_id FROM url_aliases WHERE url = ?)",
            "canonical_url = ?",
            "content_id = ?",
        ]
        for condition in lookups {
            if let found = try db.first(
                "SELECT \(Self.articleColumns) FROM articles WHERE \(condition) ORDER BY id LIMIT 1",
                [.text(key)], row: Self.article)
            {
                return found
            }
        }
        return nil
    }

    /// Every stored version of an article, oldest first.
    package func revisions(articleID: Int64) throws -> [ArticleRevision] {
        try db.query(
            """
            SELECT article_id, revision, fetched_at, modified_at, title, lead, lead_verbatim, body_html, body_text,
                   content_hash
            FROM article_revisions WHERE article_id = ? ORDER BY revision
            """, [.int(articleID)]
        ) { row in
            ArticleRevision(
                articleID: row.int64(0), revision: row.int(1), fetchedAt: row.requiredInstant(2),
                modifiedAt: row.instant(3), title: row.text(4) ?? "", lead: row.text(5),
                leadVerbatim: row.text(6), bodyHTML: row.text(7) ?? "", bodyText: row.text(8) ?? "",
                contentHash: row.text(9) ?? "")
        }
    }

    /// What retention deleted, newest first.
    package func tombstones(limit: Int = 100) throws -> [Tombstone] {
        try db.query(
            """
            SELECT url, article_id, source, content_id, deleted_at, reason FROM tombstones
            ORDER BY deleted_at DESC, url LIMIT ?
            """, [.integer(limit)]
        ) { row in
            Tombstone(
                url: row.text(0) ?? "", articleID: row.isNull(1) ? nil : row.int64(1), source: row.text(2) ?? "",
                contentID: row.text(3), deletedAt: row.requiredInstant(4), reason: row.text(5) ?? "")
        }
    }

    // MARK: - Row mapping

    static let summaryColumns = """
        a.id, a.source, a.title, a.published_at, a.first_seen_at, a.fetched_at, a.url, a.canonical_url,
        a.content_id, a.revision
        """

    static func summary(_ row: Statement) -> ArticleSummary {
        ArticleSummary(
            id: row.int64(0), source: row.text(1) ?? "", title: row.text(2) ?? "", publishedAt: row.instant(3),
            firstSeenAt: row.requiredInstant(4), fetchedAt: row.requiredInstant(5), url: row.text(6) ?? "",
            canonicalURL: row.text(7), contentID: row.text(8), revision: row.int(9))
    }

    static let articleColumns = """
        id, source, url, canonical_url, content_id, title, section, authors, published_at, modified_at,
        listing_timestamp, first_seen_at, fetched_at, lead, lead_verbatim, image_url, image_caption, body_html,
        body_text, tags, content_hash, revision
        """

    static func article(_ row: Statement) -> ArchivedArticle {
        let article = Article(
            url: row.text(2) ?? "", canonicalURL: row.text(3), contentID: row.text(4), title: row.text(5) ?? "",
            section: row.text(6), authors: JSONText.decodeArray(row.text(7)), publishedAt: row.instant(8),
            modifiedAt: row.instant(9), lead: row.text(13), leadVerbatim: row.text(14), imageURL: row.text(15),
            imageCaption: row.text(16), tags: JSONText.decodeArray(row.text(19)), bodyHTML: row.text(17) ?? "",
            bodyText: row.text(18) ?? "")
        return ArchivedArticle(
            id: row.int64(0), source: row.text(1) ?? "", article: article, listingTimestamp: row.instant(10),
            firstSeenAt: row.requiredInstant(11), fetchedAt: row.requiredInstant(12),
            contentHash: row.text(20) ?? "", revision: row.int(21))
    }
}
