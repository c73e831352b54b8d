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

/// The precomputed tables of the plugin's optimized evaluator (§6) for one set of held roles: the
/// actions granted at cluster level and on `*`, and the name tables (``NameGrants``) that answer
/// which actions are granted on an index name. Built from the roles alone when a subject holding
/// that set is first prepared, and shared by every subject holding the same roles. `${…}`
/// templates are the subject's own (``SubjectContext``).
///
/// The name tables are one table merged for the whole set, or (``Evaluator/RoleSetTables``) one
/// per group of the roles, each shared with every other set holding that group: a set then costs
/// no build, and a question a lookup per group.
final class PrivilegeTables: Sendable {
    /// The roles, in the order given.
    let roles: [CompiledRole]
    /// Catalog actions (by position) granted by some role's `cluster_permissions` (non-explicit rule).
    let cluster: BitSet
    /// Catalog actions granted on `*`.
    let everything: BitSet
    /// Grants with `${…}` patterns: the subject renders them.
    let templated: [IndexGrant]
    /// The name tables of all the roles, or of groups that together hold every role (a role may
    /// be in several): the action is granted on the name when one of them grants it.
    private let names: NameGrants
    private let moreNames: [NameGrants]

    /// `names`: the roles' name tables, at least one.
    init(roles: [CompiledRole], catalogCount: Int, names: [NameGrants]) {
        self.roles = roles
        var cluster = BitSet(capacity: catalogCount), everything = BitSet(capacity: catalogCount)
        var templated: [IndexGrant] = []
        for role in roles {
            cluster.formUnion(role.clusterBits)
            everything.formUnion(role.tableParts.everything)
            templated += role.tableParts.templated
        }
        self.cluster = cluster
        self.everything = everything
        self.templated = templated
        self.names = names[0]
        moreNames = Array(names.dropFirst())
    }

    /// The tables of no role.
    static let none = PrivilegeTables(roles: [], catalogCount: 0, names: [NameGrants(roles: [], catalogCount: 0, renderDateMath: { _ in Pattern("") })])

    /// Whether a role grants the catalog action `id` on `name` through `*`, an exact name, a prefix,
    /// or a glob, regex or date-math pattern.
    func grants(_ id: Int, on name: String) -> Bool {
        if everything.contains(id) || names.grants(id, on: name) { return true }
        for table in moreNames where table.grants(id, on: name) { return true }
        return false
    }
}

/// For some roles (a whole set, or a group of it): each index name and each name prefix their
/// grants list, with the catalog actions granted there, and the glob, regex and date-math patterns
/// that need a real match. (`*` is ``PrivilegeTables/everything``.)
final class NameGrants: Sendable {
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
    private let matching: MatchingPatterns?

    /// `catalogCount`: the catalog's action count (the width of every action bit set);
    /// `renderDateMath` resolves a date-math pattern for the evaluator's clock. The roles' names
    /// and prefixes come hashed and merged per role (``CompiledRole/tableParts``): the set only
    /// unions them.
    init(roles: [CompiledRole], catalogCount: Int, renderDateMath: (String) -> Pattern) {
        let stride = max(1, (catalogCount + 63) / 64)
        self.stride = stride
        var matched: [MatchingPatterns.Grant] = []
        var exactCount = 0, prefixCount = 0, exactBytes = 0, prefixBytes = 0
        for role in roles {
            exactCount += role.tableParts.exact.count
            prefixCount += role.tableParts.prefixes.count
            exactBytes += role.tableParts.exact.keyBytes
            prefixBytes += role.tableParts.prefixes.keyBytes
        }
        var exact = NameTable.Builder(capacity: exactCount, keyBytes: exactBytes)
        var prefixes = NameTable.Builder(capacity: prefixCount, keyBytes: prefixBytes)
        // Room for every name; what names shared by several roles leave unused is cut below.
        var exactWords = [UInt64](repeating: 0, count: exactCount * stride)
        var prefixWords = [UInt64](repeating: 0, count: prefixCount * stride)
        for role in roles {
            let parts = role.tableParts
            parts.exact.merge(into: &exact, words: &exactWords, stride: stride)
            parts.prefixes.merge(into: &prefixes, words: &prefixWords, stride: stride)
            for grant in parts.matching {
                if !grant.dateMath.isEmpty {
                    let dates = grant.dateMath.map { FlatPatterns.Piece(renderDateMath($0)) }
                    matched.append((grant.actionBits, grant.otherPieces + dates, grant.otherKeys + grant.dateMathKeys))
                } else {
                    matched.append((grant.actionBits, grant.otherPieces, grant.otherKeys))
                }
            }
        }
        exactWords.removeLast(exactWords.count - exact.count * stride)
        prefixWords.removeLast(prefixWords.count - prefixes.count * stride)
        self.exact = NameTable(numbered: exact)
        self.exactWords = exactWords
        self.prefixes = NameTable(numbered: prefixes)
        self.prefixWords = prefixWords
        var lengths = prefixes.entries.map { Int($0 & 0xFFFF_FFFF) }
        lengths.sort()
        var distinctLengths: [Int] = []
        for length in lengths where distinctLengths.last != length { distinctLengths.append(length) }
        prefixLengths = distinctLengths
        var firstBytes = ByteSet()
        // The empty prefix (`*`) is `everything`; it never reaches this table.
        for location in prefixes.entries where location & 0xFFFF_FFFF != 0 { firstBytes.insert(prefixes.keys[Int(location >> 32)]) }
        prefixFirstBytes = firstBytes
        matching = matched.isEmpty ? nil : MatchingPatterns(matched)
    }

