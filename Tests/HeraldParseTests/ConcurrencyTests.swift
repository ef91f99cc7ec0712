import Dispatch
import XCTest

@testable import HeraldParse

/// The crawl shares one extractor between workers.
final class ConcurrencyTests: XCTestCase {
    func testExtractorsGiveTheSameResultsFromManyThreadsAtOnce() throws {
        let extractor = try ArticleExtractor(profile: .rfi)
        let inputs = try Fixtures.expectedArticles().prefix(8).map {
            (try Fixtures.bytes($0["file"] as! String), $0["url"] as! String)
        }
        let sequential = try inputs.map { try extractor.extract(body: $0.0, contentType: nil, url: $0.1) }
        let results = ResultBox(count: inputs.count * 4)
        DispatchQueue.concurrentPerform(iterations: inputs.count * 4) { i in
            let input = inputs[i % inputs.count]
            results.set(i, try? extractor.extract(body: input.0, contentType: nil, url: input.1))
        }
        for i in 0..<(inputs.count * 4) {
            XCTAssertEqual(results.get(i), sequential[i % inputs.count], "run \(i)")
        }
    }
}

/// Results written from `concurrentPerform` workers; the lock orders the writes before the reads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [ParsedArticle?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: ParsedArticle?) { lock.withLock { values[i] = value } }
    func get(_ i: Int) -> ParsedArticle? { lock.withLock { values[i] } }
}
