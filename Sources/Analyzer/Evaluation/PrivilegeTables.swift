/// A set of role ids as a bitset.
struct RoleSet: Sendable, Hashable {
    private(set) var words: [UInt64]

    init(capacity: Int) {
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    mutating func insert(_ id: Int) { words[id >> 6] |= 1 << UInt64(id & 63) }
    func contains(_ id: Int) -> Bool { words[id >> 6] & (1 << UInt64(id & 63)) != 0 }
    func containsAny(_ ids: [Int]) -> Bool { ids.contains(where: contains) }
}

/// The precomputed action → index-pattern → roles tables of the plugin's optimized evaluator (§6),
/// built once per configuration. Exact names and prefixes are hash lookups shared by all roles; only
/// globs, regexes, templates and date math stay per role (and are few).
struct PrivilegeTables: Sendable {
    /// One action's table. A class, so that a lookup hands out a reference instead of copying
    /// (and retaining) every dictionary inside.
    final class IndexTable: Sendable {
        /// Roles granting the action on `*`.
        let everything: [Int]
        let exact: [String: [Int]]
        let prefixes: [String: [Int]]
        let prefixLengths: [Int]
        /// Role id → its grants of this action whose patterns need a real match.
        let others: [Int: [IndexGrant]]

        init(_ draft: Draft) {
            everything = draft.everything
            exact = draft.exact
            prefixes = draft.prefixes
            prefixLengths = Set(draft.prefixes.keys.map(\.utf8.count)).sorted()
            others = draft.others
        }
    }

    struct Draft {
        var everything: [Int] = []
        var exact: [String: [Int]] = [:]
        var prefixes: [String: [Int]] = [:]
        var others: [Int: [IndexGrant]] = [:]
    }

    /// Role name ↔ id.
    let roleIDs: [String: Int]
    let roles: [CompiledRole]
    /// Catalog cluster action → roles granting it (non-explicit rules).
    let clusterByAction: [String: [Int]]
    /// Catalog action → index table.
    let indexByAction: [String: IndexTable]

    init(roles compiled: [String: CompiledRole], catalogActions: [String]) {
        let ordered = compiled.keys.sorted().map { compiled[$0]! }
        roles = ordered
        roleIDs = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element.name, $0.offset) })
        var cluster: [String: [Int]] = [:]
        var tables: [String: Draft] = [:]
        for (id, role) in ordered.enumerated() {
            for action in catalogActions where role.cluster.grants(action) { cluster[action, default: []].append(id) }
            for (action, positions) in role.grantsByAction {
                // Mutated in place: copying a table out and back would copy its dictionaries.
                for position in positions {
                    let grant = role.indexGrants[position]
                    if grant.matchesEverything { tables[action, default: Draft()].everything.append(id) }
                    for name in grant.exactNames { tables[action, default: Draft()].exact[name, default: []].append(id) }
                    for prefix in grant.prefixes { tables[action, default: Draft()].prefixes[prefix, default: []].append(id) }
                    if !grant.others.isEmpty || !grant.templates.isEmpty || !grant.dateMath.isEmpty {
                        tables[action, default: Draft()].others[id, default: []].append(grant)
                    }
                }
            }
        }
        clusterByAction = cluster
        indexByAction = tables.mapValues(IndexTable.init)
    }
}
