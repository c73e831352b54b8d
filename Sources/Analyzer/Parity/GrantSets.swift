import PermissionCatalog

/// Index pattern texts shared by both sides of a diff: the same text gets the same id, so two
/// grant sets written alike compare as two sorted id lists without any automaton.
final class PatternTexts {
    private var ids: [String: Int32] = [:]
    private(set) var patterns: [Pattern] = []

    func id(_ text: String) -> Int32 {
        if let known = ids[text] { return known }
        let id = Int32(patterns.count)
        ids[text] = id
        let pattern = Pattern(text)
        patterns.append(pattern)
        let start = literalBytes.count
        requiredBytes.append(PatternLanguage.requiredBytes(pattern))
        switch pattern.form {
        case .anything: kinds.append(.anything)
        case .nothing: kinds.append(.nothing)
        case .exact(let name):
            kinds.append(.exact)
            literalBytes += name.utf8
        case .prefix(let prefix):
            kinds.append(.prefix)
            literalBytes += prefix.utf8
        default: kinds.append(.other)
        }
        literalSpans.append(start..<literalBytes.count)
        literalByteSets.append(ByteSet(literalBytes[start...]))
        return id
    }

    /// Per pattern id: bytes that every name the pattern matches contains
    /// (`PatternLanguage.requiredBytes`). A name without one of them is not matched: a refutation
    /// without the automaton.
    private(set) var requiredBytes: [ByteSet] = []
    /// Per pattern id: the bytes of its exact name or prefix (empty for the other kinds).
    private(set) var literalByteSets: [ByteSet] = []

    /// Whether `pattern` may match a name holding exactly the bytes `bytes` (false: it cannot).
    func mayMatch(_ pattern: Int32, nameBytes bytes: ByteSet) -> Bool {
        requiredBytes[Int(pattern)].isSubset(of: bytes)
    }

    /// The form of a pattern as the coverage shortcuts sort it (`Pattern.Form` without its payload).
    enum Kind: UInt8 {
        case anything, exact, prefix
        /// A blank pattern: matches nothing (every pattern covers it).
        case nothing
        /// Any other form (glob, regex, contains): decided on its automaton.
        case other
    }

    /// Per pattern id: its kind, and where its exact name or prefix (the text before `*`) lies in
    /// `literalBytes` (empty for the other kinds). Read without copying a `Pattern` per test.
    private(set) var kinds: [Kind] = []
    private(set) var literalSpans: [Range<Int>] = []
    private(set) var literalBytes: [UInt8] = []

    /// Whether the literal of `id` (exact name or prefix) starts with the literal of `prefix`.
    func literal(_ id: Int32, startsWith prefix: Int32) -> Bool {
        let whole = literalSpans[Int(id)], head = literalSpans[Int(prefix)]
        guard head.count <= whole.count else { return false }
        return literalBytes.withUnsafeBufferPointer { bytes in
            var offset = 0
            while offset < head.count {
                if bytes[whole.lowerBound + offset] != bytes[head.lowerBound + offset] { return false }
                offset += 1
            }
            return true
        }
    }

    /// The exact name or prefix of `id` as bytes (empty for the other kinds).
    func literal(_ id: Int32) -> ArraySlice<UInt8> { literalBytes[literalSpans[Int(id)]] }

    func patterns(_ ids: [Int32]) -> [Pattern] { ids.map { patterns[Int($0)] } }

    private var positionIDs: [[Int]: Int32] = [:]
    private var positionLists: [[Int]] = []

    /// An id for a list of universe positions (grants share few distinct lists).
    func positionsID(_ positions: [Int]) -> Int32 {
        if let known = positionIDs[positions] { return known }
        let id = Int32(positionLists.count)
        positionIDs[positions] = id
        positionLists.append(positions)
        return id
    }

    func positions(_ id: Int32) -> [Int] { positionLists[Int(id)] }

    private var setIDs: [SetKey: Int32] = [SetKey([]): PatternTexts.emptySet]
    /// Interned sorted lists of pattern ids: a grant set, the same list always the same id while
    /// one subject is compared (`startSubject`).
    private(set) var sets: [[Int32]] = [[]]
    /// The id of the empty set.
    static let emptySet: Int32 = 0

