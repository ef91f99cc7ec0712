import XCTest

@testable import HeraldURL

/// design.md "Deduplication": one URL per article however it is spelled.
final class CanonicalURLTests: XCTestCase {
    func testCanonicalisationTable() {
        let table: [(String, String?, String)] = [
            ("HTTP://WWW.RFI.FR:80/cn/", "http://www.rfi.fr/cn/", "scheme and host lowercased, default port dropped"),
            ("https://www.rfi.fr:443", "https://www.rfi.fr/", "https default port dropped, empty path is /"),
            ("https://example.com:8443/a", "https://example.com:8443/a", "other ports kept"),
            ("HTTPS://Example.COM/Path/Case", "https://example.com/Path/Case", "path case kept"),
            ("https://a.com/x#top", "https://a.com/x", "fragment dropped"),
            (
                "https://a.com/x?xtor=RSS-1&utm_source=tw&id=3&fbclid=abc&gclid=z&UTM_Medium=m", "https://a.com/x?id=3",
                "tracking parameters dropped, case-insensitively"
            ),
            ("https://a.com/x?b=2&a=1&b=3", "https://a.com/x?b=2&a=1&b=3", "other parameters kept in order"),
            ("https://a.com/x?utm_source=a", "https://a.com/x", "an emptied query loses its ?"),
            ("https://a.com/x?", "https://a.com/x", "an empty query loses its ?"),
            ("https://a.com/x?a=1&&b=2", "https://a.com/x?a=1&b=2", "empty parameters dropped"),
            (
                "https://www.rfi.fr/cn/%e4%b8%ad%e5%9b%bd/", "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/",
                "hex uppercased"
            ),
            ("https://www.rfi.fr/cn/中国/", "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/", "raw UTF-8 percent-encoded"),
            ("https://a.com/%7Euser/%41%2d%5F%2E", "https://a.com/~user/A-_.", "unreserved characters decoded"),
            ("https://a.com/a%2fb/c", "https://a.com/a%2Fb/c", "%2F is never decoded into a segment separator"),
            ("https://a.com/a,b;c=d/e(f)!", "https://a.com/a,b;c=d/e(f)!", "sub-delims kept as written"),
            ("https://a.com/a b\"c<d>", "https://a.com/a%20b%22c%3Cd%3E", "illegal characters encoded"),
            ("https://a.com/100%", "https://a.com/100%25", "a stray % is encoded"),
            ("https://a.com/a/./b/../c", "https://a.com/a/c", "dot segments removed"),
            ("https://a.com/../../a", "https://a.com/a", "never above the root"),
            ("https://a.com/a/%2E%2E/b", "https://a.com/b", "encoded dot segments are dot segments"),
            ("https://a.com/cn/index.html", "https://a.com/cn/", "trailing index.html dropped"),
            ("https://a.com/index.html?x=1", "https://a.com/?x=1", "index.html dropped before a query"),
            ("https://a.com/myindex.html", "https://a.com/myindex.html", "only a whole index.html segment"),
            ("https://a.com/x?q=%e4 b", "https://a.com/x?q=%E4%20b", "query encoding normalised"),
            ("http://Bücher.example/", "http://xn--bcher-kva.example/", "IDN host punycoded"),
            ("http://例子.中国/", "http://xn--fsqu00a.xn--fiqs8s/", "CJK IDN host punycoded"),
            ("http://[::1]:8080/", "http://[::1]:8080/", "IPv6 literal"),
            ("http://[::FFFF:127.0.0.1]/", "http://[::ffff:127.0.0.1]/", "IPv6 literal lowercased, dots allowed"),
            ("http://[::1é]/", nil, "an IP literal holds hex digits, colons and dots only (found by fuzzing)"),
            ("http://[::[1]:80/", nil, "no bracket inside an IP literal"),
            ("http://[]/", nil, "empty IP literal"),
            ("http://user@a.com/", "http://user@a.com/", "userinfo kept"),
            ("  https://a.com/a\n\tb  ", "https://a.com/ab", "surrounding spaces trimmed, tabs and newlines removed"),
            ("mailto:news@rfi.fr", nil, "mailto is not crawlable"),
            ("javascript:void(0)", nil, "javascript is not crawlable"),
            ("ftp://a.com/x", nil, "only http and https"),
            ("", nil, "empty"),
            ("http://", nil, "no host"),
            ("http://a.com:99999/", nil, "port out of range"),
            ("http://a.com:8o/", nil, "port not numeric"),
            ("http://a b.com/", nil, "space in host"),
            ("/cn/x", nil, "relative without a base"),
        ]
        for (input, expected, rule) in table {
            XCTAssertEqual(CanonicalURL.canonicalize(input), expected, "\(rule): \(input)")
        }
    }

