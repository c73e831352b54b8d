/// A set of small integers (role ids, action ids) as a bitset.
struct BitSet: Sendable, Hashable {
    private(set) var words: [UInt64]

    init(capacity: Int) {
        words = [UInt64](repeating: 0, count: max(1, (capacity + 63) / 64))
    }

    mutating func insert(_ id: Int) { words[id >> 6] |= 1 << UInt64(id & 63) }

    func contains(_ id: Int) -> Bool {
        let word = id >> 6
        return word < words.count && words[word] & (1 << UInt64(id & 63)) != 0
    }

    func containsAny(_ ids: [Int]) -> Bool { ids.contains(where: contains) }

    /// Calls `body` with each member, smallest first.
    func forEachMember(_ body: (Int) -> Void) {
        for (index, word) in words.enumerated() {
            var remaining = word
            while remaining != 0 {
                body(index * 64 + remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }

    /// Adds every member of `other` (grown to its size when it is larger).
    mutating func formUnion(_ other: BitSet) {
        if other.words.count > words.count { words += [UInt64](repeating: 0, count: other.words.count - words.count) }
        for index in other.words.indices { words[index] |= other.words[index] }
    }

    /// Whether the two sets share a member.
    func intersects(_ other: BitSet) -> Bool {
        for index in 0..<min(words.count, other.words.count) where words[index] & other.words[index] != 0 { return true }
        return false
    }

}

/// The precomputed tables of the plugin's optimized evaluator (§6) for one set of held roles: for
/// each index name and each name prefix the roles' grants list, the catalog actions granted there;
/// the actions granted on `*` and at cluster level; and the glob, regex and date-math patterns that
/// need a real match. Built from the roles alone when a subject holding that set is first prepared,
/// and shared by every subject holding the same roles. `${…}` templates are the subject's own
/// (``SubjectContext``).
final class PrivilegeTables: Sendable {
    /// The roles, in the order given.
    let roles: [CompiledRole]
    /// Catalog actions (by position) granted by some role's `cluster_permissions` (non-explicit rule).
    let cluster: BitSet
    /// Catalog actions granted on `*`.
    let everything: BitSet
    /// Name → entry, and prefix → entry; an entry's actions are `actionWords[entry * stride ..< +stride]`.
    private let exact: NameTable
    private let prefixes: NameTable
    private let exactWords: [UInt64]
    private let prefixWords: [UInt64]
    private let stride: Int
    /// The distinct prefix lengths, shortest first.
    private let prefixLengths: [Int]
    /// Whether some prefix starts with this byte: most names are rejected before any lookup.
    private let prefixFirstBytes: ByteSet
    /// Glob, regex and date-math patterns (date math rendered for `now`), by action.
    let matching: MatchingPatterns?
    /// Grants with `${…}` patterns: the subject renders them.
    let templated: [IndexGrant]

    /// `catalogCount`: the catalog's action count (the width of every action bit set);
    /// `renderDateMath` resolves a date-math pattern for the evaluator's clock.
    init(roles: [CompiledRole], catalogCount: Int, renderDateMath: (String) -> Pattern) {
        self.roles = roles
        let stride = max(1, (catalogCount + 63) / 64)
        self.stride = stride
        var cluster = BitSet(capacity: catalogCount), everything = BitSet(capacity: catalogCount)
        var exactNames: [String] = [], exactGrants: [IndexGrant] = []
        var prefixNames: [String] = [], prefixGrants: [IndexGrant] = []
        var matched: [MatchingPatterns.Grant] = [], templated: [IndexGrant] = []
        var exactCount = 0, prefixCount = 0
        for role in roles {
            for grant in role.indexGrants {
                exactCount += grant.exactNames.count
                prefixCount += grant.prefixes.count
            }
        }
        exactNames.reserveCapacity(exactCount)
        exactGrants.reserveCapacity(exactCount)
        prefixNames.reserveCapacity(prefixCount)
        prefixGrants.reserveCapacity(prefixCount)
        for role in roles {
            cluster.formUnion(role.clusterBits)
            for grant in role.indexGrants {
                if grant.matchesEverything { everything.formUnion(grant.actionBits) }
                for name in grant.exactNames {
                    exactNames.append(name)
                    exactGrants.append(grant)
                }
                for prefix in grant.prefixes {
                    prefixNames.append(prefix)
                    prefixGrants.append(grant)
                }
                if !grant.dateMath.isEmpty {
                    let dates = grant.dateMath.map { FlatPatterns.Piece(renderDateMath($0)) }
                    matched.append((grant.actionBits, grant.otherPieces + dates, grant.otherKeys + grant.dateMathKeys))
                } else if !grant.others.isEmpty {
                    matched.append((grant.actionBits, grant.otherPieces, grant.otherKeys))
                }
                if !grant.templates.isEmpty { templated.append(grant) }
            }
        }
        self.cluster = cluster
        self.everything = everything
        (exact, exactWords) = Self.table(exactNames, exactGrants, stride: stride)
        (prefixes, prefixWords) = Self.table(prefixNames, prefixGrants, stride: stride)
        var lengths = prefixNames.map(\.utf8.count)
        lengths.sort()
        var distinctLengths: [Int] = []
        for length in lengths where distinctLengths.last != length { distinctLengths.append(length) }
        prefixLengths = distinctLengths
        var firstBytes = ByteSet()
        // The empty prefix (`*`) is `everything`; it never reaches this table.
        for prefix in prefixNames { if let first = prefix.utf8.first { firstBytes.insert(first) } }
        prefixFirstBytes = firstBytes
        matching = matched.isEmpty ? nil : MatchingPatterns(matched)
        self.templated = templated
    }

    /// Names numbered by a NameTable, and per entry the union of the actions of the grants naming it.
    private static func table(_ names: [String], _ grants: [IndexGrant], stride: Int) -> (NameTable, [UInt64]) {
        let (table, entries) = NameTable.numbering(names)
        var words = [UInt64](repeating: 0, count: (entries.max().map { $0 + 1 } ?? 0) * stride)
        words.withUnsafeMutableBufferPointer { words in
            for (entry, grant) in zip(entries, grants) {
                grant.actionBits.words.withUnsafeBufferPointer { bits in
                    let base = entry * stride
                    for word in 0..<min(stride, bits.count) where bits[word] != 0 { words[base + word] |= bits[word] }
                }
            }
        }
        return (table, words)
    }

    /// Whether a role grants the catalog action `id` on `name` through `*`, an exact name, a prefix,
    /// or (``matching``) a glob, regex or date-math pattern. One pass over the name hashes it and
    /// every prefix length in the table.
    func grants(_ id: Int, on name: String) -> Bool {
        if everything.contains(id) { return true }
        let word = id >> 6, bit: UInt64 = 1 << UInt64(id & 63)
        guard word < stride else { return false }
        let found = NameTable.withBytes(name) { bytes in
            var hash = NameTable.seed, hashed = 0
            if let first = bytes.first, prefixFirstBytes.contains(first) {
                for length in prefixLengths {
                    if length > bytes.count { break }
                    while hashed < length {
                        hash = NameTable.step(hash, bytes[hashed])
                        hashed += 1
                    }
                    if let entry = prefixes.value(UnsafeBufferPointer(rebasing: bytes[0..<length]), hash: hash),
                       prefixWords[entry &* stride &+ word] & bit != 0 { return true }
                }
            }
            while hashed < bytes.count {
                hash = NameTable.step(hash, bytes[hashed])
                hashed += 1
            }
            if let entry = exact.value(bytes, hash: hash), exactWords[entry &* stride &+ word] & bit != 0 { return true }
            return false
        }
        return found || matching?.covers(actionID: id, name: name) == true
    }
}

/// A set of bytes, held inline (no allocation).
struct ByteSet: Sendable {
    private var low: UInt64 = 0, midLow: UInt64 = 0, midHigh: UInt64 = 0, high: UInt64 = 0

    mutating func insert(_ byte: UInt8) {
        let bit: UInt64 = 1 << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: low |= bit
        case 1: midLow |= bit
        case 2: midHigh |= bit
        default: high |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        let bit: UInt64 = 1 << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return low & bit != 0
        case 1: return midLow & bit != 0
        case 2: return midHigh & bit != 0
        default: return high & bit != 0
        }
    }
}
