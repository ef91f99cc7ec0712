import HeraldFetch
import HeraldTestSupport
import XCTest

@testable import HeraldURL

final class RobotsRulesTests: XCTestCase {
    private let agent = "HeraldTest/1.0 (+https://example.invalid/bot)"

    private func check(
        _ robots: String, _ cases: [(String, Bool)], userAgent: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let rules = RobotsRules(parsing: robots, userAgent: userAgent ?? agent)
        for (path, allowed) in cases {
            XCTAssertEqual(rules.isAllowed(path), allowed, "\(path) with\n\(robots)", file: file, line: line)
        }
    }

    func testFixtureRobotsForbidsInternalDespiteAllowCN() throws {
        let text = try String(decoding: FixtureSite.standard().data("robots.txt"), as: UTF8.self)
        check(
            text,
            [
                ("/cn/%E5%86%85%E9%83%A8/20240101-x", false),  // longest match: the 内部 Disallow beats Allow: /cn/
                ("/cn/%e5%86%85%e9%83%a8/20240101-x", false),  // lowercase hex is the same path
                ("/cn/内部/20240101-x", false),  // raw UTF-8 is normalised to the encoded form
                ("http://127.0.0.1:8080/cn/%E5%86%85%E9%83%A8/a?b=1", false),
                ("/private/secret", false),
                ("/cn/", true),
                ("/cn/%E4%B8%AD%E5%9B%BD/20231028-x", true),
                ("/", true),
                ("/robots.txt", true),
            ])
        check(text, [("/cn/", false), ("/robots.txt", true)], userAgent: "ExampleBadBot")
    }

    func testLongestMatchWinsAndAllowWinsTies() {
        check("User-agent: *\nDisallow: /a\nAllow: /a/b\n", [("/a/b/c", true), ("/a/c", false), ("/b", true)])
        check("User-agent: *\nAllow: /a/b\nDisallow: /a/b\n", [("/a/b", true)])
        check("User-agent: *\nDisallow: /page\nAllow: /page\n", [("/page", true)])
        check("User-agent: *\nAllow: /\nDisallow: /x/\n", [("/x/y", false), ("/y", true)])
    }

    func testWildcardsAndEndAnchor() {
        let robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nDisallow: /$\n"
        check(
            robots,
            [
                ("/docs/a.pdf", false), ("/docs/a.pdf?x=1", true), ("/docs/a.pdfx", true),
                ("/search?q=x", false), ("/search/x?lang=zh&q=x", false), ("/search?lang=zh", true),
                ("/", false), ("/index.html", true),
            ])
        check("User-agent: *\nDisallow: /a*b*c\n", [("/axxbyyc", false), ("/axxcyyb", true)])
    }

    func testPercentEncodingIsNormalisedOnBothSides() {
        check(
            "User-agent: *\nDisallow: /%7Ejoe/\nDisallow: /中国/\nDisallow: /a%2fb\n",
            [
                ("/~joe/index.html", false),  // %7E is unreserved: decoded before comparing
                ("/%7ejoe/index.html", false),
                ("/%E4%B8%AD%E5%9B%BD/x", false),  // the pattern's raw UTF-8 is encoded before comparing
                ("/a%2Fb", false),  // %2F stays encoded (reserved), hex case ignored
                ("/a/b", true),  // … and is not the same as a real slash
            ])
    }

    func testGroupSelection() {
        let robots = """
            User-agent: *
            Disallow: /

            User-agent: OtherBot
            User-agent: heraldtest
            Disallow: /private/

            User-agent: HeraldTest
            Disallow: /tmp/
            Crawl-delay: 2.5
            """
        let rules = RobotsRules(parsing: robots, userAgent: agent)
        XCTAssertFalse(rules.isAllowed("/private/x"))  // both groups naming us are merged
        XCTAssertFalse(rules.isAllowed("/tmp/x"))
        XCTAssertTrue(rules.isAllowed("/news/"))  // the * group does not apply when a named group does
        XCTAssertEqual(rules.crawlDelay, 2.5)
        check(robots, [("/news/", false)], userAgent: "SomeoneElse/2.0")
        check(robots, [("/news/", true), ("/private/x", false)], userAgent: "OtherBot")
    }

    func testEmptyMissingAndMalformedFilesAllowEverything() {
        check("", [("/x", true)])
        check("User-agent: *\nDisallow:\n", [("/x", true)])
        check("garbage without colons\n\u{0}\u{1}\nDisallow: /\n", [("/x", true)])  // rules before any group
        check("User-agent: OtherBot\nDisallow: /\n", [("/x", true)])
    }

    func testCommentsCRLFBOMAndCaseOfKeys() {
        let robots = "\u{FEFF}# hello\r\nUSER-AGENT: * # everyone\r\nDISALLOW: /secret # not you\r\nSitemap: /s.xml\r\n"
        check(robots, [("/secret/x", false), ("/public", true)])
    }

    func testRobotsTxtItselfIsAlwaysAllowed() {
        check("User-agent: *\nDisallow: /\n", [("/robots.txt", true), ("/x", false)])
    }
}
