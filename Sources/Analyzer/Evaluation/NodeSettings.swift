import PermissionCatalog

/// The node settings (opensearch.yml) that change authorization, read under the profile's
/// prefix (`plugins.security.` or, for Open Distro, `opendistro_security.`). Defaults are the
/// plugin's (shared/reference/opensearch-security-semantics.md §2.7, §4).
public struct NodeSettings: Hashable, Sendable {
    public enum RolesMappingResolution: String, Sendable {
        case mappingOnly = "MAPPING_ONLY", backendRolesOnly = "BACKENDROLES_ONLY", both = "BOTH"
    }

    public var rolesMappingResolution: RolesMappingResolution = .mappingOnly
    public var securityIndexName = ".opendistro_security"
    public var systemIndicesEnabled = false
    public var systemIndexPermissionEnabled = false
    public var systemIndices: [String] = []
    public var protectedIndicesEnabled = false
    public var protectedIndices: [String] = []
    public var protectedIndicesRoles: [String] = []
    public var filterSecurityIndexFromAllRequests = false
    public var restoreSecurityIndexEnabled = false
    public var snapshotRestorePrivilegeEnabled = true
    public var checkSnapshotRestoreWritePrivileges = true
    public var restAdminEnabled = false
    public var restRolesEnabled: [String] = []
    /// A role without DLS/FLS/masking lifts those of other roles (OpenSearch 2.0+, #1735; default false).
    public var dfmEmptyOverridesAll = false

    public init() {}

    /// Reads settings from flat `key: value` pairs (nested maps already flattened to dotted keys).
    /// Keys outside the profile's prefix are ignored. Returns diagnostics for values of the wrong type.
    /// `locations` gives where each dotted key was written (file and line); keys without one are
    /// reported against `origin`.
    public init(values: [String: ConfigValue], profile: TargetProfile, origin: String,
                locations: [String: SourceLocation] = [:]) throws(InputError) {
        let prefix = profile.settingsPrefix + "."
        var diagnostics: [Diagnostic] = []
        func bool(_ key: String, _ current: Bool) -> Bool {
            guard let value = values[prefix + key] else { return current }
            guard let parsed = value.bool else {
                diagnostics.append(.error("\(prefix + key) must be true or false",
                                          at: locations[prefix + key] ?? SourceLocation(file: origin, line: 1)))
                return current
            }
            return parsed
        }
        func list(_ key: String, _ current: [String]) -> [String] {
            guard let value = values[prefix + key] else { return current }
            if let items = value.list { return items.compactMap(\.string) }
            if let text = value.string { return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            return current
        }
        if let mode = values[prefix + "roles_mapping_resolution"]?.string {
            // Parsed case-insensitively; invalid values fall back to MAPPING_ONLY (§4).
            rolesMappingResolution = RolesMappingResolution(rawValue: mode.uppercased()) ?? .mappingOnly
        }
        if let name = values[prefix + "config_index_name"]?.string { securityIndexName = name }
        systemIndicesEnabled = bool("system_indices.enabled", systemIndicesEnabled)
        systemIndexPermissionEnabled = bool("system_indices.permission.enabled", systemIndexPermissionEnabled)
        systemIndices = list("system_indices.indices", systemIndices)
        protectedIndicesEnabled = bool("protected_indices.enabled", protectedIndicesEnabled)
        protectedIndices = list("protected_indices.indices", protectedIndices)
        protectedIndicesRoles = list("protected_indices.roles", protectedIndicesRoles)
        filterSecurityIndexFromAllRequests = bool("filter_securityindex_from_all_requests", filterSecurityIndexFromAllRequests)
        restoreSecurityIndexEnabled = bool("unsupported.restore.securityindex.enabled", restoreSecurityIndexEnabled)
        snapshotRestorePrivilegeEnabled = bool("enable_snapshot_restore_privilege", snapshotRestorePrivilegeEnabled)
        checkSnapshotRestoreWritePrivileges = bool("check_snapshot_restore_write_privileges", checkSnapshotRestoreWritePrivileges)
        restAdminEnabled = bool("restapi.admin.enabled", restAdminEnabled)
        restRolesEnabled = list("restapi.roles_enabled", restRolesEnabled)
        dfmEmptyOverridesAll = bool("dfm_empty_overrides_all", dfmEmptyOverridesAll)
        // Open Distro had no system index permission mode (§2.7).
        if profile.flavor == .opendistro { systemIndexPermissionEnabled = false }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
    }

    /// Flattens nested YAML maps (`plugins: {security: {…}}`) to dotted keys.
    public static func flatten(_ value: ConfigValue, prefix: String = "") -> [String: ConfigValue] {
        guard let map = value.map else { return prefix.isEmpty ? [:] : [prefix: value] }
        var flat: [String: ConfigValue] = [:]
        for (key, item) in map {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if item.map != nil {
                flat.merge(flatten(item, prefix: path)) { _, new in new }
            } else {
                flat[path] = item
            }
        }
        return flat
    }
}