    func testCanonicalFormIsIdempotent() {
        for url in [
            "https://www.rfi.fr/cn/中国/20231028-x?xtor=1#a", "HTTP://A.COM:80/a/../b/index.html?q=%e4",
            "http://例子.中国/路径/",
        ] {
            let once = CanonicalURL.canonicalize(url)
            XCTAssertNotNil(once, url)
            XCTAssertEqual(once.flatMap(CanonicalURL.canonicalize), once, url)
        }
    }

    func testFiveSpellingsOfOneArticleAreOneURL() {
        let spellings = [
            "/cn/%E4%B8%AD%E5%9B%BD/20231028-%E6%8B%9C%E7%99%BB", "/cn/%e4%b8%ad%e5%9b%bd/20231028-%e6%8b%9c%e7%99%bb",
            "/cn/中国/20231028-拜登", "/cn/中国/20231028-拜登#from-homepage", "/cn/中国/20231028-拜登?xtor=CS1&utm_source=x",
        ]
        let urls = Set(spellings.map { CanonicalURL.resolve($0, against: "http://127.0.0.1:8080/cn/") })
        XCTAssertEqual(urls, ["http://127.0.0.1:8080/cn/%E4%B8%AD%E5%9B%BD/20231028-%E6%8B%9C%E7%99%BB"])
    }

    /// RFC 3986 §5.4.1 and §5.4.2, with base `http://a/b/c/d;p?q`.
    func testRFC3986ResolutionExamples() {
        let base = "http://a/b/c/d;p?q"
        let table: [(String, String?)] = [
            ("g:h", nil), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"), ("//g", "http://g/"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q"), ("g#s", "http://a/b/c/g"), ("g?y#s", "http://a/b/c/g?y"),
            (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("g;x?y#s", "http://a/b/c/g;x?y"),
            (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"),
            ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"), ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"),
            ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."),
            ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
            ("g;x=1/../y", "http://a/b/c/y"), ("http:g", nil),
        ]
        for (reference, expected) in table {
            XCTAssertEqual(CanonicalURL.resolve(reference, against: base), expected, reference)
        }
    }

    func testListingStyleReferences() {
        let page = "http://127.0.0.1:8080/hostile/relative-links.html"
        let table: [(String, String?)] = [
            ("../cn/./%E5%9B%BD%E9%99%85/../%E5%9B%BD%E9%99%85/x", "http://127.0.0.1:8080/cn/%E5%9B%BD%E9%99%85/x"),
            ("//www.rfi.fr/cn/x", "http://www.rfi.fr/cn/x"),
            ("?page=2", "http://127.0.0.1:8080/hostile/relative-links.html?page=2"),
            ("#", "http://127.0.0.1:8080/hostile/relative-links.html"),
            ("", nil), ("   ", nil), ("javascript:window.print()", nil), ("mailto:a@b.c", nil),
            ("\\cn\\x", "http://127.0.0.1:8080/cn/x"),
            ("https://www.france24.com/fr/", "https://www.france24.com/fr/"),
        ]
        for (reference, expected) in table {
            XCTAssertEqual(CanonicalURL.resolve(reference, against: page), expected, reference)
        }
    }

    func testHostIncludesOnlyNonDefaultPorts() {
        XCTAssertEqual(CanonicalURL.host(of: "HTTP://WWW.RFI.FR:80/x"), "www.rfi.fr")
        XCTAssertEqual(CanonicalURL.host(of: "https://www.rfi.fr:443/x"), "www.rfi.fr")
        XCTAssertEqual(CanonicalURL.host(of: "http://127.0.0.1:8080/cn/"), "127.0.0.1:8080")
        XCTAssertNil(CanonicalURL.host(of: "mailto:a@b.c"))
        XCTAssertNil(CanonicalURL.host(of: "/relative"))
    }

    func testBodyLinksBecomeAbsoluteWithoutBeingCanonicalised() {
        let base = "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/x"
        XCTAssertEqual(
            LinkResolver.absolute("https://www.wto.org/?utm_source=a#b", base: base),
            "https://www.wto.org/?utm_source=a#b")
        XCTAssertEqual(LinkResolver.absolute("../国际/y#p2", base: base), "https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/y#p2")
        XCTAssertNil(LinkResolver.absolute("javascript:alert(1)", base: base))
        XCTAssertEqual(LinkResolver.absolute("mailto:a@b.c", base: base), "mailto:a@b.c")
    }

    func testIRIToURIEncodesOnlyWhatMustBe() {
        XCTAssertEqual(
            IRI.toURI("https://www.rfi.fr/cn/政治/20251130-日本"),
            "https://www.rfi.fr/cn/%E6%94%BF%E6%B2%BB/20251130-%E6%97%A5%E6%9C%AC")
        XCTAssertEqual(IRI.toURI("https://a.com/%e4?x=1#f"), "https://a.com/%e4?x=1#f")
    }
}
