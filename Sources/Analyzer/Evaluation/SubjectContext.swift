import Synchronization

/// Everything about a subject that does not depend on the request: its roles (mapped once), the
/// tables of its role set (shared with every subject holding the same roles), the template
/// variables, and its grants' `${…}` patterns rendered. Cached by the evaluator per subject.
final class SubjectContext: Sendable {
    let subject: Subject
    let mapped: [MappedRole]
    /// The mapped roles that exist, and the names of those that do not.
    let held: [MappedRole]
    let missingRoleNames: [String]
    let tables: PrivilegeTables
    var roles: [CompiledRole] { tables.roles }
    /// The template variables, each worked out when a template first names it.
    let values: UserAttributes.Values
    /// Every template variable (``UserAttributes/variables(for:mappedRoles:)``), built when asked.
    var variables: [String: String] { UserAttributes.variables(for: subject, mappedRoles: values.mappedRoles) }
    /// The held roles' grants with `${…}` patterns, rendered for this subject; nil when none.
    let templates: MatchingPatterns?
    /// Templates rendered for this subject (date math is left to the evaluator's cache).
    private let rendered: Mutex<[CodeUnitKey: Pattern]>

    /// `withTables`: false leaves the role set's tables (and so `roles` and the rendered
    /// templates) empty, for a decision that reads only the mapped role names and the
    /// configuration: a tenant action (``Evaluator/TenantSubject``). Such a context is never cached.
    convenience init(subject: Subject, evaluator: Evaluator, withTables: Bool = true) {
        self.init(subject: subject, mapped: evaluator.mapper.map(subject), evaluator: evaluator, withTables: withTables)
    }

    /// `mapped`: the subject's roles as the evaluator's mapper maps them.
    private init(subject: Subject, mapped: [MappedRole], evaluator: Evaluator, withTables: Bool) {
        self.subject = subject
        self.mapped = mapped
        var held: [MappedRole] = [], missing: [String] = []
        held.reserveCapacity(mapped.count)
        for role in mapped {
            if role.exists { held.append(role) } else { missing.append(role.name) }
        }
        self.held = held
        missingRoleNames = missing
        let existing = held.map(\.name)
        tables = withTables ? evaluator.tables(for: held) : PrivilegeTables.none
        let values = UserAttributes.Values(subject: subject, mappedRoles: existing)
        self.values = values
        // Templates depend only on the subject: each is rendered once here (a template often
        // stands in many roles), not at every match.
        // Each template's key is its number here: one pattern buffer entry per distinct template.
        var renderedOnce: [CodeUnitKey: (pattern: Pattern, piece: FlatPatterns.Piece, key: Int)] = [:]
        var templated: [MatchingPatterns.Grant] = []
        templated.reserveCapacity(tables.templated.count)
        renderedOnce.reserveCapacity(tables.templated.reduce(0) { $0 + $1.templates.count })
        for grant in tables.templated {
            var pieces: [FlatPatterns.Piece] = [], keys: [Int] = []
            for template in grant.templates {
                let made: (pattern: Pattern, piece: FlatPatterns.Piece, key: Int)
                if let known = renderedOnce[CodeUnitKey(template)] {
                    made = known
                } else {
                    let pattern = evaluator.render(template, value: values.value)
                    made = (pattern, FlatPatterns.Piece(pattern), renderedOnce.count)
                    renderedOnce[CodeUnitKey(template)] = made
                }
                pieces.append(made.piece)
                keys.append(made.key)
            }
            templated.append((grant.actionBits, pieces, keys))
        }
        templates = templated.isEmpty ? nil : MatchingPatterns(templated)
        // Explanations ask for the same templates again.
        rendered = Mutex(renderedOnce.mapValues(\.pattern))
    }

    /// This subject with the tables of its role set, its roles not mapped again (from a context
    /// made without them).
    func withTables(_ evaluator: Evaluator) -> SubjectContext {
        SubjectContext(subject: subject, mapped: mapped, evaluator: evaluator, withTables: true)
    }

    /// Whether a held role grants the catalog action of `plan` (position `id`) on `name`: the role
    /// set's tables first (`*`, exact names, prefixes, other patterns), then this subject's templates.
    func grants(_ plan: ActionPlan, id: Int, name: String) -> Bool {
        if tables.grants(id, on: name) { return true }
        return templates?.covers(actionID: id, name: name) == true
    }

    /// A template pattern rendered for this subject (date math is rendered by the evaluator).
    func render(_ template: String, evaluator: Evaluator) -> Pattern {
        if let cached = rendered.withLock({ $0[CodeUnitKey(template)] }) { return cached }
        let pattern = evaluator.render(template, value: values.value)
        if !DateMath.isExpression(template) { rendered.withLock { $0[CodeUnitKey(template)] = pattern } }
        return pattern
    }
}

