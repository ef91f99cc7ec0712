import Foundation
import XCTest

/// Checks over Herald's own sources for code shapes that compile cleanly and fail in production.
final class SourceTrapsTests: XCTestCase {
    /// Every Swift file under Sources/.
    private func sources() throws -> [(path: String, text: String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        XCTAssertFalse(files.isEmpty, "no sources found under \(root.path)")
        return try files.map { ($0.path, try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// A closure kept in a `Mutex` is re-wrapped in reabstraction thunks on every `withLock` read, a chain that grows
    /// without end and ends in a stack overflow (docs/architecture.md, "Concurrency"). Keep an object there instead.
    func testNoFunctionValueIsKeptInAMutex() throws {
        let pattern = #/Mutex<[^\n]*->/#
        for (path, text) in try sources() {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                XCTFail("\(path):\(number + 1): a function value in a Mutex: \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
