// Short ASCII words packed into integers, and the tables that look them up: the word lists of the generic profile
// (Boilerplate, the stripper's attribute names, the metadata rules) compare every element's attribute words with
// them, so a comparison is an integer compare, not a byte loop or a String.

/// An ASCII word of up to 16 bytes, lowercased and packed into two integers (longer words keep their length and first
/// 16 bytes: no list word is longer, so they only ever match as a prefix).
struct PackedWord: Equatable {
    var low: UInt64 = 0
    var high: UInt64 = 0
    var count: Int

    @inline(__always)
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        count = bytes.count
        let n = min(count, 16)
        var k = 0
        while k < n {
            var byte = bytes[k]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if k < 8 {
                low |= UInt64(byte) << UInt64(k * 8)
            } else {
                high |= UInt64(byte) << UInt64((k - 8) * 8)
            }
            k += 1
        }
    }

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { PackedWord($0) }
    }

    /// `PackedWord(UnsafeBufferPointer(rebasing: buffer[start..<end]))`, read eight bytes at a time where `buffer`
    /// holds them past `start` and lowercased eight at a time (speed: the verdict's words, mostly inside longer
    /// `class` values, were packed a byte at a time, about seven instructions a byte).
    @inline(__always)
    init(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        let length = end - start
        guard let base = buffer.baseAddress, length <= 16,
            start + (length <= 8 ? 8 : 16) <= buffer.count
        else {
            self.init(UnsafeBufferPointer(rebasing: buffer[start..<end]))
            return
        }
        let head = UnsafeRawPointer(base + start)
        let first = UInt64(littleEndian: head.loadUnaligned(as: UInt64.self))
        guard length > 8 else {
            let low = length == 8 ? first : first & ((1 << UInt64(length * 8)) - 1)
            self.init(low: Self.lowercased(low), high: 0, count: length)
            return
        }
        let second = UInt64(littleEndian: (head + 8).loadUnaligned(as: UInt64.self))
        let high = length == 16 ? second : second & ((1 << UInt64((length - 8) * 8)) - 1)
        self.init(low: Self.lowercased(first), high: Self.lowercased(high), count: length)
    }

    private init(low: UInt64, high: UInt64, count: Int) {
        self.low = low
        self.high = high
        self.count = count
    }

    /// The eight bytes with A-Z lowercased, others (also non-ASCII) unchanged: per byte, x >= 0x41 and x < 0x5B
    /// read from the high bits of x + 0x3F and x + 0x25 (x the low seven bits: no carry between bytes).
    @inline(__always)
    static func lowercased(_ word: UInt64) -> UInt64 {
        let x = word & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = x &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = x &+ 0x2525_2525_2525_2525
        let upper = atLeastA & ~pastZ & ~word & 0x8080_8080_8080_8080
        return word | (upper >> 2)
    }

    /// The first `length` bytes (length <= 16).
    @inline(__always)
    func prefix(_ length: Int) -> PackedWord {
        var word = self
        word.count = length
        if length < 8 {
            word.low &= (1 << UInt64(length * 8)) - 1
            word.high = 0
        } else if length == 8 {
            word.high = 0
        } else if length < 16 {
            word.high &= (1 << UInt64((length - 8) * 8)) - 1
        }
        return word
    }
}

/// Lowercase words (up to 16 bytes) bucketed by length, compared as packed integers.
///
/// The words live in memory allocated once and never freed (the tables are `static let`s, built once per process):
/// an `Array` of buckets cost a retain and a release per lookup, more than the compares.
struct PackedWordTable: @unchecked Sendable {
    /// (low, high) pairs, grouped by length.
    private let words: UnsafeMutablePointer<UInt64>
    /// `starts[n]..<starts[n + 1]`: the pairs of length `n` (0...16).
    private let starts: UnsafeMutablePointer<Int>
    private let maxLength: Int

    init(_ list: [[UInt8]]) {
        for word in list { precondition(word.count <= 16, "word lists hold words of up to 16 bytes") }
        let sorted = list.sorted { $0.count < $1.count }
        words = .allocate(capacity: max(1, sorted.count * 2))
        starts = .allocate(capacity: 18)
        var k = 0
        for length in 0...16 {
            starts[length] = k
            for word in sorted where word.count == length {
                let packed = PackedWord(word)
                words[2 * k] = packed.low
                words[2 * k + 1] = packed.high
                k += 1
            }
        }
        starts[17] = k
        maxLength = sorted.last?.count ?? 0
    }

