import Foundation
import HeraldTestSupport
import XCTest

/// Herald as its users run it: the real binary, a config file, the sqlite3 shell.
final class CommandLineTests: XCTestCase {
    /// Another program's config.json in the working directory is not Herald's; a commented Herald one is.
    func testTheLookupSkipsAForeignConfigJSONAndSaysSo() throws {
        let folder = try TemporaryDirectory("herald-lookup")
        defer { folder.remove() }
        let environment = ["HOME": folder.path("home"), "PATH": "/usr/bin:/bin"]
        try #"{"compilerOptions": {"strict": true}}"#.write(
            toFile: folder.path("config.json"), atomically: true,
            encoding: .utf8)
        let foreign = try HeraldBinary.run(["check-config"], environment: environment, in: folder.url)
        XCTAssertEqual(foreign.status, 78, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("./config.json is not a Herald config"), foreign.stderr)
        XCTAssertFalse(foreign.stderr.contains("compilerOptions"), "it was not read as Herald's: \(foreign.stderr)")

        try """
        // mine
        {"database": "herald.db", "sources": [{"name": "a", "listing": "https://example.com/",},],}
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let mine = try HeraldBinary.run(["check-config"], environment: environment, in: folder.url)
        XCTAssertEqual(mine.status, 0, mine.stdout + mine.stderr)
        XCTAssertTrue(mine.stdout.contains("config.json: OK"), mine.stdout)
    }

    /// logFormat json: every stderr line of a crawl is one JSON object; --quiet prints nothing on success.
    func testCrawlLogsAsJSONLinesAndQuietPrintsNothing() throws {
        let site = try FixtureSite.standard()
        let server = try FixtureServer(root: site.root)
        defer { server.stop() }
        let folder = try TemporaryDirectory("herald-cli-logs")
        defer { folder.remove() }
        try """
        {"database": "herald.db", "perHost": {"concurrency": 4, "delay": "0s"}, "logFormat": "json",
         "sources": [{"name": "home", "listing": "\(server.url("/cn/"))", "kind": "html", "profile": "rfi"}]}
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let crawl = try HeraldBinary.run(["crawl", "--config", folder.path("config.json"), "--log-level", "debug"])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        let lines = crawl.stderr.split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(lines.count, 10, crawl.stderr)
        var messages: [String] = []
        for line in lines {
            let object = try XCTUnwrap(
                try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                "not a JSON object: \(line)")
            XCTAssertTrue(object["time"]?.hasSuffix("Z") ?? false, line)
            messages.append(object["msg"] ?? "")
        }
        XCTAssertTrue(messages.contains("pass finished"), "\(messages)")
        XCTAssertTrue(messages.contains("stored"), "per-article lines at debug: \(messages)")

