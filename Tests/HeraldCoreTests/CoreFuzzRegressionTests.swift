import Foundation
@testable import HeraldCore
import HeraldTestSupport
import XCTest

/// Every input the config and request fuzz targets failed on (Fuzz/regressions/TARGET/), replayed with the harness's
/// own properties (Fuzz/Harnesses/TARGET.swift). HeraldParseTests.FuzzRegressionTests does the same for the parser's.
final class CoreFuzzRegressionTests: XCTestCase {
    static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.sorted() ?? []
        return names.compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { (name, [UInt8]($0)) }
        }
    }

    func testConfigInputsAreValidWithSourcesOrRefusedWithProblems() throws {
        let folder = try TemporaryDirectory("herald-fuzz-regression")
        defer { folder.remove() }
        let inputs = Self.inputs("config")
        XCTAssertFalse(inputs.isEmpty)
        for (name, bytes) in inputs {
            do {
                let config = try ConfigLoader.load(bytes: bytes, file: folder.path("config.json"))
                XCTAssertFalse(config.sources.isEmpty, name)
                for source in config.sources { XCTAssertLessThan(source.jitter, source.interval, name) }
            } catch {
                XCTAssertFalse(error.problems.isEmpty, name)
            }
        }
    }

    func testRequestInputsGetAVerdictWithinTheLimits() {
        for (name, bytes) in Self.inputs("request") {
            switch HTTPRequestParser.parse(bytes) {
            case .incomplete:
                XCTAssertLessThanOrEqual(bytes.count, HTTPRequestParser.maxHeadBytes + 4 + HTTPRequestParser.maxBodyBytes, name)
            case let .complete(request, consumed):
                XCTAssertLessThanOrEqual(consumed, bytes.count, name)
                XCTAssertTrue(request.path.hasPrefix("/"), name)
            case let .invalid(status, _):
                XCTAssertTrue((400..<600).contains(status), name)
            }
        }
    }
}
