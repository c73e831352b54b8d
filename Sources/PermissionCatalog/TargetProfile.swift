/// The cluster secperm reasons about: a flavor and a release. Everything that changed between
/// releases of the security plugin is answered here, so no other code compares versions.
///
/// Sources: shared/reference/opensearch-security-semantics.md §2.3 (cluster actions), §2.5
/// (explicit privileges), §3 (DNFOF), §5 (403 messages), §7–§8 (config versions, flavors).
public struct TargetProfile: Hashable, Sendable, CustomStringConvertible {
    public let flavor: Flavor
    public let version: Version

    public init(flavor: Flavor, version: Version) {
        self.flavor = flavor
        self.version = version
    }

    /// The default: the newest OpenSearch release line, legacy (default) evaluator.
    public static let `default` = TargetProfile(flavor: .opensearch, version: "3.8")

    /// The profiles secperm names and tests; any `flavor-version` is accepted too.
    public static let named: [(name: String, profile: TargetProfile)] = [
        ("opendistro-1.13", TargetProfile(flavor: .opendistro, version: "1.13")),
        ("opensearch-1.3", TargetProfile(flavor: .opensearch, version: "1.3")),
        ("opensearch-2.11", TargetProfile(flavor: .opensearch, version: "2.11")),
        ("opensearch-2.19", TargetProfile(flavor: .opensearch, version: "2.19")),
        ("opensearch-3", TargetProfile.default),
        ("lucenia", TargetProfile(flavor: .lucenia, version: "0.9")),
    ]

    /// Parses `opensearch-2.19`, `opensearch-3`, `opendistro-1.13`, `lucenia`, `lucenia-0.8`.
    /// A bare major (`opensearch-2`) means the newest release of that line secperm knows.
    public init?(parsing text: String) {
        if let named = TargetProfile.named.first(where: { $0.name == text }) {
            self = named.profile
            return
        }
        let pieces = text.split(separator: "-", maxSplits: 1).map(String.init)
        guard let flavor = Flavor(rawValue: pieces[0]) else { return nil }
        guard pieces.count == 2 else {
            guard let named = TargetProfile.named.first(where: { $0.profile.flavor == flavor }) else { return nil }
            self = named.profile
            return
        }
        guard let version = Version(pieces[1]) else { return nil }
        let newestOfLine: [Flavor: [Int: Version]] = [
            .opensearch: [1: "1.3", 2: "2.19", 3: "3.8"],
            .opendistro: [1: "1.13"],
        ]
        // A bare major is the text without a dot: `2.0` names release 2.0 even though Version
        // drops its trailing zero.
        if !pieces[1].contains("."), let newest = newestOfLine[flavor]?[version.parts[0]] {
            self.init(flavor: flavor, version: newest)
        } else {
            self.init(flavor: flavor, version: version)
        }
    }

    public var name: String { "\(flavor.rawValue)-\(version)" }
    public var description: String { name }

    /// The profile whose plugin behaviour and static files this one follows. Lucenia's source was
    /// not available (§8.2), so it follows the newest OpenSearch release, the rule for gaps in the
    /// reference; every other profile follows itself. The only place that says so.
    public var followed: TargetProfile { flavor == .lucenia ? .default : self }

    /// The OpenSearch release whose plugin behaviour this profile follows. Open Distro has its own
    /// answers wherever they differ and is treated as pre-1.0.
    var behaviour: Version { followed.flavor == .opendistro ? "0" : followed.version }

    func since(_ major: Int, _ minor: Int) -> Bool { behaviour.isAtLeast(major, minor) }

    // MARK: Names

    /// Vendor segment of plugin action names: `cluster:admin/<vendor>/ql/datasources/create`.
    public var vendorSegment: String { flavor == .lucenia ? "lucenia" : "opensearch" }

    /// Prefix of the plugin's REST endpoints.
    public var restPrefix: String { flavor == .opendistro ? "/_opendistro/_security" : "/_plugins/_security" }

    /// Prefix of node settings in opensearch.yml (or lucenia.yml).
    public var settingsPrefix: String { flavor == .opendistro ? "opendistro_security" : "plugins.security" }

    // MARK: Cluster vs index actions (§2.3)

    /// `isClusterPerm` of this release's default evaluator: whether the security filter checks a
    /// transport action against `cluster_permissions`. Ask ``check(of:)`` for the level an action
    /// is granted at: it adds the checks outside the security filter (REST API, NamedRoutes,
    /// tenants, `system:admin/system_index`).
    public func isClusterAction(_ action: String) -> Bool {
        if action.hasPrefix("cluster:") || action.hasPrefix("indices:admin/template/") { return true }
        if action.hasPrefix("indices:data/read/scroll") { return true }
        if ["indices:data/write/bulk", "indices:data/read/mget", "indices:data/read/mtv",
            "indices:data/write/reindex", "indices:data/read/msearch"].contains(action) { return true }
        if flavor != .opendistro, action.hasPrefix("indices:admin/index_template/") { return true }
        if since(2, 9), action.hasPrefix("indices:data/read/msearch") { return true }
        if since(2, 12), action == "indices:data/read/search/template/render" { return true }
        if since(3, 6), !action.hasPrefix("indices:") { return true }
        return false
    }

