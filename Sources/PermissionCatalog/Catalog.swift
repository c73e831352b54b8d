/// Every permission, built-in action group, role and tenant that exists for one ``TargetProfile``.
/// Built from `data/` (embedded in the binary); immutable and cheap to share.
public struct Catalog: Sendable {
    public let profile: TargetProfile
    /// Permissions available in the profile, sorted by name.
    public let permissions: [Permission]
    public let staticActionGroups: [StaticActionGroup]
    public let staticRoles: [StaticRole]
    public let staticTenants: [StaticTenant]
    private let byName: [String: Permission]
    private let everyKnownName: [String: Permission]

    public init(profile: TargetProfile = .default) {
        self.profile = profile
        let all = CatalogData.permissions.map { record in
            Permission(
                name: record.name(vendor: profile.vendorSegment),
                kind: record.kind,
                description: record.description,
                isPattern: record.pattern ?? false,
                availability: record.resolvedAvailability)
        }
        let followed = profile.followed
        let available = all.filter {
            $0.availability.contains(flavor: profile.flavor, version: profile.version)
        }.sorted { $0.name < $1.name }
        permissions = available
        byName = Dictionary(available.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        everyKnownName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

        // Lucenia ships the OpenSearch static files (§8.2): the ones of the release it follows.
        let data = CatalogData.staticConfig
        let (dataFlavor, staticVersion) = (followed.flavor, followed.version)
        staticActionGroups = StaticConfigFile.applicable(data.actionGroups, flavor: dataFlavor, version: staticVersion)
            .map { StaticActionGroup(name: $0.key, allowedActions: $0.value.allowed_actions ?? [], type: $0.value.type, description: $0.value.description) }
            .sorted { $0.name < $1.name }
        staticRoles = StaticConfigFile.applicable(data.roles, flavor: dataFlavor, version: staticVersion)
            .map { name, entry in
                StaticRole(
                    name: name, description: entry.description,
                    clusterPermissions: entry.cluster_permissions ?? [],
                    indexPermissions: (entry.index_permissions ?? []).map {
                        StaticIndexPermission(indexPatterns: $0.index_patterns ?? [], allowedActions: $0.allowed_actions ?? [])
                    },
                    tenantPermissions: (entry.tenant_permissions ?? []).map {
                        StaticTenantPermission(tenantPatterns: $0.tenant_patterns ?? [], allowedActions: $0.allowed_actions ?? [])
                    })
            }
            .sorted { $0.name < $1.name }
        staticTenants = StaticConfigFile.applicable(data.tenants, flavor: dataFlavor, version: staticVersion)
            .map { StaticTenant(name: $0.key, description: $0.value.description) }
            .sorted { $0.name < $1.name }
    }

    /// The permission of that exact name in this profile, if any.
    public func permission(named name: String) -> Permission? { byName[name] }

    /// A permission known in some flavor or release but not in this profile (for version audits).
    public func permissionOutsideProfile(named name: String) -> Permission? {
        byName[name] == nil ? everyKnownName[name] : nil
    }

    public func permissions(ofKind kind: PermissionKind) -> [Permission] {
        permissions.filter { $0.kind == kind }
    }

    /// Concrete action names (documented patterns excluded), sorted.
    public var actions: [Permission] { permissions.filter { !$0.isPattern } }

    /// The Dashboards saved-object actions (`kibana:saved_objects/*/read|write`): listed as
    /// patterns, but requests name them as they are, checked against `tenant_permissions`.
    public var tenantActionNames: [String] { permissions(ofKind: .tenant).map(\.name) }

    public func staticActionGroup(named name: String) -> StaticActionGroup? {
        staticActionGroups.first { $0.name == name }
    }

    public func staticRole(named name: String) -> StaticRole? {
        staticRoles.first { $0.name == name }
    }
}
