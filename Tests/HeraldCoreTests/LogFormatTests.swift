import Foundation
import HeraldTestSupport
import Logging
import XCTest

@testable import HeraldCore

/// Log lines a machine can read back: real logfmt, JSON Lines, and journald's native fields.
final class LogFormatTests: XCTestCase {
    private let fields: [(key: String, value: String)] = [
        ("source", "rfi-cn"), ("summary", "35 links, 2 new"), ("error", "say \"no\"\nthen \\ stop"), ("empty", ""),
    ]

    func testLogfmtQuotesWhatItMustAndAParserReadsEveryPairBack() {
        let line = LineLogHandler.render(
            .logfmt, time: "2026-12-02T03:00:00Z", level: .info, message: "pass finished",
            fields: fields)
        XCTAssertEqual(
            line,
            #"time=2026-12-02T03:00:00Z level=info msg="pass finished" source=rfi-cn "#
                + #"summary="35 links, 2 new" error="say \"no\"\nthen \\ stop" empty="""#)
        let pairs = Self.parseLogfmt(line)
        XCTAssertEqual(
            pairs.map(\.0), ["time", "level", "msg", "source", "summary", "error", "empty"],
            "a logfmt parser reads the message as one pair, not as keys 'pass' and 'finished'")
        XCTAssertEqual(pairs.first { $0.0 == "error" }?.1, "say \"no\"\nthen \\ stop")
        XCTAssertEqual(pairs.first { $0.0 == "msg" }?.1, "pass finished")
    }

    func testJSONLinesCarryTheSameFields() throws {
        let line = LineLogHandler.render(.json, time: nil, level: .warning, message: "listing failed", fields: fields)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        XCTAssertEqual(object["level"], "warning")
        XCTAssertEqual(object["msg"], "listing failed")
        XCTAssertEqual(object["error"], "say \"no\"\nthen \\ stop")
        XCTAssertNil(object["time"], "no time under the journal")
        XCTAssertFalse(line.contains("\n"), "one event, one line")
    }

    func testJournalEntriesCarryTheMetadataAsFields() throws {
        let folder = try TemporaryDirectory("herald-journal")
        defer { folder.remove() }
        let path = folder.path("socket")
        let listener = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(bound, 0)
        let sink = try XCTUnwrap(JournalSink(path: path))
        XCTAssertTrue(
            sink.send(
                message: "level=info msg=\"pass finished\"", priority: 6,
                fields: [("source", "rfi-cn"), ("retry-in", "2m"), ("message", "x"), ("error", "a\nb")]))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(listener, $0.baseAddress, $0.count, 0) }
        XCTAssertGreaterThan(count, 0)
        let datagram = Array(buffer[..<count])
        let text = String(decoding: datagram, as: UTF8.self)
        for line in [
            "MESSAGE=level=info msg=\"pass finished\"\n", "PRIORITY=6\n", "SYSLOG_IDENTIFIER=herald\n",
            "SOURCE=rfi-cn\n", "RETRY_IN=2m\n", "HERALD_MESSAGE=x\n",
        ] {
            XCTAssertTrue(text.contains(line), "missing \(line) in \(text)")
        }
        // A value with a newline: NAME, newline, its length as 64-bit little endian, the bytes, newline.
        let binary: [UInt8] = Array("ERROR\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb\n".utf8)
        XCTAssertTrue(datagram.starts(with: binary, at: datagram.count - binary.count), text)
    }

    func testFieldNamesAreWhatJournaldAccepts() {
        XCTAssertEqual(JournalSink.fieldName("source"), "SOURCE")
        XCTAssertEqual(JournalSink.fieldName("keepDays"), "KEEPDAYS")
        XCTAssertEqual(JournalSink.fieldName("_private"), "HERALD__PRIVATE")
        XCTAssertEqual(JournalSink.fieldName("9lives"), "HERALD_9LIVES")
        XCTAssertEqual(JournalSink.fieldName("priority"), "HERALD_PRIORITY")
    }

    /// A strict logfmt reader: key=value pairs, values bare or double-quoted with \" \\ \n \r \t escapes.
    static func parseLogfmt(_ line: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var scalars = Array(line.unicodeScalars)[...]
        while !scalars.isEmpty {
            while scalars.first == " " { scalars = scalars.dropFirst() }
            guard let equals = scalars.firstIndex(of: "=") else { break }
            let key = String(String.UnicodeScalarView(scalars[scalars.startIndex..<equals]))
            scalars = scalars[(equals + 1)...]
            var value = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                while let scalar = scalars.first, scalar != "\"" {
                    scalars = scalars.dropFirst()
                    if scalar == "\\", let next = scalars.first {
                        scalars = scalars.dropFirst()
                        value += ["n": "\n", "r": "\r", "t": "\t"][String(next)] ?? String(next)
                    } else {
                        value.unicodeScalars.append(scalar)
                    }
                }
                scalars = scalars.dropFirst()
            } else {
                while let scalar = scalars.first, scalar != " " {
                    value.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst()
                }
            }
            pairs.append((key, value))
        }
        return pairs
    }
}

private extension Array where Element == UInt8 {
    func starts(with prefix: [UInt8], at offset: Int) -> Bool {
        offset >= 0 && offset + prefix.count <= count && Array(self[offset..<offset + prefix.count]) == prefix
    }
}
