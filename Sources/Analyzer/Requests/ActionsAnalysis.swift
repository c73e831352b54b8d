import PermissionCatalog

/// A requirement with what secperm knows about granting it, and (with a configuration) the decision.
public struct AnalyzedRequirement: Sendable {
    public let requirement: Requirement
    /// The smallest built-in action groups that grant the action.
    public let grantedBy: [String]
    public let decision: Decision?
}

public struct AnalyzedRequest: Sendable {
    public let plan: RequestPlan
    public let requirements: [AnalyzedRequirement]
    /// The 403 reason of the first check that fails, as the cluster would send it.
    public let firstDenial: String?
}

/// Turns console requests into analysed plans; with an evaluator and a subject, a full offline dry run.
public struct ActionsAnalysis: Sendable {
    let planner: RequestPlanner
    let expander: ActionExpander

    /// `settings`: the node settings the requirements are worked out for (the plugin's defaults unless given).
    public init(catalog: Catalog, config: SecurityConfig = SecurityConfig(), settings: NodeSettings = NodeSettings()) {
        planner = RequestPlanner(catalog: catalog, settings: settings)
        expander = ActionExpander(catalog: catalog, config: config)
    }

    public func analyze(_ requests: [ConsoleRequest], evaluator: Evaluator? = nil, subject: PreparedSubject? = nil) -> [AnalyzedRequest] {
        let builtIn = Set(planner.catalog.staticActionGroups.map(\.name))
        var groupCache: [String: [String]] = [:]
        func groups(_ action: String) -> [String] {
            if let known = groupCache[action] { return known }
            let found = Array(expander.groupsGranting(action).filter(builtIn.contains).prefix(3))
            groupCache[action] = found
            return found
        }
        return requests.map { request in
            let plan = planner.plan(request)
            var decisions: [Int: Decision] = [:]
            var firstDenial: String?
            if let evaluator, let subject {
                for group in Array(Set(plan.requirements.map(\.group))).sorted() {
                    let members = plan.requirements.filter { $0.group == group }
                    guard let first = members.first else { continue }
                    let decision: Decision?
                    switch first.level {
                    case .rest, .tenant: decision = nil
                    case .cluster:
                        // The restore check also looks at the restored indices (SnapshotRestoreEvaluator);
                        // without them it would read the request as "restore everything".
                        let scope = first.action == "cluster:admin/snapshot/restore"
                            ? plan.requirements.first { $0.level == .index }?.indices ?? [] : []
                        decision = evaluator.evaluate(subject, action: first.action, indices: scope)
                    case .index: decision = evaluator.evaluate(subject, indexActions: members.map(\.action), indices: first.indices)
                    }
                    decisions[group] = decision
                    if let decision, decision.outcome == .deny, first.conditional == nil, firstDenial == nil {
                        firstDenial = DecisionSentences.firstDenial(decision)
                    }
                }
            }
            let analyzed = plan.requirements.map { requirement in
                AnalyzedRequirement(requirement: requirement, grantedBy: requirement.level == .rest ? [] : groups(requirement.action),
                                    decision: decisions[requirement.group])
            }
            return AnalyzedRequest(plan: plan, requirements: analyzed, firstDenial: firstDenial)
        }
    }
}
