import Foundation
import Testing
@testable import Analyzer

/// Writes the configurations `secperm diff` is timed on (README figures): the bench generator's
/// 1,000-role configuration, a migrated copy of it (every role and mapping renamed, some patterns
/// narrowed, some mappings dropped), and a second seed. Only runs
/// when SECPERM_DIFF_BENCH_DIR names a directory; never a timing assertion.
@Suite("Diff: benchmark inputs")
struct DiffBenchmarkFixture {
    @Test("write the benchmark configurations", .enabled(if: ProcessInfo.processInfo.environment["SECPERM_DIFF_BENCH_DIR"] != nil))
    func write() throws {
        let directory = try #require(ProcessInfo.processInfo.environment["SECPERM_DIFF_BENCH_DIR"])
        let base = SyntheticConfig().config
        try Self.bundle(base).write(toFile: "\(directory)/bench-a.json", atomically: true, encoding: .utf8)
        try Self.bundle(Self.migrated(base)).write(toFile: "\(directory)/bench-migrated.json", atomically: true, encoding: .utf8)
        try Self.bundle(SyntheticConfig(seed: 43).config).write(toFile: "\(directory)/bench-b.json", atomically: true, encoding: .utf8)
    }

    /// Renames every role (and its mapping); every 50th role gets a narrowed prefix, every 100th
    /// mapping loses its backend roles.
    static func migrated(_ config: SecurityConfig) -> SecurityConfig {
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
                                                       backendRoles: offset % 100 == 0 ? [] : mapping.backendRoles)
        }
        return result
    }

    static func bundle(_ config: SecurityConfig) throws -> String {
        func strings(_ values: [Located<String>]) -> [String] { values.map(\.value) }
        var roles: [String: Any] = [:]
        for (name, role) in config.roles {
            roles[name] = ["cluster_permissions": strings(role.clusterPermissions),
                           "index_permissions": role.indexPermissions.map { permission -> [String: Any] in
                               var entry: [String: Any] = ["index_patterns": strings(permission.indexPatterns), "allowed_actions": strings(permission.allowedActions)]
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
                           "attributes": user.attributes]
        }
        let bundle: [String: Any] = ["roles": roles, "rolesmapping": mappings, "actiongroups": groups, "internalusers": users]
        let data = try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
