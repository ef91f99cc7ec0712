import Foundation
import HeraldCore
import HeraldStatus
import HeraldTestSupport
import XCTest

/// The metrics an operator scrapes: over the optional TCP listener (`metricsListen`) as Prometheus does, in a text
/// exposition that a strict parser and, where Debian's `prometheus` package is installed, `promtool` accept.
final class MetricsTests: XCTestCase {
    private var site: FixtureSite!
    private var server: FixtureServer!
    private var harness: DaemonHarness!

    override func setUpWithError() throws {
        site = try FixtureSite.standard()
        server = try FixtureServer(root: site.root)
        harness = try DaemonHarness("herald-metrics")
    }

    override func tearDown() {
        server.stop()
        harness = nil
    }

    func testTheTCPListenerServesOnlyMetricsAndHealthInAnExpositionParsersAccept() throws {
        let port = try Self.freePort()
        try harness.writeConfig(
            sources: [DaemonHarness.source("home", server.url("/cn/"), interval: "1h")],
            extra: ["metricsListen": "\"127.0.0.1:\(port)\""])
        let daemon = try harness.start()
        XCTAssertTrue(waitUntil(timeout: 30) { self.harness.passes("home") == 1 }, daemon.log)

        let metrics = try Self.get("/metrics", port: port)
        XCTAssertTrue(metrics.hasPrefix("HTTP/1.1 200"), String(metrics.prefix(200)))
        let body = Self.body(metrics)
        for expected in [
            "herald_build_info{version=\"\(HeraldVersion.current)\"} 1", "process_resident_memory_bytes ",
            "process_cpu_seconds_total ", "process_open_fds ", "process_start_time_seconds ",
            "herald_fetches_total{source=\"home\",outcome=\"2xx\"} ", "herald_fetched_bytes_total{source=\"home\"} ",
            "herald_passes_total{source=\"home\",outcome=\"ok\"} 1", "herald_stored_articles ",
            "herald_source_consecutive_failures{source=\"home\"} 0", "herald_source_healthy{source=\"home\"} 1",
        ] {
            XCTAssertTrue(body.contains(expected), "missing \(expected) in:\n\(body)")
        }
        func value(_ series: String) -> Double? {
            body.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
        }
        let stored = try XCTUnwrap(value("herald_stored_articles"), body)
        XCTAssertGreaterThan(stored, 0, "the pass stored articles")
        XCTAssertEqual(
            value("herald_source_stored_articles{source=\"home\"}"), stored,
            "the only source lists every stored article")
        XCTAssertEqual(Self.expositionProblems(body), [], body)
        XCTAssertEqual(
            Self.sampleCount(body), Self.sampleCount(try harness.request("GET", "/metrics").body),
            "the socket and the TCP listener serve the same metrics")

        XCTAssertTrue(try Self.get("/healthz", port: port).hasPrefix("HTTP/1.1 200"))
        XCTAssertTrue(
            try Self.get("/status", port: port).hasPrefix("HTTP/1.1 404"), "no status, paths or errors over TCP")
        XCTAssertTrue(
            try Self.get("/reload", port: port, method: "POST").hasPrefix("HTTP/1.1 404"), "no control over TCP")
        harness.stop(daemon)
    }

