import PermissionCatalog

extension Catalog {
    /// The plugin vendor segments a permission name can carry (permissions.json `{vendor}`).
    static let vendorSegments = ["opensearch", "lucenia"]

    /// The name this release gives a permission that another release names `name`, when the two
    /// differ only in the plugin vendor segment (`cluster:admin/opensearch/ql/…` on OpenSearch is
    /// `cluster:admin/lucenia/ql/…` on Lucenia: permissions.json `{vendor}` names); nil when this
    /// release has `name` itself or no such successor.
    public func successor(of name: String) -> String? {
        guard permission(named: name) == nil else { return nil }
        let own = "/\(profile.vendorSegment)/"
        for vendor in Self.vendorSegments where vendor != profile.vendorSegment {
            guard let range = name.range(of: "/\(vendor)/") else { continue }
            let renamed = name.replacingCharacters(in: range, with: own)
            if permission(named: renamed) != nil { return renamed }
        }
        return nil
    }
}
