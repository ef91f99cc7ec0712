import XCTest
import HeraldTestSupport
final class PlaceholderParseTests: XCTestCase { func testNothing() {} }
