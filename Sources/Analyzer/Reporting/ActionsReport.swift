/// Renders `secperm actions` results.
public enum ActionsReport {
    public static func text(_ results: [AnalyzedRequest], target: String) -> String {
        var out = ""
        for result in results {
            let plan = result.plan
            out += "\(plan.request.method) \(plan.request.path)  (line \(plan.request.line))\n"
            guard let route = plan.route else {
                if !plan.allowedMethods.isEmpty {
                    out += "  unknown route: \(plan.request.method) is not accepted here; known methods: \(plan.allowedMethods.joined(separator: ", "))\n\n"
                } else {
                    out += "  unknown route on \(target)\(plan.closestRoute.map { "; closest known: \($0.method) \($0.path)" } ?? "")\n\n"
                }
                continue
            }
            out += "  route \(route.method) \(route.path)\n"
            var rows: [[String]] = []
            for item in result.requirements {
                let requirement = item.requirement
                let scope = requirement.level == .index ? (requirement.indices.isEmpty ? "all indices" : requirement.indices.joined(separator: ", ")) : ""
                var cells = ["  " + (item.decision.map { $0.outcome.rawValue.uppercased() } ?? ""), requirement.level.rawValue, requirement.action, scope]
                var detail: [String] = []
                if let conditional = requirement.conditional {
                    detail.append("only if \(conditional)\(requirement.dependsOnState ? " (cluster state: --suggest-role includes it unless --assume-existing)" : "")")
                }
                if let setting = requirement.liftedBy { detail.append("required by default; \(setting) lifts it") }
                if let note = requirement.note { detail.append(note) }
                if !item.grantedBy.isEmpty { detail.append("in \(item.grantedBy.joined(separator: ", "))") }
                cells.append(detail.joined(separator: "; "))
                rows.append(cells)
            }
            if result.requirements.first?.decision == nil { rows = rows.map { Array($0.dropFirst()) }.map { ["  " + $0[0]] + $0.dropFirst() } }
            out += TextTable.render(rows)
            for note in plan.notes { out += "  note: \(note)\n" }
            for note in plan.restoreNotes { out += "  restore: \(restore(note))\n" }
            if let denial = result.firstDenial { out += "  403: \(denial)\n" }
            out += "\n"
        }
        return out
    }

    /// One of the plugin's restore rules as it applies to the request (RestoreNote).
    public static func restore(_ note: RestoreNote) -> String {
        switch note {
        case .restoreByUsersDisabled(let setting):
            "\(setting) is false: only the admin certificate (super admin) may restore; every user is refused"
        case .securityIndexInSource(let index, let setting):
            "the restored indices take in the security index \(index) (no list, *, _all or a pattern matching it): refused to every user but "
                + "the super admin, unless \(setting) is true; list \"-\(index)\" to leave it out"
        case .securityIndexExcluded(let index):
            "the security index \(index) is left out of the restored indices: the rule against restoring it passes"
        case .securityIndexNotListed(let index):
            "the restored indices do not name the security index \(index): the rule against restoring it passes"
        case .securityIndexRestoreAllowed(let setting):
            "\(setting) is true: the security index and the global state may be restored"
        case .globalStateRefused(let setting):
            "include_global_state: true is refused to every user but the super admin ('include_global_state' is not allowed), unless \(setting) is true"
        case .globalStateNotRestored:
            "include_global_state is false: the rule against restoring the global state passes"
        case .writePrivilegesOnRestoredIndices(let setting, let lifted):
            lifted ? "\(setting) is false here: the restored indices need no write privileges"
                : "the restored indices also need indices:admin/create and indices:data/write/index (\(setting), true by default; false lifts it)"
        case .renamedIndices:
            "rename_pattern/rename_replacement change the restored names; the write check applies to the new names"
        }
    }

    struct JSONRequirement: Encodable {
        let action: String, level: String, indices: [String], grantedBy: [String]
        let conditional: JSONNullable<String>, dependsOnState: Bool, liftedBy: JSONNullable<String>, note: String?, decision: JSONNullable<String>
    }

    struct JSONRequest: Encodable {
        let line: Int, method: String, path: String, route: JSONNullable<String>, unknownRoute: Bool, closestRoute: String?
        let requirements: [JSONRequirement], notes: [String], restoreRules: [String]?, forbiddenMessage: JSONNullable<String>
    }

    struct JSONRoot: Encodable {
        let schemaVersion = 1
        let target: String
        let requests: [JSONRequest]
    }

    public static func json(_ results: [AnalyzedRequest], target: String) -> String {
        JSONOutput.render(JSONRoot(target: target, requests: results.map { result in
            let plan = result.plan
            return JSONRequest(
                line: plan.request.line, method: plan.request.method, path: plan.request.path,
                route: JSONNullable(plan.route.map { "\($0.method) \($0.path)" }), unknownRoute: plan.route == nil,
                closestRoute: plan.closestRoute.map { "\($0.method) \($0.path)" },
                requirements: result.requirements.map { item in
                    JSONRequirement(action: item.requirement.action, level: item.requirement.level.rawValue, indices: item.requirement.indices,
                                    grantedBy: item.grantedBy, conditional: JSONNullable(item.requirement.conditional),
                                    dependsOnState: item.requirement.dependsOnState, liftedBy: JSONNullable(item.requirement.liftedBy), note: item.requirement.note,
                                    decision: JSONNullable(item.decision?.outcome.rawValue))
                },
                notes: plan.notes + (plan.allowedMethods.isEmpty ? [] : ["method not accepted; known methods: \(plan.allowedMethods.joined(separator: ", "))"]),
                restoreRules: plan.restoreNotes.isEmpty ? nil : plan.restoreNotes.map(restore),
                forbiddenMessage: JSONNullable(result.firstDenial))
        }))
    }
}
