/// The keys each configuration entry is written with, in one place for both forms the writer
/// produces. Empty lists and unset values are left out (the plugin reads a missing key as empty),
/// except where the plugin requires the key.
enum EntryFields {
    /// securityadmin YAML (every key the plugin's config classes read) or the body of a REST API
    /// `PUT` (only the keys the endpoint's request validator accepts; `reserved` and `hidden` only
    /// for a caller with the admin certificate, who alone may send them — upstream
    /// `RolesApiAction`, `InternalUsersApiAction` … `allowedKeys()`).
    enum Form: Equatable {
        case securityadmin
        case restBody(asAdmin: Bool)
    }

    typealias Fields = [(key: String, value: WrittenValue)]

    /// `reserved`, `hidden`, `static` when set. `static` never goes into a REST body: the API has
    /// no such key and refuses changes to static entries.
    static func flags(_ flags: EntryFlags, _ form: Form) -> Fields {
        var fields: Fields = []
        let protectedKeys = form == .securityadmin || form == .restBody(asAdmin: true)
        if protectedKeys, flags.reserved { fields.append(("reserved", .bool(true))) }
        if protectedKeys, flags.hidden { fields.append(("hidden", .bool(true))) }
        if form == .securityadmin, flags.isStatic { fields.append(("static", .bool(true))) }
        return fields
    }

    private static func list(_ key: String, _ values: [Located<String>], into fields: inout Fields) {
        if !values.isEmpty { fields.append((key, .strings(values.map(\.value)))) }
    }

    private static func text(_ key: String, _ value: String?, into fields: inout Fields) {
        if let value { fields.append((key, .string(value))) }
    }

    static func role(_ role: Role, _ form: Form) -> Fields {
        var fields = flags(role.flags, form)
        text("description", role.description, into: &fields)
        list("cluster_permissions", role.clusterPermissions, into: &fields)
        if !role.indexPermissions.isEmpty { fields.append(("index_permissions", .list(role.indexPermissions.map(indexPermission)))) }
        if !role.tenantPermissions.isEmpty { fields.append(("tenant_permissions", .list(role.tenantPermissions.map(tenantPermission)))) }
        return fields
    }

    static func indexPermission(_ permission: IndexPermission) -> WrittenValue {
        var fields: Fields = []
        list("index_patterns", permission.indexPatterns, into: &fields)
        text("dls", permission.dls, into: &fields)
        if !permission.fls.isEmpty { fields.append(("fls", .strings(permission.fls))) }
        if !permission.maskedFields.isEmpty { fields.append(("masked_fields", .strings(permission.maskedFields))) }
        list("allowed_actions", permission.allowedActions, into: &fields)
        return .map(fields)
    }

    static func tenantPermission(_ permission: TenantPermission) -> WrittenValue {
        var fields: Fields = []
        list("tenant_patterns", permission.tenantPatterns, into: &fields)
        list("allowed_actions", permission.allowedActions, into: &fields)
        return .map(fields)
    }

    static func roleMapping(_ mapping: RoleMapping, _ form: Form) -> Fields {
        var fields = flags(EntryFlags(reserved: mapping.flags.reserved, hidden: mapping.flags.hidden), form)
        text("description", mapping.description, into: &fields)
        list("users", mapping.users, into: &fields)
        list("backend_roles", mapping.backendRoles, into: &fields)
        list("and_backend_roles", mapping.andBackendRoles, into: &fields)
        list("hosts", mapping.hosts, into: &fields)
        return fields
    }

    /// `allowed_actions` is always written: the action groups endpoint requires it.
    static func actionGroup(_ group: ActionGroup, _ form: Form) -> Fields {
        var fields = flags(group.flags, form)
        fields.append(("allowed_actions", .strings(group.allowedActions.map(\.value))))
        text("type", group.type, into: &fields)
        text("description", group.description, into: &fields)
        return fields
    }

    /// Upstream `InternalUserV7` is built by Jackson through its no-argument constructor, which
    /// leaves `enabled` false: a user written without `enabled` would load disabled in the plugin.
    /// So `enabled` is written for service accounts (where the plugin reads it) and whenever it is
    /// false; `enabled` and `service` are not REST body keys (the internal users endpoint takes them
    /// as URL parameters).
    static func internalUser(_ user: InternalUser, _ form: Form) -> Fields {
        var fields = flags(user.flags, form)
        if let hash = user.passwordHash { fields.append(("hash", .string(hash.reveal()))) }
        if let password = user.password { fields.append(("password", .string(password.reveal()))) }
        if form == .securityadmin {
            if user.isService { fields.append(("service", .bool(true))) }
            if user.isService || !user.enabled { fields.append(("enabled", .bool(user.enabled))) }
        }
        list("backend_roles", user.backendRoles, into: &fields)
        if !user.attributes.isEmpty { fields.append(("attributes", .map(user.attributes.map { ($0.key, .string($0.value)) }))) }
        list("opendistro_security_roles", user.securityRoles, into: &fields)
        text("description", user.description, into: &fields)
        return fields
    }

    static func tenant(_ tenant: Tenant, _ form: Form) -> Fields {
        var fields = flags(tenant.flags, form)
        text("description", tenant.description, into: &fields)
        return fields
    }

    /// `nodes_dn` is always written: the nodes DN endpoint requires it.
    static func nodesDN(_ entry: NodesDistinguishedNames) -> Fields {
        [("nodes_dn", .strings(entry.nodesDN.map(\.value)))]
    }
}
