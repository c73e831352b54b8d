import PermissionCatalog

extension Catalog {
    /// Permissions of this profile whose names a pattern matches (the plugin's matcher, §2.1).
    public func permissions(matching pattern: Pattern) -> [Permission] {
        permissions.filter { pattern.matches($0.name) }
    }
}
