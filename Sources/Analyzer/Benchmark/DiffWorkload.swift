import Foundation

/// The configurations `secperm diff` is timed on (issue 12, Performance): the bench generator's
/// configuration (`a`), a migrated copy of it (every role and mapping renamed, some prefixes
/// narrowed, some mappings dropped), and an unrelated configuration of the same shape (`b`, another
/// seed). Written as REST JSON bundles, one file each, so anyone can time
/// `secperm diff a.json a.json`, `a.json migrated.json` and `a.json b.json` as a user runs them.
public struct DiffWorkload: WorkloadFiles, Sendable {
    public let base: SyntheticConfig
    public let other: SyntheticConfig

    public init(size: SyntheticConfig.Size = SyntheticConfig.Size()) {
        base = SyntheticConfig(size: size, seed: 42)
        other = SyntheticConfig(size: size, seed: 43)
    }

    /// The three timed pairs: name, source file, target file.
    public static let pairs: [(name: String, source: String, target: String)] = [
        ("itself", "a.json", "a.json"),
        ("migrated copy", "a.json", "migrated.json"),
        ("unrelated", "a.json", "b.json"),
    ]

    /// Renames every role (and its mapping) `migrated_…`; every 50th role (in name order) gets its
    /// first `…-*` pattern narrowed to `…-1*`, every 100th mapping loses its backend roles.
    public static func migrated(_ config: SecurityConfig) -> SecurityConfig {
        var result = config
        result.roles = [:]
        result.roleMappings = [:]
        for (offset, name) in config.roles.keys.sorted().enumerated() {
            guard let role = config.roles[name], let mapping = config.roleMappings[name] else { continue }
            let renamed = "migrated_" + name
            let permissions = role.indexPermissions.enumerated().map { position, permission in
                IndexPermission(location: permission.location, indexPatterns: permission.indexPatterns.map { pattern in
                    var text = pattern.value
                    if offset % 50 == 0, position == 0, text.hasSuffix("-*"), !text.contains("$") { text = String(text.dropLast()) + "1*" }
                    return Located(text, at: pattern.location)
                }, allowedActions: permission.allowedActions, dls: permission.dls)
            }
            result.roles[renamed] = Role(name: renamed, location: role.location, clusterPermissions: role.clusterPermissions, indexPermissions: permissions)
            result.roleMappings[renamed] = RoleMapping(roleName: renamed, location: mapping.location, users: mapping.users,
                                                       backendRoles: offset.isMultiple(of: 100) ? [] : mapping.backendRoles)
        }
        return result
    }

    /// The three files, name → text.
    public func files() throws -> [(fileName: String, text: String)] {
        [("a.json", try Self.bundle(base.config)), ("migrated.json", try Self.bundle(Self.migrated(base.config))),
         ("b.json", try Self.bundle(other.config))]
    }

    /// A REST JSON bundle of the parts the generator fills: roles, mappings, action groups, users
    /// (each with a well-formed bcrypt hash no password matches).
    public static func bundle(_ config: SecurityConfig) throws -> String {
        func strings(_ values: [Located<String>]) -> [String] { values.map(\.value) }
        var roles: [String: Any] = [:]
        for (name, role) in config.roles {
            roles[name] = ["cluster_permissions": strings(role.clusterPermissions),
                           "index_permissions": role.indexPermissions.map { permission -> [String: Any] in
                               var entry: [String: Any] = ["index_patterns": strings(permission.indexPatterns),
                                                           "allowed_actions": strings(permission.allowedActions)]
                               if let dls = permission.dls { entry["dls"] = dls }
                               return entry
                           }]
        }
        var mappings: [String: Any] = [:]
        for (name, mapping) in config.roleMappings {
            mappings[name] = ["users": strings(mapping.users), "backend_roles": strings(mapping.backendRoles)]
        }
        var groups: [String: Any] = [:]
        for (name, group) in config.actionGroups { groups[name] = ["allowed_actions": strings(group.allowedActions)] }
        var users: [String: Any] = [:]
        for (name, user) in config.internalUsers {
            users[name] = ["hash": "$2y$12$abcdefghijklmnopqrstuu1234567890123456789012345678901", "backend_roles": strings(user.backendRoles),
                           "attributes": Dictionary(zip(user.attributes.keys, user.attributes.values)) { first, _ in first }]
        }
        let bundle: [String: Any] = ["roles": roles, "rolesmapping": mappings, "actiongroups": groups, "internalusers": users]
        let data = try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
