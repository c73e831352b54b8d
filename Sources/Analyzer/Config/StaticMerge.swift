import PermissionCatalog

extension SecurityConfig {
    /// The configuration as the plugin holds it in memory: these entries plus the profile's
    /// built-in action groups, roles and tenants (§1.1). On a name clash the built-in entry is
    /// kept; before OpenSearch 3.4 such a configuration does not load at all, which the returned
    /// diagnostics say (as errors) without stopping the analysis.
    public func withStatics(from catalog: Catalog) -> (config: SecurityConfig, diagnostics: [Diagnostic]) {
        var merged = self
        var diagnostics: [Diagnostic] = []
        let clash = catalog.profile.staticNameClash

        func report(_ kind: String, _ name: String, _ location: SourceLocation) {
            switch clash {
            case .configFailsToLoad:
                diagnostics.append(.error("custom \(kind) '\(name)' has the name of a built-in \(kind); \(catalog.profile) refuses to load this configuration (\"Cannot override static \(kind)s\")",
                                          at: location, hint: "rename the custom \(kind)"))
            case .staticEntryWins:
                diagnostics.append(.warning("custom \(kind) '\(name)' has the name of a built-in \(kind); \(catalog.profile) drops the custom one and uses the built-in",
                                            at: location, hint: "rename the custom \(kind) if its content is meant to apply"))
            }
        }

        for group in catalog.staticActionGroups {
            if let custom = actionGroups[group.name], !custom.flags.isStatic { report("action group", group.name, custom.location) }
            merged.actionGroups[group.name] = ActionGroup(
                name: group.name, location: .builtIn("action group"), flags: .builtIn,
                allowedActions: group.allowedActions.map { Located($0, at: .builtIn("action group \(group.name)")) },
                type: group.type, description: group.description)
        }
        for role in catalog.staticRoles {
            if let custom = roles[role.name], !custom.flags.isStatic { report("role", role.name, custom.location) }
            let location = SourceLocation.builtIn("role \(role.name)")
            merged.roles[role.name] = Role(
                name: role.name, location: location, flags: .builtIn, description: role.description,
                clusterPermissions: role.clusterPermissions.map { Located($0, at: location) },
                indexPermissions: role.indexPermissions.map {
                    IndexPermission(location: location, indexPatterns: $0.indexPatterns.map { Located($0, at: location) },
                                    allowedActions: $0.allowedActions.map { Located($0, at: location) })
                },
                tenantPermissions: role.tenantPermissions.map {
                    TenantPermission(location: location, tenantPatterns: $0.tenantPatterns.map { Located($0, at: location) },
                                     allowedActions: $0.allowedActions.map { Located($0, at: location) })
                })
        }
        for tenant in catalog.staticTenants {
            if let custom = tenants[tenant.name], !custom.flags.isStatic { report("tenant", tenant.name, custom.location) }
            merged.tenants[tenant.name] = Tenant(name: tenant.name, location: .builtIn("tenant"), flags: .builtIn, description: tenant.description)
        }
        return (merged, diagnostics.sorted { ($0.location ?? .builtIn("")) < ($1.location ?? .builtIn("")) })
    }
}
