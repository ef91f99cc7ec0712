import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldParse

/// Article links by the page's structure (no linkPattern): the URL families of real news sites, mixed with
/// navigation, topic, tag, author, login and paging links.
final class StructuralLinkTests: XCTestCase {
    private let generic = try! ListingExtractor(kind: .html, profile: .generic, linkPattern: nil, fullText: false)

    func testEveryURLFamilyHomepageYieldsExactlyItsArticles() throws {
        let families = try DiscoverySites.standard().families()
        XCTAssertGreaterThanOrEqual(families.count, 6)
        for family in families {
            XCTAssertFalse(family.articles.isEmpty, family.name)
            let listing = try generic.extract(
                body: try DiscoverySites.standard().bytes(family.file),
                contentType: "text/html", url: family.url)
            XCTAssertEqual(Set(listing.links.map(\.url)), Set(family.articles), family.name)
        }
    }

    func testTheRFIFixtureHomepageGivesEveryArticleAndNoNavigationWithTheGenericProfile() throws {
        let entry = try XCTUnwrap(try Fixtures.json("expected/listings.json")["/cn/"] as? [String: Any])
        let expected = try XCTUnwrap(entry["articles"] as? [String])
        XCTAssertFalse(expected.isEmpty)
        let disallowed = Set(entry["robots_disallowed"] as? [String] ?? [])
        let listing = try generic.extract(
            body: try Fixtures.bytes(entry["file"] as! String), contentType: nil,
            url: Fixtures.origin + "/cn/")
        let paths = listing.links.map(\.url.pathOfURL)
        XCTAssertEqual(Set(expected).subtracting(paths), [], "every article of the homepage")
        // The rest are article pages too: robots-forbidden ones (the crawl drops them) and the zh-Hant copies.
        for path in paths where !expected.contains(path) {
            XCTAssertTrue(disallowed.contains(path) || path.hasPrefix("/tw/"), "not an article: \(path)")
        }
    }

    func testTheRFIProfileReadsTheRollingNewsBoxEvenForWiresListedNowhereElse() throws {
        let html = """
            <html><body><main>
            <div class="m-item-list-article"><a data-article-item-link href="/cn/中国/20240603-slug-one">一</a></div>
            <aside class="o-aside-content--news-feed"><ol><li><div class="m-item-news-feed">
              <time datetime="2024-06-03T10:00:00+02:00">10:00</time>
              <div class="news__content__title"><a href="/cn/国际报道/20240603-afp-wire">法新社快讯标题</a></div>
            </div></li></ol></aside>
            <a href="/cn/中国/">中国</a>
            </main></body></html>
            """
        let rfi = try ListingExtractor(kind: .html, profile: .rfi, linkPattern: nil, fullText: false)
        let listing = try rfi.extract(body: Array(html.utf8), contentType: "text/html", url: "https://www.rfi.fr/cn/")
        XCTAssertEqual(
            listing.links.map(\.url),
            [
                "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20240603-slug-one",
                "https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85%E6%8A%A5%E9%81%93/20240603-afp-wire",
            ])
        XCTAssertEqual(listing.links[1].timestamp, Timestamp.parse("2024-06-03T08:00:00Z"))
    }

    func testURLTemplatesNameItemsNotDatesOrWords() throws {
        func template(_ url: String) throws -> URLTemplate { try XCTUnwrap(URLTemplate(url: url)) }
        XCTAssertEqual(
            try template("https://www.bbc.com/zhongwen/articles/c4n8g5y0lp2o/simp").key,
            "/zhongwen/articles/{id}/simp")
        XCTAssertEqual(
            try template("https://blog.example/2024/06/03/some-long-slug/").key,
            "/{yyyy}/{nn}/{nn}/{slug}/")
        XCTAssertEqual(try template("http://plain.example/?p=123").key, "/?p={n}")
        XCTAssertFalse(try template("https://blog.example/2024/06/").namesAnItem, "a month's archive")
        XCTAssertTrue(try template("https://www.example.com/tag/city-council-meeting/").hasNonArticleWord)
        XCTAssertTrue(
            try template("https://www.spiegel.de/impressum/autor-0ab8a756-0001-0003-0000-000000001562")
                .hasNonArticleWord)
        XCTAssertFalse(
            try template("https://www.t-online.de/digital/kolumne-nicole-d/id_101143766/a-story.html")
                .hasNonArticleWord, "a column's story is a story")
        XCTAssertEqual(
            try template("https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20231028-a-b").family,
            "/cn/*/{yyyymmdd}-{slug}")
        XCTAssertNil(URLTemplate(url: "https://www.example.com/photo.jpg"))
    }

    func testHeadlineLengthCountsCJKAsWords() {
        XCTAssertEqual(HeadlineLength.weighted("国际"), 6)
        XCTAssertEqual(HeadlineLength.weighted("Latest news"), 11)
        XCTAssertGreaterThanOrEqual(HeadlineLength.weighted("拜登在华盛顿会见王毅"), StructuralLinkFinder.headline)
    }

    func testSameSiteIsTheRegistrableDomain() {
        XCTAssertTrue(SameSite.matches("news.qq.com", "new.qq.com"))
        XCTAssertTrue(SameSite.matches("www.bbc.co.uk", "news.bbc.co.uk"))
        XCTAssertFalse(SameSite.matches("example.co.uk", "other.co.uk"))
        XCTAssertFalse(SameSite.matches("www.rfi.fr", "www.rfi.com"))
    }
}
