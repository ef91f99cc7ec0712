import Foundation
import HeraldCore
import HeraldTestSupport
import XCTest

/// What the daemon will never fetch: anything but http(s) (from the config, from listings and feeds, through
/// redirects), and, with `blockPrivateAddresses`, anything that resolves to a loopback, private or link-local address.
/// (The config side is in ConfigFailureTests, redirects and size caps in FaultToleranceTests.)
final class BoundaryTests: XCTestCase {
    func testBlockPrivateAddressesRefusesLoopbackPrivateAndLinkLocalTargetsAfterResolution() throws {
        let server = try FixtureServer(root: try FixtureSite.standard().root)
        defer { server.stop() }
        let harness = try DaemonHarness("herald-boundary")
        let targets = [
            ("loopback", server.url("/cn/")),
            ("localhost", "http://localhost:\(server.port)/cn/"),  // a name: refused after DNS resolution
            ("ipv6-loopback", "http://[::1]:\(server.port)/cn/"),
            ("private", "http://10.255.255.1/cn/"),
            ("metadata", "http://169.254.169.254/latest/meta-data/"),  // cloud metadata endpoint
        ]
        try harness.writeConfig(
            sources: targets.map { DaemonHarness.source($0.0, $0.1) },
            extra: ["blockPrivateAddresses": "true"])
        let daemon = try harness.start()
        defer { if daemon.process.isRunning { daemon.kill9() } }
        XCTAssertTrue(
            waitUntil(timeout: 30) {
                let sources = harness.sources()
                return targets.allSatisfy { sources[$0.0]?["last_error"] is String }
            }, "\(harness.sources())\n\(daemon.log.suffix(2000))")
        for (name, url) in targets {
            let source = try XCTUnwrap(harness.source(name))
            XCTAssertEqual(source["state"] as? String, "backoff", name)
            XCTAssertEqual(
                source["last_error"] as? String,
                "refused: resolves to a private or loopback address (blockPrivateAddresses): \(url)", name)
        }
        XCTAssertEqual(server.requestCount(), 0, "nothing reached the loopback server, robots.txt included")
        XCTAssertTrue(try harness.request("GET", "/metrics").body.contains("outcome=\"blocked\"}"))
        XCTAssertEqual(harness.int("SELECT count(*) FROM articles"), 0)
        harness.stop(daemon)
    }

    func testListingsAndFeedsYieldOnlyHTTPLinks() throws {
        let site = try FixtureSite.standard()
        let server = try FixtureServer(root: site.root)
        defer { server.stop() }
        let article =
            "/cn/%E4%B8%AD%E5%9B%BD/20231028-%E6%8B%9C%E7%99%BB%E6%95%A6%E4%BF%83%E4%B8%AD%E5%9B%BD%E5%90%88%E4%BD%9C-%E5%85%B1%E5%90%8C%E5%BA%94%E5%AF%B9%E5%85%A8%E7%90%83%E6%8C%91%E6%88%98"
        let elsewhere = [
            "file:///etc/passwd", "ftp://127.0.0.1/pub/20231028-x", "gopher://127.0.0.1/1/20231028-x",
            "javascript:fetch('/cn/x/20231028-y')", "data:text/html,<h1>20231028-z</h1>",
            "mailto:news@example.com?subject=20231028-x", "dict://127.0.0.1:2628/d:20231028-x",
        ]
        let items = ([server.url(article)] + elsewhere).map {
            "<item><title>t</title><link>\($0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"))</link></item>"
        }.joined()
        server.route(
            "/feed.xml",
            .text(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>\(items)</channel></rss>",
                contentType: "application/rss+xml"))
        let anchors = (elsewhere + [article]).map { "<a data-article-item-link href=\"\($0)\">x</a>" }.joined()
        server.route("/page/", .html("<html><body>\(anchors)</body></html>"))
        let harness = try DaemonHarness("herald-boundary")
        try harness.writeConfig(sources: [
            DaemonHarness.source("feed", server.url("/feed.xml"), kind: "rss", interval: "1h"),
            DaemonHarness.source("page", server.url("/page/"), interval: "1h"),
        ])
        let daemon = try harness.start()
        defer { if daemon.process.isRunning { daemon.kill9() } }
        XCTAssertTrue(waitUntil(timeout: 30) { harness.passes("feed") == 1 && harness.passes("page") == 1 }, daemon.log)
        for name in ["feed", "page"] {
            let run = try XCTUnwrap(harness.source(name)?["last_run"] as? [String: Any], name)
            XCTAssertEqual(run["links_found"] as? Int, 1, "\(name): \(run)")
            XCTAssertEqual(run["failed"] as? Int, 0, "\(name): \(run)")
        }
        XCTAssertEqual(harness.int("SELECT count(*) FROM fetch_failures"), 0)
        XCTAssertEqual(
            harness.rows("SELECT DISTINCT url FROM articles").compactMap { $0.first ?? nil }, [server.url(article)])
        XCTAssertEqual(
            Set(server.requests.map(\.path)), ["/robots.txt", "/feed.xml", "/page/", article, article + "/"])
        harness.stop(daemon)
    }
}
