/// The authorization checks of one request, grouped as the plugin runs them (one transport
/// action, or a shard action with its item operations on the same indices), and their decisions.
struct Checks {
    let context: RequestContext
    let plan: RequestPlan
    let prepared: PreparedSubject?

    init(context: RequestContext, plan: RequestPlan) {
        self.context = context
        self.plan = plan
        prepared = context.caller.isSuperAdmin ? nil : context.preparedSubject()
    }

    struct Group {
        let level: Requirement.Level
        let actions: [String]
        let indices: [String]
    }

    /// The unconditional groups in order, plus the conditional ones that always apply; the
    /// auto-create check of missing target indices goes before the first shard-level write.
    func groups(_ requirements: [Requirement], autoCreate missing: [String]) -> [Group] {
        var order: [Int] = []
        var members: [Int: [Requirement]] = [:]
        for requirement in requirements where applies(requirement) {
            if members[requirement.group] == nil { order.append(requirement.group) }
            members[requirement.group, default: []].append(requirement)
        }
        var result: [Group] = []
        for id in order {
            guard let list = members[id], let first = list.first else { continue }
            if first.level == .rest { continue }
            if !missing.isEmpty, list.contains(where: { $0.action == "indices:data/write/bulk[s]" }),
               !result.contains(where: { $0.actions == ["indices:admin/create"] }) {
                result.append(Group(level: .index, actions: ["indices:admin/create"], indices: missing))
            }
            result.append(Group(level: first.level, actions: list.map(\.action), indices: first.indices))
        }
        return result
    }

    /// Conditional requirements count when their condition always holds; the others depend on
    /// what the request does at run time and are handled by the families that know it.
    private func applies(_ requirement: Requirement) -> Bool {
        guard let condition = requirement.conditional else { return true }
        return condition.hasPrefix("always")
    }

    /// The evaluator's decision for a group; nil for the super admin (every check passes) and for
    /// a caller the resolver cannot take (an empty name), whom ``missing(_:)`` refuses everything.
    func decide(_ group: Group) -> Decision? {
        guard let prepared else { return nil }
        switch group.level {
        case .cluster, .rest, .tenant:
            // The restore check looks at the restored indices too (SnapshotRestoreEvaluator): without
            // them it would read the request as "restore everything".
            let action = group.actions.first ?? ""
            let scope = action == "cluster:admin/snapshot/restore" ? plan.requirements.first { $0.level == .index }?.indices ?? [] : []
            return context.evaluator.evaluate(prepared, action: action, indices: scope, explain: false)
        case .index:
            return context.evaluator.evaluate(prepared, indexActions: group.actions, indices: group.indices, explain: false)
        }
    }

    /// The 403 reason when the group is denied (`no permissions for [...] and User [...]`). Before
    /// 2.19 the plugin keeps the missing actions in a `java.util.HashSet` (PrivilegesEvaluatorResponse,
    /// security-layer-responses.md "Transport-level denials"), so they print in its iteration order;
    /// from 2.19 in the order they were required.
    func denial(_ group: Group) -> String? {
        guard let missing = missing(group) else { return nil }
        let profile = context.behaviour.profile
        let ordered = profile.missingPrivilegesStyle == .allRequired ? JavaHashOrder.order(missing) : missing
        let subject = context.caller.subject
        return profile.forbiddenMessage(missing: ordered, userName: subject.name, backendRoles: subject.backendRoles,
                                        requestedTenant: subject.requestedTenant)
    }

    /// The missing privileges when the group is denied; nil when it passes. Fails closed: a caller
    /// that is not the super admin and could not be prepared misses every action of the group.
    func missing(_ group: Group) -> [String]? {
        if context.caller.isSuperAdmin { return nil }
        guard prepared != nil else { return group.actions }
        guard let decision = decide(group), decision.outcome == .deny else { return nil }
        return decision.missingPrivileges
    }

    /// Index expressions of the path (`{index}`).
    static func pathIndices(_ plan: RequestPlan) -> [String] {
        guard let route = plan.route else { return [] }
        let templates = RouteTable.segments(route.path)
        let actual = RouteTable.segments(plan.request.path).map { $0.removingPercentEncoding ?? $0 }
        for (template, value) in zip(templates, actual) where template == "{index}" || template == "{alias}" {
            return value.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        }
        return []
    }
}
