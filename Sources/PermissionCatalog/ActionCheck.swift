/// How one release of the security plugin checks one action: the single answer that the
/// evaluator, the request planner, the audit rules and every report read. Built by
/// ``TargetProfile/check(of:)``; nothing else derives these facts from an action name.
///
/// Sources: shared/reference/opensearch-security-semantics.md §2.3 (cluster vs index),
/// §2.4 (renames, multi-item sub-actions, always-allowed actions), §2.5 (explicit privileges),
/// §2.7 (write-type actions on the security and system indices), §3 (DNFOF lists);
/// shared/reference/rest-actions.md §3.3 (NamedRoute names are checked as cluster privileges).
public struct ActionCheck: Hashable, Sendable {
    /// Which privileges of a role can grant the action.
    public enum Level: String, Hashable, Sendable, Codable {
        /// `cluster_permissions`.
        case cluster
        /// `index_permissions`, scoped by the entry's index patterns.
        case index
        /// `tenant_permissions` (Dashboards saved objects), scoped by tenant patterns.
        case tenant
    }

    /// How the security-index and system-index rules treat the action (§2.7).
    public enum IndexProtection: String, Hashable, Sendable {
        /// Not refused by those rules (reads are served empty instead).
        case none
        /// A write-type action: refused on the security index, and on system indices without
        /// permission mode.
        case write
        /// `indices:admin/close*` and `cluster:admin/snapshot/restore*`: write-type unless
        /// `unsupported.restore.securityindex.enabled` is set.
        case writeUnlessSecurityIndexRestoreEnabled
    }

    /// Whether the profile's release has the action.
    public enum Availability: String, Hashable, Sendable {
        /// Listed by secperm's catalog for this flavor and release.
        case available
        /// Listed for another flavor or release, not this one.
        case notInRelease
        /// secperm's catalog does not list the name (plugin actions, typos); the plugin still
        /// checks it by name.
        case unlisted
    }

    /// The action as a request names it.
    public let action: String
    /// The name the plugin checks (after renames such as `auto_create` → `create`).
    public let checkedAs: String
    public let level: Level
    /// Passed by the security filter whatever the roles (`indices:admin/seq_no*`, whoami).
    public let isAlwaysAllowed: Bool
    /// Multi-item actions: the index actions their sub-requests are checked with at index level,
    /// after the action itself passed at cluster level.
    public let subActions: [String]
    /// A bare `*` does not grant it (`restapi:admin/*`, `system:admin/system_index`).
    public let needsExplicitGrant: Bool
    /// On the release's `do_not_fail_on_forbidden` list.
    public let isDnfof: Bool
    public let indexProtection: IndexProtection
    public let available: Availability

    /// The name the plugin checks when it differs from the one asked, else nil.
    public var renamedTo: String? { checkedAs == action ? nil : checkedAs }

    /// Write-type (refused on the security index) under the given restore setting.
    public func isWriteType(securityIndexRestoreEnabled: Bool) -> Bool {
        switch indexProtection {
        case .none: false
        case .write: true
        case .writeUnlessSecurityIndexRestoreEnabled: !securityIndexRestoreEnabled
        }
    }
}

extension TargetProfile {
    /// How this release checks `action` (renames applied first).
    public func check(of action: String) -> ActionCheck {
        let checked = ActionFacts.rename(action)
        return ActionCheck(
            action: action, checkedAs: checked, level: level(of: checked),
            isAlwaysAllowed: ActionFacts.isAlwaysAllowed(checked),
            subActions: ActionFacts.subActions[checked] ?? [],
            needsExplicitGrant: ActionFacts.needsExplicitGrant(checked),
            isDnfof: isDnfofAction(checked),
            indexProtection: ActionFacts.indexProtection(checked),
            available: availability(of: checked))
    }

    private func level(of action: String) -> ActionCheck.Level {
        if action.hasPrefix("kibana:") { return .tenant }
        if action == "system:admin/system_index" { return .index }
        // The Security REST API checks restapi:admin/* as an explicit cluster privilege, and the
        // REST layer checks NamedRoute names (views:*, security:*) as cluster privileges, in every
        // release, whatever isClusterPerm says about them (§2.6; rest-actions.md §3.3).
        if action.hasPrefix("restapi:") || action.hasPrefix("views:") || action.hasPrefix("security:") { return .cluster }
        return isClusterAction(action) ? .cluster : .index
    }

    private func availability(of action: String) -> ActionCheck.Availability {
        guard let known = CatalogData.availability(vendor: vendorSegment)[action] else { return .unlisted }
        return known.contains(flavor: flavor, version: version) ? .available : .notInRelease
    }
}

/// The facts about action names that no release changed (§2.4, §2.5, §2.7).
enum ActionFacts {
    /// Renamed before checking (§2.4).
    static func rename(_ action: String) -> String {
        if action == "indices:admin/auto_create" { return "indices:admin/create" }
        if action == "indices:admin/mapping/auto_put" { return "indices:admin/mapping/put" }
        if action.hasPrefix("internal:indices/admin/upgrade") { return "indices:admin/upgrade" }
        return action
    }

    /// Multi-item actions: checked at cluster level, then their sub-requests at index level (§2.3–2.4).
    static let subActions: [String: [String]] = [
        "indices:data/write/bulk": ["indices:data/write/bulk[s]"],
        "indices:data/read/mget": ["indices:data/read/mget[shard]"],
        "indices:data/read/mtv": ["indices:data/read/mtv[shard]"],
        "indices:data/read/msearch": ["indices:data/read/search"],
        "indices:data/read/msearch/template": ["indices:data/read/search"],
    ]

    /// `SecurityFilter` passes these whatever the roles (§2.4).
    static func isAlwaysAllowed(_ action: String) -> Bool {
        action.hasPrefix("indices:admin/seq_no") || action == "cluster:admin/opendistro_security/whoami"
    }

    /// §2.5: `restapi:admin/*` and `system:admin/system_index` need a grant other than the bare `*`.
    static func needsExplicitGrant(_ action: String) -> Bool {
        action.hasPrefix("restapi:admin/") || action == "system:admin/system_index"
    }

    /// §2.7, `SystemIndexAccessEvaluator`'s denied-action list (all prefixes but `indices:admin/aliases`).
    static func indexProtection(_ action: String) -> ActionCheck.IndexProtection {
        let writePrefixes = ["indices:data/write", "indices:admin/delete", "indices:admin/mapping/delete", "indices:admin/mapping/put",
                             "indices:admin/freeze", "indices:admin/settings/update"]
        if action == "indices:admin/aliases" || writePrefixes.contains(where: action.hasPrefix) { return .write }
        if action.hasPrefix("indices:admin/close") || action.hasPrefix("cluster:admin/snapshot/restore") {
            return .writeUnlessSecurityIndexRestoreEnabled
        }
        return .none
    }
}