        try FileManager.default.removeItem(atPath: folder.path("herald.db"))
        let quiet = try HeraldBinary.run(["crawl", "--config", folder.path("config.json"), "--quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(quiet.stderr, "", "--quiet logs warnings and errors only")
        XCTAssertGreaterThan(
            Int(try SQLiteShell.query(folder.path("herald.db"), "SELECT count(*) FROM articles").first ?? "") ?? 0, 20)
    }

    /// Every command that prints answers --json, in JSON Lines wherever it lists.
    func testEveryPrintingCommandSpeaksJSON() throws {
        let site = try FixtureSite.standard()
        let server = try FixtureServer(root: site.root)
        defer { server.stop() }
        let folder = try TemporaryDirectory("herald-cli-json")
        defer { folder.remove() }
        let config = folder.path("config.json")
        try """
        {"database": "herald.db", "perHost": {"concurrency": 4, "delay": "0s"},
         "sources": [{"name": "home", "listing": "\(server.url("/cn/"))", "kind": "html", "profile": "rfi"}]}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        func objects(_ text: String) throws -> [[String: Any]] {
            try text.split(separator: "\n").map { line in
                try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            }
        }

        let crawl = try HeraldBinary.run(["crawl", "--config", config, "--json"])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        let passes = try objects(crawl.stdout)
        XCTAssertEqual(passes.count, 1)
        XCTAssertEqual(passes.first?["source"] as? String, "home")
        XCTAssertEqual(passes.first?["outcome"] as? String, "ok")
        let stored = try XCTUnwrap(passes.first?["new"] as? Int)
        XCTAssertGreaterThan(stored, 20)

        // Now a keepDays every fixture article is older than (set after the crawl, which would apply it at once).
        let withKeepDays = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "\"profile\": \"rfi\"}", with: "\"profile\": \"rfi\", \"keepDays\": 30}")
        try withKeepDays.write(toFile: config, atomically: true, encoding: .utf8)
        let check = try HeraldBinary.run(["check-config", "--config", config, "--json"])
        XCTAssertEqual(check.status, 0, check.stderr)
        let valid = try XCTUnwrap(try objects(check.stdout).first)
        XCTAssertEqual(valid["valid"] as? Bool, true)
        XCTAssertEqual((valid["keep_days_preview"] as? [String])?.count, 1, "\(valid)")
        let broken = folder.path("broken.json")
        try #"{"sources": [{"name": "a"}], "typo": 1}"#.write(toFile: broken, atomically: true, encoding: .utf8)
        let invalid = try HeraldBinary.run(["check-config", "--config", broken, "--json"])
        XCTAssertEqual(invalid.status, 78)
        let problems = try XCTUnwrap(try objects(invalid.stdout).first?["problems"] as? [[String: Any]])
        XCTAssertTrue(problems.contains { $0["field"] as? String == "typo" && $0["line"] as? Int == 1 }, "\(problems)")

        let prune = try HeraldBinary.run([
            "prune", "--dry-run", "--json", "--config", config,
            "--database", folder.path("herald.db"),
        ])
        XCTAssertEqual(prune.status, 0, prune.stderr)
        let preview = try XCTUnwrap(try objects(prune.stdout).first)
        XCTAssertEqual(preview["articles"] as? Int, stored, "every fixture article is older than 30 days")
        XCTAssertEqual(preview["dry_run"] as? Bool, true)
        let elsewhere = try HeraldBinary.run([
            "prune", "--dry-run", "--json", "--config", config,
            "--database", folder.path("other.db"),
        ])
        XCTAssertEqual(try objects(elsewhere.stdout).first?["articles"] as? Int, 0, "--database is the file used")

        let export = try HeraldBinary.run(["export", "--config", config, "--out", folder.path("out"), "--json"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try objects(export.stdout).first?["written"] as? Int, stored)

        let page = site.url("cn/中国/20231028-拜登敦促中国合作-共同应对全球挑战/index.html").path
        let parsed = try HeraldBinary.run(["parse", page, "--profile", "rfi", "--json"])
        XCTAssertEqual(parsed.stdout.split(separator: "\n").count, 1, "one file, one line: JSON Lines as for several")
    }

    func testCrawlFillsADatabaseThatTheSQLiteShellReads() throws {
        let site = try FixtureSite.standard()
        let server = try FixtureServer(root: site.root)
        defer { server.stop() }
        let folder = try TemporaryDirectory("herald-cli")
        defer { folder.remove() }
        try """
        {
          "database": "herald.db",
          "perHost": { "concurrency": 4, "delay": "0s" },
          "sources": [
            { "name": "home", "listing": "\(server.url("/cn/"))", "kind": "html", "profile": "rfi" },
            { "name": "china", "listing": "\(server.url("/cn/%E4%B8%AD%E5%9B%BD/"))", "kind": "html", "profile": "rfi",
              "maxPages": 10 }
          ]
        }
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)

        let crawl = try HeraldBinary.run(["crawl", "--config", folder.path("config.json")])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        XCTAssertTrue(crawl.stdout.contains("home"), crawl.stdout)
        XCTAssertTrue(crawl.stdout.contains(" new"), crawl.stdout)

        let database = folder.path("herald.db")
        let counts = try SQLiteShell.query(
            database, "SELECT count(*), count(DISTINCT url), count(DISTINCT canonical_url) FROM articles")
        XCTAssertEqual(counts, ["46|46|46"])
        let seed = try SQLiteShell.query(
            database,
            """
            SELECT title, published_at FROM articles WHERE content_id = 'WBMZ120004-RFI-CN-20231028'
            """)
        XCTAssertEqual(seed, ["拜登敦促中国合作 共同应对全球挑战|2023-10-28T09:52:00Z"])
        let search = try SQLiteShell.query(
            database, "SELECT count(*) FROM articles_search WHERE articles_search MATCH '\"习近 近平\"'")
        XCTAssertNotEqual(search, ["0"], "the word index finds Chinese words")
        XCTAssertEqual(try SQLiteShell.query(database, "PRAGMA journal_mode"), ["wal"])

        let again = try HeraldBinary.run(["crawl", "--config", folder.path("config.json"), "--source", "china"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM articles"), ["46"])
    }

    func testCrawlExitsNonZeroWhenAListingCannotBeRead() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/news/", .status(500))
        let folder = try TemporaryDirectory("herald-cli")
        defer { folder.remove() }
        try """
        { "database": "herald.db", "retries": 0,
          "sources": [{ "name": "broken", "listing": "\(server.url("/news/"))" }] }
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let result = try HeraldBinary.run(["crawl", "--config", folder.path("config.json")])
        XCTAssertEqual(result.status, 69)
        XCTAssertTrue(result.stdout.contains("HTTP 500"), result.stdout)
    }

    func testCheckConfigPrintsEveryProblemAndExits78() throws {
        let folder = try TemporaryDirectory("herald-cli")
        defer { folder.remove() }
        try """
        {
          "database": "herald.db",
          "sources": [
            { "name": "a", "listing": "ftp://example.com/", "intervall": "5m" },
            { "name": "a", "listing": "https://example.com/", "interval": "soon", "linkPattern": "([" }
          ]
        }
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let result = try HeraldBinary.run(["check-config", "--config", folder.path("config.json")])
        XCTAssertEqual(result.status, 78)
        for expected in [
            "sources[0].listing", "unsupported scheme \"ftp\"", "sources[0].intervall",
            "did you mean \"interval\"", "sources[1].name", "already the name of sources[0]",
            "sources[1].interval", "\"soon\" is not a duration", "sources[1].linkPattern",
        ] {
            XCTAssertTrue(result.stderr.contains(expected), "missing \(expected) in:\n\(result.stderr)")
        }
        XCTAssertTrue(result.stderr.contains("config.json:4:"), "errors carry line numbers:\n\(result.stderr)")
    }

    func testTheRepositoryDefaultConfigIsValid() throws {
        let result = try HeraldBinary.run([
            "check-config", "--config",
            HeraldBinary.packageRoot.appendingPathComponent("config.json").path,
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testParseReadsItsPagesFromAListFileBesideTheArguments() throws {
        let site = try FixtureSite.standard()
        let index = try site.json("expected/manifest.json")["article_index"] as? [[String: Any]] ?? []
        let pages = index.prefix(3).compactMap { ($0["file"] as? String).map { site.url($0).path } }
        XCTAssertEqual(pages.count, 3, "the fixture site has articles")
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: list) }
        try (pages[1...].joined(separator: "\r\n") + "\n\n").write(to: list, atomically: true, encoding: .utf8)
        let result = try HeraldBinary.run(
            ["parse", pages[0], "--files-from", list.path, "--profile", "rfi", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let urls = try result.stdout.split(separator: "\n").map { line in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["url"] as? String
        }
        XCTAssertEqual(urls.count, 3, "the argument's page, then the list's two, in order")
        XCTAssertEqual(Set(urls.compactMap { $0 }).count, 3)

        let missing = try HeraldBinary.run(["parse", "--files-from", list.path + ".absent", "--json"])
        XCTAssertEqual(missing.status, 66, "EX_NOINPUT")
        XCTAssertTrue(missing.stderr.contains("cannot read the list of pages"), missing.stderr)
    }

    func testParsePrintsTheArticleAsJSON() throws {
        let site = try FixtureSite.standard()
        let page = site.url("cn/中国/20231028-拜登敦促中国合作-共同应对全球挑战/index.html").path
        let result = try HeraldBinary.run(["parse", page, "--profile", "rfi", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, "拜登敦促中国合作 共同应对全球挑战")
        XCTAssertEqual(object["content_id"] as? String, "WBMZ120004-RFI-CN-20231028")
        XCTAssertEqual(object["published"] as? String, "2023-10-28T09:52:00Z")
        // Each field against the fixture's expected record: a JSON null or an empty value cannot pass for it.
        let expected = try site.json("expected/WBMZ120004-RFI-CN-20231028.json")
        for key in ["section", "modified", "lead", "image", "image_caption", "body_text"] {
            let value = try XCTUnwrap(object[key] as? String, "\(key) is missing or not a string")
            XCTAssertEqual(value, expected[key] as? String, key)
        }
        XCTAssertEqual(object["authors"] as? [String], expected["authors"] as? [String])
        XCTAssertEqual(object["tags"] as? [String], expected["tags"] as? [String])
        XCTAssertEqual(object["canonical_url"] as? String, expected["url"] as? String)
        XCTAssertEqual(object["url"] as? String, expected["url"] as? String)
        let html = try XCTUnwrap(object["body_html"] as? String)
        XCTAssertTrue(html.hasPrefix("<p>") && html.contains("共同应对全球挑战"), String(html.prefix(200)))
    }
}
