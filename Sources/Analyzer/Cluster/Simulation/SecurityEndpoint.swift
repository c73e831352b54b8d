import PermissionCatalog

/// The Security REST API endpoints that manage configuration entries, with the plugin's model of
/// each entry (`RoleV7`, `RoleMappingsV7`, `ActionGroupsV7`, `InternalUserV7`, `TenantV7`, release
/// 2.11 sources): fields in Jackson's order (declaration order, the parent class first, the renamed
/// `static` moved last), defaults filled in, nulls left out.
enum SecurityEndpoint: String, CaseIterable, Sendable {
    case roles, rolesmapping, actiongroups, internalusers, tenants

    /// The endpoint a path segment names (`actiongroup` and `user` are aliases).
    init?(segment: String) {
        switch segment {
        case "roles": self = .roles
        case "rolesmapping": self = .rolesmapping
        case "actiongroups", "actiongroup": self = .actiongroups
        case "internalusers", "user": self = .internalusers
        case "tenants": self = .tenants
        default: return nil
        }
    }

    var configType: ConfigType {
        switch self {
        case .roles: .roles
        case .rolesmapping: .rolesmapping
        case .actiongroups: .actiongroups
        case .internalusers: .internalusers
        case .tenants: .tenants
        }
    }

    /// The word of `EndpointValidator.resourceName()` in "No role specified." / "role 'x' not found."
    var resourceName: String {
        switch self {
        case .roles: "role"
        case .rolesmapping: "rolesmapping"
        case .actiongroups: "actiongroup"
        case .internalusers: "user"
        case .tenants: "tenant"
        }
    }

    /// `restapi:admin/<endpoint>` (`Endpoint.name().toLowerCase()`).
    var permission: String { "restapi:admin/\(rawValue)" }

    enum DataType { case string, array, object, boolean }

    /// Keys a request body may carry (`allowedKeys()`); `reserved` (and from 2.19 `hidden`) only for an admin.
    func allowedKeys(admin: Bool, hiddenAllowed: Bool) -> [String: DataType] {
        var keys: [String: DataType] = [:]
        if admin {
            keys["reserved"] = .boolean
            if hiddenAllowed { keys["hidden"] = .boolean }
        }
        switch self {
        case .roles:
            keys.merge(["cluster_permissions": .array, "tenant_permissions": .array, "index_permissions": .array, "description": .string]) { $1 }
        case .rolesmapping:
            keys.merge(["backend_roles": .array, "and_backend_roles": .array, "hosts": .array, "users": .array, "description": .string]) { $1 }
        case .actiongroups:
            keys.merge(["allowed_actions": .array, "description": .string, "type": .string]) { $1 }
        case .internalusers:
            keys.merge(["backend_roles": .array, "attributes": .object, "description": .string, "opendistro_security_roles": .array,
                        "hash": .string, "password": .string]) { $1 }
        case .tenants:
            keys["description"] = .string
        }
        return keys
    }

    var mandatoryKeys: [String] { self == .actiongroups ? ["allowed_actions"] : [] }
    var mandatoryOrKeys: [String] { self == .rolesmapping ? ["backend_roles", "and_backend_roles", "hosts", "users"] : [] }

    // MARK: models

    enum Field {
        case flag(String)
        case text(String)
        case list(String)
        case map(String)
        case objects(String, [Field])

        var name: String {
            switch self {
            case .flag(let name), .text(let name), .list(let name), .map(let name), .objects(let name, _): name
            }
        }
    }

    static let indexFields: [Field] = [.list("index_patterns"), .text("dls"), .list("fls"), .list("masked_fields"), .list("allowed_actions")]
    static let tenantFields: [Field] = [.list("tenant_patterns"), .list("allowed_actions")]