    @inline(__always)
    func contains(_ word: PackedWord) -> Bool {
        guard word.count <= maxLength else { return false }
        var k = starts[word.count]
        let end = starts[word.count + 1]
        while k < end {
            if words[2 * k] == word.low && words[2 * k + 1] == word.high { return true }
            k += 1
        }
        return false
    }

    /// Some word of the table is a prefix of `word` (or equals it).
    func containsPrefix(of word: PackedWord) -> Bool {
        var length = 1
        let longest = min(word.count, maxLength)
        while length <= longest {
            if starts[length] != starts[length + 1], contains(word.prefix(length)) { return true }
            length += 1
        }
        return false
    }
}

/// Lowercase words (up to 16 bytes) with flag bits, in an open-addressing hash table: one probe or two per lookup,
/// whatever the list's size. Allocated once and never freed (`static let`s), like `PackedWordTable`.
struct PackedWordFlags: @unchecked Sendable {
    static let strong: UInt8 = 1
    static let weak: UInt8 = 2
    static let content: UInt8 = 4

    private let lows: UnsafeMutablePointer<UInt64>
    private let highs: UnsafeMutablePointer<UInt64>
    /// The word's length, 0 for an empty slot.
    private let counts: UnsafeMutablePointer<Int>
    private let bits: UnsafeMutablePointer<UInt8>
    private let mask: Int

    init(_ lists: [(words: [[UInt8]], flag: UInt8)]) {
        let total = lists.reduce(0) { $0 + $1.words.count }
        var size = 16
        while size < total * 4 { size <<= 1 }
        lows = .allocate(capacity: size)
        highs = .allocate(capacity: size)
        counts = .allocate(capacity: size)
        bits = .allocate(capacity: size)
        lows.initialize(repeating: 0, count: size)
        highs.initialize(repeating: 0, count: size)
        counts.initialize(repeating: 0, count: size)
        bits.initialize(repeating: 0, count: size)
        mask = size - 1
        for (words, flag) in lists {
            for word in words {
                precondition(!word.isEmpty && word.count <= 16, "word lists hold words of 1 to 16 bytes")
                let packed = PackedWord(word)
                var i = slot(packed)
                while counts[i] != 0, !matches(i, packed) { i = (i + 1) & mask }
                lows[i] = packed.low
                highs[i] = packed.high
                counts[i] = packed.count
                bits[i] |= flag
            }
        }
    }

    @inline(__always)
    private func slot(_ word: PackedWord) -> Int {
        let mixed = (word.low ^ (word.high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(word.count)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 40) & mask
    }

    @inline(__always)
    private func matches(_ i: Int, _ word: PackedWord) -> Bool {
        counts[i] == word.count && lows[i] == word.low && highs[i] == word.high
    }

    /// The flags of `word` (0 when it is in no list).
    @inline(__always)
    func flags(of word: PackedWord) -> UInt8 {
        var i = slot(word)
        while counts[i] != 0 {
            if matches(i, word) { return bits[i] }
            i = (i + 1) & mask
        }
        return 0
    }
}

/// The first two bytes of some words (ASCII letters and digits, lowercase), as 1,024 bits: a quick "no" before
/// looking for a prefix.
struct BytePairSet: @unchecked Sendable {
    private let words: UnsafeMutablePointer<UInt64>

    init(_ list: [[UInt8]]) {
        words = .allocate(capacity: 16)
        words.initialize(repeating: 0, count: 16)
        for entry in list {
            precondition(entry.count >= 2, "pairs of words of two bytes or more")
            let index = Self.index(entry[0], entry[1])
            words[index >> 6] |= 1 << UInt64(index & 63)
        }
    }

    @inline(__always)
    private static func index(_ first: UInt8, _ second: UInt8) -> Int {
        Int(first & 0x1F) << 5 | Int(second & 0x1F)
    }

    /// Might `word` (two bytes or more) start with one of the words?
    @inline(__always)
    func contains(_ word: PackedWord) -> Bool {
        contains(UInt8(truncatingIfNeeded: word.low), UInt8(truncatingIfNeeded: word.low >> 8))
    }

    /// Might a word starting with these two bytes be one of the words (or start with one)?
    @inline(__always)
    func contains(_ first: UInt8, _ second: UInt8) -> Bool {
        let index = Self.index(first, second)
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }
}
