import Foundation
import HeraldTestSupport
import XCTest

/// Signals the moment the daemon says it is up. systemd sends `ExecReload`'s SIGHUP, or a stop's SIGTERM, as soon as
/// READY=1 arrives; neither may meet the default action (which ends the process, SIGHUP included).
final class DaemonSignalTests: XCTestCase {
    func testSIGHUPAndSIGTERMRightAfterREADYAreHandled() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/news/", .html("<html><body></body></html>"))
        let harness = try DaemonHarness("herald-signals")
        try harness.writeConfig(sources: [DaemonHarness.source("news", server.url("/news/"), interval: "1h")])
        for round in 1...5 {
            let notify = try NotifyListener(path: harness.folder.path("notify-\(round).sock"))
            defer { notify.close() }
            let daemon = try DaemonProcess(
                config: harness.configPath, folder: harness.folder.url,
                environment: ["NOTIFY_SOCKET": notify.path])
            XCTAssertTrue(notify.waitFor("READY=1", timeout: 30), "round \(round): no READY=1\n\(daemon.log)")
            daemon.signal(SIGHUP)
            XCTAssertTrue(
                notify.waitFor("RELOADING=1", timeout: 10), "round \(round): SIGHUP not handled\n\(daemon.log)")
            daemon.signal(SIGTERM)
            XCTAssertEqual(daemon.waitForExit(timeout: 20), 0, "round \(round): \(daemon.log)")
            XCTAssertEqual(daemon.process.terminationReason, .exit, "round \(round): ended by a signal\n\(daemon.log)")
        }
    }
}
