/// The configuration documents of the security index (doc id = `_meta.type`), §7.
public enum ConfigType: String, CaseIterable, Sendable {
    case config, roles, rolesmapping, internalusers, actiongroups, tenants, nodesdn, audit, allowlist, whitelist

    /// The file name securityadmin `-backup` writes.
    public var fileName: String {
        switch self {
        case .config: "config.yml"
        case .roles: "roles.yml"
        case .rolesmapping: "roles_mapping.yml"
        case .internalusers: "internal_users.yml"
        case .actiongroups: "action_groups.yml"
        case .tenants: "tenants.yml"
        case .nodesdn: "nodes_dn.yml"
        case .audit: "audit.yml"
        case .allowlist: "allowlist.yml"
        case .whitelist: "whitelist.yml"
        }
    }

    /// Also accepts file stems and REST endpoint names: `roles_mapping`, `internal_users`,
    /// `action_groups`, `securityconfig`, `nodes_dn`.
    public init?(name: String) {
        if let exact = ConfigType(rawValue: name) {
            self = exact
            return
        }
        let aliases: [String: ConfigType] = [
            "roles_mapping": .rolesmapping, "internal_users": .internalusers, "action_groups": .actiongroups,
            "securityconfig": .config, "nodes_dn": .nodesdn,
        ]
        guard let alias = aliases[name] else { return nil }
        self = alias
    }

}
