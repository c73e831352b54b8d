import PermissionCatalog

extension Evaluator {
    /// Whether a one-index request on `name` (no tenant asked for) meets a step that reads more of
    /// the subject than the grants of the checked action: the security, system and protected-index
    /// rules (explicit `system:admin/system_index` grants, protected roles) and the Dashboards-index
    /// step (tenant permissions). On any other name, a subject's decision of an index-level action
    /// follows from the action's `Run.SingleIndexTraits`, the patterns that grant it, and the
    /// subject's settings-level facts (`Run.index` and the steps it calls).
    func singlesOut(_ name: String) -> Bool {
        if special.isSecurityIndex(name) || special.isSystemIndex(name) || special.isProtectedIndex(name) { return true }
        return !TenantRules.leavesAlone(dashboards, requestedTenant: nil, expressions: [name], resolution: resolve([name]))
    }
}

/// The state of one decision while the evaluator works through the plugin's steps in order. A
/// struct, so that a decision allocates no object for it.
struct Run {
    let evaluator: Evaluator
    /// The action and index expressions as asked.
    let action: String
    let indices: [String]
    let explain: Bool
    /// False when only the outcome is wanted: what a Decision record would list (missing
    /// privileges, the denial for the fix planner) is then not assembled.
    let records: Bool
    /// An explained decision without its fix plan and 403 text: the caller shows only why it was
    /// decided (grant chains, missing privileges, notes).
    var reasonsOnly = false
    let context: SubjectContext
    /// The checked action's plan, alone in a list (as the index steps take it).
    let planAlone: [ActionPlan]
    var plan: ActionPlan { planAlone[0] }
    var checkedAction: String { plan.name }
    /// Borrowed, not copied: a copy would retain every field of the subject on each access.
    var subject: Subject { _read { yield context.subject } }

    var mapped: [MappedRole] { context.mapped }
    var compiled: [CompiledRole] { context.roles }
    var variables: [String: String] { context.variables }

    var outcome: Decision.Outcome = .deny
    var resolved: [String] = []
    var allowed: [String] = []
    var missing: [String] = []
    var grants: [Grant] = []
    var notes: [DecisionNote] = []
    /// Why it was denied (when records are kept): what the decision carries and the fix planner reads.
    var denial: DenialReason?

    init(evaluator: Evaluator, context: SubjectContext, action: String, indices: [String], explain: Bool, records: Bool = true) {
        self.evaluator = evaluator
        self.context = context
        self.action = action
        self.indices = indices
        self.explain = explain
        self.records = records || explain
        planAlone = evaluator.plans.planAlone(for: action)
    }

    var profile: TargetProfile { _read { yield evaluator.profile } }

    // MARK: steps

    mutating func evaluate() {
        if explain, checkedAction != action {
            if explain { notes.append(.renamed(from: action, to: checkedAction)) }
        }
        switch plan.route {
        case .alwaysAllowed:
            outcome = .allow
            if explain { notes.append(.alwaysAllowed(action: checkedAction)) }
        case .tenant: tenant()
        case .explicitCluster: explicitCluster()
        case .cluster: cluster()
        case .index: index(actions: planAlone, expressions: indices, dashboardsNamed: indices)
        }
    }

    /// Tenant actions are granted per tenant through tenant_permissions (``TenantRules``, each
    /// release's rules from its profile). The 403 names the action (`insufficient(action)`).
    mutating func tenant() {
        switch TenantRules(run: self).decide(action: checkedAction) {
        case .allow(let reason):
            outcome = .allow
            if explain { notes.append(reason) }
        case .deny(let reason):
            outcome = .deny
            if records { recordDenial(reason, missing: [checkedAction]) }
        }
    }

