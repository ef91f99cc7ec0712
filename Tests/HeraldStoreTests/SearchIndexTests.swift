import HeraldArticle
import HeraldTestSupport
import HeraldTime
import XCTest

@testable import HeraldStore

/// The word index (schema v5) and the query planner against brute force: on a generated corpus of Chinese, Latin and
/// mixed text, every kind of query finds exactly the articles a scan with `instr`/`LIKE` (or a word split, for short
/// Latin words) finds; the index follows inserts, revisions and prunes; the v5 migration builds it, resumably.
final class SearchIndexTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var path: String { folder.path("herald.db") }

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-search-index")
    }

    override func tearDown() {
        folder.remove()
    }

    // MARK: - A generated corpus

    static let pieces = [
        "台北", "降息", "习近平", "欧盟", "要求", "王毅", "台海", "中国", "美国", "北京", "台湾", "高雄", "选举", "央行",
        "市场", "经济", "合作", "会谈", "台", "北", "人", "的", "息", "平", "近",
        "T-Dome", "NDTV", "AI", "G7", "COP28", "climate", "Taipei", "said", "400亿美元", "A股", "5G", "EU",
        "，", "。", "：", "“", "”", " ", "-", "\n",
    ]
    static let authors = [[], ["王毅"], ["李明"], ["John Smith"], ["李明", "Anna Dome"]]

    struct Generated {
        var title: String, lead: String, body: String, authors: [String], published: String, source: String
    }

    /// Deterministic (a fixed linear congruential generator), so a failure is reproducible.
    static func corpus(count: Int, seed: UInt64 = 20_231_028) -> [Generated] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func text(_ length: Int) -> String { (0..<length).map { _ in pieces[next(pieces.count)] }.joined() }
        return (0..<count).map { n in
            Generated(
                title: text(2 + next(5)), lead: text(next(6)), body: text(5 + next(30)),
                authors: authors[next(authors.count)],
                published: String(
                    format: "20%02d-%02d-%02dT%02d:00:00Z", 15 + next(10), 1 + next(12),
                    1 + next(28), next(24)),
                source: n % 3 == 0 ? "other" : "rfi")
        }
    }

    static func record(_ article: Generated, _ n: Int, version: String = "") -> ArticleRecord {
        ArticleRecord(
            source: article.source,
            article: Article(
                url: "https://example.com/\(n)",
                contentID: "ID-\(n)",
                title: article.title + version,
                authors: article.authors,
                publishedAt: Instant(text: article.published),
                lead: article.lead,
                leadVerbatim: article.lead,
                tags: [],
                bodyHTML: "<p>\(article.body)</p>",
                bodyText: article.body + version),
            contentHash: "hash-\(n)-\(article.title)-\(article.body)\(version)")
    }

    private func fill(_ store: ArticleStore, count: Int) throws -> [Generated] {
        let articles = Self.corpus(count: count)
        for (n, article) in articles.enumerated() {
            _ = try store.save(
                Self.record(article, n), listingTimestamp: nil, fetchedAt: "2025-02-01T00:00:00Z",
                aliasByCanonical: false)
        }
        return articles
    }

    // MARK: - The oracle

    /// The ids whose row matches `term`, by brute force: SQL `instr` for words made of CJK characters and `LIKE` for
    /// other words of three characters or more (substrings); for shorter Latin words and author words, the start of a
    /// word (words split at CJK characters, spaces and punctuation, as the index splits them).
    private func oracle(_ term: SearchQuery.Term, _ db: SQLiteConnection) throws -> Set<Int64> {
        let text = term.text
        let columns =
            term.field == .title
            ? ["title"]
            : term.field == .author
                ? ["authors"]
                : ["title", "lead", "body_text"]
        let wordStart =
            SearchText.phrase(for: text) != nil
            && (term.field == .author
                ? !SearchText.isAllCJK(text)
                : !SearchText.isAllCJK(text) && text.unicodeScalars.count < 3)
        if wordStart {
            let rows = try db.query(
                "SELECT id, \(columns.map { "coalesce(\($0), '')" }.joined(separator: " || char(10) || ")) FROM articles"
            ) {
                ($0.int64(0), $0.text(1) ?? "")
            }
            let prefix = text.lowercased()
            return Set(
                rows.filter { _, value in
                    Self.words(value).contains { $0.hasPrefix(prefix) }
                }.map(\.0))
        }
        let sql: String
        let parameters: [SQLValue]
        if SearchText.isAllCJK(text) {
            sql = columns.map { "instr(coalesce(\($0), ''), ?) > 0" }.joined(separator: " OR ")
            parameters = Array(repeating: .text(text), count: columns.count)
        } else {
            sql = columns.map { "coalesce(\($0), '') LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            parameters = Array(repeating: .text("%" + escaped + "%"), count: columns.count)
        }
        return Set(try db.query("SELECT id FROM articles WHERE \(sql)", parameters) { $0.int64(0) })
    }

    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if !SearchText.isCJK(scalar.value), scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private func oracle(_ query: SearchQuery, _ db: SQLiteConnection) throws -> Set<Int64> {
        var result: Set<Int64>?
        for group in query.groups {
            var any = Set<Int64>()
            for term in group { any.formUnion(try oracle(term, db)) }
            result = result.map { $0.intersection(any) } ?? any
        }
        var found = result ?? []
        for term in query.excluded { found.subtract(try oracle(term, db)) }
        return found
    }

    static let queries = [
        // one character, two, three and more; common, rare, absent; across word boundaries
        "台", "北", "息", "鳄", "台北", "降息", "北京", "北降", "王毅", "平台", "台海", "息息", "习近平", "欧盟要求",
        "近平台", "北京市", "台北台北",
        // Latin, numbers, mixed
        "NDTV", "ndtv", "T-Dome", "Dome", "climate", "CLIMATE", "COP28", "Taipei", "400亿美元", "亿美元", "5G", "AI",
        "G7", "EU", "ai", "s", "\"said climate\"", "\"台北 高雄\"",
        // several words, OR, NOT, fields
        "台北 习近平", "降息 NDTV", "台北 OR 降息", "NDTV OR 降息", "台北 -降息", "台北 NOT NDTV", "台 -北",
        "台北 OR 高雄 -选举", "title:台北", "title:climate", "title:台 降息", "author:王毅", "author:李明 台北",
        "author:Smith", "author:dome", "-author:李明 央行", "台北 OR title:climate", "EU OR G7 -AI", "。",
        "台北 。", "北京 OR 。", "台北 OR 台", "台 OR 降息 OR NDTV", "台 OR 鳄",
        // an excluded word inside every alternative of a required one (nothing can match), and near misses
        "台北 -台", "title:台北 -台", "台北 OR 台海 -台", "台北 OR NDTV -台", "-title:台 台北", "author:王毅 -王",
        "习近平 -近平", "台北 -台北", "title:台北 -title:台",
        // since v9 the trigram index holds the non-CJK text only: Latin substrings, and mixed words checked on the row
        "DTV", "ome", "e-Do", "OP2", "limat", "00亿美元", "0亿", "400亿", "28台", "Dome台北", "NDTV台", "AI台北", "台北AI",
        "美元400", "元T-Dome", "G7中国", "5G北京", "。台北", "台北。", "“台北”", "，NDTV", "title:400亿美元",
        "400亿美元 -台北", "台北 -400亿美元", "400亿美元 OR NDTV", "台北 OR 400亿美元", "400亿美元 OR 降息 -AI",
        "\"400亿美元 A股\"", "author:Anna",
        // an OR across indexes (no index answers the whole group: each alternative's index drives an arm), with other
        // words, exclusions and fields around it
        "美国 OR T-Dome", "台北 OR NDTV 中国", "NDTV OR 降息 -AI", "title:climate OR title:台北 经济",
        "台 OR NDTV", "台 OR Dome台北", "COP28 OR 400亿美元 OR 选举", "Dome台北 OR 台北AI", "AI OR climate 台北",
        "NDTV OR 鳄", "author:王毅 OR NDTV", "EU OR NDTV -台", "北 OR Taipei -title:台北", "\"said climate\" OR 欧盟",
        // a mixed word's count intersects its Latin form's candidates with its Chinese part's (one character: the
        // character index; more: the word index) before the rows are checked
        "COP28台", "title:28台", "title:400亿美元 美国", "400亿美元 NDTV", "5G北京 -台北", "NDTV台北 OR 降息", "G7中国 -AI",
        // an OR across indexes beside words another index answers: absorbed into each arm's MATCH or its conditions
        "美国 OR T-Dome 台北", "台北 美国 OR NDTV -选举", "习近平 台 OR NDTV", "NDTV OR 降息 台北 -AI", "COP28 EU OR 台北",
        "title:台北 AI OR climate", "400亿美元 台北 OR NDTV", "台北 OR NDTV 400亿美元 -高雄", "台北 OR NDTV 中国 OR AI",
        // an AND across indexes: the other index's rowids merged with the driver's (pages, counts), probed (the walk)
        "COP28 台北", "台北 climate -高雄", "台 Dome", "climate 台北 中国", "title:台北 Taipei", "台北 OR 高雄 said",
        "EU 台北 -AI", "said 台 -NDTV",
    ]

    func testEveryKindOfQueryFindsWhatABruteForceScanFinds() throws {
        let store = try ArticleStore(path: path)
        let articles = try fill(store, count: 400)
        XCTAssertEqual(articles.count, 400)
        let reader = try ArchiveReader(path: path)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        var nonEmpty = 0
        for text in Self.queries {
            let query = try SearchQuery(text)
            let expected = try oracle(query, db)
            if !expected.isEmpty { nonEmpty += 1 }
            for sort in SearchSort.allCases {
                let hits = try reader.search(query, sort: sort, limit: 1_000)
                XCTAssertEqual(Set(hits.map(\.article.id)), expected, "\(text) (\(sort))")
                XCTAssertEqual(hits.count, expected.count, "\(text) (\(sort)): each article once")
                if sort == .date {
                    let published = hits.compactMap(\.article.publishedAt)
                    XCTAssertEqual(published, published.sorted(by: >), "\(text): newest first")
                }
            }
            XCTAssertEqual(try reader.searchCount(query), expected.count, text)
            // The date sort's other plan (walking the publication-time index) finds the same page.
            let walked = try reader.search(query, sort: .date, limit: 1_000, dateWalkThreshold: 0)
            XCTAssertEqual(Set(walked.map(\.article.id)), expected, "\(text) (date, walking)")
            // Relevance past the ranking cut-off (more matches than a page): matches only, each once, and the second
            // page continues the first.
            let unranked = try reader.search(query, limit: 14, dateWalkThreshold: 0, rankedCandidates: 0)
            XCTAssertTrue(Set(unranked.map(\.article.id)).isSubset(of: expected), "\(text) (unranked)")
            XCTAssertEqual(Set(unranked.map(\.article.id)).count, min(14, expected.count), "\(text) (unranked)")
            if expected.count > 14 {
                let first = try reader.search(query, limit: 7, dateWalkThreshold: 0, rankedCandidates: 0)
                let second = try reader.search(query, limit: 7, offset: 7, dateWalkThreshold: 0, rankedCandidates: 0)
                XCTAssertEqual((first + second).map(\.article.id), unranked.map(\.article.id), "\(text) (pages)")
            }
            let filter = SearchFilter(source: "rfi", since: "2018-01-01T00:00:00Z", until: "2023-01-01T00:00:00Z")
            let filtered = try db.query(
                """
                SELECT id FROM articles WHERE source = 'rfi' AND published_at >= '2018-01-01T00:00:00Z'
                AND published_at < '2023-01-01T00:00:00Z'
                """
            ) { $0.int64(0) }
            XCTAssertEqual(
                Set(try reader.search(query, filter: filter, limit: 1_000).map(\.article.id)),
                expected.intersection(filtered), "\(text) with filters")
        }
        XCTAssertGreaterThan(nonEmpty, Self.queries.count * 3 / 4, "the corpus holds most of the query words")
        // Spot checks that the oracle itself is not empty-handed where it must not be.
        XCTAssertGreaterThan(try oracle(try SearchQuery("台北"), db).count, 50)
        XCTAssertGreaterThan(try oracle(try SearchQuery("AI"), db).count, 10)
        XCTAssertGreaterThan(try oracle(try SearchQuery("400亿美元"), db).count, 10, "a mixed word")
        XCTAssertGreaterThan(try oracle(try SearchQuery("Dome台北"), db).count, 0, "a mixed word across pieces")
        XCTAssertGreaterThan(try oracle(try SearchQuery("ome"), db).count, 10, "a Latin substring")
        XCTAssertEqual(try oracle(try SearchQuery("鳄"), db).count, 0, "an absent character")
    }

    /// The plans behind the oracle's answers: an `OR` across indexes is a union of one arm per index (not a scan of
    /// the articles), a mixed word's count is narrowed by its Chinese part, and a single index drives what it can.
    func testCrossIndexOrsAreUnionsAndMixedWordsAreNarrowed() throws {
        _ = try ArticleStore(path: path)
        let reader = try ArchiveReader(path: path)
        let union = try reader.plan(try SearchQuery("美元 OR T-Dome -台北"), filter: SearchFilter())
        XCTAssertNil(union.driver)
        XCTAssertEqual(union.union.map(\.table).sorted(), ["articles_fts", "articles_search"])
        XCTAssertEqual(
            union.union.first { $0.table == "articles_fts" }?.checks.count, 1, "the exclusion: a condition of the arm")
        XCTAssertTrue(
            union.union.first { $0.table == "articles_search" }?.match.contains("NOT") ?? false,
            "the exclusion: inside the word index's MATCH")
        // With a word another index could drive, still a union: each arm takes the words its index answers into its
        // own MATCH, the others as its own conditions.
        let absorbed = try reader.plan(try SearchQuery("美元 OR T-Dome 台北"), filter: SearchFilter())
        XCTAssertNil(absorbed.driver)
        let words = absorbed.union.first { $0.table == "articles_search" }
        XCTAssertTrue(words?.match.contains("台北") ?? false, words?.match ?? "no word arm")
        XCTAssertEqual(words?.checks.count, 0)
        XCTAssertEqual(absorbed.union.first { $0.table == "articles_fts" }?.checks.count, 1)
        let characters = try reader.plan(try SearchQuery("台 OR NDTV"), filter: SearchFilter())
        XCTAssertEqual(characters.union.map(\.table).sorted(), ["articles_chars", "articles_fts"])
        let mixed = try reader.plan(try SearchQuery("COP OR 400亿美元"), filter: SearchFilter())
        XCTAssertEqual(mixed.union.count, 2, "the mixed word is an arm of its own, with its row check")
        XCTAssertEqual(mixed.union.first { !$0.checks.isEmpty }?.table, "articles_fts")
        let narrowed = try reader.plan(try SearchQuery("500亿"), filter: SearchFilter())
        XCTAssertEqual(narrowed.driver?.table, "articles_fts")
        XCTAssertEqual(narrowed.narrowing?.table, "articles_chars")
        XCTAssertEqual(
            try reader.plan(try SearchQuery("400亿美元"), filter: SearchFilter()).narrowing?.table, "articles_search")
        let across = try reader.plan(try SearchQuery("COP 美元"), filter: SearchFilter())
        XCTAssertEqual(across.driver?.table, "articles_search")
        XCTAssertEqual(across.intersected.map(\.table), ["articles_fts"], "COP: merged, not a condition")
        XCTAssertTrue(across.conditions.isEmpty)
        let single = try reader.plan(try SearchQuery("台北 OR 高雄"), filter: SearchFilter())
        XCTAssertEqual(single.driver?.table, "articles_search")
        XCTAssertTrue(single.union.isEmpty)
    }

    func testRelevanceRanksTitlesFirstAndPagesWithoutRepeats() throws {
        let store = try ArticleStore(path: path)
        _ = try fill(store, count: 200)
        let reader = try ArchiveReader(path: path)
        let query = try SearchQuery("台北")
        let all = try reader.search(query, limit: 1_000)
        XCTAssertGreaterThan(all.count, 40)
        let scores = all.compactMap(\.score)
        XCTAssertEqual(scores.count, all.count)
        XCTAssertEqual(scores, scores.sorted(), "best (lowest bm25) first")
        var paged: [Int64] = []
        for offset in stride(from: 0, to: all.count, by: 7) {
            paged += try reader.search(query, limit: 7, offset: offset).map(\.article.id)
        }
        XCTAssertEqual(paged, all.map(\.article.id))
        XCTAssertTrue(all.allSatisfy { $0.snippet.contains("[台北]") }, "snippets mark the query's characters")
        XCTAssertTrue(all.prefix(3).allSatisfy { $0.article.title.contains("台北") }, "title matches weigh most")
    }

    // MARK: - Sync by triggers

    private func wordCount(_ db: SQLiteConnection, _ match: String) throws -> Int {
        try db.scalarInt("SELECT count(*) FROM articles_search WHERE articles_search MATCH ?", [.text(match)])
    }

    func testTheWordIndexFollowsInsertsRevisionsAndPrunes() throws {
        let store = try ArticleStore(path: path)
        let first = Generated(
            title: "央行宣布降息", lead: "", body: "台北股市上涨。", authors: ["王毅"],
            published: "2023-01-01T00:00:00Z", source: "rfi")
        _ = try store.save(
            Self.record(first, 1), listingTimestamp: nil, fetchedAt: "2023-01-02T00:00:00Z",
            aliasByCanonical: false)
        let reader = try ArchiveReader(path: path)
        XCTAssertEqual(try reader.searchCount(try SearchQuery("降息")), 1, "indexed on insert")
        XCTAssertEqual(try reader.searchCount(try SearchQuery("author:王毅")), 1)

        // A revision: new text in, old text out.
        var revised = first
        revised.title = "央行维持利率"
        revised.body = "高雄股市下跌。"
        _ = try store.save(
            Self.record(revised, 1), listingTimestamp: nil, fetchedAt: "2023-01-03T00:00:00Z",
            aliasByCanonical: false)
        XCTAssertEqual(try store.withConnection { try $0.scalarInt("SELECT revision FROM articles") }, 2)
        XCTAssertEqual(try reader.searchCount(try SearchQuery("降息")), 0, "the old title is no longer found")
        XCTAssertEqual(try reader.searchCount(try SearchQuery("台北")), 0)
        XCTAssertEqual(try reader.searchCount(try SearchQuery("高雄")), 1, "the new body is")
        XCTAssertEqual(try reader.searchCount(try SearchQuery("利率")), 1)
        XCTAssertEqual(try reader.searchCount(try SearchQuery("率")), 1, "the character index follows the revision")
        XCTAssertEqual(try reader.searchCount(try SearchQuery("降")), 0)

        // A prune deletes it from the index.
        let second = Generated(
            title: "新闻", lead: "", body: "高雄港口", authors: [], published: "2025-01-01T00:00:00Z",
            source: "rfi")
        _ = try store.save(
            Self.record(second, 2), listingTimestamp: nil, fetchedAt: "2025-01-02T00:00:00Z",
            aliasByCanonical: false)
        XCTAssertEqual(try reader.searchCount(try SearchQuery("高雄")), 2)
        let pruned = try store.prune(
            source: "rfi", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z",
            reason: "keepDays 30")
        XCTAssertEqual(pruned.articles, 1)
        XCTAssertEqual(try reader.searchCount(try SearchQuery("高雄")), 1)
        try store.withConnection { db in
            XCTAssertEqual(try self.wordCount(db, "\"利率\""), 0, "no row left in the index for the pruned article")
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM articles_search_docsize"), 1)
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM articles_chars_docsize"), 1)
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_chars WHERE articles_chars MATCH '\"率\"'"), 0)
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_chars WHERE articles_chars MATCH '\"港\"'"), 1)
            try db.execute("INSERT INTO articles_search(articles_search) VALUES ('integrity-check')")
            try db.execute("INSERT INTO articles_chars(articles_chars) VALUES ('integrity-check')")
        }
    }

    // MARK: - The v5 migration

    func testAVersion4DatabaseWithArticlesGainsTheWordIndexAndAnswersShortWords() throws {
        let articles = Self.corpus(count: 150)
        do {
            let db = try SQLiteConnection(path: path)
            _ = try db.scalarText("PRAGMA journal_mode = WAL")
            try Migrations.migrate(db, upTo: 4)
            XCTAssertEqual(try db.userVersion, 4)
            for (n, article) in articles.enumerated() {
                try db.run(
                    """
                    INSERT INTO articles (source, url, title, authors, published_at, first_seen_at, fetched_at, lead,
                                          body_html, body_text, content_hash)
                    VALUES (?, ?, ?, ?, ?, 'f', 'f', ?, '<p></p>', ?, ?)
                    """,
                    [
                        .text(article.source), .text("https://example.com/\(n)"), .text(article.title),
                        .text(Self.json(article.authors)), .text(article.published), .text(article.lead),
                        .text(article.body), .text("h\(n)"),
                    ])
            }
            XCTAssertThrowsError(try db.scalarInt("SELECT count(*) FROM articles_search"), "no word index at v4")
        }
        XCTAssertThrowsError(try ArchiveReader(path: path), "a reader cannot migrate")
        let store = try ArticleStore(path: path)
        XCTAssertEqual(try store.schemaVersion, ArticleStore.supportedSchemaVersion)
        try store.withConnection { db in
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_search_docsize"), 150, "every article indexed")
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM articles_chars_docsize"), 150)
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM search_index_build"), 0, "the build is finished")
        }
        let reader = try ArchiveReader(path: path)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        for text in ["降息", "台北", "台", "习近平", "author:王毅", "AI", "NDTV OR 降息"] {
            let query = try SearchQuery(text)
            let expected = try oracle(query, db)
            XCTAssertFalse(expected.isEmpty, text)
            XCTAssertEqual(Set(try reader.search(query, limit: 1_000).map(\.article.id)), expected, text)
        }
    }

    /// A v8 database with articles (its trigram index over the whole text) migrated to v9: the trigram index is
    /// rebuilt over the non-CJK text, a Latin `MATCH` on it finds what it found before, a Chinese one nothing, and
    /// `herald search` finds Latin, Chinese and mixed words as the brute-force scan does.
    func testAVersion8DatabaseMigratesItsTrigramIndexToTheNonChineseText() throws {
        let articles = Self.corpus(count: 150)
        let latinMatches: [String: Int]
        do {
            let db = try SQLiteConnection(path: path)
            _ = try db.scalarText("PRAGMA journal_mode = WAL")
            try Migrations.migrate(db, upTo: 8)
            XCTAssertEqual(try db.userVersion, 8)
            for (n, article) in articles.enumerated() {
                try db.run(
                    """
                    INSERT INTO articles (source, url, title, authors, published_at, first_seen_at, fetched_at, lead,
                                          body_html, body_text, content_hash)
                    VALUES (?, ?, ?, ?, ?, 'f', 'f', ?, '<p></p>', ?, ?)
                    """,
                    [
                        .text(article.source), .text("https://example.com/\(n)"), .text(article.title),
                        .text(Self.json(article.authors)), .text(article.published), .text(article.lead),
                        .text(article.body), .text("h\(n)"),
                    ])
            }
            XCTAssertGreaterThan(
                try db.scalarInt("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"习近平\"'"), 0,
                "v8 indexes Chinese in the trigram table")
            var counts: [String: Int] = [:]
            for word in ["T-Dome", "NDTV", "COP28", "climate", "Dome"] {
                counts[word] = try db.scalarInt(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                    [.text("\"" + word + "\"")])
                XCTAssertGreaterThan(counts[word] ?? 0, 0, word)
            }
            latinMatches = counts
        }
        let store = try ArticleStore(path: path)
        XCTAssertEqual(try store.schemaVersion, ArticleStore.supportedSchemaVersion)
        try store.withConnection { db in
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_fts_docsize"), 150, "every article re-indexed")
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM search_index_build"), 0, "the build is finished")
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"习近平\"'"), 0,
                "no Chinese in the trigram table since v9")
            for (word, count) in latinMatches {
                XCTAssertEqual(
                    try db.scalarInt(
                        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                        [.text("\"" + word + "\"")]), count, "\(word): the same MATCH finds the same")
            }
            try db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        }
        let reader = try ArchiveReader(path: path)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        for text in ["T-Dome", "NDTV", "400亿美元", "00亿", "Dome台北", "习近平", "降息", "title:400亿美元"] {
            let query = try SearchQuery(text)
            let expected = try oracle(query, db)
            XCTAssertFalse(expected.isEmpty, text)
            XCTAssertEqual(Set(try reader.search(query, limit: 1_000).map(\.article.id)), expected, text)
            XCTAssertEqual(try reader.searchCount(query), expected.count, text)
        }
    }

    /// `herald_latin_text` (the UTF-8 path the triggers take) gives byte for byte what `SearchText.latin` gives: the
    /// trigram index's 'delete' recomputes it from the old row, so the two must never differ.
    func testTheLatinFormIsTheSameOnBothPathsAndMarksEachChineseRunOnce() throws {
        XCTAssertEqual(SearchText.latin("台湾T-Dome防空系统"), "\u{1}T-Dome\u{1}")
        XCTAssertEqual(SearchText.latin("400亿美元 NDTV报道。"), "400\u{1} NDTV\u{1}。")
        XCTAssertEqual(SearchText.latin("no Chinese"), "no Chinese")
        _ = try ArticleStore(path: path)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        let samples = Self.corpus(count: 60).flatMap { [$0.title, $0.lead, $0.body] } + ["", "é🙂台", "かなカナ한글A"]
        XCTAssertGreaterThan(samples.count, 100)
        for text in samples {
            XCTAssertEqual(
                try db.scalarText("SELECT herald_latin_text(?)", [.text(text)]), SearchText.latin(text), text)
        }
    }

    static func json(_ list: [String]) -> String {
        "[" + list.map { "\"" + $0 + "\"" }.joined(separator: ",") + "]"
    }

    func testAnInterruptedBuildResumesWhereItStoppedAndMissesNothing() throws {
        let store = try ArticleStore(path: path)
        _ = try fill(store, count: 120)
        let everything = try store.withConnection { try $0.scalarInt("SELECT count(*) FROM articles_search_docsize") }
        XCTAssertEqual(everything, 120)
        // The state a build killed after id 50 leaves: ids 51...120 not indexed, the marker at 50.
        try store.withConnection { db in
            try db.writeTransaction {
                try db.run(
                    """
                    INSERT INTO articles_search(articles_search, rowid, title, lead, body_text, authors)
                    SELECT 'delete', id, herald_search_text(title), herald_search_text(lead),
                           herald_search_text(body_text), herald_search_text(authors) FROM articles WHERE id > 50
                    """)
                try db.run(
                    """
                    INSERT INTO articles_chars(articles_chars, rowid, chars)
                    SELECT 'delete', id, herald_search_chars(title, lead, body_text) FROM articles WHERE id > 50
                    """)
                try db.run(
                    """
                    INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)
                    SELECT 'delete', id, herald_latin_text(title), herald_latin_text(lead), herald_latin_text(body_text)
                    FROM articles WHERE id > 50
                    """)
                try db.run(
                    "CREATE TABLE IF NOT EXISTS search_index_build (id INTEGER PRIMARY KEY CHECK (id = 1), "
                        + "done_through INTEGER NOT NULL, until INTEGER NOT NULL)")
                try db.run("INSERT INTO search_index_build VALUES (1, 50, 120)")
            }
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM articles_search_docsize"), 50)
            XCTAssertThrowsError(try ArchiveReader(path: path).search(try SearchQuery("台北"))) { error in
                guard case .searchIndexBuilding? = error as? ArchiveError else { return XCTFail("\(error)") }
            }
            // Writes while the build is pending: a revision of an unindexed article, a delete of another, a new one.
            try db.run("UPDATE articles SET title = '独家新闻 ' || title WHERE id = 60")
            try db.run("DELETE FROM articles WHERE id = 70")
            try db.run("DELETE FROM articles WHERE id = 10")
        }
        _ = try store.save(
            Self.record(Self.corpus(count: 1, seed: 7)[0], 999), listingTimestamp: nil,
            fetchedAt: "2025-02-01T00:00:00Z", aliasByCanonical: false)
        var reports: [String] = []
        try store.withConnection { db in
            try SearchIndexBuild.resume(db, batch: 16, progress: { reports.append($0) })
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM search_index_build"), 0)
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_search_docsize"),
                try db.scalarInt("SELECT count(*) FROM articles"), "each article indexed once")
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM articles"), 119)
            XCTAssertEqual(try self.wordCount(db, "\"独家\""), 1, "the revised one, once")
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_chars_docsize"),
                try db.scalarInt("SELECT count(*) FROM articles"))
            try db.execute("INSERT INTO articles_search(articles_search) VALUES ('integrity-check')")
            try db.execute("INSERT INTO articles_chars(articles_chars) VALUES ('integrity-check')")
            XCTAssertEqual(
                try db.scalarInt("SELECT count(*) FROM articles_fts_docsize"),
                try db.scalarInt("SELECT count(*) FROM articles"), "the v9 trigram index too")
            try db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        }
        let reader = try ArchiveReader(path: path)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        for text in ["台北", "降息", "台", "NDTV", "T-Dome", "400亿美元", "Dome台北"] {
            let query = try SearchQuery(text)
            let expected = try oracle(query, db)
            XCTAssertFalse(expected.isEmpty, text)
            XCTAssertEqual(Set(try reader.search(query, limit: 1_000).map(\.article.id)), expected, text)
        }
    }

    // MARK: - sqlite3 and Datasette

    /// Datasette 0.65's `detect_fts_sql` (datasette/utils/__init__.py), with its parameters, applied to our schema:
    /// the table it picks for `/herald/articles?_search=` is the word index, and its `escape_fts` form of a
    /// two-character word (`"降息"`) matches there.
    func testDatasetteDetectsTheWordIndexAndItsEscapedTwoCharacterQueryMatches() throws {
        let store = try ArticleStore(path: path)
        _ = try fill(store, count: 100)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        let detected = try db.query(
            """
            select name from sqlite_master
                where rootpage = 0
                and (
                    sql like ?1 escape char(92)
                    or sql like ?2 escape char(92)
                    or (
                        tbl_name = ?3
                        and sql like '%VIRTUAL TABLE%USING FTS%'
                    )
                )
            """,
            [
                .text("%VIRTUAL TABLE%USING FTS%content=\"articles\"%"),
                .text("%VIRTUAL TABLE%USING FTS%content=[articles]%"), .text("articles"),
            ]
        ) { $0.text(0) ?? "" }
        XCTAssertEqual(detected.first, "articles_search")
        for word in ["降息", "台北", "王毅"] {
            // Datasette's escape_fts("降息") is "降息" in double quotes; its search is `rowid in (select rowid …)`.
            let found = try db.scalarInt(
                """
                SELECT count(*) FROM articles WHERE rowid IN
                    (SELECT rowid FROM articles_search WHERE articles_search MATCH ?)
                """, [.text("\"\(word)\"")])
            // Datasette searches every column of the index, authors too.
            XCTAssertEqual(
                found,
                try db.scalarInt(
                    """
                    SELECT count(*) FROM articles WHERE instr(title, ?1) OR instr(lead, ?1) OR instr(body_text, ?1)
                        OR instr(authors, ?1)
                    """, [.text(word)]), word)
            XCTAssertGreaterThan(found, 0, word)
        }
        // The forms docs/schema.md gives for sqlite3: a longer word as a phrase of pairs, one character as a prefix.
        XCTAssertEqual(
            try db.scalarInt("SELECT count(*) FROM articles_search WHERE articles_search MATCH '\"习近 近平\"'"),
            try oracle(try SearchQuery("习近平"), db).count)
        XCTAssertEqual(
            try db.scalarInt("SELECT count(*) FROM articles_search WHERE articles_search MATCH '\"台\"*'"),
            try oracle(try SearchQuery("台"), db).count)
    }
}
