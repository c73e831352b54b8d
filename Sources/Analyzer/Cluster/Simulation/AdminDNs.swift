import PermissionCatalog

extension SimulatedCluster {
    /// `<prefix>.authcz.admin_dn` of a node settings file (opensearch.yml; a list, or one string),
    /// for `simulate --opensearch-yml`. Empty without a file or without the key.
    public static func adminDNs(settingsFile path: String?, profile: TargetProfile) throws(InputError) -> [String] {
        guard let path else { return [] }
        let values = NodeSettings.flatten(try InputFiles.readValue(path))
        guard let value = values[profile.settingsPrefix + ".authcz.admin_dn"] else { return [] }
        if let list = value.list { return list.compactMap(\.string) }
        return value.string.map { [$0] } ?? []
    }
}
