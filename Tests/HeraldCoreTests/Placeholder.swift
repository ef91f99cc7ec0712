import XCTest
import HeraldTestSupport
final class PlaceholderCoreTests: XCTestCase { func testNothing() {} }
