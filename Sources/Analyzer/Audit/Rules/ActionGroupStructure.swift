/// SP005: group cycles, groups listing themselves, groups named like roles.
public struct ActionGroupStructure: AuditRule {
    public init() {}
    public let id = "SP005"
    public let name = "action-group-structure"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Action group cycle, self-reference, or group named like a role"
    public let rationale = """
        Since 2.19 flattening stops at a fixpoint, so cycles end (§2.2), but before 2.19 resolution was plain \
        recursion without cycle detection; a group that lists itself and a group named like a role are \
        rejected by the REST API ("cannot be an allowed_action of itself"), so such files cannot be edited \
        there.
        """
    public let triggeringExample = ["action_groups.yml": "a:\n  allowed_actions: [b]\nb:\n  allowed_actions: [a, \"indices:data/read/get\"]\n"]
    public let passingExample = ["action_groups.yml": "a:\n  allowed_actions: [b]\nb:\n  allowed_actions: [\"indices:data/read/get\"]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        let custom = Dictionary(uniqueKeysWithValues: context.customGroups.map { ($0.name, $0) })
        for cycle in context.groups.cycles {
            guard let first = cycle.compactMap({ custom[$0] }).first else { continue }
            findings.append(finding("action groups \(cycle.joined(separator: " → ")) → \(cycle[0]) form a cycle",
                                    at: first.location, help: "remove one of the references; releases before 2.19 recurse without end on cycles",
                                    entity: "action_group:\(cycle.joined(separator: ","))/cycle"))
        }
        for name in context.groups.selfReferences {
            guard let group = custom[name], let entry = group.allowedActions.first(where: { $0.value == name }) else { continue }
            findings.append(finding("action group '\(name)' lists itself", at: entry.location,
                                    help: "remove the entry; the REST API rejects it (\"cannot be an allowed_action of itself\")",
                                    entity: "action_group:\(name)/self"))
        }
        for group in context.customGroups where context.merged.roles[group.name] != nil {
            findings.append(finding("action group '\(group.name)' has the name of a role", at: group.location,
                                    help: "rename it; the REST API rejects groups named like roles", entity: "action_group:\(group.name)/role-name"))
        }
        return findings
    }
}
