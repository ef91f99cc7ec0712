/// Bytes appended into one allocation, made an array once at the end: the stripper's output, which is never longer
/// than its input (every marker it writes replaces more bytes than it takes), so one allocation of the input's size
/// holds it. Speed: Array's `append(contentsOf:)` cost about 120 instructions a call, and the stripper makes some
/// fifty thousand on a sample of fifty pages.
///
/// A value type without deinit (a class's stored properties would be checked for exclusive access at every append):
/// whoever makes one calls `finish()` exactly once, which frees the allocation.
struct ByteSink {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        start = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        start[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Never needed for the stripper's output; there for safety.
    private mutating func grow(to needed: Int) {
        precondition(capacity > 0, "a ByteSink is not used after finish()")
        let larger = max(needed, capacity * 2)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        fresh.update(from: start, count: count)
        start.deallocate()
        start = fresh
        capacity = larger
    }

    /// The bytes as an array; frees the allocation (the sink is not to be used after).
    mutating func finish() -> [UInt8] {
        let bytes = Array(UnsafeBufferPointer(start: start, count: count))
        start.deallocate()
        capacity = 0
        count = 0
        return bytes
    }
}