    /// Forgets the sets of the subject compared before: a subject's sets are compared with each
    /// other only, and few recur in another subject (each user's roles and templates differ).
    func startSubject() {
        setIDs.removeAll(keepingCapacity: true)
        setIDs[SetKey([])] = PatternTexts.emptySet
        sets.removeAll(keepingCapacity: true)
        sets.append([])
    }

    /// An id for a sorted list of distinct pattern ids (the actions of a subject share few sets).
    func setID(_ members: [Int32]) -> Int32 {
        let key = SetKey(members)
        if let known = setIDs[key] { return known }
        let id = Int32(sets.count)
        setIDs[key] = id
        sets.append(members)
        return id
    }

    /// A list of pattern ids as a dictionary key, hashed once with a cheap mix of its ids (the
    /// standard hash of an array feeds every element through SipHash, per lookup).
    private struct SetKey: Hashable {
        let members: [Int32]
        let mixed: UInt64

        init(_ members: [Int32]) {
            self.members = members
            var mixed = UInt64(members.count)
            for id in members { mixed = (mixed ^ UInt64(UInt32(bitPattern: id))) &* 0x9E37_79B9_7F4A_7C15 }
            self.mixed = mixed
        }

        func hash(into hasher: inout Hasher) { hasher.combine(mixed) }

        static func == (lhs: SetKey, rhs: SetKey) -> Bool { lhs.mixed == rhs.mixed && lhs.members == rhs.members }
    }

    private var automata: [Int32: NameAutomaton?] = [:]

    /// The pattern's own automaton (nil when its regex is outside the translated subset), cached.
    func automaton(_ id: Int32) -> NameAutomaton? {
        if let known = automata[id] { return known }
        var automaton = NameAutomaton()
        let made = PatternLanguage.add(patterns[Int(id)], to: &automaton) == nil ? automaton : nil
        automata[id] = made
        return made
    }

    /// Per pattern id: whether `deterministic` holds its automaton (nil there: none).
    private var determinizedKnown: [Bool] = []
    private var deterministic: [Determinized?] = []

    /// The pattern's automaton determinized on demand (nil as for `automaton`), cached: testing a
    /// name on it is one table step per byte.
    func determinized(_ id: Int32) -> Determinized? {
        let index = Int(id)
        if index < determinizedKnown.count, determinizedKnown[index] { return deterministic[index] }
        if index >= determinizedKnown.count {
            let missing = index + 1 - determinizedKnown.count
            determinizedKnown += repeatElement(false, count: missing)
            deterministic += repeatElement(nil, count: missing)
        }
        let made = automaton(id).map(Determinized.init)
        determinizedKnown[index] = true
        deterministic[index] = made
        return made
    }
}

/// A subject on one side, with its roles mapped; the evaluator's prepared subject (whose pattern
/// tables cost more) is built only when a request must actually be decided.
final class SideSubject {
    let resolved: ResolvedSubject
    let roles: [CompiledRole]
    let variables: [String: String]
    private let evaluator: Evaluator
    private var preparedSubject: PreparedSubject?

    init(_ resolved: ResolvedSubject, evaluator: Evaluator) {
        self.resolved = resolved
        self.evaluator = evaluator
        // As SubjectContext: the mapped roles that exist, and the template variables.
        let existing = evaluator.mapper.map(resolved.subject).filter(\.exists).map(\.name)
        roles = evaluator.compiledRoles(existing)
        variables = UserAttributes.variables(for: resolved.subject, mappedRoles: existing)
    }

    var prepared: PreparedSubject {
        if let preparedSubject { return preparedSubject }
        let made = evaluator.prepare(resolved)
        preparedSubject = made
        return made
    }

    /// The names of the roles the prepared subject holds, as its decisions list them (one list
    /// for every witness of the subject).
    private(set) lazy var heldNames: [String] = prepared.context.held.map(\.name)
}

/// One side of a diff: an evaluator and, for each action of the compared universe, how that side
/// checks it.
final class DiffSide {
    let evaluator: Evaluator
    let universe: [String]
    /// Universe position → the plan the evaluator uses.
    let plans: [ActionPlan]
    /// Positions checked at cluster level here (cluster or explicit-cluster route).
    let clusterPositions: [Int]
    /// Catalog position of the action as checked (after renames such as auto_create → create) →
    /// the universe positions checked as it at index level.
    private let indexPositionsOfCatalog: [[Int]]
    /// Index-level positions whose action this side's catalog does not list (grants found by matching).
    private let uncatalogued: [Int]
    /// `system:admin/system_index`, granted only explicitly (semantics §2.5).
    private let explicitIndex: [Int]
    private var roleGrants: [ObjectIdentifier: RoleGrants] = [:]
    private var clusterBits: [ObjectIdentifier: [UInt64]] = [:]

