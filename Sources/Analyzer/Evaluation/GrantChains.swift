/// Explanations of an allow: which role gives which action on which indices, through which
/// entry, groups and index pattern, and where that is written (STYLE.md §4). Built only when a
/// caller asks for an explanation, after the decision procedure has decided; nothing here
/// changes an outcome.
struct GrantChains {
    let run: Run

    var evaluator: Evaluator { run.evaluator }

    /// The chains of `roles`, which grant the run's checked action at cluster level.
    func cluster(_ roles: [CompiledRole], explicitOnly: Bool) -> [Grant] {
        let action = run.checkedAction
        return roles.compactMap { role in
            guard let path = role.cluster.path(to: action, groups: evaluator.groups, explicitOnly: explicitOnly) else { return nil }
            return Grant(role: role.name, level: .cluster, action: action, permission: path.entry, via: path.via,
                         indexPattern: nil, indices: [], location: evaluator.config.roles[role.name]?.location)
        }
    }

    /// The chains behind allowed index cells: per (role entry, action, pattern) the indices it covers.
    func index(actions: [String], names: [String]) -> [Grant] {
        struct Key: Hashable { let role: String, position: Int, action: String, pattern: String }
        var order: [Key] = [], indices: [Key: [String]] = [:], byKey: [Key: IndexGrant] = [:]
        // Per action, its catalog position when the plan is the action itself: a grant's
        // `actionBits` then answers what `CompiledRole.grants(for:)` tests entry by entry.
        let positions = actions.map { action in
            let plan = evaluator.plans.plan(for: action)
            return plan.name == action ? plan.id : nil
        }
        // One action on one index (a witness, a one-index check): its one chain, without the grouping.
        if actions.count == 1, names.count == 1 {
            guard let (grant, pattern) = grantBehind(actions[0], position: positions[0], names: evaluator.matchNames(names[0])),
                  let path = grant.actions.path(to: actions[0], groups: evaluator.groups) else { return [] }
            return [Grant(role: grant.role, level: .index, action: actions[0], permission: path.entry, via: path.via,
                          indexPattern: pattern, indices: names, location: grant.location)]
        }
        for name in names {
            let candidates = evaluator.matchNames(name)
            for (action, position) in zip(actions, positions) {
                guard let (grant, pattern) = grantBehind(action, position: position, names: candidates) else { continue }
                let key = Key(role: grant.role, position: grant.position, action: action, pattern: pattern)
                if indices[key] == nil { order.append(key); byKey[key] = grant }
                indices[key, default: []].append(name)
            }
        }
        return order.compactMap { key in
            guard let grant = byKey[key], let path = grant.actions.path(to: key.action, groups: evaluator.groups) else { return nil }
            return Grant(role: key.role, level: .index, action: key.action, permission: path.entry, via: path.via,
                         indexPattern: key.pattern, indices: indices[key] ?? [], location: grant.location)
        }
    }

    /// The first held grant, and its written pattern, that gives `action` on one of `names`: the
    /// grants `CompiledRole.grants(for:)` lists, in its order, without building its list.
    /// `position`: the action's catalog position, when it has one.
    private func grantBehind(_ action: String, position: Int?, names: [String]) -> (IndexGrant, String)? {
        let context = run.context, evaluator = self.evaluator
        let render = { (template: String) in context.render(template, evaluator: evaluator) }
        for role in run.compiled {
            for grant in role.indexGrants where position.map(grant.actionBits.contains) ?? grant.actions.grants(action) {
                for name in names {
                    if let pattern = grant.matchingPattern(name, render: render) { return (grant, pattern) }
                }
            }
        }
        return nil
    }
}