    var fields: [Field] {
        switch self {
        case .roles:
            [.flag("reserved"), .flag("hidden"), .text("description"), .list("cluster_permissions"),
             .objects("index_permissions", SecurityEndpoint.indexFields), .objects("tenant_permissions", SecurityEndpoint.tenantFields), .flag("static")]
        case .rolesmapping:
            [.list("hosts"), .list("users"), .flag("reserved"), .flag("hidden"), .list("backend_roles"), .list("and_backend_roles"), .text("description")]
        case .actiongroups:
            [.flag("reserved"), .flag("hidden"), .list("allowed_actions"), .text("type"), .text("description"), .flag("static")]
        case .internalusers:
            [.text("hash"), .flag("reserved"), .flag("hidden"), .list("backend_roles"), .map("attributes"), .text("description"),
             .list("opendistro_security_roles"), .flag("static")]
        case .tenants:
            [.flag("reserved"), .flag("hidden"), .text("description"), .flag("static")]
        }
    }

    /// An entry as the model prints it. With `omitDefaults`, false, empty and null fields are left
    /// out (`Utils.convertJsonToJackson(configuration, true)`, the view PATCH applies to).
    func render(_ entry: ConfigValue, omitDefaults: Bool = false) -> JSON {
        SecurityEndpoint.render(entry, fields: fields, omitDefaults: omitDefaults)
    }

    static func render(_ entry: ConfigValue, fields: [Field], omitDefaults: Bool) -> JSON {
        let map = entry.map ?? [:]
        var pairs: [(String, JSON)] = []
        for field in fields {
            let value = map[field.name]
            switch field {
            case .flag(let name):
                let flag = value?.bool ?? false
                if !(omitDefaults && !flag) { pairs.append((name, .bool(flag))) }
            case .text(let name):
                if let text = value?.string { pairs.append((name, .string(text))) }
            case .list(let name):
                let items = value?.list?.map { JSON.from($0) } ?? []
                if !(omitDefaults && items.isEmpty) { pairs.append((name, .array(items))) }
            case .map(let name):
                let items = value?.map ?? [:]
                if !(omitDefaults && items.isEmpty) {
                    // attributes is a Map<String, String>: numbers and booleans of the YAML print as text.
                    pairs.append((name, .object(JavaHashOrder.order(items.keys.sorted()).map { ($0, items[$0]?.string.map(JSON.string) ?? .null) })))
                }
            case .objects(let name, let inner):
                let items = value?.list?.map { render($0, fields: inner, omitDefaults: omitDefaults) } ?? []
                if !(omitDefaults && items.isEmpty) { pairs.append((name, .array(items))) }
            }
        }
        return .object(pairs)
    }

    /// The profile's built-in entries as the REST API shows them (`reserved: true, static: true`).
    func staticEntries(_ catalog: Catalog) -> [String: ConfigValue] {
        func list(_ items: [String]) -> ConfigValue { .list(items.map(ConfigValue.string)) }
        let flags: [String: ConfigValue] = ["reserved": .bool(true), "static": .bool(true)]
        var entries: [String: ConfigValue] = [:]
        switch self {
        case .roles:
            for role in catalog.staticRoles {
                var map = flags
                map["description"] = role.description.map(ConfigValue.string)
                map["cluster_permissions"] = list(role.clusterPermissions)
                map["index_permissions"] = .list(role.indexPermissions.map {
                    .map(["index_patterns": list($0.indexPatterns), "allowed_actions": list($0.allowedActions)])
                })
                map["tenant_permissions"] = .list(role.tenantPermissions.map {
                    .map(["tenant_patterns": list($0.tenantPatterns), "allowed_actions": list($0.allowedActions)])
                })
                entries[role.name] = .map(map)
            }
        case .actiongroups:
            for group in catalog.staticActionGroups {
                var map = flags
                map["allowed_actions"] = list(group.allowedActions)
                map["type"] = group.type.map(ConfigValue.string)
                map["description"] = group.description.map(ConfigValue.string)
                entries[group.name] = .map(map)
            }
        case .tenants:
            for tenant in catalog.staticTenants {
                var map = flags
                map["description"] = tenant.description.map(ConfigValue.string)
                entries[tenant.name] = .map(map)
            }
        case .rolesmapping, .internalusers:
            break
        }
        return entries
    }

    /// Whether an entry grants a `restapi:admin/*` permission (only a REST admin may touch it).
    func containsRestAdminPermissions(_ entry: ConfigValue?) -> Bool {
        let key = self == .actiongroups ? "allowed_actions" : "cluster_permissions"
        return entry?.map?[key]?.list?.contains { $0.string?.hasPrefix("restapi:admin/") ?? false } ?? false
    }
}
