import Foundation
import HeraldCore
import HeraldTestSupport
import HeraldTime
import Synchronization
import XCTest

/// The read commands, export and prune as users run them: the real binary, a config file, the sqlite3 shell.
final class ArchiveCommandLineTests: XCTestCase {
    private static let seedID = "WBMZ120004-RFI-CN-20231028"
    private static let seedTitle = "拜登敦促中国合作 共同应对全球挑战"

    /// A fixture server and a config with one source (the 中国 section, all its pages), crawled by `herald crawl`.
    private func crawledArchive() throws -> (FixtureServer, TemporaryDirectory, String) {
        let site = try FixtureSite.standard()
        let server = try FixtureServer(root: site.root)
        let folder = try TemporaryDirectory("herald-archive-cli")
        try """
        {
          "database": "herald.db",
          "perHost": { "concurrency": 4, "delay": "0s" },
          "sources": [
            { "name": "china", "displayName": "法广", "listing": "\(server.url("/cn/%E4%B8%AD%E5%9B%BD/"))", "kind": "html",
              "profile": "rfi", "maxPages": 10 }
          ]
        }
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let config = folder.path("config.json")
        let crawl = try HeraldBinary.run(["crawl", "--config", config])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        return (server, folder, config)
    }

    private func herald(
        _ arguments: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws -> Command.Result {
        let result = try HeraldBinary.run(arguments)
        XCTAssertEqual(
            result.status, 0, "herald \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result
    }

    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testArticlesShowSearchAndExportReadACrawledDatabase() throws {
        let (server, folder, config) = try crawledArchive()
        defer {
            server.stop()
            folder.remove()
        }
        let database = folder.path("herald.db")
        let stored = Int(try SQLiteShell.query(database, "SELECT count(*) FROM articles").first ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(stored, 20)

        // articles: newest first, paged, JSON for scripts.
        let page = try herald(["articles", "--config", config, "--limit", "5"])
        XCTAssertEqual(page.stdout.split(separator: "\n").count, 6, page.stdout)
        XCTAssertTrue(page.stdout.hasPrefix("ID"), page.stdout)
        XCTAssertTrue(page.stderr.contains("more: --offset 5"), page.stderr)
        let all = try jsonLines(try herald(["articles", "--config", config, "--json", "--limit", "1000"]).stdout)
        XCTAssertEqual(all.count, stored)
        let published = all.compactMap { $0["published"] as? String }
        XCTAssertEqual(published, published.sorted(by: >), "newest first")
        let recent = try jsonLines(
            try herald(["articles", "--config", config, "--json", "--since", "2025-11-01"]).stdout)
        XCTAssertFalse(recent.isEmpty)
        XCTAssertTrue(recent.allSatisfy { ($0["published"] as? String ?? "") >= "2025-11-01" })
        let badSince = try HeraldBinary.run(["articles", "--config", config, "--since", "last week"])
        XCTAssertEqual(badSince.status, 64, badSince.stderr)

        // search: Chinese words of three, two and one characters, a Latin word in either case (substrings), and
        // queries full of FTS syntax.
        let xi = try herald(["search", "习近平", "--config", config])
        XCTAssertTrue(xi.stdout.contains(Self.seedTitle), xi.stdout)
        XCTAssertTrue(xi.stdout.contains("[习近平]"), "highlighted snippet: \(xi.stdout)")
        for word in ["台北", "港", "欧盟", "cop", "COP", "AI"] {
            let hits = try jsonLines(
                try herald(["search", word, "--config", config, "--json", "--limit", "1000"]).stdout)
            let expected = try SQLiteShell.query(
                database,
                """
                SELECT id FROM articles WHERE title LIKE '%\(word)%' OR lead LIKE '%\(word)%' OR body_text LIKE '%\(word)%'
                ORDER BY id
                """)
            XCTAssertEqual(
                hits.compactMap { ($0["id"] as? Int).map(String.init) }.sorted { Int($0)! < Int($1)! }, expected,
                "search \(word)")
            if word != "AI" { XCTAssertFalse(expected.isEmpty, "the fixture has \(word)") }
        }
        for query in [
            "COP*", "中国-美国", "拜登:", "(COP)", "NOT 拜登", "\"a\" OR \"b\"", "-", ":", "*",
            "习近平 AND", "col:\"x\"",
        ] {
            let result = try HeraldBinary.run(["search", query, "--config", config, "--json"])
            XCTAssertEqual(result.status, 0, "search \(query): \(result.stderr)")
            XCTAssertFalse(result.stderr.lowercased().contains("error"), "search \(query): \(result.stderr)")
        }
        // An unbalanced quote is a usage error, said in one sentence.
        for query in ["\"习近平", "拜登 \"王毅"] {
            let result = try HeraldBinary.run(["search", query, "--config", config, "--json"])
            XCTAssertEqual(result.status, 64, "search \(query): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("unbalanced quote"), "search \(query): \(result.stderr)")
        }
        let phrase = try herald(["search", "习近平 AND", "--config", config])
        XCTAssertEqual(phrase.stdout, "", "AND is text, and no article has “习近平 AND”")

        // show: by content id, as the seed record; by id as JSON; an unknown one exits 66.
        let firstSeen = try XCTUnwrap(
            try SQLiteShell.query(
                database,
                """
                SELECT CAST(strftime('%s', first_seen_at) AS INTEGER) * 1000 FROM articles WHERE content_id = '\(Self.seedID)'
                """
            ).first)
        let seedRecord = try String(decoding: FixtureSite.standard().data("expected/seed-export.md"), as: UTF8.self)
            .replacingOccurrences(of: "<!--FETCHED_MS-->", with: "<!--\(firstSeen)-->")
        XCTAssertEqual(
            try herald(["show", Self.seedID, "--config", config, "--format", "markdown"]).stdout, seedRecord)
        let seedRow = try XCTUnwrap(
            try SQLiteShell.query(database, "SELECT id FROM articles WHERE content_id = '\(Self.seedID)'").first)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(try herald(["show", seedRow, "--config", config, "--format", "json"]).stdout.utf8))
                as? [String: Any])
        XCTAssertEqual(json["title"] as? String, Self.seedTitle)
        XCTAssertEqual(json["id"] as? Int, Int(seedRow))
        XCTAssertTrue(try herald(["show", seedRow, "--config", config]).stdout.contains(Self.seedTitle))
        XCTAssertTrue(try herald(["show", seedRow, "--config", config, "--revisions"]).stdout.contains("1 revision"))
        XCTAssertEqual(try HeraldBinary.run(["show", "999999", "--config", config]).status, 66)

        // export: the seed record in the archive's layout; a second run writes nothing; JSON Lines to stdout.
        let out = folder.path("archive")
        let export = try herald(["export", "--format", "markdown", "--out", out, "--config", config])
        XCTAssertTrue(export.stdout.contains("china"), export.stdout)
        XCTAssertTrue(export.stdout.contains("\(stored) files written"), export.stdout)
        XCTAssertEqual(
            try String(contentsOfFile: "\(out)/articles/china/\(Self.seedID).md", encoding: .utf8), seedRecord)
        XCTAssertTrue(try String(contentsOfFile: "\(out)/lists/china.md", encoding: .utf8).hasPrefix("法广\n------\n\n"))
        let again = try herald(["export", "--format", "markdown", "--out", out, "--config", config])
        XCTAssertTrue(again.stdout.contains("0 files written, \(stored) unchanged, index unchanged"), again.stdout)
        let lines = try jsonLines(
            try herald(["export", "--format", "jsonl", "--out", "-", "--database", database]).stdout)
        XCTAssertEqual(lines.count, stored)
        XCTAssertEqual(
            try HeraldBinary.run(["export", "--format", "markdown", "--out", "-", "--config", config]).status, 64)

        // The views for people, through the sqlite3 shell.
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM latest_articles"), ["\(stored)"])
        let health = try SQLiteShell.query(database, "SELECT source, last_outcome, articles FROM source_health")
        XCTAssertEqual(health, ["china|ok|\(stored)"])
    }

    func testPruneLeavesTombstonesThatKeepAPrunedArticleFromBeingFetchedAgain() throws {
        // keepDays puts the cutoff at 2023-11-01, whatever today is: only the seed (published 2023-10-28) is older.
        let days = Int(Date().timeIntervalSince(try XCTUnwrap(Instant(text: "2023-11-01T00:00:00Z")?.date)) / 86400)
        let (server, folder, config) = try crawledArchive()
        defer {
            server.stop()
            folder.remove()
        }
        // Set after the crawl: a crawl applies keepDays itself after its pass, and this test is about `herald prune`.
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: #""maxPages": 10 }"#, with: #""maxPages": 10, "keepDays": \#(days) }"#)
            .write(toFile: config, atomically: true, encoding: .utf8)
        let database = folder.path("herald.db")
        let stored = Int(try SQLiteShell.query(database, "SELECT count(*) FROM articles").first ?? "") ?? 0

        let dry = try herald(["prune", "--config", config, "--dry-run"])
        XCTAssertTrue(dry.stdout.contains("1 articles, 1 revisions would be deleted"), dry.stdout)
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM articles"), ["\(stored)"])

        let prune = try herald(["prune", "--config", config, "--vacuum"])
        XCTAssertTrue(prune.stdout.contains("1 articles, 1 revisions deleted, 1 tombstones"), prune.stdout)
        XCTAssertTrue(prune.stdout.contains("vacuum:"), prune.stdout)
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM articles"), ["\(stored - 1)"])
        XCTAssertEqual(
            try SQLiteShell.query(database, "SELECT content_id, reason FROM tombstones"),
            ["\(Self.seedID)|keepDays \(days)"])
        // Its search rows went with it: the index agrees with the table (FTS5's own check, then a count).
        _ = try SQLiteShell.query(
            database, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1); SELECT 1")
        XCTAssertEqual(
            try SQLiteShell.query(
                database,
                """
                SELECT (SELECT count(*) FROM articles_search WHERE articles_search MATCH '"拜登 登敦 敦促"')
                     = (SELECT count(*) FROM articles WHERE instr(title || lead || body_text, '拜登敦促'))
                """), ["1"])

        // The listing changes (validators forgotten, so every page is read in full) and still lists the seed: the
        // crawl counts it as seen and never requests it.
        _ = try SQLiteShell.query(database, "UPDATE sources SET etag = NULL, last_modified = NULL; SELECT 1")
        server.clearLog()
        let crawl = try herald(["crawl", "--config", config])
        XCTAssertTrue(crawl.stdout.contains("0 new"), crawl.stdout)
        XCTAssertTrue(
            server.requests.contains { $0.path.hasPrefix("/cn/%E4%B8%AD%E5%9B%BD/") && $0.path.hasSuffix("/") },
            "the listing was read again")
        XCTAssertFalse(
            server.requests.contains { $0.path.contains("/20231028-") },
            "the pruned article was not fetched: \(server.requests.map(\.path))")
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM articles"), ["\(stored - 1)"])
    }

    func testASectionsArticlesIncludeThoseItsFeedStoredFirst() throws {
        let site = try FixtureSite.standard()
        let server = try FixtureServer(root: site.root)
        let folder = try TemporaryDirectory("herald-two-sources")
        defer {
            server.stop()
            folder.remove()
        }
        // The section page and the site's full-text feed list the same articles; the feed is crawled first.
        try """
        {
          "database": "herald.db",
          "perHost": { "concurrency": 4, "delay": "0s" },
          "mirrors": { "https://www.rfi.fr": "\(server.baseURL)" },
          "sources": [
            { "name": "feed", "listing": "https://www.rfi.fr/feedx/rfi.xml", "kind": "rss", "fullText": true },
            { "name": "china", "listing": "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/", "kind": "html",
              "profile": "rfi", "maxPages": 10 }
          ]
        }
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let config = folder.path("config.json")
        let database = folder.path("herald.db")
        _ = try herald(["crawl", "--config", config, "--source", "feed"])
        _ = try herald(["crawl", "--config", config, "--source", "china"])

        let storedByFeed = Set(try SQLiteShell.query(database, "SELECT url FROM articles WHERE source = 'feed'"))
        let china = try jsonLines(
            try herald([
                "articles", "--config", config, "--source", "china", "--json",
                "--limit", "1000",
            ]).stdout)
        let chinaURLs = Set(china.compactMap { $0["url"] as? String })
        XCTAssertFalse(
            chinaURLs.intersection(storedByFeed).isEmpty,
            "the section lists articles the feed stored first: \(chinaURLs.count) listed")
        XCTAssertEqual(
            try SQLiteShell.query(database, "SELECT articles FROM source_health WHERE source = 'china'"),
            ["\(chinaURLs.count)"])
        let exported = try herald([
            "export", "--config", config, "--source", "china", "--format", "jsonl", "--out", "-",
        ])
        XCTAssertEqual(exported.stdout.split(separator: "\n").count, chinaURLs.count, exported.stderr)
    }

