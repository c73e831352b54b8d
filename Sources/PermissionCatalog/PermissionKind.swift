/// What a permission name governs, read from its namespace.
///
/// This is not the level at which the plugin checks an action: `indices:data/write/bulk` is an
/// index permission by name but is checked as a cluster action. Ask ``TargetProfile/isClusterAction(_:)``
/// for that.
public enum PermissionKind: String, CaseIterable, Sendable, Codable {
    case cluster
    case index
    case restapi
    case system
    case tenant

    /// The kind a name belongs to by its prefix (`cluster:`, `indices:`, `restapi:`, `system:`, `kibana:`).
    public static func of(name: String) -> PermissionKind? {
        if name.hasPrefix("cluster:") { return .cluster }
        if name.hasPrefix("indices:") { return .index }
        if name.hasPrefix("restapi:") { return .restapi }
        if name.hasPrefix("system:") { return .system }
        if name.hasPrefix("kibana:") { return .tenant }
        return nil
    }
}
