/// SP001: an action name the plugin does not know grants nothing (§2.1: exact names match exactly).
public struct UnknownPermission: AuditRule {
    public init() {}
    public let id = "SP001"
    public let name = "unknown-permission"
    public let severity = Diagnostic.Severity.error
    public let summary = "Permission name that exists in no release and matches nothing"
    public let rationale = """
        Names in allowed_actions are matched exactly (WildcardMatcher, §2.1), so a misspelt action such as \
        indices:data/read/serach grants nothing and the plugin accepts it silently. Names close to a known \
        permission are reported as errors with the likely intended name; other unknown names may belong to a \
        plugin secperm does not list and are warnings.
        """
    public let triggeringExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: [logs]\n    allowed_actions: [\"indices:data/read/serach\"]\n"]
    public let passingExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: [logs]\n    allowed_actions: [\"indices:data/read/search\"]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        let known = context.catalog.permissions.map(\.name)
        return context.entries.compactMap { entry in
            let name = entry.value.value
            guard entry.section != .tenant, name.utf8.contains(UInt8(ascii: ":")), Pattern(name).isExact, !context.isGroup(name),
                  !context.isKnownPermission(name), context.catalog.permissionOutsideProfile(named: name) == nil,
                  context.catalog.successor(of: name) == nil  // SP015 reports names another release spells differently
            else { return nil }
            if let close = Suggestion.closest(to: name, in: known, maxDistance: 3) {
                return finding("unknown permission '\(name)' in \(entry.ownerKind.replacingOccurrences(of: "_", with: " ")) '\(entry.owner)' grants nothing",
                               at: entry.value.location, help: "did you mean '\(close)'?", entity: entry.entity)
            }
            return finding("'\(name)' in \(entry.ownerKind.replacingOccurrences(of: "_", with: " ")) '\(entry.owner)' is not a permission secperm knows for \(context.profile)",
                           at: entry.value.location, help: "if a plugin on the cluster provides this action, keep it and add it to a baseline; otherwise it grants nothing",
                           entity: entry.entity, severity: .warning)
        }
    }
}
