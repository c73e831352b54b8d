/// Finds the smallest change that would turn a denial into an allow: the fewest additions to a
/// role the subject already holds (a custom one, since built-in roles cannot be edited), or a new
/// role when there is none. A built-in action group is proposed instead of the bare actions when
/// it grants exactly what is needed; otherwise the smallest group covering it is named as an
/// alternative, with what it adds.
struct FixPlanner {
    let run: Run

    func plan() -> [FixStep] {
        guard let denial = run.denial else { return [] }
        switch denial {
        case .cluster(let action):
            if run.subject.isServiceAccount {
                return [FixStep(role: nil, isNewRole: false, section: .none, indexPatterns: [], allowedActions: [],
                                alternative: nil, explanation: "service accounts cannot be granted cluster actions; use a regular user")]
            }
            return [step(section: .clusterPermissions, actions: [action], patterns: [], explicit: false)]
        case .explicitCluster(let action):
            return [step(section: .clusterPermissions, actions: [action], patterns: [], explicit: true)]
        case .index(let actions, let indices):
            let security = run.evaluator.settings.securityIndexName
            if indices.contains(security) {
                return [FixStep(role: nil, isNewRole: false, section: .none, indexPatterns: [], allowedActions: [], alternative: nil,
                                explanation: "no role can be given access to the security index \(security): its contents are served only to the admin certificate (securityadmin)")]
            }
            return [step(section: .indexPermissions, actions: actions, patterns: indices, explicit: actions == ["system:admin/system_index"])]
        case .special(let reason):
            return [FixStep(role: nil, isNewRole: false, section: .setting, indexPatterns: [], allowedActions: [],
                            alternative: nil, explanation: specialAdvice(reason))]
        }
    }

    private func step(section: FixStep.Section, actions: [String], patterns: [String], explicit: Bool) -> FixStep {
        let (role, isNew) = targetRole(section: section, actions: actions)
        let groups = explicit ? (exact: nil, covering: nil) : staticGroups(for: actions, section: section)
        let granted = groups.exact.map { [$0] } ?? actions
        var explanation = isNew
            ? "create role \(role) and map it to \(run.subject.name)"
            : "add to role \(role), which \(run.subject.name) already holds"
        if section == .indexPermissions {
            explanation += ": index_permissions entry for \(patterns.joined(separator: ", ")) with \(granted.joined(separator: ", "))"
        } else {
            explanation += ": cluster_permissions \(granted.joined(separator: ", "))"
        }
        if explicit { explanation += " (written out: a bare '*' does not count)" }
        return FixStep(role: role, isNewRole: isNew, section: section, indexPatterns: patterns, allowedActions: granted,
                       alternative: groups.exact == nil ? groups.covering : nil, explanation: explanation)
    }

    /// A mapped custom role, preferring one that already grants these actions somewhere.
    private func targetRole(section: FixStep.Section, actions: [String]) -> (String, Bool) {
        let editable = run.compiled.filter { role in
            guard let definition = run.evaluator.config.roles[role.name] else { return false }
            return !definition.flags.isStatic && !definition.flags.reserved && !definition.flags.hidden
        }
        let related = editable.first { role in
            section == .indexPermissions
                ? role.indexGrants.contains { grant in actions.allSatisfy(grant.actions.grants) }
                : !role.cluster.written.isEmpty
        }
        if let chosen = related ?? editable.first { return (chosen.name, false) }
        let safeName = run.subject.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return ("\(String(safeName))_access", true)
    }

    /// Built-in groups: one granting exactly the needed catalog actions, and the smallest covering all.
    /// Only groups whose (UI) type fits the section are proposed: cluster groups for
    /// cluster_permissions, index groups for index_permissions.
    private func staticGroups(for actions: [String], section: FixStep.Section) -> (exact: String?, covering: String?) {
        let fitting = section == .clusterPermissions ? ["cluster", "all"] : ["index", "all"]
        let needed = Set(actions)
        var exact: String?, covering: String?
        // Smallest first, then by name: the first covering group is the smallest one.
        for group in run.evaluator.staticGroupGrants where fitting.contains(group.type ?? "all") && needed.isSubset(of: group.actions) {
            if group.actions == needed, exact == nil { exact = group.name }
            if covering == nil { covering = group.name }
        }
        return (exact, covering)
    }

    private func specialAdvice(_ reason: String) -> String {
        let settings = run.evaluator.settings
        if reason.contains("security index") {
            return "no role can be given this: the security index \(settings.securityIndexName) is reserved for the admin certificate (securityadmin)"
        }
        if reason.contains("system index") {
            return settings.systemIndexPermissionEnabled
                ? "grant system:admin/system_index explicitly on that index (index_permissions) to a role the user holds"
                : "no role can be given this while \(run.profile.settingsPrefix).system_indices.permission.enabled is false; enable it and grant system:admin/system_index explicitly"
        }
        if reason.contains("protected index") || reason.contains("protected indices") {
            return "map the user to one of the roles in \(run.profile.settingsPrefix).protected_indices.roles"
        }
        return reason
    }
}
