import Foundation
import PermissionCatalog
import Synchronization

/// How one entry of `allowed_actions` grants an action: the entry as written, the groups passed
/// through, and the pattern that matched.
public struct ActionPath: Hashable, Sendable {
    public let entry: String
    public let via: [String]
}

/// A set of resolved action patterns (one `cluster_permissions` list or one `allowed_actions`
/// list), with the lookups the evaluator needs.
struct ActionSet: Sendable {
    /// The entries as written.
    let written: [String]
    /// Everything reached through groups (group names included, as the plugin keeps them).
    let resolved: Set<String>
    let exact: Set<String>
    let patterns: [Pattern]
    let hasBareWildcard: Bool
    /// Patterns other than the bare `*`, for explicit privileges (§2.5).
    let explicitPatterns: [Pattern]
    /// Regex entries that do not compile (dropped, as the plugin does).
    let invalid: [PatternError]
    /// `path(to:groups:explicitOnly:)` per action asked, shared by the copies of this set: one list
    /// explains the same actions for many subjects (a diff's witnesses, a batch's explanations).
    private let paths = PathMemo()

    private final class PathMemo: Sendable {
        let found = Mutex<[String: (plain: ActionPath??, explicit: ActionPath??)]>([:])
    }

    init(written: [String], groups: FlattenedActionGroups) {
        self.written = written
        resolved = groups.resolve(written)
        var exact = Set<String>(), patterns: [Pattern] = [], invalid: [PatternError] = []
        for entry in resolved.sorted() {
            switch Pattern.compile(entry) {
            case .success(let pattern):
                if pattern.isExact { exact.insert(entry) } else if pattern.form != .nothing { patterns.append(pattern) }
            case .failure(let error): invalid.append(error)
            }
        }
        self.exact = exact
        self.patterns = patterns
        self.invalid = invalid
        hasBareWildcard = patterns.contains(where: \.isAnything)
        explicitPatterns = patterns.filter { !$0.isAnything }
    }

    func grants(_ action: String) -> Bool {
        hasBareWildcard || exact.contains(action) || patterns.contains { $0.matches(action) }
    }

    /// Explicit grant (§2.5) under the profile's rule.
    func grantsExplicitly(_ action: String, rule: TargetProfile.ExplicitPrivilegeRule) -> Bool {
        switch rule {
        case .bareWildcardIgnored:
            return exact.contains(action) || explicitPatterns.contains { $0.matches(action) }
        case .wildcardOnlyRoleIgnored:
            // Before 2.19 only a combined matcher that is exactly `*` was replaced by "nothing".
            if resolved == ["*"] { return false }
            return grants(action)
        }
    }

    /// The shortest written entry → groups → pattern path that grants `action`. `groups` must be
    /// those the set was resolved with (the answer is kept per action).
    func path(to action: String, groups: FlattenedActionGroups, explicitOnly: Bool = false) -> ActionPath? {
        let known = paths.found.withLock { $0[action] }
        if let found = explicitOnly ? known?.explicit : known?.plain { return found }
        let made = findPath(to: action, groups: groups, explicitOnly: explicitOnly)
        paths.found.withLock { memo in
            var entry = memo[action] ?? (nil, nil)
            if explicitOnly { entry.explicit = .some(made) } else { entry.plain = .some(made) }
            memo[action] = entry
        }
        return made
    }

    private func findPath(to action: String, groups: FlattenedActionGroups, explicitOnly: Bool) -> ActionPath? {
        var best: ActionPath?
        for entry in written {
            // A group's members and chains are worked out once per group (memberChains).
            let reached = groups.isGroup(entry) ? groups.memberChains(of: entry)
                : [FlattenedActionGroups.MemberChain(member: entry, chain: [], pattern: Pattern(entry))]
            for link in reached {
                let member = link.member
                if explicitOnly && member == "*" { continue }
                guard link.pattern.matches(action) else { continue }
                let candidate = ActionPath(entry: entry, via: Array(link.chain.dropFirst()) + [member])
                if best == nil || candidate.via.count < best!.via.count { best = candidate }
            }
        }
        return best
    }
}

