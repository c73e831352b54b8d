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
    let matchingGrants: [MatchingGrant]
    private let rendered = Mutex<[String: Pattern]>([:])

    /// One index grant's patterns that the shared tables cannot answer, ready to match for this subject.
    struct MatchingGrant: Sendable {
        let actionBits: BitSet
        let patterns: [Pattern]
    }

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
        matchingGrants = roles.flatMap(\.indexGrants).filter(\.needsMatching).map { grant in
            let rendered = (grant.templates + grant.dateMath).map { evaluator.render($0, variables: variables) }
            return MatchingGrant(actionBits: grant.actionBits, patterns: grant.others + rendered)
        }
    }

    /// Whether a held grant of the catalog action `actionID` matches `name` through a pattern the
    /// shared tables do not hold.
    func matchingGrantCovers(actionID: Int, name: String) -> Bool {
        for grant in matchingGrants where grant.actionBits.contains(actionID) {
            for pattern in grant.patterns where pattern.matches(name) { return true }
        }
        return false
    }

    /// A template pattern rendered for this subject (date math is rendered by the evaluator).
    func render(_ template: String, evaluator: Evaluator) -> Pattern {
        if let cached = rendered.withLock({ $0[template] }) { return cached }
        let pattern = evaluator.render(template, variables: variables)
        if !DateMath.isExpression(template) { rendered.withLock { $0[template] = pattern } }
        return pattern
    }
}
