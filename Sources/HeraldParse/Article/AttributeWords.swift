/// The words of an element's `class`, `id`… values (maximal runs of letters and digits, lowercased), as bytes.
///
/// The metadata rules (`VisibleDate`, `Byline`, `LeadImage`) ask these of most elements of a page. Splitting with
/// `String.lowercased()` and `Character.isLetter` (and comparing with Foundation's `contains`) cost more than all the
/// rest of the generic profile; an ASCII value is split in place here, a value with other characters the old way
/// (the same words).
enum AttributeWords {
    /// Calls `body` with each word of `node`'s attributes `names` until it returns true; returns whether it did
    /// (the attributes in `names`' order).
    static func contains(
        _ node: Node, _ names: [String], where body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        for name in names {
            let found =
                node.withAttributeBytes(name) { value -> Bool in
                    if isASCII(value) {
                        return asciiWords(value, body)
                    }
                    let words = String(decoding: value, as: UTF8.self).lowercased()
                        .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
                    for word in words where Array(word.utf8).withUnsafeBufferPointer(body) { return true }
                    return false
                } ?? false
            if found { return true }
        }
        return false
    }

    /// Calls `body` with the index in `names` of each attribute of `node` so named and each of its words, in one
    /// walk of the element's attributes (in the page's order, not `names`' order). `body` returning true ends the
    /// walk of that attribute's words.
    static func forEach(
        _ node: Node, _ names: [[UInt8]], _ body: (Int, UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        guard node.isElement, node.pointer.pointee.properties != nil else { return }
        node.forEachAttributeValue { name, value in
            guard let index = names.firstIndex(where: { equals(name, $0) }) else { return }
            if isASCII(value) {
                _ = asciiWords(value) { body(index, $0) }
                return
            }
            let words = String(decoding: value, as: UTF8.self).lowercased()
                .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            for word in words where Array(word.utf8).withUnsafeBufferPointer({ body(index, $0) }) { return }
        }
    }

    /// Does some word of `node`'s attributes `names` satisfy `predicate`? (One walk of the attributes.)
    static func any(_ node: Node, _ names: [[UInt8]], _ predicate: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var found = false
        forEach(node, names) { _, word in
            if !found, predicate(word) { found = true }
            return found
        }
        return found
    }

    /// The words of an ASCII value, lowercased, into `body` until it returns true (returned then).
    ///
    /// Speed: a byte is classed with two subtractions and written lowercased to the buffer, with the end of the value
    /// handled after the loop (the loop tested for a sentinel past the end at every byte, and `Byte.isAlphanumeric`
    /// compared four bounds): the words of every element's `class` and `id` are read by three rules.
    private static func asciiWords(
        _ value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, value.count)) { buffer in
            var start = -1
            for i in 0..<value.count {
                let byte = value[i]
                let lower = byte | 0x20
                if lower &- 0x61 < 26 {
                    buffer[i] = lower
                } else if byte &- 0x30 < 10 {
                    buffer[i] = byte
                } else {
                    if start >= 0 {
                        if body(UnsafeBufferPointer(rebasing: buffer[start..<i])) { return true }
                        start = -1
                    }
                    continue
                }
                if start < 0 { start = i }
            }
            return start >= 0 && body(UnsafeBufferPointer(rebasing: buffer[start..<value.count]))
        }
    }

    /// Is every byte below 0x80? Eight at a time (speed: `allSatisfy` tested them one by one before every split).
    @inline(__always)
    static func isASCII(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = value.baseAddress else { return true }
        let n = value.count
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    static func hasPrefix(_ word: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard word.count >= prefix.count else { return false }
        for k in 0..<prefix.count where word[k] != prefix[k] { return false }
        return true
    }

    @inline(__always)
    static func hasSuffix(_ word: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        guard word.count >= suffix.count else { return false }
        let offset = word.count - suffix.count
        for k in 0..<suffix.count where word[offset + k] != suffix[k] { return false }
        return true
    }

    @inline(__always)
    static func equals(_ word: UnsafeBufferPointer<UInt8>, _ other: [UInt8]) -> Bool {
        word.count == other.count && hasPrefix(word, other)
    }

    static func contains(_ word: UnsafeBufferPointer<UInt8>, _ part: [UInt8]) -> Bool {
        Boilerplate.contains(word, part)
    }

    static func bytes(_ list: [String]) -> [[UInt8]] { list.map { Array($0.utf8) } }
}

/// Words to compare an attribute's words with, grouped by their first byte: a word is compared only with the entries
/// that start as it does (speed: the date, byline and caption rules compared each word of every element's `class`
/// and `id` with 20 to 40 entries one after another). The answers are those of comparing with every entry.
struct WordList {
    /// The entries back to back, grouped by first byte.
    private let bytes: [UInt8]
    /// Per entry: its start in `bytes`; `starts[k + 1]` ends it.
    private let starts: [Int32]
    /// Per byte value b: the entries starting with b are `firstEntry[b]..<firstEntry[b + 1]`.
    private let firstEntry: [Int32]
    /// The length of the shortest entry: no entry starts where fewer bytes are left (speed: `occurs` tried every
    /// position of a word, though most leave too few bytes for any entry).
    private let shortest: Int

    init(_ words: [String]) {
        let sorted = words.map { Array($0.utf8) }.filter { !$0.isEmpty }.sorted { $0[0] < $1[0] }
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var firstEntry = [Int32](repeating: 0, count: 257)
        for word in sorted {
            starts.append(Int32(bytes.count))
            bytes.append(contentsOf: word)
        }
        starts.append(Int32(bytes.count))
        var entry = 0
        for value in 0...256 {
            while entry < sorted.count, Int(sorted[entry][0]) < value { entry += 1 }
            firstEntry[value] = Int32(entry)
        }
        self.bytes = bytes
        self.starts = starts
        self.firstEntry = firstEntry
        shortest = sorted.map(\.count).min() ?? 1
    }

    /// Is some entry a prefix of `word`?
    func hasPrefix(of word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first else { return false }
        return matches(word, at: 0, first: first, whole: false)
    }

    /// Is `word` one of the entries?
    func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first else { return false }
        return matches(word, at: 0, first: first, whole: true)
    }

    /// Does some entry occur in `word`?
    func occurs(in word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count >= shortest else { return false }
        for i in 0...(word.count - shortest) where matches(word, at: i, first: word[i], whole: false) { return true }
        return false
    }

    /// Does an entry starting with `first` match `word` from `i` (to its end when `whole`)?
    @inline(__always)
    private func matches(_ word: UnsafeBufferPointer<UInt8>, at i: Int, first: UInt8, whole: Bool) -> Bool {
        let available = word.count - i
        for entry in Int(firstEntry[Int(first)])..<Int(firstEntry[Int(first) + 1]) {
            let start = Int(starts[entry])
            let count = Int(starts[entry + 1]) - start
            guard whole ? count == available : count <= available else { continue }
            var k = 1
            while k < count, bytes[start + k] == word[i + k] { k += 1 }
            if k == count { return true }
        }
        return false
    }
}