    mutating func cluster() {
        if checkedAction == Run.restoreAction, !passesRestoreRules() { return }
        if subject.isServiceAccount {
            outcome = .deny
            if records { recordDenial(.serviceAccountClusterAction(action: checkedAction), missing: [checkedAction]) }
            if explain { notes.append(.serviceAccountHasNoClusterActions(user: subject.name)) }
            return
        }
        guard hasClusterPrivilege(plan) else {
            outcome = .deny
            if records { recordDenial(.missingClusterPrivilege(action: checkedAction), missing: [checkedAction]) }
            return
        }
        outcome = .allow
        if explain {
            grants += GrantChains(run: self).cluster(compiled.filter { $0.cluster.grants(checkedAction) }, explicitOnly: false)
        }
        // The Dashboards index (TenantRules); a bulk without a tenant skips it (the plugin's bulk
        // shortcut), and without indices or a tenant there is nothing it could change.
        let tenant = !(subject.requestedTenant ?? "").isEmpty
        if checkedAction != Run.restoreAction, tenant || (!indices.isEmpty && checkedAction != "indices:data/write/bulk"),
           interceptDashboardsIndex(action: checkedAction, named: indices, resolution: evaluator.resolve(indices), clusterLevel: true) {
            return
        }
        if checkedAction == Run.restoreAction {
            restoreWritePrivileges()
        } else if !plan.subActions.isEmpty, !indices.isEmpty {
            if explain { notes.append(.subRequestsChecked(action: checkedAction, subActions: plan.subActions.map(\.name))) }
            index(actions: plan.subActions, expressions: indices, dashboardsNamed: [])
        } else if !indices.isEmpty {
            if explain { notes.append(.clusterActionIgnoresIndices(action: checkedAction)) }
        }
    }

    mutating func explicitCluster() {
        let rule = profile.explicitPrivilegeRule
        let granting = compiled.filter { $0.cluster.grantsExplicitly(checkedAction, rule: rule) }
        guard !granting.isEmpty else {
            let wildcard = records ? compiled.filter { $0.cluster.grants(checkedAction) }.map(\.name) : []
            outcome = .deny
            if records { recordDenial(.missingExplicitClusterPrivilege(action: checkedAction, wildcardOnlyRoles: wildcard), missing: [checkedAction]) }
            if explain, !wildcard.isEmpty { notes.append(.onlyThroughBareWildcard(roles: wildcard, action: checkedAction)) }
            return
        }
        outcome = .allow
        if explain { grants += GrantChains(run: self).cluster(granting, explicitOnly: true) }
        if !evaluator.settings.restAdminEnabled {
            if explain { notes.append(.restAdminDisabled(setting: "\(profile.settingsPrefix).restapi.admin.enabled")) }
        }
    }

    static let restoreAction = "cluster:admin/snapshot/restore"

    /// The legacy evaluator's first steps for a restore, before any privilege: `SnapshotRestoreEvaluator`
    /// (restore by regular users disabled; all indices or the security index as source, unless
    /// `unsupported.restore.securityindex.enabled`), then the security/system/protected-index rules
    /// with the restore action itself, which is on their denied lists (`PrivilegesEvaluatorImpl.evaluate`
    /// order). False when it denied.
    private mutating func passesRestoreRules() -> Bool {
        let settings = evaluator.settings, special = evaluator.special
        guard settings.snapshotRestorePrivilegeEnabled else {
            // `insufficient(action)`: this 403 names the restore action.
            outcome = .deny
            if records { recordDenial(.special(.snapshotRestoreDisabled), missing: [checkedAction]) }
            return false
        }
        let resolution = evaluator.resolve(indices)
        if !settings.restoreSecurityIndexEnabled, resolution.isLocalAll || resolution.names.contains(where: special.isSecurityIndex) {
            outcome = .deny
            if records { recordDenial(.special(.restoreOfAllOrSecurityIndex), missing: []) }
            return false
        }
        let facts = self.facts
        if case .deny(let reason) = special.check(actions: planAlone, resolution: resolution,
                                                  hasSystemIndexPermission: { facts.hasSystemIndexPermission($0) },
                                                  holdsProtectedRole: { facts.holdsProtectedRole() }) {
            outcome = .deny
            if records { recordDenial(.special(reason), missing: []) }
            return false
        }
        return true
    }

    /// With `check_snapshot_restore_write_privileges` (default true) the restored indices also need
    /// `indices:admin/create` and `indices:data/write/index`.
    private mutating func restoreWritePrivileges() {
        if evaluator.settings.checkSnapshotRestoreWritePrivileges {
            if explain { notes.append(.restoreNeedsWritePrivileges) }
            index(actions: ["indices:admin/create", "indices:data/write/index"].map(evaluator.plans.plan(for:)), expressions: indices)
        }
    }

    // MARK: index level

