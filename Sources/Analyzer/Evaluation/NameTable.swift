import Foundation

/// An immutable hash table from names to integers for the evaluator's lookups (exact index names,
/// index-name prefixes, action names).
///
/// Keys compare byte for byte: code-unit equality, as Java's `String.equals` in the plugin (Swift's
/// `String ==` would also equate canonically equivalent spellings, which the plugin does not). The
/// hash (FNV-1a) runs byte by byte, so every prefix of a name can be looked up in one pass.
struct NameTable: Sendable {
    /// Per slot: 0 when empty, else tag << 32 | (entry + 1).
    private let slots: [UInt64]
    private let mask: Int
    /// Per entry: key offset << 32 | key length.
    private let entries: [UInt64]
    private let keys: [UInt8]
    private let values: [Int]

    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        bytes.reduce(seed, step)
    }

    /// Later duplicates of a key are ignored.
    init(_ pairs: [(key: String, value: Int)]) {
        var builder = Builder(capacity: pairs.count)
        var values: [Int] = []
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs where builder.insert(key).isNew { values.append(value) }
        self.init(builder, values: values)
    }

    /// A table whose value for each distinct key is its entry number (0, 1, … in first-seen
    /// order), and for each key of `keys` (duplicates included) that number.
    static func numbering(_ keys: [String]) -> (table: NameTable, entries: [Int]) {
        var builder = Builder(capacity: keys.count)
        let entries = keys.map { builder.insert($0).entry }
        return (NameTable(builder, values: Array(0..<builder.count)), entries)
    }

    /// A table whose value for each key is its entry number in `builder`.
    init(numbered builder: Builder) {
        self.init(builder, values: Array(0..<builder.count))
    }

    private init(_ builder: Builder, values: [Int]) {
        slots = builder.slots
        mask = builder.mask
        entries = builder.entries
        keys = builder.keys
        self.values = values
    }

    /// The table's layout filled key by key; a key seen before keeps its first entry. Each
    /// entry's hash is kept, so that keys hashed once (a role's names, ``HashedNames``) can be
    /// added to other tables without hashing them again.
    struct Builder {
        private(set) var slots: [UInt64]
        let mask: Int
        /// Per entry: key offset << 32 | key length.
        private(set) var entries: [UInt64] = []
        private(set) var hashes: [UInt64] = []
        private(set) var keys: [UInt8] = []
        var count: Int { entries.count }

        /// Room for `capacity` keys at a load of at most one half; `keyBytes`: their bytes, when
        /// known (index names and prefixes are mostly short: one allocation for the usual keys).
        init(capacity: Int, keyBytes: Int? = nil) {
            var size = 8
            while size < capacity * 2 { size *= 2 }
            slots = [UInt64](repeating: 0, count: size)
            mask = size - 1
            entries.reserveCapacity(capacity)
            hashes.reserveCapacity(capacity)
            keys.reserveCapacity(keyBytes ?? capacity * 16)
        }

        /// The key's entry, and whether it was added now.
        mutating func insert(_ key: String) -> (entry: Int, isNew: Bool) {
            NameTable.withBytes(key) { bytes in insert(bytes, hash: NameTable.hash(bytes)) }
        }

        /// ``insert(_:)`` for a key given as bytes with its hash (``NameTable/hash(_:)``).
        mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (entry: Int, isNew: Bool) {
            var slot = NameTable.slot(hash, mask: mask)
            let tag = NameTable.tag(hash)
            while slots[slot] != 0 {
                let entry = Int(UInt32(truncatingIfNeeded: slots[slot])) - 1
                let offset = Int(entries[entry] >> 32), length = Int(entries[entry] & 0xFFFF_FFFF)
                if UInt32(slots[slot] >> 32) == tag, length == bytes.count, keys.withUnsafeBufferPointer({ keys in
                    length == 0 || memcmp(keys.baseAddress! + offset, bytes.baseAddress!, length) == 0
                }) {
                    return (entry, false)
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = UInt64(tag) << 32 | UInt64(entries.count + 1)
            entries.append(UInt64(keys.count) << 32 | UInt64(bytes.count))
            hashes.append(hash)
            keys.append(contentsOf: bytes)
            return (entries.count - 1, true)
        }
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, mask: Int) -> Int {
        var mixed = hash ^ (hash >> 32)
        mixed &*= 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash) | 1 }

    /// The value for the key whose bytes are `key` and whose hash is `hash`.
    func value(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        guard !values.isEmpty else { return nil }
        let tag = NameTable.tag(hash)
        var slot = NameTable.slot(hash, mask: mask)
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let content = slots[slot]
                if content == 0 { return nil }
                if UInt32(content >> 32) == tag {
                    let entry = Int(UInt32(truncatingIfNeeded: content)) - 1
                    let location = entries[entry]
                    let offset = Int(location >> 32), length = Int(location & 0xFFFF_FFFF)
                    if length == key.count, keys.withUnsafeBufferPointer({ keys in
                        length == 0 || memcmp(keys.baseAddress! + offset, key.baseAddress!, length) == 0
                    }) {
                        return values[entry]
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func value(for name: String) -> Int? {
        NameTable.withBytes(name) { value($0, hash: NameTable.hash($0)) }
    }

    /// Runs `body` on the UTF-8 bytes of `name`, copied only when the string is not contiguous.
    static func withBytes<Result>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = name.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(name.utf8).withUnsafeBufferPointer(body)
    }
}