/// One `index_permissions` entry, compiled: its index patterns split by kind for fast matching.
final class IndexGrant: Sendable {
    let role: String
    let position: Int
    let location: SourceLocation
    let actions: ActionSet
    /// The patterns as written.
    let written: [String]
    let matchesEverything: Bool
    let exactNames: Set<String>
    let prefixes: [String]
    let others: [Pattern]
    /// `others` encoded for a role set's pattern buffer, and their keys (equal for equal texts).
    let otherPieces: [FlatPatterns.Piece]
    let otherKeys: [Int]
    /// `${…}` patterns, rendered per subject.
    let templates: [String]
    /// `<…>` date-math patterns, resolved per request.
    let dateMath: [String]
    /// Keys of the date-math texts, in the same numbering as `otherKeys`.
    let dateMathKeys: [Int]
    let invalid: [PatternError]
    let hasDLS: Bool
    let hasFLS: Bool
    /// The catalog actions (by position in the catalog's action list) that `actions` grants.
    let actionBits: BitSet
    /// Some pattern needs a real match (glob, regex, template, date math): the shared exact and
    /// prefix tables cannot answer for it.
    let needsMatching: Bool

    init(role: String, position: Int, permission: IndexPermission, actionSets: ActionSetCache) {
        self.role = role
        self.position = position
        location = permission.location
        (actions, actionBits) = actionSets.compiled(permission.allowedActions.map(\.value))
        written = permission.indexPatterns.map(\.value)
        var exact = Set<String>(), prefixes: [String] = [], others: [Pattern] = [], templates: [String] = [], dates: [String] = []
        var invalid: [PatternError] = [], everything = false
        for text in written {
            if DateMath.isExpression(text) { dates.append(text); continue }
            if UserAttributes.hasTemplate(text) { templates.append(text); continue }
            switch Pattern.compile(text) {
            case .success(let pattern):
                switch pattern.form {
                case .anything: everything = true
                case .exact(let name): exact.insert(name)
                case .prefix(let prefix): prefixes.append(prefix)
                case .nothing: break
                default: others.append(pattern)
                }
            case .failure(let error): invalid.append(error)
            }
        }
        matchesEverything = everything
        exactNames = exact
        self.prefixes = prefixes
        self.others = others
        otherPieces = others.map(FlatPatterns.Piece.init)
        (otherKeys, dateMathKeys) = others.isEmpty && dates.isEmpty ? ([], []) : actionSets.patternKeys(others.map(\.source), dates)
        self.templates = templates
        dateMath = dates
        self.invalid = invalid
        hasDLS = permission.dls != nil
        hasFLS = !permission.fls.isEmpty || !permission.maskedFields.isEmpty
        needsMatching = !others.isEmpty || !templates.isEmpty || !dates.isEmpty
    }

    /// The written pattern that matches `name`, or nil. `render` turns templates and date math
    /// into patterns for the current subject and time.
    func matchingPattern(_ name: String, render: (String) -> Pattern) -> String? {
        if matchesEverything { return "*" }
        // Code-unit comparisons, as the tables and the plugin (see Pattern.matches).
        // A few names are compared directly; more are looked up by hash first.
        if exactNames.count <= 8 || exactNames.contains(name), let exact = exactNames.first(where: { $0.utf8.elementsEqual(name.utf8) }) {
            return exact
        }
        if let prefix = prefixes.first(where: { name.utf8.starts(with: $0.utf8) }) { return prefix + "*" }
        if let pattern = others.first(where: { $0.matches(name) }) { return pattern.source }
        for template in templates where render(template).matches(name) { return template }
        for template in dateMath where render(template).matches(name) { return template }
        return nil
    }
}

/// A role compiled the first time a subject holds it: its cluster actions and index grants with
/// their action lists resolved and their patterns sorted by kind.
final class CompiledRole: Sendable {
    let name: String
    let cluster: ActionSet
    /// The catalog actions (by position) that `cluster` grants (non-explicit rule).
    let clusterBits: BitSet
    let indexGrants: [IndexGrant]
    /// This role's share of the tables of every role set holding it (names hashed once).
    let tableParts: RoleTableParts

    init(role: Role, actionSets: ActionSetCache) {
        name = role.name
        (cluster, clusterBits) = actionSets.compiled(role.clusterPermissions.map(\.value))
        indexGrants = role.indexPermissions.enumerated().map {
            IndexGrant(role: role.name, position: $0.offset, permission: $0.element, actionSets: actionSets)
        }
        tableParts = RoleTableParts(indexGrants)
    }

    /// Index grants that give `action`, in the order written. (`actionBits` answers the same for a
    /// catalog action: it was computed with this test.)
    func grants(for action: String) -> [IndexGrant] {
        indexGrants.filter { $0.actions.grants(action) }
    }
}

