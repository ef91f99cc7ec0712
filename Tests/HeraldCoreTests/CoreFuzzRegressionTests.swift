import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldConfiguration
@testable import HeraldCore
@testable import HeraldStatus

/// Every input the config and request fuzz targets failed on (Fuzz/regressions/TARGET/) and their seeds, replayed with the harness's
/// own properties (Fuzz/Harnesses/TARGET.swift). HeraldParseTests.FuzzRegressionTests does the same for the parser's.
final class CoreFuzzRegressionTests: XCTestCase {
    func testConfigInputsAreValidWithSourcesOrRefusedWithProblems() throws {
        let folder = try TemporaryDirectory("herald-fuzz-regression")
        defer { folder.remove() }
        for (name, bytes) in try FuzzCorpus.inputs("config", minimum: 5) {
            do {
                let config = try ConfigLoader.load(bytes: bytes, file: folder.path("config.json"))
                XCTAssertFalse(config.sources.isEmpty, name)
                for source in config.sources { XCTAssertLessThan(source.jitter, source.interval, name) }
            } catch {
                XCTAssertFalse(error.problems.isEmpty, name)
            }
        }
    }

    func testRequestInputsGetAVerdictWithinTheLimits() throws {
        for (name, bytes) in try FuzzCorpus.inputs("request", minimum: 3) {
            switch HTTPRequestParser.parse(bytes) {
            case .incomplete:
                XCTAssertLessThanOrEqual(
                    bytes.count, HTTPRequestParser.maxHeadBytes + 4 + HTTPRequestParser.maxBodyBytes, name)
            case let .complete(request, consumed):
                XCTAssertLessThanOrEqual(consumed, bytes.count, name)
                XCTAssertTrue(request.path.hasPrefix("/"), name)
            case let .invalid(status, _):
                XCTAssertTrue((400..<600).contains(status), name)
            }
        }
    }
}