    /// What a grant gives, in universe terms.
    struct GrantInfo {
        /// Interned id of the list of index-level universe positions it grants.
        let positions: Int32
        let fixed: [Int32]
        let templates: [String]
    }

    init(evaluator: Evaluator, universe: [String]) {
        self.evaluator = evaluator
        self.universe = universe
        let catalogActions = evaluator.catalog.actions.map(\.name)
        let catalogPositions = Dictionary(catalogActions.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
        let plans = universe.map { evaluator.plans.plan(for: $0) }
        self.plans = plans
        var byCatalog = [[Int]](repeating: [], count: catalogActions.count)
        var uncatalogued: [Int] = [], explicit: [Int] = [], cluster: [Int] = []
        for (position, plan) in plans.enumerated() {
            switch plan.route {
            case .cluster, .explicitCluster: cluster.append(position)
            case .index:
                if plan.isSystemIndexPermission {
                    explicit.append(position)
                } else if let id = catalogPositions[plan.name] {
                    byCatalog[id].append(position)
                } else {
                    uncatalogued.append(position)
                }
            case .alwaysAllowed, .tenant: continue
            }
        }
        indexPositionsOfCatalog = byCatalog
        self.uncatalogued = uncatalogued
        explicitIndex = explicit
        clusterPositions = cluster
    }

    /// A role's index grants in universe terms, worked out once per role: the records that are
    /// the same for every subject, and the grants whose templates are rendered per subject.
    struct RoleGrants {
        let fixed: [GrantRecord]
        let templated: [GrantInfo]
    }

    func roleGrants(_ role: CompiledRole, _ texts: PatternTexts) -> RoleGrants {
        let key = ObjectIdentifier(role)
        if let known = roleGrants[key] { return known }
        var fixed: [GrantRecord] = [], templated: [GrantInfo] = []
        for grant in role.indexGrants {
            let info = info(grant, texts)
            guard !texts.positions(info.positions).isEmpty else { continue }
            if !info.templates.isEmpty {
                templated.append(info)
            } else if !info.fixed.isEmpty {
                fixed.append(GrantRecord(positions: info.positions, patterns: info.fixed.sorted()))
            }
        }
        let made = RoleGrants(fixed: fixed, templated: templated)
        roleGrants[key] = made
        return made
    }

    private func info(_ grant: IndexGrant, _ texts: PatternTexts) -> GrantInfo {
        var fixed: [Int32] = []
        if grant.matchesEverything { fixed.append(texts.id("*")) }
        fixed += grant.exactNames.map(texts.id)
        fixed += grant.prefixes.map { texts.id($0 + "*") }
        fixed += grant.others.map { texts.id($0.source) }
        var positions: [Int] = []
        for (word, bits) in grant.actionBits.words.enumerated() where bits != 0 {
            var remaining = bits
            while remaining != 0 {
                let id = word * 64 + remaining.trailingZeroBitCount
                remaining &= remaining - 1
                if id < indexPositionsOfCatalog.count { positions += indexPositionsOfCatalog[id] }
            }
        }
        positions += uncatalogued.filter { grant.actions.grants(plans[$0].name) }
        let rule = evaluator.profile.explicitPrivilegeRule
        positions += explicitIndex.filter { grant.actions.grantsExplicitly(plans[$0].name, rule: rule) }
        return GrantInfo(positions: texts.positionsID(positions.sorted()), fixed: fixed, templates: grant.templates + grant.dateMath)
    }

    /// The subject's index grants as (positions, sorted distinct pattern ids) records, sorted:
    /// two sides with the same records grant every index action on the same patterns.
    func records(_ subject: SideSubject, _ texts: PatternTexts) -> [GrantRecord] {
        guard subject.resolved.canAuthenticate else { return [] }
        var records: [GrantRecord] = []
        for role in subject.roles {
            let grants = roleGrants(role, texts)
            records += grants.fixed
            for info in grants.templated {
                var ids = info.fixed
                for template in info.templates { ids.append(texts.id(evaluator.render(template, variables: subject.variables).source)) }
                ids.sort()
                records.append(GrantRecord(positions: info.positions, patterns: ids))
            }
        }
        records.sort()
        var unique: [GrantRecord] = []
        unique.reserveCapacity(records.count)
        for record in records where unique.last != record { unique.append(record) }
        return unique
    }

    /// For each universe position, the id (`PatternTexts.setID`) of the sorted distinct pattern ids
    /// granted there. Positions covered by the same records share one union, built once.
    func indexGrantSets(_ records: [GrantRecord], _ texts: PatternTexts) -> [Int32] {
        // Per position, the records covering it as bits (`words` words a position).
        let words = max(1, (records.count + 63) / 64)
        var covering = [UInt64](repeating: 0, count: universe.count * words)
        for (number, record) in records.enumerated() {
            for position in texts.positions(record.positions) { covering[position * words + number / 64] |= 1 << UInt64(number % 64) }
        }
        // Up to 64 records (the usual case) a subject has a few distinct one-word keys: a list
        // scanned per position, no hashing. Past that, a dictionary of the keys' words.
        var keys: [UInt64] = [0], ids: [Int32] = [PatternTexts.emptySet]
        var wideKeys: [[UInt64]: Int32] = [[UInt64](repeating: 0, count: words): PatternTexts.emptySet]
        var union: [Int32] = []
        var sets = [Int32](repeating: PatternTexts.emptySet, count: universe.count)
        for position in sets.indices {
            let key = covering[(position * words)..<(position * words + words)]
            if words == 1, let known = keys.firstIndex(of: key[key.startIndex]) {
                sets[position] = ids[known]
                continue
            }
            if words > 1, let known = wideKeys[Array(key)] {
                sets[position] = known
                continue
            }
            union.removeAll(keepingCapacity: true)
            var lists = 0
            for (word, bits) in key.enumerated() {
                var remaining = bits
                while remaining != 0 {
                    union += records[word * 64 + remaining.trailingZeroBitCount].patterns
                    remaining &= remaining - 1
                    lists += 1
                }
            }
            let id = texts.setID(Self.sortedUnique(&union, sorted: lists == 1))
            if words == 1 {
                keys.append(key[key.startIndex])
                ids.append(id)
            } else {
                wideKeys[Array(key)] = id
            }
            sets[position] = id
        }
        return sets
    }

    /// The sorted distinct ids of `ids`, records' pattern lists put together (each sorted, perhaps
    /// with repeats: a pattern written twice in one grant); `sorted`: one list, already in order.
    private static func sortedUnique(_ ids: inout [Int32], sorted: Bool) -> [Int32] {
        if !sorted { ids.sort() }
        var unique: [Int32] = []
        unique.reserveCapacity(ids.count)
        for id in ids where unique.last != id { unique.append(id) }
        return unique
    }

    /// Bits over universe positions: the cluster-level actions the subject's roles grant here
    /// (explicitly where the action needs it), as `Run.hasClusterPrivilege` / `explicitCluster`.
    func clusterGrants(_ subject: SideSubject) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (universe.count + 63) / 64)
        for role in subject.roles {
            let bits = clusterBits(role)
            for index in words.indices { words[index] |= bits[index] }
        }
        return words
    }

    private func clusterBits(_ role: CompiledRole) -> [UInt64] {
        let key = ObjectIdentifier(role)
        if let known = clusterBits[key] { return known }
        var words = [UInt64](repeating: 0, count: (universe.count + 63) / 64)
        let rule = evaluator.profile.explicitPrivilegeRule
        for position in clusterPositions {
            let plan = plans[position]
            let granted = plan.route == .explicitCluster ? role.cluster.grantsExplicitly(plan.name, rule: rule) : role.cluster.grants(plan.name)
            if granted { words[position / 64] |= 1 << UInt64(position % 64) }
        }
        clusterBits[key] = words
        return words
    }
}

/// One index grant of a subject: the universe positions it gives and its patterns.
struct GrantRecord: Hashable, Comparable {
    let positions: Int32
    let patterns: [Int32]

    static func < (lhs: GrantRecord, rhs: GrantRecord) -> Bool {
        if lhs.positions != rhs.positions { return lhs.positions < rhs.positions }
        return lhs.patterns.lexicographicallyPrecedes(rhs.patterns)
    }
}
