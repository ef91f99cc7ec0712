import XCTest
import HeraldTestSupport
final class PlaceholderFetchTests: XCTestCase { func testNothing() {} }
