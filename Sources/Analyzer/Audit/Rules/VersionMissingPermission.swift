import PermissionCatalog

/// SP015: permissions and built-in groups that the target release does not have, or names differently.
public struct VersionMissingPermission: AuditRule {
    public init() {}
    public let id = "SP015"
    public let name = "version-missing-permission"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Permission or built-in action group that does not exist in the target release"
    public let rationale = """
        Permissions and built-in groups come and go between releases (§1.2, §2.6: restapi:admin/* from 2.8, \
        system:admin/system_index from 2.10, manage_data_streams from OpenSearch 1.0, manage_point_in_time \
        from 2.3). A role written for one release grants less on an older one; migrations should catch it \
        before the target cluster does.
        """
    public let triggeringExample = ["roles.yml": "r:\n  cluster_permissions: [\"cluster:admin/point_in_time/read\"]\n"]
    public let passingExample = ["roles.yml": "r:\n  cluster_permissions: [\"restapi:admin/roles\"]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        let newestGroups = Catalog.newestGroupNames
        return context.entries.compactMap { entry in
            let name = entry.value.value
            if let renamed = context.catalog.successor(of: name) {
                // permissions.json `{vendor}`: the same action under this release's plugin vendor segment.
                return finding("'\(name)' does not exist in \(context.profile); this release names it '\(renamed)', so as written it grants nothing",
                               at: entry.value.location, help: "write '\(renamed)'", entity: entry.entity)
            }
            if let permission = context.catalog.permissionOutsideProfile(named: name) {
                let releases = permission.availability.ranges?.sorted { $0.key.rawValue < $1.key.rawValue }
                    .map { "\($0.key.rawValue) \($0.value.since)\($0.value.until.map { "–\($0)" } ?? "+")" }.joined(separator: ", ") ?? "other releases"
                return finding("'\(name)' does not exist in \(context.profile) (it exists in \(releases)); it grants nothing there",
                               at: entry.value.location, help: "remove it or target a release that has it", entity: entry.entity)
            }
            if !name.utf8.contains(UInt8(ascii: ":")), !context.isGroup(name), newestGroups.contains(name) {
                return finding("built-in action group '\(name)' does not exist in \(context.profile); it stays a literal and grants nothing",
                               at: entry.value.location, help: "list its permissions explicitly for this release", entity: entry.entity)
            }
            return nil
        }
    }
}

extension Catalog {
    /// Built-in group names of the newest release.
    static let newestGroupNames: Set<String> = Set(Catalog(profile: .default).staticActionGroups.map(\.name))
}