    /// What deciding a request of an index-level action on one concrete index reads of the
    /// action, besides which patterns grant it (`index(actions:expressions:dashboardsNamed:)` and
    /// the steps it calls): the special-index rules read the write and protected flags, the
    /// Dashboards-index step whether the tenant rules count the action as a read, the explicit
    /// step the system-index flag, DNFOF its list, and the blanking of reads the read flag. The
    /// action's name is read otherwise only for wording (denials, notes). So two index-level
    /// actions with equal traits, granted on the same patterns, get the same outcome on every
    /// single index name (`secperm diff` decides one such request for all of them).
    struct SingleIndexTraits: Hashable {
        let isDnfof: Bool
        let isRead: Bool
        let isWriteType: Bool
        let isRefusedOnProtectedIndices: Bool
        let isSystemIndexPermission: Bool
        let isTenantRead: Bool

        /// Nil for an action not checked at index level (its route decides differently).
        init?(_ plan: ActionPlan, profile: TargetProfile) {
            guard plan.route == .index else { return nil }
            isDnfof = plan.isDnfof
            isRead = plan.isRead
            isWriteType = plan.isWriteType
            isRefusedOnProtectedIndices = plan.isRefusedOnProtectedIndices
            isSystemIndexPermission = plan.isSystemIndexPermission
            isTenantRead = profile.tenantEvaluation.isRead(plan.name)
        }
    }


    /// `dashboardsNamed`: when the request (or a sub-request) passes the Dashboards-index step, the
    /// expressions that step sees it name (``interceptDashboardsIndex(action:named:resolution:clusterLevel:)``); nil when it does not.
    mutating func index(actions plans: [ActionPlan], expressions: [String], dashboardsNamed: [String]? = nil) {
        let resolution = evaluator.resolve(expressions)
        if explain { notes += resolution.notes }
        resolved = resolution.names
        if let failure = resolution.failures.first {
            outcome = .deny
            if records { recordDenial(.special(.unresolvableIndexExpression(expression: failure.expression, problem: failure.reason)), missing: []) }
            return
        }
        if resolution.names.isEmpty, !resolution.isLocalAll, !resolution.remote.isEmpty {
            outcome = .allow
            if explain { notes.append(.onlyRemoteIndices(resolution.remote)) }
            return
        }
        if !resolution.remote.isEmpty {
            if explain { notes.append(.remoteIndices(resolution.remote)) }
        }
        if subject.isServiceAccount, evaluator.special.permissionMode,
           resolution.isLocalAll || resolution.names.contains(where: { !evaluator.special.isSystemIndex($0) }) {
            outcome = .deny
            if records { recordDenial(.special(.serviceAccountOutsideSystemIndices), missing: []) }
            return
        }
        let facts = self.facts
        let verdict = evaluator.special.check(actions: plans, resolution: resolution, hasSystemIndexPermission: { facts.hasSystemIndexPermission($0) },
                                              holdsProtectedRole: { facts.holdsProtectedRole() })
        if case .deny(let reason) = verdict {
            outcome = .deny
            if records { recordDenial(.special(reason), missing: []) }
            return
        }
        if let named = dashboardsNamed, let first = plans.first,
           interceptDashboardsIndex(action: first.name, named: named, resolution: resolution, clusterLevel: false) {
            return
        }
        if plans.count == 1, plans[0].isSystemIndexPermission {
            explicitIndex(resolution)
            return
        }
        if resolution.isLocalAll, wildcardShortcut(plans) {
            outcome = .allow
            allowed = resolution.names
            if explain { notes.append(.wildcardGrantCoversAll(actions: plans.map(\.name))) }
            markBlankedReads(plans)
            return
        }
        if resolution.isLocalAll, evaluator.metadata == nil {
            let actions = plans.map(\.name)
            outcome = .deny
            if records { recordDenial(.allIndicesUnknown(actions: actions), missing: actions) }
            if explain { notes.append(.allIndicesNeedMetadata) }
            return
        }
        checkTable(actions: plans, names: resolution.names)
    }

    private func wildcardShortcut(_ plans: [ActionPlan]) -> Bool {
        plans.allSatisfy { plan in
            if let id = plan.id { return context.tables.everything.contains(id) }
            return compiled.contains { role in role.grants(for: plan.name).contains(where: \.matchesEverything) }
        }
    }

