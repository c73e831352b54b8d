/// Security index documents written from a model (a configuration loaded from any input form, or
/// a synthetic one): built-in entries left out, `_meta` added. The model keeps no password hashes,
/// so they come separately: a user without one cannot log in with a password.
extension SecurityDocuments {
    public init(config: SecurityConfig, passwordHashes: [String: String]) {
        func list(_ values: [Located<String>]) -> ConfigValue { .list(values.map { .string($0.value) }) }
        func strings(_ values: [String]) -> ConfigValue { .list(values.map(ConfigValue.string)) }
        func flags(_ flags: EntryFlags, description: String?) -> [String: ConfigValue] {
            var map: [String: ConfigValue] = [:]
            if flags.reserved { map["reserved"] = .bool(true) }
            if flags.hidden { map["hidden"] = .bool(true) }
            if let description { map["description"] = .string(description) }
            return map
        }
        func document(_ type: ConfigType, _ entries: [String: ConfigValue]) -> ConfigValue {
            var map = entries
            map["_meta"] = .map(["type": .string(type.rawValue), "config_version": .number(2)])
            return .map(map)
        }
        var documents: [ConfigType: ConfigValue] = [:]
        var roles: [String: ConfigValue] = [:]
        for (name, role) in config.roles where !role.flags.isStatic {
            var map = flags(role.flags, description: role.description)
            map["cluster_permissions"] = list(role.clusterPermissions)
            map["index_permissions"] = .list(role.indexPermissions.map { permission in
                var entry: [String: ConfigValue] = ["index_patterns": list(permission.indexPatterns), "allowed_actions": list(permission.allowedActions),
                                                    "fls": strings(permission.fls), "masked_fields": strings(permission.maskedFields)]
                if let dls = permission.dls { entry["dls"] = .string(dls) }
                return .map(entry)
            })
            map["tenant_permissions"] = .list(role.tenantPermissions.map {
                .map(["tenant_patterns": list($0.tenantPatterns), "allowed_actions": list($0.allowedActions)])
            })
            roles[name] = .map(map)
        }
        documents[.roles] = document(.roles, roles)
        var mappings: [String: ConfigValue] = [:]
        for (name, mapping) in config.roleMappings {
            var map = flags(mapping.flags, description: mapping.description)
            map["users"] = list(mapping.users)
            map["backend_roles"] = list(mapping.backendRoles)
            map["and_backend_roles"] = list(mapping.andBackendRoles)
            map["hosts"] = list(mapping.hosts)
            mappings[name] = .map(map)
        }
        documents[.rolesmapping] = document(.rolesmapping, mappings)
        var groups: [String: ConfigValue] = [:]
        for (name, group) in config.actionGroups where !group.flags.isStatic {
            var map = flags(group.flags, description: group.description)
            map["allowed_actions"] = list(group.allowedActions)
            if let type = group.type { map["type"] = .string(type) }
            groups[name] = .map(map)
        }
        documents[.actiongroups] = document(.actiongroups, groups)
        var users: [String: ConfigValue] = [:]
        for (name, user) in config.internalUsers {
            var map = flags(user.flags, description: user.description)
            if let hash = passwordHashes[name] { map["hash"] = .string(hash) }
            map["backend_roles"] = list(user.backendRoles)
            map["attributes"] = .map(user.attributes.mapValues(ConfigValue.string))
            map["opendistro_security_roles"] = list(user.securityRoles)
            if !user.enabled { map["enabled"] = .bool(false) }
            if user.isService { map["service"] = .bool(true) }
            users[name] = .map(map)
        }
        documents[.internalusers] = document(.internalusers, users)
        var tenants: [String: ConfigValue] = [:]
        for (name, tenant) in config.tenants where !tenant.flags.isStatic {
            tenants[name] = .map(flags(tenant.flags, description: tenant.description))
        }
        documents[.tenants] = document(.tenants, tenants)
        documents[.config] = document(.config, ["config": .map(["dynamic": config.dynamic.raw])])
        self.init(documents: documents)
    }
}
