/// SP007: mappings to missing roles, roles nobody holds, users who hold nothing.
public struct MappingsAndCoverage: AuditRule {
    public init() {}
    public let id = "SP007"
    public let name = "mapping-coverage"
    public let severity = Diagnostic.Severity.error
    public let summary = "Role mapping to a missing role, role held by nobody, or user with no roles"
    public let rationale = """
        A role mapping whose role does not exist is ignored at evaluation (§4), usually a renamed or \
        misspelt role. A custom role that no mapping and no internal user refers to grants nothing to anyone. \
        An enabled internal user whom no mapping matches and who has no opendistro_security_roles can log in \
        but is refused everything.
        """
    public let triggeringExample = ["roles.yml": "r:\n  cluster_permissions: [cluster_monitor]\n",
                                    "roles_mapping.yml": "r_typo:\n  users: [u]\n"]
    public let passingExample = ["roles.yml": "r:\n  cluster_permissions: [cluster_monitor]\n",
                                 "roles_mapping.yml": "r:\n  users: [u]\n",
                                 "internal_users.yml": "u:\n  hash: x\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        let roleNames = Array(context.merged.roles.keys)
        for mapping in context.config.roleMappings.values.sorted(by: { $0.roleName < $1.roleName })
        where context.merged.roles[mapping.roleName] == nil {
            let hint = Suggestion.closest(to: mapping.roleName, in: roleNames).map { "did you mean '\($0)'?" }
                ?? "create the role or remove the mapping"
            findings.append(finding("role mapping for '\(mapping.roleName)', which is no role; the plugin ignores it", at: mapping.location,
                                    help: hint, entity: "mapping:\(mapping.roleName)/missing-role"))
        }
        let directRoles = Set(context.config.internalUsers.values.flatMap { $0.securityRoles.map(\.value) })
        for role in context.customRoles where context.merged.roleMappings[role.name] == nil && !directRoles.contains(role.name) {
            findings.append(finding("role '\(role.name)' is mapped to nobody and no internal user has it", at: role.location,
                                    help: "map it in roles_mapping.yml, or delete it if it is no longer needed",
                                    entity: "role:\(role.name)/unmapped", severity: .note))
        }
        if context.settings.rolesMappingResolution == .mappingOnly {
            for user in context.config.internalUsers.values.sorted(by: { $0.name < $1.name })
            where user.enabled && context.internalUserRoleIDs[user.name, default: []].isEmpty {
                findings.append(finding("internal user '\(user.name)' has no roles: no mapping matches it and it has no opendistro_security_roles",
                                        at: user.location, help: "give it backend roles that are mapped, or map the user name",
                                        entity: "user:\(user.name)/no-roles", severity: .warning))
            }
        }
        return findings
    }
}