    /// Whether the catalog action `id` is granted on `name` through an exact name, a prefix, or
    /// (``matching``) a glob, regex or date-math pattern. One pass over the name hashes it and
    /// every prefix length in the table.
    func grants(_ id: Int, on name: String) -> Bool {
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

/// One role's share of the tables of every role set holding it, made once when the role is
/// compiled: its exact names and its prefixes, each hashed once and with the union of the
/// actions its grants give there; the actions it grants on `*`; and, in the order written, the
/// grants whose patterns need a real match and those with `${…}` templates.
final class RoleTableParts: Sendable {
    let exact: HashedNames
    let prefixes: HashedNames
    let everything: BitSet
    /// Grants with glob, regex or date-math patterns.
    let matching: [IndexGrant]
    let templated: [IndexGrant]

    init(_ grants: [IndexGrant]) {
        var exact: [(name: String, actions: BitSet)] = [], prefixes: [(name: String, actions: BitSet)] = []
        var everything = BitSet(capacity: 0)
        for grant in grants {
            if grant.matchesEverything { everything.formUnion(grant.actionBits) }
            for name in grant.exactNames { exact.append((name, grant.actionBits)) }
            for prefix in grant.prefixes { prefixes.append((prefix, grant.actionBits)) }
        }
        self.exact = HashedNames(exact)
        self.prefixes = HashedNames(prefixes)
        self.everything = everything
        matching = grants.filter { !$0.dateMath.isEmpty || !$0.others.isEmpty }
        templated = grants.filter { !$0.templates.isEmpty }
    }
}

/// Distinct names, each hashed once (``NameTable/hash(_:)``) with the union of the action bits
/// given for it, ready to be added to a role set's name table.
final class HashedNames: Sendable {
    /// Per name: offset << 32 | length of its bytes in `keys`, and its hash.
    private let locations: [UInt64]
    private let hashes: [UInt64]
    private let keys: [UInt8]
    /// `words[name * stride ..< +stride]`: the actions given for the name.
    private let words: [UInt64]
    private let stride: Int

    var count: Int { locations.count }

    init(_ names: [(name: String, actions: BitSet)]) {
        let stride = names.reduce(1) { max($0, $1.actions.words.count) }
        var builder = NameTable.Builder(capacity: names.count)
        var words: [UInt64] = []
        for (name, actions) in names {
            let (entry, isNew) = builder.insert(name)
            if isNew { words.append(contentsOf: repeatElement(0, count: stride)) }
            for (word, bits) in actions.words.enumerated() { words[entry * stride + word] |= bits }
        }
        locations = builder.entries
        hashes = builder.hashes
        keys = builder.keys
        self.words = words
        self.stride = stride
    }

    /// Adds every name to `table` (a name it holds keeps its entry) and ORs the name's actions
    /// into its entry's `stride` words of `words` (a new entry's words are appended, zero).
    /// `target` must hold `stride` words for every entry the table can reach (its entries before
    /// plus ``count``): the caller sizes it for all the names it merges.
    func merge(into table: inout NameTable.Builder, words target: inout [UInt64], stride: Int) {
        let shared = min(stride, self.stride), ownStride = self.stride
        keys.withUnsafeBufferPointer { keys in
            words.withUnsafeBufferPointer { words in
                target.withUnsafeMutableBufferPointer { target in
                    for name in 0..<locations.count {
                        let location = locations[name]
                        let offset = Int(location >> 32), length = Int(location & 0xFFFF_FFFF)
                        let entry = table.insert(UnsafeBufferPointer(rebasing: keys[offset..<(offset + length)]), hash: hashes[name]).entry
                        let from = name * ownStride, to = entry * stride
                        for word in 0..<shared { target[to + word] |= words[from + word] }
                    }
                }
            }
        }
    }

    /// The bytes of all names.
    var keyBytes: Int { keys.count }
}

/// A set of bytes, held inline (no allocation).
struct ByteSet: Sendable {
    private var low: UInt64 = 0, midLow: UInt64 = 0, midHigh: UInt64 = 0, high: UInt64 = 0

    init() {}

    init(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { insert(byte) }
    }

    func isSubset(of other: ByteSet) -> Bool {
        low & ~other.low == 0 && midLow & ~other.midLow == 0 && midHigh & ~other.midHigh == 0 && high & ~other.high == 0
    }

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
