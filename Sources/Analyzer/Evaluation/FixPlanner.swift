/// Finds the smallest change that would turn a denial into an allow: the fewest additions to a
/// role the subject already holds (a custom one, since built-in roles cannot be edited), or a new
/// role when there is none. A built-in action group is proposed instead of the bare actions when
/// it grants exactly what is needed; otherwise the smallest group covering it is named as an
/// alternative, with what it adds.
struct FixPlanner {
    let run: Run

    func plan() -> [FixStep] {
        guard let denial = run.denial else { return [] }
        let security = run.evaluator.settings.securityIndexName
        if let (indices, actions) = denial.missingIndexCells {
            if indices.contains(security) { return [FixStep(section: .none, advice: .securityIndexReserved(securityIndex: security))] }
            return [step(section: .indexPermissions, actions: actions, patterns: indices, explicit: actions == ["system:admin/system_index"])]
        }
        switch denial {
        case .serviceAccountClusterAction: return [FixStep(section: .none, advice: .useRegularUser)]
        case .missingClusterPrivilege(let action):
            return [step(section: .clusterPermissions, actions: [action], patterns: [], explicit: false)]
        case .missingExplicitClusterPrivilege(let action, _):
            return [step(section: .clusterPermissions, actions: [action], patterns: [], explicit: true)]
        case .special(let special): return [FixStep(section: .setting, advice: advice(for: special))]
        case .cannotAuthenticate: return [FixStep(section: .none, advice: .enableUser)]
        case .missingTenantPrivilege(let tenant, let write):
            let group = write ? "kibana_all_write" : "kibana_all_read"
            return [FixStep(section: .tenantPermissions, allowedActions: [group],
                            advice: .grantTenant(user: run.subject.name, tenant: tenant, actionGroup: group))]
        case .missingIndexPrivileges, .allIndicesUnknown, .missingExplicitIndexPrivilege: return []
        }
    }

    private func step(section: FixStep.Section, actions: [String], patterns: [String], explicit: Bool) -> FixStep {
        let (role, isNew) = targetRole(section: section, actions: actions)
        let groups = explicit ? (exact: nil, covering: nil) : staticGroups(for: actions, section: section)
        let granted = groups.exact.map { [$0] } ?? actions
        return FixStep(role: role, isNewRole: isNew, section: section, indexPatterns: patterns, allowedActions: granted,
                       alternative: groups.exact == nil ? groups.covering : nil, advice: .grant(user: run.subject.name, explicit: explicit))
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

    /// What helps against a rule no role grant changes: the security index is reserved for the
    /// admin certificate, system indices need system:admin/system_index (with permission mode on),
    /// protected indices need one of the protected roles; otherwise the denial is all there is to say.
    private func advice(for denial: SpecialDenial) -> FixAdvice {
        let settings = run.evaluator.settings, prefix = run.profile.settingsPrefix
        switch denial {
        case .securityIndexInPermissionMode, .securityIndexWrite, .allIndicesWriteIncludesSecurityIndex, .restoreOfAllOrSecurityIndex:
            return .securityIndexReservedForAdmin(securityIndex: settings.securityIndexName)
        case .systemIndex, .serviceAccountOutsideSystemIndices, .regularIndexBesideSystemIndex:
            return settings.systemIndexPermissionEnabled
                ? .grantSystemIndexPermission : .enableSystemIndexPermission(setting: "\(prefix).system_indices.permission.enabled")
        case .protectedIndex: return .mapToProtectedRole(setting: "\(prefix).protected_indices.roles")
        case .snapshotRestoreDisabled, .tenantIndexNamedDirectly, .unresolvableIndexExpression, .multitenancyDisabled, .privateTenantDisabled,
             .undefinedTenant:
            return .nothingToGrant(denial)
        }
    }
}
