/// A built-in action group, as the plugin ships it in `static_action_groups.yml`.
public struct StaticActionGroup: Hashable, Sendable {
    public let name: String
    public let allowedActions: [String]
    /// UI metadata (`cluster`, `index`, `kibana`, `all`); the evaluator ignores it.
    public let type: String?
    public let description: String?
}

/// One `index_permissions` entry of a built-in role.
public struct StaticIndexPermission: Hashable, Sendable {
    public let indexPatterns: [String]
    public let allowedActions: [String]
}

/// One `tenant_permissions` entry of a built-in role.
public struct StaticTenantPermission: Hashable, Sendable {
    public let tenantPatterns: [String]
    public let allowedActions: [String]
}

/// A built-in role, as the plugin ships it in `static_roles.yml`.
public struct StaticRole: Hashable, Sendable {
    public let name: String
    public let description: String?
    public let clusterPermissions: [String]
    public let indexPermissions: [StaticIndexPermission]
    public let tenantPermissions: [StaticTenantPermission]
}

/// A built-in tenant (`global_tenant`).
public struct StaticTenant: Hashable, Sendable {
    public let name: String
    public let description: String?
}
