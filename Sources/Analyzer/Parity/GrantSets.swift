import PermissionCatalog

/// Index pattern texts shared by both sides of a diff: the same text gets the same id, so two
/// grant sets written alike compare as two sorted id lists without any automaton.
final class PatternTexts {
    private var ids: [CodeUnitKey: Int32] = [:]
    private(set) var patterns: [Pattern] = []

    func id(_ text: String) -> Int32 {
        if let known = ids[CodeUnitKey(text)] { return known }
        let id = Int32(patterns.count)
        ids[CodeUnitKey(text)] = id
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
        isRegex.append(pattern.isRegex)
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

    /// Per pattern id: whether it is a regex.
    private(set) var isRegex: [Bool] = []

    /// Whether a plain (non-regex) pattern of `set` matches `name`, as `Pattern.matches` decides
    /// (code units): exact names and prefixes on their bytes, a glob or `*…*` refuted by a byte it
    /// needs before it is run.
    func plainPatternMatches(_ name: String, in set: [Int32]) -> Bool {
        var nameBytes: ByteSet?
        let count = name.utf8.count
        for id in set {
            let slot = Int(id)
            switch kinds[slot] {
            case .anything: return true
            case .nothing: continue
            case .exact:
                if literalSpans[slot].count == count, name.utf8.elementsEqual(literalBytes[literalSpans[slot]]) { return true }
            case .prefix:
                if literalSpans[slot].count <= count, name.utf8.starts(with: literalBytes[literalSpans[slot]]) { return true }
            case .other:
                guard !isRegex[slot] else { continue }
                let bytes = nameBytes ?? ByteSet(name.utf8)
                nameBytes = bytes
                if mayMatch(id, nameBytes: bytes), patterns[slot].matches(name) { return true }
            }
        }
        return false
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
        listAtoms.append([])
        listAtomsVersion.append(-1)
        refineAtoms(by: positions)
        return id
    }

    func positions(_ id: Int32) -> [Int] { positionLists[Int(id)] }

    // MARK: atoms

    /// The universe positions split into atoms: positions that every list interned so far holds
    /// alike (all of them or none). Records that cover one position of an atom cover all of it,
    /// so a subject's grant sets are worked out once per atom. Atom 0 holds the positions no list
    /// holds (never given a set); a new list only splits atoms, so atoms stay valid for every
    /// list interned before.
    private(set) var atomPositions: [[Int]] = [[]]
    private var atomOfPosition: [Int32] = []
    /// Bumped whenever an atom is split: the atoms cached per list are then worked out again.
    private var atomsVersion = 0
    private var listAtoms: [[Int32]] = []
    private var listAtomsVersion: [Int] = []

    var atomCount: Int { atomPositions.count }

    /// The atoms the list `id` is made of (its positions are exactly theirs).
    func atoms(ofList id: Int32) -> [Int32] {
        let slot = Int(id)
        if listAtomsVersion[slot] == atomsVersion { return listAtoms[slot] }
        var atoms: [Int32] = []
        for position in positionLists[slot] where !atoms.contains(atomOfPosition[position]) { atoms.append(atomOfPosition[position]) }
        listAtoms[slot] = atoms
        listAtomsVersion[slot] = atomsVersion
        return atoms
    }

    /// Splits every atom that `positions` holds only part of: the part it holds becomes a new atom.
    private func refineAtoms(by positions: [Int]) {
        if let last = positions.max(), last >= atomOfPosition.count {
            let missing = last + 1 - atomOfPosition.count
            atomPositions[0] += atomOfPosition.count..<(last + 1)
            atomOfPosition += repeatElement(0, count: missing)
        }
        var inside: [Int32: [Int]] = [:]
        for position in positions { inside[atomOfPosition[position], default: []].append(position) }
        // Atom 0 keeps only positions in no list: what a list holds of it always leaves it.
        for (atom, held) in inside.sorted(by: { $0.key < $1.key }) where atom == 0 || held.count < atomPositions[Int(atom)].count {
            let split = Int32(atomPositions.count)
            let moved = Set(held)
            atomPositions[Int(atom)].removeAll { moved.contains($0) }
            atomPositions.append(held.sorted())
            for position in held { atomOfPosition[position] = split }
            atomsVersion += 1
        }
    }

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
    /// The subject with its roles mapped (once: its preparation starts from it), enough for tenant actions.
    let tenantSubject: Evaluator.TenantSubject
    /// The roles held, with what the diff works out once per role (`DiffSide.role(named:)`).
    let roles: [DiffSide.RoleFacts]
    /// The names of `roles`, as its decisions list the roles it holds (one list for every witness
    /// of the subject).
    let heldNames: [String]
    private let evaluator: Evaluator
    private var preparedSubject: PreparedSubject?

    init(_ resolved: ResolvedSubject, side: DiffSide) {
        self.resolved = resolved
        evaluator = side.evaluator
        tenantSubject = evaluator.tenantSubject(resolved)
        // As SubjectContext: the mapped roles that exist.
        heldNames = tenantSubject.context.held.map(\.name)
        roles = heldNames.compactMap(side.role(named:))
    }

    /// A template variable's value for this subject, as its evaluator renders templates.
    func templateValue(_ name: String) -> String? { tenantSubject.context.values.value(name) }

    var prepared: PreparedSubject {
        if let preparedSubject { return preparedSubject }
        let made = evaluator.prepare(tenantSubject)
        preparedSubject = made
        return made
    }
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
    /// Per role name held by some subject: the role and its facts (nil: no such role).
    private var roleFacts: [String: RoleFacts?] = [:]

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

    /// A role as the diff uses it, looked up once per name (not once per subject holding it):
    /// its cluster grants as bits over universe positions (`clusterBits`), and its index grants
    /// in universe terms once a subject's records first need them (`roleGrants`).
    final class RoleFacts {
        let role: CompiledRole
        let clusterBits: [UInt64]
        fileprivate(set) var grants: RoleGrants?

        fileprivate init(role: CompiledRole, clusterBits: [UInt64]) {
            self.role = role
            self.clusterBits = clusterBits
        }
    }

    /// The role of that name, with its facts; nil when it does not exist.
    func role(named name: String) -> RoleFacts? {
        if let known = roleFacts[name] { return known }
        let facts = evaluator.compiledRoles([name]).first.map { RoleFacts(role: $0, clusterBits: clusterBits($0)) }
        roleFacts[name] = .some(facts)
        return facts
    }

    /// A role's index grants in universe terms, worked out once per role: the records that are
    /// the same for every subject, and the grants whose templates are rendered per subject.
    struct RoleGrants {
        let fixed: [GrantRecord]
        let templated: [GrantInfo]
    }

    func roleGrants(_ facts: RoleFacts, _ texts: PatternTexts) -> RoleGrants {
        if let known = facts.grants { return known }
        let made = roleGrants(facts.role, texts)
        facts.grants = made
        return made
    }

    private func roleGrants(_ role: CompiledRole, _ texts: PatternTexts) -> RoleGrants {
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
        return RoleGrants(fixed: fixed, templated: templated)
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
        // The same few templates recur in most roles: each is rendered once for the subject.
        var rendered: [(template: String, id: Int32)] = []
        for role in subject.roles {
            let grants = roleGrants(role, texts)
            records += grants.fixed
            for info in grants.templated {
                var ids = info.fixed
                for template in info.templates {
                    if let known = rendered.first(where: { $0.template.utf8.elementsEqual(template.utf8) }) {
                        ids.append(known.id)
                    } else {
                        let id = texts.id(evaluator.render(template, value: subject.templateValue).source)
                        rendered.append((template, id))
                        ids.append(id)
                    }
                }
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
    /// granted there. Worked out per atom (`PatternTexts.atoms(ofList:)`): the records covering an
    /// atom's positions are the same; atoms covered by the same records share one union, built once.
    func indexGrantSets(_ records: [GrantRecord], _ texts: PatternTexts) -> [Int32] {
        var sets = [Int32](repeating: PatternTexts.emptySet, count: universe.count)
        guard !records.isEmpty else { return sets }
        // Per atom, the records covering it as bits (`words` words an atom).
        let atomCount = texts.atomCount, words = (records.count + 63) / 64
        var covering = [UInt64](repeating: 0, count: atomCount * words)
        for (number, record) in records.enumerated() {
            let bit = UInt64(1) << UInt64(number % 64)
            for atom in texts.atoms(ofList: record.positions) { covering[Int(atom) * words + number / 64] |= bit }
        }
        let unions = RecordUnions(records, patternCount: texts.patterns.count, scratch: &numbering)
        // Distinct keys (atoms' offsets into `covering`) and their sets, found by comparing words.
        var keyAtoms: [Int] = [], keySets: [Int32] = []
        // Reused by every union (a union new to `texts` keeps its buffer; the next gets another).
        var bits: [UInt64] = [], members: [Int32] = []
        for atom in 1..<atomCount {
            let start = atom * words
            var set: Int32?
            for (index, other) in keyAtoms.enumerated() where (0..<words).allSatisfy({ covering[other * words + $0] == covering[start + $0] }) {
                set = keySets[index]
                break
            }
            let id: Int32
            if let set {
                id = set
            } else {
                unions.union(covering[start..<(start + words)], bits: &bits, into: &members)
                id = texts.setID(members)
            }
            if set == nil {
                keyAtoms.append(atom)
                keySets.append(id)
            }
            guard id != PatternTexts.emptySet else { continue }
            for position in texts.atomPositions[atom] where position < sets.count { sets[position] = id }
        }
        return sets
    }

    /// Per pattern id, its number among the patterns of the records being put together (reused).
    private var numbering: [Int32] = []

    /// Unions of a subject's records: its patterns numbered in id order, each record a row of
    /// bits over them, so that a union is an OR of rows read back in id order (no sort per union).
    private struct RecordUnions {
        let records: [GrantRecord]
        /// The records' distinct pattern ids, ascending.
        let ids: [Int32]
        let words: Int
        /// `rows[record * words ..< +words]`.
        let rows: [UInt64]

        init(_ records: [GrantRecord], patternCount: Int, scratch numbering: inout [Int32]) {
            self.records = records
            let unique = Self.distinct(records.flatMap(\.patterns).sorted())
            self.ids = unique
            if numbering.count < patternCount { numbering += repeatElement(0, count: patternCount - numbering.count) }
            for (number, id) in unique.enumerated() { numbering[Int(id)] = Int32(number) }
            let words = (unique.count + 63) / 64
            self.words = words
            var rows = [UInt64](repeating: 0, count: records.count * words)
            for (index, record) in records.enumerated() {
                for id in record.patterns {
                    let number = Int(numbering[Int(id)])
                    rows[index * words + number / 64] |= 1 << UInt64(number % 64)
                }
            }
            self.rows = rows
        }

        /// The sorted distinct pattern ids of the records whose bits `key` holds, into `union`
        /// (`bits`: room for the OR of their rows).
        func union(_ key: ArraySlice<UInt64>, bits: inout [UInt64], into union: inout [Int32]) {
            union.removeAll(keepingCapacity: true)
            var only = -1, count = 0
            for (word, keyBits) in zip(0..., key) where keyBits != 0 {
                count += keyBits.nonzeroBitCount
                only = word * 64 + keyBits.trailingZeroBitCount
            }
            if count == 0 { return }
            // One record: its own list is sorted already, perhaps with repeats.
            if count == 1 {
                for id in records[only].patterns where union.last != id { union.append(id) }
                return
            }
            bits.removeAll(keepingCapacity: true)
            bits.append(contentsOf: repeatElement(0, count: words))
            for (word, recordBits) in zip(0..., key) {
                var remaining = recordBits
                while remaining != 0 {
                    let record = word * 64 + remaining.trailingZeroBitCount
                    remaining &= remaining - 1
                    for index in 0..<words { bits[index] |= rows[record * words + index] }
                }
            }
            for (word, value) in bits.enumerated() {
                var remaining = value
                while remaining != 0 {
                    union.append(ids[word * 64 + remaining.trailingZeroBitCount])
                    remaining &= remaining - 1
                }
            }
        }

        /// A sorted list without its repeats (a pattern written twice in one grant).
        private static func distinct(_ ids: [Int32]) -> [Int32] {
            guard zip(ids, ids.dropFirst()).contains(where: { $0 == $1 }) else { return ids }
            var unique: [Int32] = []
            for id in ids where unique.last != id { unique.append(id) }
            return unique
        }
    }

    /// Bits over universe positions: the cluster-level actions the subject's roles grant here
    /// (explicitly where the action needs it), as `Run.hasClusterPrivilege` / `explicitCluster`.
    func clusterGrants(_ subject: SideSubject) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (universe.count + 63) / 64)
        for role in subject.roles {
            for index in words.indices { words[index] |= role.clusterBits[index] }
        }
        return words
    }

    private func clusterBits(_ role: CompiledRole) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (universe.count + 63) / 64)
        let rule = evaluator.profile.explicitPrivilegeRule
        for position in clusterPositions {
            let plan = plans[position]
            // As the evaluator's privilege index: a catalog action by its bit (`TabledPrivileges`).
            let granted: Bool
            if plan.route == .explicitCluster {
                granted = role.cluster.grantsExplicitly(plan.name, rule: rule)
            } else if let id = plan.id {
                granted = role.clusterBits.contains(id)
            } else {
                granted = role.cluster.grants(plan.name)
            }
            if granted { words[position / 64] |= 1 << UInt64(position % 64) }
        }
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
