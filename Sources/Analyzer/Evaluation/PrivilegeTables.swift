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

    /// Whether the two sets share a member.
    func intersects(_ other: BitSet) -> Bool {
        for index in 0..<min(words.count, other.words.count) where words[index] & other.words[index] != 0 { return true }
        return false
    }

}

/// The precomputed action → index-pattern → roles tables of the plugin's optimized evaluator (§6),
/// built once per configuration. Exact names and prefixes are hash lookups shared by all roles;
/// globs, regexes, templates and date math are matched per subject (see `SubjectContext`).
struct PrivilegeTables: Sendable {
    /// One action's table. A class, so that a lookup hands out a reference instead of copying
    /// (and retaining) every array inside.
    final class IndexTable: Sendable {
        /// Roles granting the action on `*` (few, most often none).
        let everything: [Int]
        /// Name or prefix → `start << 32 | count` of its roles in `roleIDs`.
        let exact: NameTable
        let prefixes: NameTable
        let prefixLengths: [Int]
        /// Whether some prefix starts with this byte: most names are rejected before any lookup.
        let prefixFirstBytes: [Bool]
        private let roleIDs: [Int32]

        init(_ draft: Draft) {
            everything = Array(Set(draft.everything)).sorted()
            var roleIDs: [Int32] = []
            func ranges(_ table: [String: [Int]]) -> [(key: String, value: Int)] {
                table.sorted { $0.key < $1.key }.map { key, ids in
                    defer { roleIDs += ids.map { Int32($0) } }
                    return (key, roleIDs.count << 32 | ids.count)
                }
            }
            exact = NameTable(ranges(draft.exact))
            prefixes = NameTable(ranges(draft.prefixes))
            self.roleIDs = roleIDs
            prefixLengths = Set(draft.prefixes.keys.map(\.utf8.count)).sorted()
            var firstBytes = [Bool](repeating: false, count: 256)
            for prefix in draft.prefixes.keys {
                // The empty prefix (`*`) is answered by `everything`; it never reaches this table.
                if let first = prefix.utf8.first { firstBytes[Int(first)] = true }
            }
            prefixFirstBytes = firstBytes
        }

        /// Whether a role of `roles` grants the action on `name` through `*`, an exact name or a
        /// prefix. One pass over the name hashes it and every prefix length in the table.
        func grants(_ name: String, to roles: BitSet) -> Bool {
            if !everything.isEmpty, roles.containsAny(everything) { return true }
            return NameTable.withBytes(name) { bytes in
                var hash = NameTable.seed, hashed = 0
                if let first = bytes.first, prefixFirstBytes[Int(first)] {
                    for length in prefixLengths {
                        if length > bytes.count { break }
                        while hashed < length {
                            hash = NameTable.step(hash, bytes[hashed])
                            hashed += 1
                        }
                        if let range = prefixes.value(UnsafeBufferPointer(rebasing: bytes[0..<length]), hash: hash),
                           holds(range, roles) { return true }
                    }
                }
                while hashed < bytes.count {
                    hash = NameTable.step(hash, bytes[hashed])
                    hashed += 1
                }
                if let range = exact.value(bytes, hash: hash), holds(range, roles) { return true }
                return false
            }
        }

        private func holds(_ range: Int, _ roles: BitSet) -> Bool {
            let start = range >> 32, count = range & 0xFFFF_FFFF
            return roleIDs.withUnsafeBufferPointer { ids in
                (start..<(start + count)).contains { roles.contains(Int(ids[$0])) }
            }
        }
    }

    struct Draft {
        var everything: [Int] = []
        var exact: [String: [Int]] = [:]
        var prefixes: [String: [Int]] = [:]
    }

    /// Role name ↔ id.
    let roleIDs: [String: Int]
    let roles: [CompiledRole]
    /// Catalog action → id (its position in the catalog's action list); ids index `IndexGrant.actionBits`.
    let actionIDs: [String: Int]
    /// Catalog cluster action → roles granting it (non-explicit rules).
    let clusterByAction: [String: BitSet]
    /// Catalog action → index table.
    let indexByAction: [String: IndexTable]

    init(roles compiled: [String: CompiledRole], catalogActions: [String]) {
        let ordered = compiled.sorted { $0.key < $1.key }.map(\.value)
        roles = ordered
        roleIDs = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element.name, $0.offset) })
        actionIDs = Dictionary(catalogActions.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var cluster: [String: BitSet] = [:]
        var tables: [String: Draft] = [:]
        for (id, role) in ordered.enumerated() {
            role.clusterBits.forEachMember { action in
                cluster[catalogActions[action], default: BitSet(capacity: ordered.count)].insert(id)
            }
            for (action, positions) in role.grantsByAction {
                // Mutated in place: copying a table out and back would copy its dictionaries.
                for position in positions {
                    let grant = role.indexGrants[position]
                    if grant.matchesEverything { tables[action, default: Draft()].everything.append(id) }
                    for name in grant.exactNames { tables[action, default: Draft()].exact[name, default: []].append(id) }
                    for prefix in grant.prefixes { tables[action, default: Draft()].prefixes[prefix, default: []].append(id) }
                }
            }
        }
        clusterByAction = cluster
        indexByAction = tables.mapValues { IndexTable($0) }
    }
}
