import PermissionCatalog

extension SecurityConfig {
    /// The configuration as the plugin holds it in memory: these entries plus the profile's
    /// built-in action groups, roles and tenants (§1.1). On a name clash the built-in entry is
    /// kept; before OpenSearch 3.4 such a configuration does not load at all, which the returned
    /// diagnostics say (as errors) without stopping the analysis.
    public func withStatics(from catalog: Catalog) -> (config: SecurityConfig, diagnostics: [Diagnostic]) {
        var merged = self
        let diagnostics = staticNameClashes(with: catalog).map { $0.diagnostic(profile: catalog.profile) }
        for group in catalog.staticActionGroups {
            merged.actionGroups[group.name] = ActionGroup(
                name: group.name, location: .builtIn("action group"), flags: .builtIn,
                allowedActions: group.allowedActions.map { Located($0, at: .builtIn("action group \(group.name)")) },
                type: group.type, description: group.description)
        }
        for role in catalog.staticRoles {
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
            merged.tenants[tenant.name] = Tenant(name: tenant.name, location: .builtIn("tenant"), flags: .builtIn, description: tenant.description)
        }
        return (merged, diagnostics.sorted { ($0.location ?? .builtIn("")) < ($1.location ?? .builtIn("")) })
    }

    /// Custom entries named like a built-in one of the profile (§1.1), as values, in the order
    /// action groups, roles, tenants.
    public func staticNameClashes(with catalog: Catalog) -> [StaticEntryClash] {
        var clashes: [StaticEntryClash] = []
        for group in catalog.staticActionGroups {
            if let custom = actionGroups[group.name], !custom.flags.isStatic { clashes.append(StaticEntryClash(kind: .actionGroup, name: group.name, location: custom.location)) }
        }
        for role in catalog.staticRoles {
            if let custom = roles[role.name], !custom.flags.isStatic { clashes.append(StaticEntryClash(kind: .role, name: role.name, location: custom.location)) }
        }
        for tenant in catalog.staticTenants {
            if let custom = tenants[tenant.name], !custom.flags.isStatic { clashes.append(StaticEntryClash(kind: .tenant, name: tenant.name, location: custom.location)) }
        }
        return clashes
    }
}

/// A custom role, action group or tenant with the name of a built-in one.
public struct StaticEntryClash: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case actionGroup = "action group", role, tenant
    }

    public let kind: Kind
    public let name: String
    public let location: SourceLocation

    /// What the profile does about it: before 3.4 the configuration does not load (an error), from
    /// 3.4 the built-in entry wins (a warning).
    public func diagnostic(profile: TargetProfile) -> Diagnostic {
        let kind = self.kind.rawValue
        switch profile.staticNameClash {
        case .configFailsToLoad:
            return .error("custom \(kind) '\(name)' has the name of a built-in \(kind); \(profile) refuses to load this configuration (\"Cannot override static \(kind)s\")",
                          at: location, hint: "rename the custom \(kind)")
        case .staticEntryWins:
            return .warning("custom \(kind) '\(name)' has the name of a built-in \(kind); \(profile) drops the custom one and uses the built-in",
                            at: location, hint: "rename the custom \(kind) if its content is meant to apply")
        }
    }
}
