import XCTest
import HeraldTestSupport
final class PlaceholderStoreTests: XCTestCase { func testNothing() {} }