/// One subject's index grants whose patterns the shared tables cannot answer, laid out for the
/// question "which patterns give this action?": the distinct patterns of all those grants, and
/// per catalog action a bitmask of the patterns that some grant of the action holds, so a check
/// tries each relevant pattern once and no other.
final class MatchingPatterns: Sendable {
    /// Words of pattern bits per action.
    private let chunks: Int
    /// Actions covered: catalog positions below this.
    private let actionCapacity: Int
    /// `patternsByAction[action * chunks + chunk]`: bit `p % 64` of chunk `p / 64` set when
    /// pattern `p` is held for the action.
    private let patternsByAction: [UInt64]
    private let patterns: FlatPatterns

    /// A grant's actions, its patterns encoded, and a key per pattern (equal keys: the same pattern).
    typealias Grant = (actions: BitSet, pieces: [FlatPatterns.Piece], keys: [Int])

    /// Patterns keyed by their text.
    convenience init(_ grants: [(actions: BitSet, patterns: [Pattern])]) {
        var keys: [String: Int] = [:]
        self.init(grants.map { grant -> Grant in
            (grant.actions, grant.patterns.map(FlatPatterns.Piece.init), grant.patterns.map { pattern in
                if let known = keys[pattern.source] { return known }
                keys[pattern.source] = keys.count
                return keys.count - 1
            })
        })
    }

    init(_ grants: [Grant]) {
        // The grants' pattern positions are kept in one flat list (`held[ends[g - 1] ..< ends[g]]`).
        let total = grants.reduce(0) { $0 + $1.pieces.count }
        var distinct: [FlatPatterns.Piece] = [], held: [Int] = [], ends: [Int] = []
        distinct.reserveCapacity(total)
        held.reserveCapacity(total)
        ends.reserveCapacity(grants.count)
        // Keys are small numbers (the configuration's distinct patterns): key → position + 1, 0 when new.
        let keyLimit = grants.reduce(0) { limit, grant in grant.keys.reduce(limit) { max($0, $1 + 1) } }
        var positions = [Int32](repeating: 0, count: keyLimit)
        for grant in grants {
            for (piece, key) in zip(grant.pieces, grant.keys) {
                let known = Int(positions[key])
                if known > 0 {
                    held.append(known - 1)
                } else {
                    positions[key] = Int32(truncatingIfNeeded: distinct.count + 1)
                    held.append(distinct.count)
                    distinct.append(piece)
                }
            }
            ends.append(held.count)
        }
        let chunks = max(1, (distinct.count + 63) / 64)
        let capacity = (grants.map { $0.actions.words.count }.max() ?? 0) * 64
        var byAction = [UInt64](repeating: 0, count: capacity * chunks)
        var mask = [UInt64](repeating: 0, count: chunks)
        byAction.withUnsafeMutableBufferPointer { byAction in
            var start = 0
            for (grant, end) in zip(grants, ends) {
                defer { start = end }
                guard start < end else { continue }
                // The grant's patterns as one mask, OR-ed into the row of each action it grants.
                if chunks == 1 {
                    var single: UInt64 = 0
                    for position in held[start..<end] { single |= 1 << UInt64(position) }
                    for (word, bits) in grant.actions.words.enumerated() where bits != 0 {
                        var remaining = bits
                        while remaining != 0 {
                            byAction[word * 64 + remaining.trailingZeroBitCount] |= single
                            remaining &= remaining - 1
                        }
                    }
                    continue
                }
                for chunk in 0..<chunks { mask[chunk] = 0 }
                for position in held[start..<end] { mask[position / 64] |= 1 << UInt64(position % 64) }
                for (word, bits) in grant.actions.words.enumerated() where bits != 0 {
                    var remaining = bits
                    while remaining != 0 {
                        let row = (word * 64 + remaining.trailingZeroBitCount) * chunks
                        remaining &= remaining - 1
                        for chunk in 0..<chunks { byAction[row + chunk] |= mask[chunk] }
                    }
                }
            }
        }
        self.chunks = chunks
        actionCapacity = capacity
        patternsByAction = byAction
        patterns = FlatPatterns(pieces: distinct)
    }

    /// Whether a grant of the catalog action `actionID` has a pattern matching `name`.
    func covers(actionID: Int, name: String) -> Bool {
        guard actionID < actionCapacity else { return false }
        let base = actionID * chunks
        return patternsByAction.withUnsafeBufferPointer { byAction in
            // The name is prepared only when the action has patterns to try.
            guard (base..<(base + chunks)).contains(where: { byAction[$0] != 0 }) else { return false }
            return patterns.scan(name) { scanner in
                for chunk in 0..<chunks {
                    var held = byAction[base + chunk]
                    while held != 0 {
                        let position = chunk * 64 + held.trailingZeroBitCount
                        held &= held - 1
                        if scanner.matches(position) { return true }
                    }
                }
                return false
            }
        }
    }
}
