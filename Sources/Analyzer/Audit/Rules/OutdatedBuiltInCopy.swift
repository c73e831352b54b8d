import PermissionCatalog

/// SP017: a custom action group or role that copies an older release's built-in entry which the
/// target release changed.
public struct OutdatedBuiltInCopy: AuditRule {
    public init() {}
    public let id = "SP017"
    public let name = "outdated-built-in-copy"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Custom action group or role that copies a built-in entry of an older release which this release changed"
    public let rationale = """
        The plugin's Upgrade Check API (GET _plugins/_security/api/_upgrade_check, ConfigUpgradeApiAction in \
        opensearch-project/security) compares the cluster's roles with the new release's shipped ones and offers \
        to bring copies up to date. Built-in entries come from the release's static configuration \
        (static_config.json), and the plugin resolves a built-in group by name, so an entry that lists `read` \
        follows the release; one that copied the permissions of an older release's `read` (Open Distro's lacks \
        indices:admin/resolve/index) keeps the old grant after an upgrade. Same-name entries are SP014; \
        missing or renamed permissions are SP015.
        """
    public let triggeringExample = ["action_groups.yml": "my_read:\n  allowed_actions: ['indices:data/read*', 'indices:admin/mappings/fields/get*']\n"]
    public let passingExample = ["action_groups.yml": "my_read:\n  allowed_actions: [read]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        let history = BuiltInHistory(current: context.catalog)
        var findings: [Finding] = []
        for (name, group) in context.config.actionGroups where !group.flags.isStatic {
            guard let (older, builtIn) = history.copiedGroup(Set(group.allowedActions.map(\.value))) else { continue }
            findings.append(finding(message(kind: "action group", name: name, builtIn: builtIn, older: older, context: context),
                                    at: group.location, help: "list '\(builtIn)' instead to follow the release, or update the copy",
                                    entity: "actiongroup:\(name)/copy-of:\(builtIn)"))
        }
        for (name, role) in context.config.roles where !role.flags.isStatic {
            guard let (older, builtIn) = history.copiedRole(BuiltInHistory.RoleContent(role)) else { continue }
            findings.append(finding(message(kind: "role", name: name, builtIn: builtIn, older: older, context: context),
                                    at: role.location, help: "map the built-in role '\(builtIn)' instead to follow the release, or update the copy",
                                    entity: "role:\(name)/copy-of:\(builtIn)"))
        }
        return findings
    }

    private func message(kind: String, name: String, builtIn: String, older: TargetProfile, context: AuditContext) -> String {
        "\(kind) '\(name)' is a copy of the built-in \(kind) '\(builtIn)' of \(older), which \(context.profile) changed; the copy keeps the old permissions"
    }
}

/// The built-in entries of releases before a profile (static_config.json snapshots) that the
/// profile changed or dropped, indexed by content, for SP017.
struct BuiltInHistory {
    /// One profile per static-configuration snapshot secperm carries, oldest first.
    static let releases: [TargetProfile] = [
        "opendistro-1.0", "opendistro-1.3", "opendistro-1.4", "opendistro-1.10", "opendistro-1.12", "opendistro-1.13",
        "opensearch-1.0", "opensearch-2.3", "opensearch-2.4", "opensearch-2.6", "opensearch-2.9", "opensearch-2.17", "opensearch-3.0",
    ].compactMap(TargetProfile.init(parsing:))

    /// Catalogs of the releases before `profile`, newest first: every Open Distro release before an
    /// OpenSearch or Lucenia one; earlier versions of the same flavor; for Lucenia, the OpenSearch
    /// releases before the one it follows.
    static func olderCatalogs(than profile: TargetProfile) -> [Catalog] {
        let followed = profile.followed
        return releases.filter { release in
            switch (release.flavor, profile.flavor) {
            case (.opendistro, .opendistro): release.version < profile.version
            case (.opendistro, _): true
            default: release.flavor == followed.flavor && release.version < followed.version
            }
        }.reversed().map { Catalog(profile: $0) }
    }

    /// Content → the newest older release and name whose built-in has it, when the current release's
    /// built-in of that name has other content (or is gone).
    private var groups: [Set<String>: (TargetProfile, String)] = [:]
    private var roles: [RoleContent: (TargetProfile, String)] = [:]

    init(current: Catalog) {
        for older in Self.olderCatalogs(than: current.profile) {
            for group in older.staticActionGroups where !group.allowedActions.isEmpty {
                let content = Set(group.allowedActions)
                if let now = current.staticActionGroup(named: group.name), Set(now.allowedActions) == content { continue }
                if groups[content] == nil { groups[content] = (older.profile, group.name) }
            }
            for role in older.staticRoles {
                let content = RoleContent(role)
                guard !content.isEmpty else { continue }
                if let now = current.staticRole(named: role.name), RoleContent(now) == content { continue }
                if roles[content] == nil { roles[content] = (older.profile, role.name) }
            }
        }
        // A content the current release still ships under some name is not outdated.
        for group in current.staticActionGroups { groups[Set(group.allowedActions)] = nil }
        for role in current.staticRoles { roles[RoleContent(role)] = nil }
    }

    func copiedGroup(_ actions: Set<String>) -> (TargetProfile, String)? { groups[actions] }

    func copiedRole(_ content: RoleContent) -> (TargetProfile, String)? { roles[content] }

    /// A role's permissions as sets, compared without order.
    struct RoleContent: Hashable {
        let cluster: Set<String>
        let index: Set<[Set<String>]>
        let tenant: Set<[Set<String>]>

        init(_ role: Role) {
            cluster = Set(role.clusterPermissions.map(\.value))
            index = Set(role.indexPermissions.map { [Set($0.indexPatterns.map(\.value)), Set($0.allowedActions.map(\.value))] })
            tenant = Set(role.tenantPermissions.map { [Set($0.tenantPatterns.map(\.value)), Set($0.allowedActions.map(\.value))] })
        }

        init(_ role: StaticRole) {
            cluster = Set(role.clusterPermissions)
            index = Set(role.indexPermissions.map { [Set($0.indexPatterns), Set($0.allowedActions)] })
            tenant = Set(role.tenantPermissions.map { [Set($0.tenantPatterns), Set($0.allowedActions)] })
        }

        var isEmpty: Bool { cluster.isEmpty && index.isEmpty && tenant.isEmpty }
    }
}
