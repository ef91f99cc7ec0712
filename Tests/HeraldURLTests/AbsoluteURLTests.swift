import XCTest

@testable import HeraldURL

/// The parts of an absolute URL, from the same parser as the canonical form, for origins, robots.txt and the config.
final class AbsoluteURLTests: XCTestCase {
    func testPartsOfHTTPURLsIRIsAndIPv6() throws {
        let rfi = try XCTUnwrap(AbsoluteURL("HTTPS://WWW.RFI.FR/cn/中国/./a/../b?x=1#top"))
        XCTAssertEqual(rfi.scheme, "https")
        XCTAssertEqual(rfi.host, "www.rfi.fr")
        XCTAssertNil(rfi.port, "the default port is not written")
        XCTAssertEqual(rfi.effectivePort, 443)
        XCTAssertEqual(rfi.path, "/cn/%E4%B8%AD%E5%9B%BD/b", "raw UTF-8 is percent-encoded, dot segments removed")
        XCTAssertEqual(rfi.pathAndQuery, "/cn/%E4%B8%AD%E5%9B%BD/b?x=1")
        XCTAssertEqual(rfi.fragment, "top")

        let local = try XCTUnwrap(AbsoluteURL("http://127.0.0.1:8089"))
        XCTAssertEqual(local.port, 8089)
        XCTAssertEqual(local.path, "")
        XCTAssertEqual(local.pathAndQuery, "/")
        XCTAssertEqual(AbsoluteURL("http://[::1]:8080/x")?.host, "[::1]")
        XCTAssertEqual(AbsoluteURL("file:///etc/passwd")?.scheme, "file", "a scheme without a host is still judged")
        XCTAssertNil(AbsoluteURL("file:///etc/passwd")?.host)
    }

    func testWhatIsNotAnAbsoluteURL() {
        for text in ["", "/cn/", "example.com/news", "http://a.com:99999/", "http://a b.com/", "http://[::é]/"] {
            XCTAssertNil(AbsoluteURL(text)?.host, text)
        }
        XCTAssertNil(AbsoluteURL("/cn/"), "no scheme")
    }

    func testHostsGoThroughUTS46MappingNotJustPunycode() {
        let table: [(String, String?)] = [
            ("http://Bücher.example/", "xn--bcher-kva.example"),
            ("http://例子。中国/", "xn--fsqu00a.xn--fiqs8s"),  // ideographic full stop is a dot
            ("http://ｅｘａｍｐｌｅ．ｃｏｍ/", "example.com"),  // full-width letters and dot map to ASCII
            ("http://BÜCHER.example/", "xn--bcher-kva.example"),  // case folds before encoding
            ("http://faß.de/", "xn--fa-hia.de"),  // non-transitional: ß stays ß
            ("http://xn--bcher-kva.example/", "xn--bcher-kva.example"),  // already ASCII: kept
        ]
        for (url, host) in table {
            XCTAssertEqual(AbsoluteURL(url)?.host, host, url)
            XCTAssertEqual(CanonicalURL.host(of: url), host, url)
        }
        XCTAssertNil(CanonicalURL.canonicalize("http://a\u{200B}\u{0378}.com/"), "a disallowed code point is refused")
    }
}