    // MARK: do_not_fail_on_forbidden (§3)

    /// Whether `action` is on this release's `DNFOF_MATCHER` list, on which
    /// `do_not_fail_on_forbidden` may reduce the requested indices to the allowed ones. Before 2.0
    /// the list was the regex `indices:(data/read/.*|(admin/(mappings/fields/get.*|shards/search_shards|resolve/index)))`,
    /// which the first four tests below spell out; 2.10 and 2.15 added names.
    func isDnfofAction(_ action: String) -> Bool {
        if action.hasPrefix("indices:data/read/") || action.hasPrefix("indices:admin/mappings/fields/get")
            || action == "indices:admin/shards/search_shards" || action == "indices:admin/resolve/index" { return true }
        if since(2, 10), action == "indices:monitor/settings/get" || action == "indices:monitor/stats" { return true }
        return since(2, 15) && action == "indices:admin/aliases/get"
    }

    // MARK: Explicit privileges (§2.5)

    public enum ExplicitPrivilegeRule: String, Sendable {
        /// 2.19+: the bare `*` entry (directly or through a group) never counts.
        case bareWildcardIgnored
        /// Before 2.19: a role whose combined action matcher is exactly `*` counts for nothing;
        /// a role that mixes `*` with other entries still matches.
        case wildcardOnlyRoleIgnored
    }

    public var explicitPrivilegeRule: ExplicitPrivilegeRule {
        since(2, 19) ? .bareWildcardIgnored : .wildcardOnlyRoleIgnored
    }

    // MARK: 403 messages (§5)

    public enum MissingPrivilegesStyle: String, Sendable {
        /// Before 2.19: an index-level denial lists every required index action.
        case allRequired
        /// 2.19+: only the actions not granted on every requested index.
        case onlyMissing
    }

    public var missingPrivilegesStyle: MissingPrivilegesStyle { since(2, 19) ? .onlyMissing : .allRequired }

    /// The reason text of a transport-level 403 (`SecurityFilter`), identical in every release.
    public func forbiddenMessage(missing: [String], userName: String, backendRoles: [String], requestedTenant: String?) -> String {
        "no permissions for [\(missing.joined(separator: ", "))] and User [name=\(userName), backend_roles=[\(backendRoles.joined(separator: ", "))], requestedTenant=\(requestedTenant ?? "null")]"
    }

    // MARK: Index pattern templates (§3)

    /// Whether `${var:-fallback}` defaults are understood in index patterns (StringSubstitutor on
    /// main, 3.9 development line, #6111). Earlier releases replace exact `${var}` names only.
    public var attributeDefaultValues: Bool { since(3, 9) }

    // MARK: System indices (§2.7)

    /// The system indices the demo installer of this release lists (used when no node settings are
    /// given). 2.11 list; 2.19 adds ML agents/memory and flow framework; Open Distro's doc list.
    public var defaultSystemIndices: [String] {
        var list = [".opendistro-alerting-config", ".opendistro-alerting-alert*", ".opendistro-anomaly-results*",
                    ".opendistro-anomaly-detector*", ".opendistro-anomaly-checkpoints", ".opendistro-anomaly-detection-state",
                    ".opendistro-reports-*", ".opendistro-asynchronous-search-response*"]
        guard flavor != .opendistro else { return list }
        list += [".plugins-ml-config", ".plugins-ml-connector", ".plugins-ml-model-group", ".plugins-ml-model", ".plugins-ml-task",
                 ".plugins-ml-conversation-meta", ".plugins-ml-conversation-interactions", ".opensearch-notifications-*",
                 ".opensearch-notebooks", ".opensearch-observability", ".ql-datasources", ".replication-metadata-store",
                 ".opensearch-knn-models", ".geospatial-ip2geo-data*"]
        if since(2, 19) {
            list += [".plugins-ml-agent", ".plugins-ml-controller", ".plugins-ml-memory-meta", ".plugins-ml-memory-message",
                     ".plugins-ml-stop-words", ".plugins-flow-framework-config", ".plugins-flow-framework-templates",
                     ".plugins-flow-framework-state"]
        }
        return list
    }

    // MARK: Configuration files (§1.1, §7, §8)

    /// Whether config_version 1 files (Search Guard 6 style) can still be loaded.
    public var acceptsConfigVersion1: Bool { flavor == .opendistro || !since(3, 0) }

    /// The config_version assumed for a document without `_meta`.
    public var configVersionWithoutMeta: Int { acceptsConfigVersion1 ? 1 : 2 }

    public enum StaticNameClash: String, Sendable {
        /// Before 3.4: "Cannot override static roles"; the configuration does not load.
        case configFailsToLoad
        /// 3.4+: the custom entry is dropped with a warning; the static one wins.
        case staticEntryWins
    }

    public var staticNameClash: StaticNameClash { since(3, 4) ? .staticEntryWins : .configFailsToLoad }
}
