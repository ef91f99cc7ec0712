import Foundation

// The entry point: every command runs in a task of default priority, and the main thread only waits.
//
// Swift's async main (and `dispatchMain()`) hand the main queue to a libdispatch worker of user-interactive quality
// of service, and the async main task runs at user-initiated priority. On Linux libdispatch gives each worker thread
// the nice value of its queue's quality of service (-4 and -2 for those two), and an unprivileged process may not
// lower its nice value: every process, `herald check-config` and `herald reload` included, logged "Failed to set
// thread priority for worker thread … errno=13" to syslog at notice, which under systemd filled the journal. A news
// crawler is background work: default priority (nice 0) is what it should ask for anyway. Nothing in Herald runs on
// the main queue or the main actor, so the main thread need not serve them. The task is detached, not awaited: a
// high-priority waiter would raise it back (priority escalation).
Task.detached(priority: .medium) {
    await Herald.main()
    exit(0)
}
while true { pause() }
