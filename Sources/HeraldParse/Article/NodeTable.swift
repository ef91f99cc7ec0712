/// A hash table from nodes (by address) to values, with open addressing and a multiplicative hash: the generic
/// extractor keeps a few numbers for every element of a page, and `Dictionary<Node, _>` spent more time in SipHash
/// and reference counting (a `Node` holds its document) than in the extraction itself.
struct NodeTable<Value> {
    private var keys: [Int]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [Int](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(for key: Int) -> Int {
        // Addresses are 16-byte aligned: mix the high bits down (Fibonacci hashing).
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    subscript(node: Node) -> Value? {
        get { self[address: node.address] }
        set { self[address: node.address] = newValue }
    }

    /// The entry of the node at `key` (`Node.address`), for walks over the libxml2 tree that build no `Node`.
    subscript(address key: Int) -> Value? {
        get {
            var i = slot(for: key)
            while keys[i] != 0 {
                if keys[i] == key { return values[i] }
                i = (i + 1) & mask
            }
            return nil
        }
        set {
            var i = slot(for: key)
            while keys[i] != 0, keys[i] != key { i = (i + 1) & mask }
            if keys[i] == 0 {
                guard let newValue else { return }
                keys[i] = key
                values[i] = newValue
                count += 1
                if count * 2 > keys.count { grow() }
            } else {
                values[i] = newValue  // nil marks no entry but keeps the probe chain
            }
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [Int](repeating: 0, count: oldKeys.count * 2)
        values = [Value?](repeating: nil, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (key, value) in zip(oldKeys, oldValues) where key != 0 {
            var i = slot(for: key)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = key
            values[i] = value
        }
    }

    func contains(_ node: Node) -> Bool { self[node] != nil }

    /// Every (address, value) stored.
    func forEach(_ body: (Int, Value) -> Void) {
        for (key, value) in zip(keys, values) where key != 0 {
            if let value { body(key, value) }
        }
    }
}
