import PermissionCatalog

/// SP003: a name that looks like an action group but is none; it stays a literal.
public struct UnknownActionGroup: AuditRule {
    public init() {}
    public let id = "SP003"
    public let name = "unknown-action-group"
    public let severity = Diagnostic.Severity.error
    public let summary = "Action group name that no group has"
    public let rationale = """
        Action groups are resolved by exact name only (§2.2, FlattenedActionGroups); a name that is no group \
        stays in the resolved set as a literal and matches no action, and a pattern such as kibana_all_* never \
        expands to groups. The plugin loads such a role without complaint and it grants nothing.
        """
    public let triggeringExample = ["roles.yml": "r:\n  cluster_permissions: [readonly_plus]\n"]
    public let passingExample = ["roles.yml": "r:\n  cluster_permissions: [cluster_monitor]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        let groupNames = Array(context.merged.actionGroups.keys)
        let newest = Catalog.newestGroupNames
        return context.entries.compactMap { entry in
            let name = entry.value.value
            guard !name.utf8.contains(UInt8(ascii: ":")), name != "*", !name.hasPrefix("/"), !context.isGroup(name) else { return nil }
            if newest.contains(name) { return nil }  // SP015 reports groups that this release lacks
            let owner = "\(entry.ownerKind.replacingOccurrences(of: "_", with: " ")) '\(entry.owner)'"
            if name.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) {
                return finding("'\(name)' in \(owner) is a pattern over group names; groups are looked up by exact name, so it grants nothing",
                               at: entry.value.location, help: "list the groups by name", entity: entry.entity)
            }
            let hint = Suggestion.closest(to: name, in: groupNames).map { "did you mean '\($0)'?" }
                ?? "define the group in action_groups.yml or use a permission name"
            return finding("unknown action group '\(name)' in \(owner); it stays a literal and grants nothing",
                           at: entry.value.location, help: hint, entity: entry.entity)
        }
    }
}
