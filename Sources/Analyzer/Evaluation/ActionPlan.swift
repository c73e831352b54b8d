import PermissionCatalog

/// What the evaluator knows about an action before anyone asks: its rename, which of the plugin's
/// checks it goes through, its catalog position, its sub-requests, and the action lists it is on.
/// Built once per catalog action with the evaluator (on the fly for an action the catalog does not
/// list), so that a decision starts from one hash lookup instead of re-deriving all of this.
final class ActionPlan: Sendable {
    enum Route: Sendable {
        /// Passed by the security filter whatever the roles (seq_no, whoami).
        case alwaysAllowed
        /// A Dashboards tenant action (`kibana:`), granted per tenant, not by this check.
        case tenant
        /// `restapi:*`: cluster level, explicit grant needed (§2.5).
        case explicitCluster
        case cluster
        case index
    }

    /// The action as the plugin checks it (after renames such as auto_create → create).
    let name: String
    let route: Route
    /// Position in the catalog's action list (indexes `IndexGrant.actionBits` and the role sets'
    /// ``PrivilegeTables``); nil for an action the catalog does not list, whose grants are then
    /// found by matching every entry.
    let id: Int?
    /// Multi-item actions: the index actions their sub-requests are checked with (§2.3–2.4).
    let subActions: [ActionPlan]
    /// On the profile's do_not_fail_on_forbidden list (§3).
    let isDnfof: Bool
    let isRead: Bool
    /// Refused on the security index (and on system indices without permission mode), §2.7.
    let isWriteType: Bool
    /// On the protected-index rule's denied list, which always includes `indices:admin/close*` and
    /// `cluster:admin/snapshot/restore*` (legacy `ProtectedIndexAccessEvaluator`, every release since 1.0).
    let isRefusedOnProtectedIndices: Bool
    /// `system:admin/system_index`, which is only ever granted explicitly on an index.
    let isSystemIndexPermission: Bool

    /// A plan for the action `check` describes (``TargetProfile/check(of:)``, the one source of
    /// these facts), named as the plugin checks it.
    init(check: ActionCheck, id: Int?, subActions: [ActionPlan], securityIndexRestoreEnabled: Bool) {
        let name = check.checkedAs
        self.name = name
        self.id = id
        if check.isAlwaysAllowed {
            route = .alwaysAllowed
        } else {
            switch check.level {
            case .tenant: route = .tenant
            case .cluster: route = check.needsExplicitGrant ? .explicitCluster : .cluster
            case .index: route = .index
            }
        }
        self.subActions = subActions
        isDnfof = check.isDnfof
        isRead = name.hasPrefix("indices:data/read/")
        isWriteType = check.isWriteType(securityIndexRestoreEnabled: securityIndexRestoreEnabled)
        isRefusedOnProtectedIndices = check.indexProtection != .none
        isSystemIndexPermission = check.level == .index && check.needsExplicitGrant
    }
}

/// The plans of one evaluator: every catalog action and every name renamed to one, ready; others
/// are built when asked.
struct ActionPlans: Sendable {
    /// Name → position in `ordered`: a byte-wise lookup, cheaper than hashing a String.
    private let positions: NameTable
    private let ordered: [ActionPlan]
    /// `[ordered[i]]`, made once: an index check takes a list of actions, and building a
    /// one-element list per decision would cost an allocation each time.
    private let alone: [[ActionPlan]]
    private let profile: TargetProfile
    private let build: @Sendable (ActionCheck, [ActionPlan]) -> ActionPlan

    /// `actionIDs`: catalog action → position in the catalog's action list. `otherNames`: names
    /// requests use that the catalog lists as permissions, not actions (the Dashboards tenant
    /// actions): planned here too, not again at every request.
    init(catalogActions: [String], otherNames: [String] = [], actionIDs: [String: Int], profile: TargetProfile, securityIndexRestoreEnabled: Bool) {
        let build: @Sendable (ActionCheck, [ActionPlan]) -> ActionPlan = { check, subActions in
            ActionPlan(check: check, id: actionIDs[check.checkedAs], subActions: subActions,
                       securityIndexRestoreEnabled: securityIndexRestoreEnabled)
        }
        self.profile = profile
        self.build = build
        var plans: [String: ActionPlan] = [:]
        let checks = (catalogActions + otherNames).map(profile.check(of:))
        // Sub-actions first: the multi-item actions' plans point at them.
        for name in Set(checks.flatMap(\.subActions)).sorted() {
            plans[name] = build(profile.check(of: name), [])
        }
        for check in checks where check.renamedTo == nil && plans[check.action] == nil {
            plans[check.action] = build(check, check.subActions.compactMap { plans[$0] })
        }
        // A name the plugin renames shares the plan of the name it checks.
        for check in checks where check.renamedTo != nil {
            plans[check.action] = plans[check.checkedAs] ?? build(check, [])
        }
        let names = plans.keys.sorted()
        ordered = names.compactMap { plans[$0] }
        alone = ordered.map { [$0] }
        positions = NameTable(names.enumerated().map { ($0.element, $0.offset) })
    }

    /// The plan for `action` as a request names it (renames applied).
    func plan(for action: String) -> ActionPlan { planAlone(for: action)[0] }

    /// The plan for `action` as a one-element list.
    func planAlone(for action: String) -> [ActionPlan] {
        if let known = known(action) { return known }
        let check = profile.check(of: action)
        if let known = known(check.checkedAs) { return known }
        return [build(check, check.subActions.compactMap { known($0)?[0] })]
    }

    private func known(_ name: String) -> [ActionPlan]? {
        positions.value(for: name).map { alone[$0] }
    }
}
