import Synchronization

/// Everything about a subject that does not depend on the request: its roles (mapped once), the
/// template variables, and its rendered `${…}` patterns. Cached by the evaluator per subject.
final class SubjectContext: Sendable {
    let mapped: [MappedRole]
    let roles: [CompiledRole]
    let roleIDs: [Int]
    let roleSet: RoleSet
    let variables: [String: String]
    private let rendered = Mutex<[String: Pattern]>([:])
    private let patternGrants = Mutex<[String: [IndexGrant]]>([:])

    /// The grants of `action` among this subject's roles whose patterns need a real match (globs,
    /// regexes, templates, date math), flattened once per action.
    func patternGrants(for action: String, in table: PrivilegeTables.IndexTable) -> [IndexGrant] {
        if let cached = patternGrants.withLock({ $0[action] }) { return cached }
        let grants = roleIDs.flatMap { table.others[$0] ?? [] }
        patternGrants.withLock { $0[action] = grants }
        return grants
    }

    init(subject: Subject, evaluator: Evaluator) {
        let mapped = evaluator.mapper.map(subject)
        self.mapped = mapped
        let existing = mapped.filter(\.exists).map(\.name)
        roles = evaluator.compiledRoles(existing)
        let ids = existing.compactMap { evaluator.tables.roleIDs[$0] }
        roleIDs = ids
        var set = RoleSet(capacity: max(1, evaluator.tables.roles.count))
        for id in ids { set.insert(id) }
        roleSet = set
        variables = UserAttributes.variables(for: subject, mappedRoles: existing)
    }

    /// A template pattern rendered for this subject (date math is rendered by the evaluator).
    func render(_ template: String, evaluator: Evaluator) -> Pattern {
        if let cached = rendered.withLock({ $0[template] }) { return cached }
        let pattern = evaluator.render(template, variables: variables)
        if !DateMath.isExpression(template) { rendered.withLock { $0[template] = pattern } }
        return pattern
    }
}
