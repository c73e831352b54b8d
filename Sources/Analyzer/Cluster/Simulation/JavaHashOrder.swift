/// The order in which `java.util.HashMap` / `HashSet` iterate string keys added one by one: by
/// bucket (`String.hashCode()` spread with `h ^ (h >>> 16)`, masked by the table size, which
/// starts at 16 and doubles past a load factor of 0.75), then by insertion within a bucket. The
/// plugin prints role, backend-role and entry lists in this order where it keeps them in hash
/// collections (security-layer-responses.md: "Java HashMap order", "HashSet order before 3.1").
/// Buckets of eight or more colliding keys become trees in Java; such lists are not modelled.
enum JavaHashOrder {
    static func hashCode(_ text: String) -> Int32 {
        var hash: Int32 = 0
        for unit in text.utf16 { hash = hash &* 31 &+ Int32(unit) }
        return hash
    }

    static func spread(_ hash: Int32) -> UInt32 {
        let bits = UInt32(bitPattern: hash)
        return bits ^ (bits >> 16)
    }

    static func order(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        let distinct = keys.filter { seen.insert($0).inserted }
        var capacity = 16
        while Double(distinct.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let mask = UInt32(capacity - 1)
        let indexed = distinct.enumerated().map { (bucket: spread(hashCode($0.element)) & mask, position: $0.offset, key: $0.element) }
        return indexed.sorted { ($0.bucket, $0.position) < ($1.bucket, $1.position) }.map(\.key)
    }
}
