import PermissionCatalog

/// What the evaluator knows about an action before anyone asks: its rename, which of the plugin's
/// checks it goes through, its precomputed tables, its sub-requests, and the action lists it is on.
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
    /// Position in the catalog's action list (indexes `IndexGrant.actionBits`); nil for an action
    /// the catalog does not list, whose grants are then found by matching every entry.
    let id: Int?
    /// Roles granting it at cluster level (catalog actions only).
    let clusterRoles: BitSet?
    /// Its index table; nil for a catalog action no role grants on an index, and for unknown actions.
    let indexTable: PrivilegeTables.IndexTable?
    /// Multi-item actions: the index actions their sub-requests are checked with (§2.3–2.4).
    let subActions: [ActionPlan]
    /// On the profile's do_not_fail_on_forbidden list (§3).
    let isDnfof: Bool
    let isRead: Bool
    /// Refused on the security index (and on system indices without permission mode), §2.7.
    let isWriteType: Bool
    /// `system:admin/system_index`, which is only ever granted explicitly on an index.
    let isSystemIndexPermission: Bool

    var isTabulated: Bool { id != nil }

    init(name: String, id: Int?, subActions: [ActionPlan], tables: PrivilegeTables, profile: TargetProfile,
         dnfof: PatternSet, special: SpecialIndexRules) {
        self.name = name
        self.id = id
        if name.hasPrefix("indices:admin/seq_no") || name == "cluster:admin/opendistro_security/whoami" {
            route = .alwaysAllowed
        } else if name.hasPrefix("kibana:") {
            route = .tenant
        } else if name.hasPrefix("restapi:") {
            route = .explicitCluster
        } else if name != "system:admin/system_index", profile.isClusterAction(name) {
            route = .cluster
        } else {
            route = .index
        }
        clusterRoles = id == nil ? nil : tables.clusterByAction[name] ?? BitSet(capacity: 0)
        indexTable = tables.indexByAction[name]
        self.subActions = subActions
        isDnfof = dnfof.matches(name)
        isRead = name.hasPrefix("indices:data/read/")
        isWriteType = special.deniedActions.matches(name)
        isSystemIndexPermission = name == "system:admin/system_index"
    }

    /// Multi-item actions: checked at cluster level, then their sub-requests at index level (§2.3–2.4).
    static let subActionNames: [String: [String]] = [
        "indices:data/write/bulk": ["indices:data/write/bulk[s]"],
        "indices:data/read/mget": ["indices:data/read/mget[shard]"],
        "indices:data/read/mtv": ["indices:data/read/mtv[shard]"],
        "indices:data/read/msearch": ["indices:data/read/search"],
        "indices:data/read/msearch/template": ["indices:data/read/search"],
    ]

    /// Renamed before checking (§2.4).
    static func rename(_ action: String) -> String {
        if action == "indices:admin/auto_create" { return "indices:admin/create" }
        if action == "indices:admin/mapping/auto_put" { return "indices:admin/mapping/put" }
        if action.hasPrefix("internal:indices/admin/upgrade") { return "indices:admin/upgrade" }
        return action
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
    private let build: @Sendable (String, [ActionPlan]) -> ActionPlan

    init(catalogActions: [String], tables: PrivilegeTables, profile: TargetProfile, dnfof: PatternSet, special: SpecialIndexRules) {
        let build: @Sendable (String, [ActionPlan]) -> ActionPlan = { name, subActions in
            ActionPlan(name: name, id: tables.actionIDs[name], subActions: subActions, tables: tables, profile: profile,
                       dnfof: dnfof, special: special)
        }
        self.build = build
        var plans: [String: ActionPlan] = [:]
        // Sub-actions first: the multi-item actions' plans point at them.
        let subNames = Set(ActionPlan.subActionNames.values.joined())
        for name in catalogActions.filter(subNames.contains) + subNames.filter({ !catalogActions.contains($0) }).sorted() {
            plans[name] = build(name, [])
        }
        for name in catalogActions where plans[name] == nil {
            plans[name] = build(name, (ActionPlan.subActionNames[name] ?? []).compactMap { plans[$0] })
        }
        for (from, to) in [("indices:admin/auto_create", "indices:admin/create"), ("indices:admin/mapping/auto_put", "indices:admin/mapping/put")] {
            plans[from] = plans[to] ?? build(to, [])
        }
        let names = plans.keys.sorted()
        ordered = names.map { plans[$0]! }
        alone = ordered.map { [$0] }
        positions = NameTable(names.enumerated().map { ($0.element, $0.offset) })
    }

    /// The plan for `action` as a request names it (renames applied).
    func plan(for action: String) -> ActionPlan { planAlone(for: action)[0] }

    /// The plan for `action` as a one-element list.
    func planAlone(for action: String) -> [ActionPlan] {
        if let known = known(action) { return known }
        let checked = ActionPlan.rename(action)
        if let known = known(checked) { return known }
        return [build(checked, (ActionPlan.subActionNames[checked] ?? []).compactMap { known($0)?[0] })]
    }

    private func known(_ name: String) -> [ActionPlan]? {
        positions.value(for: name).map { alone[$0] }
    }
}