    /// Cluster privilege, asked of the evaluator's privilege index.
    func hasClusterPrivilege(_ plan: ActionPlan) -> Bool {
        evaluator.privileges.grantsCluster(plan, subject: context)
    }

    /// One cell of the check table: does any held role grant the action on the index, under its own
    /// name or (with cluster metadata) an alias or data stream of it?
    func isGranted(_ plan: ActionPlan, index: String) -> Bool {
        let privileges = evaluator.privileges, context = self.context, evaluator = self.evaluator
        if privileges.grants(plan, on: index, subject: context, evaluator: evaluator) { return true }
        guard evaluator.hasMetadata else { return false }
        return evaluator.otherMatchNames(index).contains { privileges.grants(plan, on: $0, subject: context, evaluator: evaluator) }
    }

    /// The CheckTable of §6: each (index, action) cell ticked by any role.
    mutating func checkTable(actions plans: [ActionPlan], names: [String]) {
        // The common case, one action on one index, without the table's arrays.
        if plans.count == 1, names.count == 1, !explain {
            if isGranted(plans[0], index: names[0]) {
                outcome = .allow
                allowed = names
                markBlankedReads(plans)
            } else {
                decideIncomplete(plans, names: names, allowedNames: [], actionMissing: [], missingAt: nil)
            }
            return
        }
        // The CheckTable as flat arrays: which names have every action, which actions miss somewhere.
        var actionMissing = [Bool](repeating: false, count: plans.count)
        var allowedNames: [String] = []
        allowedNames.reserveCapacity(names.count)
        // Per refused name, the positions of its missing actions (kept only for the Decision record).
        var missingAt: [[Int]] = []
        for name in names {
            var missingHere: [Int] = []
            for (position, plan) in plans.enumerated() where !isGranted(plan, index: name) {
                missingHere.append(position)
                actionMissing[position] = true
            }
            if missingHere.isEmpty {
                allowedNames.append(name)
            } else if records {
                missingAt.append(missingHere)
            }
        }
        if explain { grants += GrantChains(run: self).index(actions: plans.map(\.name), names: allowedNames) }
        if allowedNames.count == names.count, !names.isEmpty {
            outcome = .allow
            allowed = names
            markBlankedReads(plans)
        } else {
            decideIncomplete(plans, names: names, allowedNames: allowedNames, actionMissing: actionMissing, missingAt: missingAt)
        }
    }

    /// Some cell is missing: DNFOF may reduce the request to the allowed indices, else it is denied.
    /// `missingAt`: per refused name (in order), the positions in `plans` of the actions missing
    /// there; nil when every action is missing on every refused name.
    private mutating func decideIncomplete(_ plans: [ActionPlan], names: [String], allowedNames: [String], actionMissing: [Bool], missingAt: [[Int]]?) {
        if evaluator.config.dynamic.doNotFailOnForbidden, plans.allSatisfy(\.isDnfof),
           !allowedNames.isEmpty || evaluator.config.dynamic.doNotFailOnForbiddenEmpty {
            outcome = .partial
            allowed = allowedNames
            if explain { notes.append(.reducedToAllowed(allowed: allowedNames, leftOut: names.filter { !allowedNames.contains($0) })) }
            markBlankedReads(plans)
            return
        }
        allowed = allowedNames
        guard records else {
            outcome = .deny
            return
        }
        let actions = plans.count == 1 ? [plans[0].name] : plans.map(\.name)
        let incomplete = plans.count == 1 ? actions : actions.enumerated().filter { actionMissing[$0.offset] }.map(\.element)
        let listed = profile.missingPrivilegesStyle == .onlyMissing ? incomplete : actions
        let denied = allowedNames.isEmpty ? names : names.filter { !allowedNames.contains($0) }
        let cells = missingAt.map { missingAt in
            zip(denied, missingAt).map { name, positions in MissingIndexPrivilege(index: name, actions: positions.map { plans[$0].name }) }
        } ?? denied.map { MissingIndexPrivilege(index: $0, actions: actions) }
        outcome = .deny
        if records { recordDenial(.missingIndexPrivileges(cells), missing: listed) }
    }

