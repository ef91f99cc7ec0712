import Foundation
import HeraldParse
import HeraldTestSupport
import XCTest

@testable import HeraldURL

/// Every input a fuzz target ever failed on (Fuzz/regressions/TARGET/) and its seeds (FuzzCorpus), replayed with the harness's own properties
/// (Fuzz/Harnesses/TARGET.swift), so a fixed finding stays fixed without running the fuzzer.
final class FuzzRegressionTests: XCTestCase {
    func testURLInputsCanonicaliseToAFixedPointOrNothing() throws {
        for (name, bytes) in try FuzzCorpus.inputs("url", minimum: 5) {
            let text = String(decoding: bytes, as: UTF8.self)
            let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let base = parts.count > 1 ? String(parts[1]) : nil
            for canonical in [
                CanonicalURL.resolve(String(parts[0]), against: base),
                CanonicalURL.canonicalize(String(parts[0])),
            ].compactMap({ $0 }) {
                XCTAssertEqual(CanonicalURL.canonicalize(canonical), canonical, name)
                XCTAssertNotNil(CanonicalURL.host(of: canonical), name)
            }
        }
    }

    func testArticleInputsExtractOrFailCleanly() throws {
        let extractors = [try ArticleExtractor(profile: .rfi), try ArticleExtractor(profile: .generic)]
        for (name, bytes) in try FuzzCorpus.inputs("article", minimum: 20) where !bytes.isEmpty {
            let article = try? extractors[Int(bytes[0]) & 1].extract(
                body: Array(bytes.dropFirst()), contentType: nil,
                url: "https://www.rfi.fr/cn/x/20231028-x")
            if let article { XCTAssertFalse(article.title.isEmpty, name) }
        }
    }

    func testFeedInputsYieldOnlyCanonicalHTTPLinks() throws {
        let kinds: [ListingKind] = [.auto, .rss, .atom, .html]
        for (name, bytes) in try FuzzCorpus.inputs("feed", minimum: 10) where !bytes.isEmpty {
            let selector = Int(bytes[0])
            let extractor = try ListingExtractor(
                kind: kinds[selector & 3], profile: (selector >> 2) & 1 == 0 ? .rfi : .generic,
                linkPattern: nil, fullText: (selector >> 3) & 1 == 1)
            guard
                let listing = try? extractor.extract(
                    body: Array(bytes.dropFirst()), contentType: nil,
                    url: "https://www.rfi.fr/cn/rss/index.xml")
            else { continue }
            for link in listing.links {
                XCTAssertEqual(CanonicalURL.canonicalize(link.url), link.url, name)
            }
        }
    }
}
