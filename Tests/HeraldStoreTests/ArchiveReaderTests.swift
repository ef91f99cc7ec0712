import HeraldStore
import HeraldTestSupport
import XCTest

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
            ("d", "COP climate talks stall", "Delegates at the COP summit said: \"no deal\" - yet (again) 50% agreed.", "2024-11-10T09:00:00Z"),
            ("e", "法国总统访问北京", "马克龙在北京会见习近平，讨论贸易与气候。", "2025-01-15T06:30:00Z"),
        ]
        for (suffix, title, body, published) in articles {
            _ = try store.save(record(suffix, title: title, body: body, published: published, source: suffix == "e" ? "other" : "rfi"),
                               listingTimestamp: nil, fetchedAt: "2025-02-01T00:00:00Z", aliasByCanonical: true)
        }
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func record(_ suffix: String, title: String, body: String, published: String,
                        source: String = "rfi") -> ArticleRecord {
        ArticleRecord(source: source, url: "https://example.com/\(suffix)", canonicalURL: "https://www.example.com/\(suffix)",
                      contentID: "ID-\(suffix.uppercased())", title: title, section: nil, authors: [],
                      publishedAt: published, modifiedAt: nil, lead: "Lead \(suffix)", imageURL: nil,
                      imageCaption: nil, bodyHTML: "<p>\(body)</p>", bodyText: body, tags: [],
                      contentHash: "hash-\(suffix)-\(body)", leadVerbatim: "Lead \(suffix)  ")
    }

    private func titles(_ hits: [SearchHit]) -> [String] { hits.map(\.article.title) }

    func testAThreeCharacterChineseQueryUsesTheIndexAndRanksWithASnippet() throws {
        let reader = try ArchiveReader(path: path)
        let hits = try reader.search(SearchQuery("习近平"))
        XCTAssertEqual(Set(titles(hits)), ["拜登敦促中国合作 共同应对全球挑战", "法国总统访问北京"])
        XCTAssertTrue(hits.allSatisfy { $0.score != nil }, "ranked by bm25")
        XCTAssertTrue(hits.allSatisfy { $0.snippet.contains("[习近平]") }, hits.map(\.snippet).description)
    }

    func testTwoCharacterChineseQueriesFallBackToAScanAndStillFindTheArticles() throws {
        let reader = try ArchiveReader(path: path)
        let cut = try reader.search(SearchQuery("降息"))
        XCTAssertEqual(titles(cut), ["央行宣布降息 市场反应平淡"])
        XCTAssertNil(cut.first?.score, "a scan has no bm25 score")
        XCTAssertTrue(cut.first?.snippet.contains("[降息]") ?? false, cut.first?.snippet ?? "")
        XCTAssertEqual(titles(try reader.search(SearchQuery("台北"))), ["台北举行大规模集会"])
        // One character, and a short word together with an indexed one.
        XCTAssertEqual(titles(try reader.search(SearchQuery("央"))), ["央行宣布降息 市场反应平淡"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("北京 习近平"))), ["法国总统访问北京"])
        XCTAssertEqual(try reader.search(SearchQuery("降息 台北")), [], "every word is required")
    }

    func testLatinWordsMatchWhateverTheirCase() throws {
        let reader = try ArchiveReader(path: path)
        XCTAssertEqual(titles(try reader.search(SearchQuery("climate"))), ["COP climate talks stall"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("cop"))), ["COP climate talks stall"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("Co"))), ["COP climate talks stall"], "short Latin: LIKE")
        XCTAssertEqual(titles(try reader.search(SearchQuery("\"climate talks\""))), ["COP climate talks stall"])
        XCTAssertEqual(try reader.search(SearchQuery("\"talks climate\"")), [], "a quoted phrase keeps its order")
    }

    func testQueriesWithSearchSyntaxCharactersAreSearchedAsTextAndNeverFail() throws {
        let reader = try ArchiveReader(path: path)
        for query in ["\"no deal\"", "\"no", "deal\" -", "said:", "(again)", "50%", "COP*", "- yet", "NOT deal",
                      "a OR b", "AND", "^x", "_", "\\", "col:umn", "NEAR(a b)", "{x}", "'quoted'"] {
            XCTAssertNoThrow(try reader.search(SearchQuery(query)), query)
        }
        XCTAssertEqual(titles(try reader.search(SearchQuery("said:"))), ["COP climate talks stall"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("(again)"))), ["COP climate talks stall"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("50%"))), ["COP climate talks stall"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("- yet"))), ["COP climate talks stall"])
        XCTAssertEqual(try reader.search(SearchQuery("5_")), [], "_ is not a LIKE wildcard here")
        XCTAssertEqual(try reader.search(SearchQuery("COP*")), [], "* is text, not a prefix query")
        XCTAssertThrowsError(try reader.search(SearchQuery("  \"\" ")))
    }

    func testQueriesBecomeTermsAndQuotedPhrases() {
        XCTAssertEqual(SearchQuery("拜登  王毅").terms, ["拜登", "王毅"])
        XCTAssertEqual(SearchQuery("\"White House\" 拜登").terms, ["White House", "拜登"])
        XCTAssertEqual(SearchQuery("say \"a\"\"b").terms, ["say", "a", "b"])
        XCTAssertEqual(SearchQuery("习近平 台北").indexedTerms, ["习近平"])
        XCTAssertEqual(SearchQuery("习近平 台北").shortTerms, ["台北"])
        XCTAssertEqual(SearchQuery("a\"b:c*").matchExpression, "\"b:c*\"")
        XCTAssertEqual(SearchQuery("\"x y z\" 习近平 台北").matchExpression, "\"x y z\" AND \"习近平\"")
        XCTAssertEqual(SearchQuery("OR(x)").matchExpression, "\"OR(x)\"")
    }

    func testSearchFiltersBySourceAndPages() throws {
        let reader = try ArchiveReader(path: path)
        XCTAssertEqual(titles(try reader.search(SearchQuery("习近平"), source: "other")), ["法国总统访问北京"])
        XCTAssertEqual(titles(try reader.search(SearchQuery("北"), source: "rfi")), ["台北举行大规模集会"])
        let all = try reader.search(SearchQuery("。"))
        XCTAssertEqual(all.count, 4)
        let page1 = try reader.search(SearchQuery("。"), limit: 2)
        let page2 = try reader.search(SearchQuery("。"), limit: 2, offset: 2)
        XCTAssertEqual(titles(page1) + titles(page2), titles(all), "short-term results come newest first, paged")
    }

    func testArticlesAreListedNewestFirstAndFound() throws {
        let reader = try ArchiveReader(path: path)
        XCTAssertEqual(try reader.articles().map(\.title).first, "法国总统访问北京")
        XCTAssertEqual(try reader.articles(source: "rfi", since: "2024-03-01T00:00:00Z").map(\.title),
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
        _ = try store.save(record("f", title: "新文章", body: "新内容", published: "2025-02-01T00:00:00Z"),
                           listingTimestamp: nil, fetchedAt: "2025-02-01T00:00:00Z", aliasByCanonical: true)
        XCTAssertEqual(try reader.articles(limit: 100).count, 6)
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        XCTAssertThrowsError(try connection.execute("DELETE FROM articles"))
        XCTAssertThrowsError(try ArchiveReader(path: folder.path("missing.db"))) { error in
            guard case ArchiveError.missing = error else { return XCTFail("\(error)") }
        }
    }
}
