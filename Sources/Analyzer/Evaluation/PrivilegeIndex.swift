/// The one question the evaluator asks of the roles: does a role the subject holds grant this
/// action at cluster level, or on this index name? Two implementations answer it and must agree:
/// ``TabledPrivileges``, which the evaluator uses (the role set's action bits per name and prefix,
/// per-action pattern masks), and ``PlainPrivileges``, a walk over every held role's
/// entries that states what the tables must answer. EvaluatorEquivalenceTests holds them to each
/// other on generated configurations.
protocol PrivilegeIndex: Sendable {
    /// A held role's `cluster_permissions` grant the action (§2.3; explicit privileges are asked separately).
    func grantsCluster(_ plan: ActionPlan, subject: SubjectContext) -> Bool
    /// A held role has one `index_permissions` entry whose actions include the action and one of
    /// whose patterns (templates rendered for the subject, date math for the evaluator's clock)
    /// matches `name` itself (aliases and data streams are asked by the caller, name by name).
    func grants(_ plan: ActionPlan, on name: String, subject: SubjectContext, evaluator: Evaluator) -> Bool
}

/// Role by role, entry by entry, with no table and no cache beyond the rendered patterns.
struct PlainPrivileges: PrivilegeIndex {
    func grantsCluster(_ plan: ActionPlan, subject: SubjectContext) -> Bool {
        subject.roles.contains { $0.cluster.grants(plan.name) }
    }

    func grants(_ plan: ActionPlan, on name: String, subject: SubjectContext, evaluator: Evaluator) -> Bool {
        let render = { (template: String) in subject.render(template, evaluator: evaluator) }
        return subject.roles.contains { role in
            role.indexGrants.contains { grant in grant.actions.grants(plan.name) && grant.matchingPattern(name, render: render) != nil }
        }
    }
}

/// The precomputed tables of §6: catalog actions are answered from the tables of the subject's
/// role set (``PrivilegeTables``) and its rendered templates; an action the catalog does not list
/// has no table and is answered as ``PlainPrivileges`` answers it.
struct TabledPrivileges: PrivilegeIndex {
    func grantsCluster(_ plan: ActionPlan, subject: SubjectContext) -> Bool {
        if let id = plan.id { return subject.tables.cluster.contains(id) }
        return PlainPrivileges().grantsCluster(plan, subject: subject)
    }

    func grants(_ plan: ActionPlan, on name: String, subject: SubjectContext, evaluator: Evaluator) -> Bool {
        guard let id = plan.id else { return PlainPrivileges().grants(plan, on: name, subject: subject, evaluator: evaluator) }
        return subject.grants(plan, id: id, name: name)
    }
}