    func testPromtoolAcceptsALiveDaemonsMetrics() throws {
        guard
            let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            throw XCTSkip("promtool is not installed (Debian package: prometheus); the strict parser test still ran")
        }
        try harness.writeConfig(sources: [DaemonHarness.source("home", server.url("/cn/"), interval: "1h")])
        let daemon = try harness.start()
        XCTAssertTrue(waitUntil(timeout: 30) { self.harness.passes("home") == 1 }, daemon.log)
        let body = try harness.request("GET", "/metrics").body
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("herald-metrics-\(getpid()).txt")
        try body.write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let result = try Command.run("/bin/sh", ["-c", "\(promtool) check metrics < '\(input.path)'"])
        XCTAssertEqual(result.status, 0, "promtool: \(result.stdout)\(result.stderr)\n\(body)")
        XCTAssertEqual(
            (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines), "",
            "promtool has no complaint at all")
        harness.stop(daemon)
    }

    func testAMetricsListenThatIsNotANumericAddressIsAConfigError() throws {
        for bad in ["localhost:9464", "127.0.0.1", "127.0.0.1:0", "[::1]9464", ":9464"] {
            try harness.writeConfig(
                sources: [DaemonHarness.source("home", server.url("/cn/"))],
                extra: ["metricsListen": "\"\(bad)\""])
            let result = try HeraldBinary.run(["check-config", "--config", harness.configPath])
            XCTAssertEqual(result.status, 78, "\(bad): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(
                result.stderr.contains("metricsListen") && result.stderr.contains("numeric address"),
                "\(bad): \(result.stderr)")
        }
        XCTAssertEqual(MetricsAddress("[::1]:9464")?.description, "[::1]:9464")
        XCTAssertEqual(MetricsAddress("0.0.0.0:9464")?.port, 9464)
    }

    func testTheStrictParserCatchesWhatPrometheusClientsRefuse() {
        let clash = """
            # HELP herald_articles_total a
            # TYPE herald_articles_total counter
            herald_articles_total 1
            # HELP herald_articles b
            # TYPE herald_articles gauge
            herald_articles 2
            """
        XCTAssertFalse(Self.expositionProblems(clash).isEmpty, "a gauge named like a counter's family")
        XCTAssertFalse(Self.expositionProblems("x_total 1\n").isEmpty, "a sample without # TYPE")
        XCTAssertEqual(Self.expositionProblems("# HELP a_total h\n# TYPE a_total counter\na_total{x=\"1\"} 3\n"), [])
    }

    // MARK: - Helpers

    /// The rules the Prometheus text format and its clients enforce that matter here: every sample belongs to a
    /// family declared once with `# TYPE` before it; no two families share a name once a counter's `_total` is
    /// dropped (the clash that made a Python client refuse Herald's exposition); values are numbers.
    static func expositionProblems(_ text: String) -> [String] {
        var problems: [String] = []
        var types: [String: String] = [:]
        var bases: [String: String] = [:]
        for line in text.split(separator: "\n").map(String.init) where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 4 else {
                    problems.append("bad TYPE line: \(line)")
                    continue
                }
                let (name, type) = (parts[2], parts[3])
                if types[name] != nil { problems.append("family \(name) declared twice") }
                types[name] = type
                let base = type == "counter" && name.hasSuffix("_total") ? String(name.dropLast(6)) : name
                if let other = bases[base] { problems.append("\(name) and \(other) are the same family \(base)") }
                bases[base] = name
                continue
            }
            if line.hasPrefix("#") { continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let family =
                types[name] != nil
                ? name
                : ["_bucket", "_sum", "_count"].compactMap { suffix in
                    name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil
                }.first { types[$0] == "histogram" }
            if family == nil { problems.append("sample \(name) has no # TYPE before it") }
            guard let value = line.split(separator: " ").last, Double(value) != nil || value == "+Inf" else {
                problems.append("not a number: \(line)")
                continue
            }
        }
        return problems
    }

    static func sampleCount(_ text: String) -> Int {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.count
    }

    static func body(_ response: String) -> String {
        response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
    }

    static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(probe, pointer, length) == 0 && getsockname(probe, pointer, &length) == 0
            }
        }
        guard bound else { throw FixtureError("no free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// One HTTP/1.1 request over TCP to 127.0.0.1, read until the server closes.
    static func get(_ path: String, port: Int, method: String = "GET") throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw FixtureError("connect to port \(port): \(String(cString: strerror(errno)))") }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        return LoopbackSocket.readUntilClosed(fd)
    }
}