    func testTheSQLiteShellAndHeraldReadTheDatabaseWhileACrawlWrites() async throws {
        let harness = try CrawlHarness()
        let database = harness.databasePath
        let observations = Locked<[Int]>([])
        let failures = Locked<[String]>([])
        let searches = Locked(0)
        // Every article request runs readers first: the sqlite3 shell, and every fifth time `herald search`. With
        // four fetches in flight, the crawl is committing other articles while they read. The shell sets a busy
        // timeout, as docs/schema.md tells readers to: a connection closing (here, another sqlite3 shell) briefly
        // locks the file to see whether it is the last one, and a reader opening in that instant must wait.
        harness.server.route(prefix: "/cn/") { [weak server = harness.server] request in
            if request.path.contains("/20") {
                do {
                    let rows = try SQLiteShell.query(
                        database, busyTimeoutMilliseconds: 5000,
                        """
                        SELECT count(*) FROM articles;
                        SELECT count(*) FROM articles_search WHERE articles_search MATCH '"要求 求进 进一 一步"';
                        SELECT count(*) FROM latest_articles;
                        """)
                    observations.withLock { $0.append(Int(rows.first ?? "") ?? -1) }
                } catch {
                    failures.withLock { $0.append("sqlite3: \(error)") }
                }
                if searches.withLock({ count -> Bool in
                    count += 1
                    return count % 5 == 1
                }) {
                    do {
                        let result = try HeraldBinary.run(["search", "欧盟", "--database", database, "--json"])
                        if result.status != 0 { failures.withLock { $0.append("herald search: \(result.stderr)") } }
                    } catch {
                        failures.withLock { $0.append("herald search: \(error)") }
                    }
                }
            }
            return server?.staticResponse(for: request) ?? .notFound
        }
        let config = try harness.config(
            sources: [CrawlHarness.source("atom", "https://www.rfi.fr/cn/atom.xml", kind: "atom")],
            extra: harness.mirrorRFI)
        let reports = try await harness.crawl(config)
        XCTAssertEqual(reports.first?.counts.new, 60, reports.first?.summary ?? "")
        XCTAssertEqual(reports.first?.counts.failed, 0, reports.first?.errors.joined(separator: "\n") ?? "")
        XCTAssertEqual(failures.withLock { $0 }, [])
        let seen = observations.withLock { $0 }
        XCTAssertGreaterThanOrEqual(seen.count, 60)
        // The last article was requested once at least 56 others were committed (4 in flight at most).
        XCTAssertGreaterThanOrEqual(seen.max() ?? 0, 56, "readers saw the crawl's commits: \(seen)")
        XCTAssertTrue(seen.allSatisfy { (0...60).contains($0) }, "\(seen)")
    }
}

/// A value behind a mutex, shareable with `@Sendable` closures (a `Mutex` itself cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