    mutating func explicitIndex(_ resolution: IndexResolution) {
        let names = resolution.names
        let facts = self.facts
        let granted = names.filter { facts.hasSystemIndexPermission($0) }
        if granted.count == names.count, !names.isEmpty {
            outcome = .allow
            allowed = names
        } else {
            allowed = granted
            let action = "system:admin/system_index"
            outcome = .deny
            if records { recordDenial(.missingExplicitIndexPrivilege(action: action, indices: names.filter { !granted.contains($0) }), missing: [action]) }
            if explain { notes.append(.explicitIndexGrantNeeded(action: action)) }
        }
    }

    /// What the special-index rules ask of the subject, over the evaluator and the subject alone:
    /// a closure over the whole run would copy it (every field retained) on each decision.
    struct SubjectFacts {
        let evaluator: Evaluator
        let context: SubjectContext

        func hasSystemIndexPermission(_ index: String) -> Bool {
            let rule = evaluator.profile.explicitPrivilegeRule
            let candidates = evaluator.matchNames(index)
            let evaluator = self.evaluator, context = self.context
            return context.roles.contains { role in
                role.indexGrants.contains { grant in
                    grant.actions.grantsExplicitly("system:admin/system_index", rule: rule)
                        && candidates.contains { grant.matchingPattern($0, render: { context.render($0, evaluator: evaluator) }) != nil }
                }
            }
        }

        /// Whether the user's mapped roles include one of `protected_indices.roles`.
        func holdsProtectedRole() -> Bool {
            evaluator.special.holdsProtectedRole(context.mapped.map(\.name))
        }
    }

    var facts: SubjectFacts { SubjectFacts(evaluator: evaluator, context: context) }

    /// Reads are served empty (§2.7, legacy `SystemIndexSearcherWrapper`): the security index and
    /// system indices, and protected indices to a user without a protected role. When every
    /// allowed index is one of them the decision is `empty`.
    mutating func markBlankedReads(_ plans: [ActionPlan]) {
        guard plans.contains(where: \.isRead) else { return }
        let special = evaluator.special
        var system: [String] = []
        if allowed.contains(where: { special.isSecurityIndex($0) || special.isSystemIndex($0) }) {
            let facts = self.facts
            system = allowed.filter { special.readIsBlanked($0, hasSystemIndexPermission: { facts.hasSystemIndexPermission($0) }) }
        }
        var protected: [String] = []
        if special.settings.protectedIndicesEnabled, allowed.contains(where: special.isProtectedIndex), !facts.holdsProtectedRole() {
            protected = allowed.filter { special.isProtectedIndex($0) && !system.contains($0) }
        }
        guard !system.isEmpty || !protected.isEmpty else { return }
        let all = system.count + protected.count == allowed.count
        if all { outcome = .empty }
        if explain, !system.isEmpty { notes.append(.readsBlanked(indices: system, all: all && protected.isEmpty)) }
        if explain, !protected.isEmpty {
            notes.append(.protectedReadsBlanked(indices: protected, all: all && system.isEmpty,
                                                setting: "\(profile.settingsPrefix).protected_indices.roles"))
        }
    }

    // MARK: outcome

    /// Why it was denied, for the Decision record. Callers set `outcome = .deny` themselves and call
    /// this only when records are kept (`if records`), so that an outcome-only run builds neither
    /// the reason nor the missing list; explanations (`notes`) are likewise appended under
    /// `if explain` at each step. Run is a struct (no allocation per decision), and a mutating
    /// call cannot take an autoclosure that reads the run itself.
    mutating func recordDenial(_ denial: DenialReason, missing: [String]) {
        self.missing = missing
        self.denial = denial
        if explain, case .special(let special) = denial { notes.append(.denied(special)) }
    }

    func decision() -> Decision {
        let fix = (outcome == .deny && explain && !reasonsOnly) ? FixPlanner(run: self).plan() : []
        let denial = outcome == .deny ? denial : nil
        // Worded before the Decision is built: setting it afterwards would copy the whole record.
        let forbidden = explain && !reasonsOnly
            ? DecisionSentences.forbiddenMessage(outcome: outcome, denial: denial, missing: missing, subject: subject, profile: profile) : nil
        return Decision(outcome: outcome, subject: subject, roles: context.held,
                        missingRoles: context.missingRoleNames, action: action, checkedAction: checkedAction,
                        requestedIndices: indices, resolvedIndices: resolved, allowedIndices: allowed, missingPrivileges: missing,
                        denial: denial, forbiddenMessage: forbidden, grants: grants, fix: fix, decisionNotes: notes)
    }
}
