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
    let variables: [String: String]
    /// The held roles' grants with `${…}` patterns, rendered for this subject; nil when none.
    let templates: MatchingPatterns?
    /// Templates rendered for this subject (date math is left to the evaluator's cache).
    private let rendered: Mutex<[String: Pattern]>

    init(subject: Subject, evaluator: Evaluator) {
        self.subject = subject
        let mapped = evaluator.mapper.map(subject)
        self.mapped = mapped
        held = mapped.filter(\.exists)
        missingRoleNames = mapped.filter { !$0.exists }.map(\.name)
        let existing = held.map(\.name)
        tables = evaluator.tables(for: existing)
        let variables = UserAttributes.variables(for: subject, mappedRoles: existing)
        self.variables = variables
        // Templates depend only on the subject: each is rendered once here (a template often
        // stands in many roles), not at every match.
        var renderedOnce: [String: Pattern] = [:]
        func render(_ template: String) -> Pattern {
            if let known = renderedOnce[template] { return known }
            let pattern = evaluator.render(template, variables: variables)
            renderedOnce[template] = pattern
            return pattern
        }
        let templated = tables.templated.map { grant in (grant.actionBits, grant.templates.map(render)) }
        templates = templated.isEmpty ? nil : MatchingPatterns(templated)
        // Explanations ask for the same templates again.
        rendered = Mutex(renderedOnce)
    }

    /// Whether a held role grants the catalog action of `plan` (position `id`) on `name`: the role
    /// set's tables first (`*`, exact names, prefixes, other patterns), then this subject's templates.
    func grants(_ plan: ActionPlan, id: Int, name: String) -> Bool {
        if tables.grants(id, on: name) { return true }
        return templates?.covers(actionID: id, name: name) == true
    }

    /// A template pattern rendered for this subject (date math is rendered by the evaluator).
    func render(_ template: String, evaluator: Evaluator) -> Pattern {
        if let cached = rendered.withLock({ $0[template] }) { return cached }
        let pattern = evaluator.render(template, variables: variables)
        if !DateMath.isExpression(template) { rendered.withLock { $0[template] = pattern } }
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

    init(_ grants: [(actions: BitSet, patterns: [Pattern])]) {
        // A pattern is determined by its text, a cheaper key than the compiled pattern.
        var distinct: [Pattern] = [], positions: [String: Int] = [:]
        let grantPatterns = grants.map { grant in
            grant.patterns.map { pattern in
                if let known = positions[pattern.source] { return known }
                positions[pattern.source] = distinct.count
                distinct.append(pattern)
                return distinct.count - 1
            }
        }
        let chunks = max(1, (distinct.count + 63) / 64)
        let capacity = (grants.map { $0.actions.words.count }.max() ?? 0) * 64
        var byAction = [UInt64](repeating: 0, count: capacity * chunks)
        for (grant, held) in zip(grants, grantPatterns) {
            for (word, bits) in grant.actions.words.enumerated() where bits != 0 {
                var remaining = bits
                while remaining != 0 {
                    let action = word * 64 + remaining.trailingZeroBitCount
                    remaining &= remaining - 1
                    for position in held { byAction[action * chunks + position / 64] |= 1 << UInt64(position % 64) }
                }
            }
        }
        self.chunks = chunks
        actionCapacity = capacity
        patternsByAction = byAction
        patterns = FlatPatterns(distinct)
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
