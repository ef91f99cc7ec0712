import Foundation
import HeraldTestSupport
import HeraldTime
import XCTest

@testable import HeraldParse
@testable import HeraldURL

/// Every listing of `expected/listings.json` (site sections, homepage, hostile listings) through the `rfi` profile.
final class ListingFixtureTests: XCTestCase {
    private let extractor = try! ListingExtractor(kind: .html, profile: .rfi, linkPattern: nil, fullText: false)

    /// Listing path → expected entry.
    private func expectedListings() throws -> [String: [String: Any]] {
        try Fixtures.json("expected/listings.json") as! [String: [String: Any]]
    }

    /// Article path → published instant, from the manifest.
    private func publishedByPath() throws -> [String: Instant] {
        let index = try Fixtures.json("expected/manifest.json")["article_index"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: index.map { ($0["path"] as! String, Fixtures.date($0["published"])!) })
    }

    private func extract(_ path: String, _ entry: [String: Any]) throws -> Listing {
        try extractor.extract(
            body: try Fixtures.bytes(entry["file"] as! String), contentType: "text/html",
            url: Fixtures.origin + path)
    }

    func testEveryListingYieldsTheExpectedArticlePathsInOrderAndItsNextPage() throws {
        let listings = try expectedListings()
        XCTAssertEqual(listings.count, 20)
        for (path, entry) in listings {
            let listing = try extract(path, entry)
            // Robots filtering is the crawl's job: drop what robots.txt forbids before comparing.
            let disallowed = Set(entry["robots_disallowed"] as? [String] ?? [])
            let paths = listing.links.map(\.url.pathOfURL).filter { !disallowed.contains($0) }
            XCTAssertEqual(paths, entry["articles"] as? [String], "articles of \(path)")
            XCTAssertTrue(listing.links.allSatisfy { $0.url.hasPrefix(Fixtures.origin + "/") }, "same host: \(path)")
            XCTAssertEqual(listing.next?.pathOfURL, entry["next"] as? String, "next of \(path)")
            XCTAssertEqual(
                listing.next.map { String($0.prefix(Fixtures.origin.count)) },
                (entry["next"] as? String).map { _ in Fixtures.origin }, "next is absolute: \(path)")
            XCTAssertEqual(listing.kind, .html)
            XCTAssertFalse(listing.looksTruncated, path)
        }
    }

    func testSectionPageTimestampsAreThePublicationInstants() throws {
        let published = try publishedByPath()
        for (path, entry) in try expectedListings() where entry["kind"] as? String == "section" {
            for link in try extract(path, entry).links {
                XCTAssertEqual(link.timestamp, published[link.url.pathOfURL], "\(path): \(link.url)")
            }
        }
    }

    func testHomepageNewsFeedTimesWithLocalOffsetsDateTheirArticles() throws {
        let published = try publishedByPath()
        let listing = try extract("/cn/", try expectedListings()["/cn/"]!)
        let dated = listing.links.filter { $0.timestamp != nil }
        XCTAssertFalse(dated.isEmpty, "the 滚动新闻 items carry <time datetime=…+01:00>")
        for link in dated {
            XCTAssertEqual(link.timestamp, published[link.url.pathOfURL], link.url)
        }
    }

    func testHomepageTrapsNeverBecomeArticleLinks() throws {
        let listing = try extract("/cn/", try expectedListings()["/cn/"]!)
        for link in listing.links {
            XCTAssertFalse(link.url.contains("#"), link.url)
            XCTAssertFalse(link.url.contains("utm_") || link.url.contains("xtor"), link.url)
            XCTAssertFalse(
                link.url.contains("/tw/") || link.url.contains("youtube") || link.url.contains(".mp3"),
                link.url)
            XCTAssertEqual(CanonicalURL.canonicalize(link.url), link.url, "links are canonical")
        }
        XCTAssertEqual(Set(listing.links.map(\.url)).count, listing.links.count, "no duplicates")
    }

    func testFiveThousandLinkListingNormalisesToSixtyArticles() throws {
        let entry = try expectedListings()["/hostile/listing-5000-links.html"]!
        let listing = try extract("/hostile/listing-5000-links.html", entry)
        XCTAssertEqual(listing.links.count, 60)
        XCTAssertEqual(
            Set(listing.links.map(\.url.pathOfURL)), Set(try publishedByPath().keys),
            "every spelling of the 60 articles collapses onto its canonical URL")
    }

    func testOnlyTheFirstBaseHrefCounts() throws {
        let entry = try expectedListings()["/hostile/base-href.html"]!
        let listing = try extract("/hostile/base-href.html", entry)
        XCTAssertFalse(listing.links.contains { $0.url.contains("/wrong/") })
        XCTAssertEqual(listing.links.count, 4)
    }

    func testGenericProfileFindsEveryArticleOfASectionPage() throws {
        let generic = try ListingExtractor(kind: .html, profile: .generic, linkPattern: nil, fullText: false)
        let entry = try expectedListings()["/cn/%E4%B8%AD%E5%9B%BD/"]!
        let listing = try generic.extract(
            body: try Fixtures.bytes(entry["file"] as! String), contentType: nil,
            url: Fixtures.origin + "/cn/%E4%B8%AD%E5%9B%BD/")
        let paths = listing.links.map(\.url.pathOfURL)
        for expected in entry["articles"] as! [String] {
            XCTAssertTrue(paths.contains(expected), expected)
        }
        XCTAssertFalse(paths.contains { $0.contains("%E5%85%B3%E9%94%AE%E8%AF%8D") }, "tag pages are not articles")
    }

    func testExplicitLinkPatternReplacesTheProfileDefault() throws {
        let onlyChina = try ListingExtractor(
            kind: .html, profile: .rfi,
            linkPattern: "/cn/%E4%B8%AD%E5%9B%BD/[0-9]{8}-", fullText: false)
        let entry = try expectedListings()["/cn/"]!
        let listing = try onlyChina.extract(
            body: try Fixtures.bytes(entry["file"] as! String), contentType: nil,
            url: Fixtures.origin + "/cn/")
        XCTAssertFalse(listing.links.isEmpty)
        XCTAssertTrue(listing.links.allSatisfy { $0.url.contains("/cn/%E4%B8%AD%E5%9B%BD/") })
    }

    func testInvalidLinkPatternIsReportedWithThePattern() {
        XCTAssertThrowsError(try ListingExtractor(kind: .html, profile: .rfi, linkPattern: "([", fullText: false)) {
            guard case let .badLinkPattern(pattern, _)? = $0 as? ParseError else { return XCTFail("\($0)") }
            XCTAssertEqual(pattern, "([")
        }
    }
}
