import Foundation
import HeraldArticle
import HeraldConfiguration
import HeraldCore
import HeraldStore
import HeraldTestSupport
import Logging
import XCTest

/// A fixture site served on 127.0.0.1, a temp folder for the database, and helpers to crawl it in-process.
final class CrawlHarness {
    let site: FixtureSite
    let server: FixtureServer
    let folder: TemporaryDirectory

    /// - Parameter root: the folder to serve, when not the RFI fixture site (`DiscoverySites`' sites).
    init(serving root: URL? = nil) throws {
        site = try FixtureSite.standard()
        server = try FixtureServer(root: root ?? site.root)
        folder = try TemporaryDirectory("herald-crawl")
    }

    deinit {
        server.stop()
        folder.remove()
    }

    var databasePath: String { folder.path("herald.db") }

    /// A config with `sources` (JSON objects) and fast, loopback-friendly limits. `extra` adds top-level keys.
    func config(sources: [String], extra: String = "") throws -> HeraldConfig {
        let text = """
            {
              "database": "herald.db",
              "concurrency": 4,
              "perHost": { "concurrency": 4, "delay": "0s" },
              "timeouts": { "connect": "5s", "total": "30s", "lowSpeed": "10s" },
              "retries": 0,
              \(extra.isEmpty ? "" : extra + ",")
              "sources": [\(sources.joined(separator: ",\n"))]
            }
            """
        let file = folder.path("config.json")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: file)
    }

    /// A source object for `config(sources:)`.
    static func source(
        _ name: String, _ listing: String, kind: String = "html", profile: String = "rfi",
        extra: String = ""
    ) -> String {
        """
        {"name": "\(name)", "listing": "\(listing)", "kind": "\(kind)", "profile": "\(profile)", "interval": "1m",
         "maxPages": 10\(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    /// The `mirrors` entry that sends the fixture's canonical origin to the loopback server.
    var mirrorRFI: String { "\"mirrors\": {\"https://www.rfi.fr\": \"\(server.baseURL)\"}" }

    func crawl(_ config: HeraldConfig) async throws -> [CrawlReport] {
        let store = try ArticleStore(path: config.database)
        let crawler = Crawler(
            config: config, store: store, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        return await crawler.crawl(config.sources)
    }

    /// Every listing page the site has, first pages only (the crawl follows `next` itself).
    func firstListingPages() throws -> [String] {
        let manifest = try site.json("expected/manifest.json")
        return (manifest["listings"] as? [String] ?? []).filter { !$0.contains("/page/") && !$0.hasPrefix("/hostile/") }
    }

    func articles() throws -> [StoredRow] {
        let db = try SQLiteConnection(path: databasePath, mode: .readOnly)
        return try db.query(
            """
            SELECT url, canonical_url, content_id, title, section, authors, published_at, modified_at, lead, image_url,
                   image_caption, tags, body_html, body_text, revision, source
            FROM articles ORDER BY id
            """
        ) { row in
            StoredRow(
                article: Article(
                    url: row.text(0) ?? "", canonicalURL: row.text(1), contentID: row.text(2), title: row.text(3) ?? "",
                    section: row.text(4), authors: Self.strings(row.text(5)), publishedAt: row.instant(6),
                    modifiedAt: row.instant(7), lead: row.text(8), imageURL: row.text(9), imageCaption: row.text(10),
                    tags: Self.strings(row.text(11)), bodyHTML: row.text(12) ?? "", bodyText: row.text(13) ?? ""),
                revision: row.int(14), source: row.text(15) ?? "")
        }
    }

    func count(_ sql: String) throws -> Int {
        try SQLiteConnection(path: databasePath, mode: .readOnly).scalarInt(sql)
    }

    private static func strings(_ json: String?) -> [String] {
        guard let data = json?.data(using: .utf8) else { return [] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String]) ?? []
    }
}

/// An `articles` row as a user reads it with sqlite3 (not through the store's own reader).
struct StoredRow: ArticleWrapper {
    var article: Article
    var revision: Int
    var source: String
}
