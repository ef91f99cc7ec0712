import HeraldStore
import HeraldTestSupport
import XCTest

/// What keeps the store fast on a big database (docs/benchmarks.md, "Scale of the store"): the seen check is
/// answered by a covering index without reading article rows.
final class StoreAtScaleTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-store-scale")
        store = try ArticleStore(path: folder.path("herald.db"))
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func save(_ url: String) throws {
        let record = ArticleRecord(source: "test", url: url, canonicalURL: url, contentID: nil, title: "T \(url)",
                                   section: nil, authors: [], publishedAt: "2023-10-28T09:52:00Z", modifiedAt: nil,
                                   lead: nil, imageURL: nil, imageCaption: nil, bodyHTML: "<p>\(url)</p>",
                                   bodyText: url, tags: [], contentHash: "hash-\(url)")
        _ = try store.save(record, listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
    }

    func testTheSeenCheckIsAnsweredFromTheCoveringIndex() throws {
        try save("https://example.com/1")
        let plan = try store.withConnection { db in
            try db.query("""
                EXPLAIN QUERY PLAN SELECT id, url, published_at, modified_at, listing_timestamp, content_hash, revision
                FROM articles INDEXED BY articles_seen WHERE url = ?
                """, [.text("https://example.com/1")]) { $0.text(3) ?? "" }
        }
        XCTAssertEqual(plan.count, 1)
        XCTAssertTrue(plan[0].contains("COVERING INDEX articles_seen"), plan[0])
        guard case let .stored(stored) = try store.linkState(url: "https://example.com/1") else { return XCTFail() }
        XCTAssertEqual(stored.contentHash, "hash-https://example.com/1")
        XCTAssertEqual(stored.revision, 1)
    }
}
