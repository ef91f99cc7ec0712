// Shared by every harness: a failed property prints what failed (precondition's message is dropped at -O) and
// aborts, so libFuzzer saves the input as a crash.
#if canImport(Glibc)
    import Glibc
#endif

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard !condition() else { return }
    let text = "fuzz property violated: \(message().debugDescription)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
}