/// The configuration's roles, each compiled the first time a subject holds it, then kept: one
/// `check` needs the few roles of its subject, not the thousands a roles.yml may hold. Shared by
/// the threads that prepare subjects (`--jobs`).
final class CompiledRoles: Sendable {
    private let definitions: ConfigEntries<Role>
    private let actionSets: ActionSetCache
    private let compiled = Mutex<[String: CompiledRole]>([:])

    init(_ definitions: ConfigEntries<Role>, actionSets: ActionSetCache) {
        self.definitions = definitions
        self.actionSets = actionSets
    }

    /// How many roles have been compiled so far.
    var compiledCount: Int { compiled.withLock(\.count) }

    /// The roles of these names that exist, in the order given.
    func roles(_ names: [String]) -> [CompiledRole] {
        var found: [CompiledRole?] = compiled.withLock { cache in names.map { cache[$0] } }
        guard found.contains(where: { $0 == nil }) else { return found.compactMap { $0 } }
        // Compiled outside the lock, so that other threads keep finding the roles already made; a
        // role two threads compile at once is kept once.
        for (position, name) in names.enumerated() where found[position] == nil {
            found[position] = definitions[name].map { CompiledRole(role: $0, actionSets: actionSets) }
        }
        return compiled.withLock { cache in
            zip(names, found).compactMap { name, made in
                guard let made else { return nil }
                if let kept = cache[name] { return kept }
                cache[name] = made
                return made
            }
        }
    }
}

/// Compiles each distinct `allowed_actions` / `cluster_permissions` list once: roles repeat the
/// same few lists (a group, or a group and an action). The catalog actions a list grants are the
/// union of those each of its resolved entries grants, and entries repeat across lists far more
/// than lists do (every list naming `read` reaches the same patterns), so each entry is tested
/// against the catalog once. Shared by the threads that compile roles.
final class ActionSetCache: Sendable {
    let groups: FlattenedActionGroups
    let catalogActions: [String]
    private struct State {
        var lists: [[String]: (ActionSet, BitSet)] = [:]
        /// Resolved entry → the catalog actions it grants alone.
        var entries: [String: BitSet] = [:]
        /// Index pattern text → its key (``patternKeys(_:_:)``).
        var patternKeys: [String: Int] = [:]
    }
    private let state = Mutex(State())
    /// Catalog action → every position it has in the catalog's list.
    private let positions: [String: [Int]]

    init(groups: FlattenedActionGroups, catalogActions: [String]) {
        self.groups = groups
        self.catalogActions = catalogActions
        var positions: [String: [Int]] = [:]
        for (id, action) in catalogActions.enumerated() { positions[action, default: []].append(id) }
        self.positions = positions
    }

    /// The list resolved through the groups, and the catalog actions it grants (exactly the
    /// positions whose action `ActionSet.grants` accepts).
    func compiled(_ written: [String]) -> (ActionSet, BitSet) {
        if let cached = state.withLock({ $0.lists[written] }) { return cached }
        let actions = ActionSet(written: written, groups: groups)
        var bits = BitSet(capacity: catalogActions.count)
        if actions.hasBareWildcard {
            for id in catalogActions.indices { bits.insert(id) }
        } else {
            for name in actions.exact { for id in positions[name] ?? [] { bits.insert(id) } }
            let known = state.withLock { state in actions.patterns.map { state.entries[$0.source] } }
            var made: [(String, BitSet)] = []
            for (pattern, cached) in zip(actions.patterns, known) {
                let entry = cached ?? entryBits(pattern)
                if cached == nil { made.append((pattern.source, entry)) }
                bits.formUnion(entry)
            }
            if !made.isEmpty { state.withLock { state in for (source, entry) in made { state.entries[source] = entry } } }
        }
        return state.withLock { state in
            if let kept = state.lists[written] { return kept }
            state.lists[written] = (actions, bits)
            return (actions, bits)
        }
    }

    /// A number per distinct index pattern text, the same for every role: a role set's pattern
    /// buffer lists a pattern that several of its grants hold once, found by this number.
    func patternKeys(_ first: [String], _ second: [String]) -> ([Int], [Int]) {
        state.withLock { state in
            func key(_ text: String) -> Int {
                if let known = state.patternKeys[text] { return known }
                let made = state.patternKeys.count
                state.patternKeys[text] = made
                return made
            }
            return (first.map(key), second.map(key))
        }
    }

    private func entryBits(_ pattern: Pattern) -> BitSet {
        var bits = BitSet(capacity: catalogActions.count)
        for (id, action) in catalogActions.enumerated() where pattern.matches(action) { bits.insert(id) }
        return bits
    }
}
