import HeraldArticle
import HeraldTestSupport
import HeraldTime
import XCTest

@testable import HeraldStore

/// The read side: listing, lookups and search through a read-only connection.
final class ArchiveReaderTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!
    private var path: String { folder.path("herald.db") }

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-reader")
        store = try ArticleStore(path: path)
        let articles: [(String, String, String, String)] = [
            // url suffix, title, body, published
            ("a", "拜登敦促中国合作 共同应对全球挑战", "美国总统拜登周五在白宫接见王毅。双方推动拜登与习近平下个月会谈。", "2023-10-28T09:52:00Z"),
            ("b", "央行宣布降息 市场反应平淡", "中国人民银行宣布降息，这是今年第二次降息。", "2024-03-01T08:00:00Z"),
            ("c", "台北举行大规模集会", "数万人在台北市中心集会。", "2024-05-20T12:00:00Z"),
            (
                "d", "COP climate talks stall",
                "Delegates at the COP summit said: \"no deal\" - yet (again) 50% agreed.", "2024-11-10T09:00:00Z"
            ),
            ("e", "法国总统访问北京", "马克龙在北京会见习近平，讨论贸易与气候。", "2025-01-15T06:30:00Z"),
        ]
        for (suffix, title, body, published) in articles {
            _ = try store.save(
                record(
                    suffix, title: title, body: body, published: Instant(text: published)!,
                    source: suffix == "e" ? "other" : "rfi"),
                listingTimestamp: nil, fetchedAt: "2025-02-01T00:00:00Z", aliasByCanonical: true)
        }
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func record(
        _ suffix: String, title: String, body: String, published: Instant,
        source: String = "rfi"
    ) -> ArticleRecord {
        ArticleRecord(
            source: source,
            article: Article(
                url: "https://example.com/\(suffix)",
                canonicalURL: "https://www.example.com/\(suffix)",
                contentID: "ID-\(suffix.uppercased())",
                title: title,
                authors: [],
                publishedAt: published,
                lead: "Lead \(suffix)",
                leadVerbatim: "Lead \(suffix)  ",
                tags: [],
                bodyHTML: "<p>\(body)</p>",
                bodyText: body),
            contentHash: "hash-\(suffix)-\(body)")
    }

    private func titles(_ hits: [SearchHit]) -> [String] { hits.map(\.article.title) }

    private func search(
        _ text: String, filter: SearchFilter = SearchFilter(), sort: SearchSort = .relevance,
        limit: Int = 20, offset: Int = 0
    ) throws -> [SearchHit] {
        try ArchiveReader(path: path).search(
            try SearchQuery(text), filter: filter, sort: sort, limit: limit,
            offset: offset)
    }

    func testAThreeCharacterChineseQueryUsesTheIndexAndRanksWithASnippet() throws {
        let hits = try search("习近平")
        XCTAssertEqual(Set(titles(hits)), ["拜登敦促中国合作 共同应对全球挑战", "法国总统访问北京"])
        XCTAssertTrue(hits.allSatisfy { $0.score != nil }, "ranked by bm25")
        XCTAssertTrue(hits.allSatisfy { $0.snippet.contains("[习近平]") }, hits.map(\.snippet).description)
    }

    func testOneAndTwoCharacterChineseQueriesUseTheWordIndex() throws {
        let cut = try search("降息")
        XCTAssertEqual(titles(cut), ["央行宣布降息 市场反应平淡"])
        XCTAssertNotNil(cut.first?.score, "the word index ranks two-character words too")
        XCTAssertTrue(cut.first?.snippet.contains("[降息]") ?? false, cut.first?.snippet ?? "")
        XCTAssertEqual(titles(try search("台北")), ["台北举行大规模集会"])
        XCTAssertEqual(titles(try search("北市")), ["台北举行大规模集会"], "a pair inside a longer word")
        // One character, and a short word together with a long one.
        XCTAssertEqual(titles(try search("央")), ["央行宣布降息 市场反应平淡"])
        XCTAssertEqual(Set(titles(try search("京"))), ["法国总统访问北京"])
        XCTAssertEqual(titles(try search("北京 习近平")), ["法国总统访问北京"])
        XCTAssertEqual(try search("降息 台北"), [], "every word is required")
        XCTAssertEqual(try search("息台"), [], "two characters that are never adjacent")
    }

    func testLatinWordsMatchWhateverTheirCase() throws {
        XCTAssertEqual(titles(try search("climate")), ["COP climate talks stall"])
        XCTAssertEqual(titles(try search("cop")), ["COP climate talks stall"])
        XCTAssertEqual(titles(try search("Co")), ["COP climate talks stall"], "short Latin: words beginning with it")
        XCTAssertEqual(try search("op"), [], "short Latin: the start of a word, not any substring")
        XCTAssertEqual(titles(try search("\"climate talks\"")), ["COP climate talks stall"])
        XCTAssertEqual(try search("\"talks climate\""), [], "a quoted phrase keeps its order")
    }

    func testSearchSyntaxCharactersAreTextAndSyntaxErrorsAreSentences() throws {
        for query in [
            "\"no deal\"", "said:", "(again)", "50%", "COP*", "- yet", "a OR b", "^x", "_", "\\",
            "col:umn", "NEAR(a b)", "{x}", "'quoted'", "台北 OR 习近平", "-", "title:", "\"AND\"", "or",
            "x\"y\"",
        ] {
            XCTAssertNoThrow(try search(query), query)
        }
        XCTAssertEqual(titles(try search("said:")), ["COP climate talks stall"])
        XCTAssertEqual(titles(try search("(again)")), ["COP climate talks stall"])
        XCTAssertEqual(titles(try search("50%")), ["COP climate talks stall"])
        XCTAssertEqual(titles(try search("- yet")), ["COP climate talks stall"])
        XCTAssertEqual(try search("COP*"), [], "* is text, not a prefix query")
        XCTAssertEqual(try search("NEAR(a b)"), [])
        XCTAssertThrowsError(try search("  \"\" ")) { error in
            guard case .emptyQuery? = error as? ArchiveError else { return XCTFail("\(error)") }
        }
        let errors: [String: String] = [
            "\"no deal": "unbalanced quote",
            "deal\" -": "unbalanced quote",
            "NOT deal": "every word is excluded",
            "-deal": "every word is excluded",
            "AND": "AND needs a word on each side",
            "deal AND": "AND needs a word on each side",
            "OR deal": "OR needs a word on each side",
            "deal OR": "OR needs a word on each side",
            "deal OR -talks": "cannot be part of an OR",
            "deal NOT": "NOT must be followed",
        ]
        for (query, sentence) in errors {
            XCTAssertThrowsError(try SearchQuery(query), query) { error in
                let description = (error as? SearchQueryError)?.description ?? ""
                XCTAssertTrue(description.contains(sentence), "\(query): \(description)")
            }
        }
    }

    func testQueriesBecomeGroupsOfTermsAndExclusions() throws {
        XCTAssertEqual(try SearchQuery("拜登  王毅").terms, ["拜登", "王毅"])
        XCTAssertEqual(try SearchQuery("\"White House\" 拜登").terms, ["White House", "拜登"])
        let query = try SearchQuery("台北 OR 高雄 -选举 NOT \"a b\" title:王毅 author:\"李 明\" AND x")
        typealias T = SearchQuery.Term
        XCTAssertEqual(
            query.groups, [[T("台北"), T("高雄")], [T("王毅", field: .title)], [T("李 明", field: .author)], [T("x")]])
        XCTAssertEqual(query.excluded, [T("选举"), T("a b")])
        XCTAssertEqual(try SearchQuery("or Not and").terms, ["or", "Not", "and"], "operators only in capitals")
        XCTAssertEqual(try SearchQuery("a\"b:c*\"").terms, ["a", "b:c*"])
    }

    func testFTSExpressionsQuoteEveryWord() throws {
        XCTAssertEqual(SearchText.phrase(for: "台北"), "\"台北\"")
        XCTAssertEqual(SearchText.phrase(for: "台"), "\"台\"*")
        XCTAssertEqual(SearchText.phrase(for: "习近平"), "\"习近 近平\"")
        XCTAssertEqual(SearchText.phrase(for: "A股"), "\"A 股\"*")
        XCTAssertEqual(SearchText.phrase(for: "股A"), "\"股 A\"*")
        XCTAssertEqual(SearchText.phrase(for: "台北\"x"), "\"台北 北 \"\"x\"*")
        XCTAssertNil(SearchText.phrase(for: "。"))
        XCTAssertEqual(SearchText.indexed("台北市长 T-Dome 400亿美元"), " 台北 北市 市长 长  T-Dome 400 亿美 美元 元 ")
        XCTAssertEqual(ArchiveReader.route(SearchQuery.Term("NDTV")), .trigram("\"NDTV\""))
        XCTAssertEqual(ArchiveReader.route(SearchQuery.Term("台")), .chars("\"台\""))
        XCTAssertEqual(ArchiveReader.route(SearchQuery.Term("台", field: .title)), .words("title : \"台\"*"))
        XCTAssertEqual(SearchText.characters(["台北市", "北京 A"]), "台 北 市 京")
        XCTAssertEqual(ArchiveReader.route(SearchQuery.Term("a\"b", field: .title)), .trigram("title : \"a\"\"b\""))
        XCTAssertEqual(ArchiveReader.route(SearchQuery.Term("王毅", field: .author)), .words("authors : \"王毅\""))
        XCTAssertEqual(ArchiveReader.route(SearchQuery.Term("王毅")), .words("{title lead body_text} : \"王毅\""))
        // An excluded Chinese word inside every alternative of a required one: nothing can match, no index is asked.
        for text in ["台北 -台", "title:台北 -台", "台北 OR 台海 -台", "习近平 -近平", "title:台北 -title:台"] {
            XCTAssertTrue(ArchiveReader.excludesEveryMatch(try SearchQuery(text)), text)
        }
        for text in ["台北 OR NDTV -台", "-title:台 台北", "author:王毅 -王", "台北 -北京", "Taipei -T", "台北 -author:台"] {
            XCTAssertFalse(ArchiveReader.excludesEveryMatch(try SearchQuery(text)), text)
        }
    }

    /// The SQL functions work on UTF-8 bytes (speed); the index's 'delete' needs their output to be byte for byte what
    /// the String transforms give, for valid text and for invalid bytes (which both read as U+FFFD) alike.
    func testTheSQLFunctionsGiveExactlyTheStringTransformsBytes() throws {
        var inputs: [[UInt8]] = [
            "", "台北市长 T-Dome 400亿美元", "台", "a台b北", "“台北”。\n王毅 said", "é𠀀𠀁x😀台😀",
            "\u{0}台\u{0}北",
        ].map { Array($0.utf8) }
        inputs += [
            [0xFF], [0xE5, 0x8F], [0xE5, 0x8F, 0xB0, 0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE5, 0x8F, 0xB0, 0xE5, 0x8C], [0xF0, 0x80, 0x80, 0x80, 0xE5, 0x8F, 0xB0],
        ]
        var state: UInt64 = 7
        let pieces = SearchIndexTests.pieces.map { Array($0.utf8) } + [[0x80], [0xE5], [0xF0, 0xA0]]
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            inputs.append(bytes)
        }
        XCTAssertGreaterThan(inputs.count, 300)
        func hex(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }
        let db = try SQLiteConnection(path: ":memory:")
        for input in inputs {
            let text = String(decoding: input, as: UTF8.self)
            let reversed = Array(input.reversed())
            XCTAssertEqual(
                try db.scalarText("SELECT hex(herald_search_text(CAST(?1 AS TEXT)))", [.blob(input)]),
                hex(SearchText.indexed(text)), "herald_search_text of \(input)")
            XCTAssertEqual(
                try db.scalarText(
                    "SELECT hex(herald_search_chars(CAST(?1 AS TEXT), NULL, CAST(?2 AS TEXT)))",
                    [.blob(input), .blob(reversed)]),
                hex(SearchText.characters([text, String(decoding: reversed, as: UTF8.self)])),
                "herald_search_chars of \(input)")
        }
    }

    func testSearchFiltersBySourceDateAndPages() throws {
        XCTAssertEqual(titles(try search("习近平", filter: SearchFilter(source: "other"))), ["法国总统访问北京"])
        XCTAssertEqual(titles(try search("北", filter: SearchFilter(source: "rfi"))), ["台北举行大规模集会"])
        XCTAssertEqual(titles(try search("习近平", filter: SearchFilter(since: "2024-01-01T00:00:00Z"))), ["法国总统访问北京"])
        XCTAssertEqual(
            titles(try search("习近平", filter: SearchFilter(until: "2024-01-01T00:00:00Z"))),
            ["拜登敦促中国合作 共同应对全球挑战"])
        XCTAssertEqual(titles(try search("习近平", sort: .date)), ["法国总统访问北京", "拜登敦促中国合作 共同应对全球挑战"])
        let all = try search("。")
        XCTAssertEqual(all.count, 4)
        let page1 = try search("。", limit: 2)
        let page2 = try search("。", limit: 2, offset: 2)
        XCTAssertEqual(titles(page1) + titles(page2), titles(all), "scan results come newest first, paged")
        XCTAssertEqual(try ArchiveReader(path: path).searchCount(try SearchQuery("。")), 4)
        XCTAssertEqual(try ArchiveReader(path: path).searchCount(try SearchQuery("习近平 OR 降息")), 3)
    }

    func testArticlesAreListedNewestFirstAndFound() throws {
        let reader = try ArchiveReader(path: path)
        XCTAssertEqual(try reader.articles().map(\.title).first, "法国总统访问北京")
        XCTAssertEqual(
            try reader.articles(source: "rfi", since: "2024-03-01T00:00:00Z").map(\.title),
            ["COP climate talks stall", "台北举行大规模集会", "央行宣布降息 市场反应平淡"])
        XCTAssertEqual(try reader.articles(limit: 2, offset: 1).count, 2)
        XCTAssertEqual(try reader.sources(), ["other", "rfi"])
        let byURL = try XCTUnwrap(try reader.article(matching: "https://example.com/b"))
        XCTAssertEqual(try reader.article(matching: "https://www.example.com/b")?.id, byURL.id, "canonical URL")
        XCTAssertEqual(try reader.article(matching: "ID-B")?.id, byURL.id, "content id")
        XCTAssertEqual(try reader.article(matching: String(byURL.id))?.url, "https://example.com/b")
        XCTAssertNil(try reader.article(matching: "https://example.com/none"))
        XCTAssertEqual(byURL.leadVerbatim, "Lead b  ")
        XCTAssertEqual(byURL.lead, "Lead b")
        XCTAssertEqual(try reader.revisions(articleID: byURL.id).map(\.revision), [1])
    }

    func testTheReaderIsReadOnlyAndSeesWritesMadeAfterItOpened() throws {
        let reader = try ArchiveReader(path: path)
        XCTAssertEqual(try reader.articles(limit: 100).count, 5)
        _ = try store.save(
            record("f", title: "新文章", body: "新内容", published: "2025-02-01T00:00:00Z"),
            listingTimestamp: nil, fetchedAt: "2025-02-01T00:00:00Z", aliasByCanonical: true)
        XCTAssertEqual(try reader.articles(limit: 100).count, 6)
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        XCTAssertThrowsError(try connection.execute("DELETE FROM articles"))
        XCTAssertThrowsError(try ArchiveReader(path: folder.path("missing.db"))) { error in
            guard case ArchiveError.missing = error else { return XCTFail("\(error)") }
        }
    }
}
