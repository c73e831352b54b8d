import Synchronization

/// Everything about a subject that does not depend on the request: its roles (mapped once), the
/// template variables, and its index grants whose patterns need a real match, with `${…}` and
/// date math already rendered. Cached by the evaluator per subject.
final class SubjectContext: Sendable {
    let subject: Subject
    let mapped: [MappedRole]
    /// The mapped roles that exist, and the names of those that do not.
    let held: [MappedRole]
    let missingRoleNames: [String]
    let roles: [CompiledRole]
    let roleSet: BitSet
    let variables: [String: String]
    /// The held roles' index grants with glob, regex, template or date-math patterns.
    let matching: MatchingPatterns
    private let rendered = Mutex<[String: Pattern]>([:])

    init(subject: Subject, evaluator: Evaluator) {
        self.subject = subject
        let mapped = evaluator.mapper.map(subject)
        self.mapped = mapped
        held = mapped.filter(\.exists)
        missingRoleNames = mapped.filter { !$0.exists }.map(\.name)
        let existing = held.map(\.name)
        roles = evaluator.compiledRoles(existing)
        var set = BitSet(capacity: evaluator.tables.roles.count)
        for id in existing.compactMap({ evaluator.tables.roleIDs[$0] }) { set.insert(id) }
        roleSet = set
        let variables = UserAttributes.variables(for: subject, mappedRoles: existing)
        self.variables = variables
        // Templates depend only on the subject, date math only on the evaluator's clock: both are
        // rendered once here instead of at every match.
        matching = MatchingPatterns(roles.flatMap(\.indexGrants).filter(\.needsMatching).map { grant in
            let rendered = (grant.templates + grant.dateMath).map { evaluator.render($0, variables: variables) }
            return (grant.actionBits, grant.others + rendered)
        })
    }

    /// Whether a held role grants the catalog action of `plan` (position `id`) on `name`: the
    /// shared tables first (`*`, exact names, prefixes), then this subject's own patterns.
    func grants(_ plan: ActionPlan, id: Int, name: String) -> Bool {
        if let table = plan.indexTable, table.grants(name, to: roleSet) { return true }
        return matching.covers(actionID: id, name: name)
    }

    /// A template pattern rendered for this subject (date math is rendered by the evaluator).
    func render(_ template: String, evaluator: Evaluator) -> Pattern {
        if let cached = rendered.withLock({ $0[template] }) { return cached }
        let pattern = evaluator.render(template, variables: variables)
        if !DateMath.isExpression(template) { rendered.withLock { $0[template] = pattern } }
        return pattern
    }
}

/// One subject's index grants whose patterns the shared tables cannot answer: per grant, its
/// action bits and the end of its patterns, in one buffer; the patterns in another.
struct MatchingPatterns: Sendable {
    /// Words of action bits per grant; each grant takes `stride + 1` words, the last one being
    /// the end of its patterns in `patterns`.
    private let stride: Int
    private let grants: [UInt64]
    private let patterns: FlatPatterns

    init(_ grants: [(actions: BitSet, patterns: [Pattern])]) {
        let stride = grants.map(\.actions.words.count).max() ?? 1
        self.stride = stride
        var words: [UInt64] = [], patterns: [Pattern] = []
        for grant in grants {
            words += grant.actions.words + [UInt64](repeating: 0, count: stride - grant.actions.words.count)
            patterns += grant.patterns
            words.append(UInt64(patterns.count))
        }
        self.grants = words
        self.patterns = FlatPatterns(patterns)
    }

    /// Whether a grant of the catalog action `actionID` has a pattern matching `name`.
    func covers(actionID: Int, name: String) -> Bool {
        let word = actionID >> 6, mask = UInt64(1) << UInt64(actionID & 63)
        let width = stride + 1
        guard word < stride, !grants.isEmpty else { return false }
        return grants.withUnsafeBufferPointer { grants in
            // Only grants of this action are looked at; the name is prepared once, when one is found.
            let count = grants.count / width
            guard let first = (0..<count).first(where: { grants[$0 &* width &+ word] & mask != 0 }) else { return false }
            return patterns.scan(name) { scanner in
                for grant in first..<count where grants[grant &* width &+ word] & mask != 0 {
                    let start = grant == 0 ? 0 : Int(grants[grant &* width &- 1])
                    if scanner.matchesAny(start..<Int(grants[grant &* width &+ stride])) { return true }
                }
                return false
            }
        }
    }
}
