/// SP009: grants that touch the security plugin itself or destroy data broadly, with who holds them.
public struct SensitiveGrant: AuditRule {
    public init() {}
    public let id = "SP009"
    public let name = "security-sensitive-grant"
    public let severity = Diagnostic.Severity.warning
    public let summary = "restapi:admin/*, system:admin/system_index, security plugin actions, snapshot restore with writes, index deletion on broad patterns"
    public let rationale = """
        restapi:admin/* lets a user rewrite roles and mappings, including their own (§2.6); \
        system:admin/system_index opens system indices (§2.7); cluster:admin/opendistro_security/* reloads the \
        security configuration; snapshot restore with create and index rights on '*' can overwrite any index \
        (§2.4); indices:admin/delete on a broad pattern can drop most of the cluster. Each finding names who \
        effectively holds the grant.
        """
    public let triggeringExample = ["roles.yml": "r:\n  cluster_permissions: [\"restapi:admin/roles\"]\n", "roles_mapping.yml": "r:\n  backend_roles: [secops]\n"]
    public let passingExample = ["roles.yml": "r:\n  cluster_permissions: [cluster_monitor]\n", "roles_mapping.yml": "r:\n  backend_roles: [secops]\n"]

    static func isBroad(_ pattern: String) -> Bool {
        pattern == "*" || (pattern.hasSuffix("*") && pattern.dropLast().filter { $0 != "*" && $0 != "?" }.count <= 2)
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for role in context.customRoles {
            let holders = context.holders(of: role.name)
            let heldBy = holders.isEmpty ? "held by nobody yet" : "held by \(holders.joined(separator: ", "))"
            for entry in role.clusterPermissions {
                let reached = [entry.value] + (context.groups.resolved[entry.value].map { $0.sorted() } ?? [])
                if let sensitive = reached.first(where: { $0 != "*" && ($0.hasPrefix("restapi:") || $0.hasPrefix("cluster:admin/opendistro_security")) }) {
                    findings.append(finding("role '\(role.name)' grants \(sensitive) (\(heldBy))", at: entry.location,
                                            help: "keep security administration to a dedicated, narrowly mapped role",
                                            entity: "role:\(role.name)/cluster_permissions/\(entry.value)"))
                }
            }
            let restores = role.clusterPermissions.contains { context.expansion(of: $0.value).via["cluster:admin/snapshot/restore"] != nil }
            for permission in role.indexPermissions {
                let patterns = permission.indexPatterns.map(\.value)
                func grants(_ action: String) -> Bool { permission.allowedActions.contains { context.expansion(of: $0.value).via[action] != nil } }
                let systemIndex = permission.allowedActions.contains {
                    $0.value == "system:admin/system_index" || context.groups.resolved[$0.value]?.contains("system:admin/system_index") == true
                }
                let entity = "role:\(role.name)/index_permissions/\(patterns.joined(separator: ","))"
                if systemIndex {
                    findings.append(finding("role '\(role.name)' grants system:admin/system_index on \(patterns.joined(separator: ", ")) (\(heldBy))",
                                            at: permission.location, help: "grant it only on the system indices a plugin user needs", entity: entity + "/system_index"))
                }
                if restores, patterns.contains("*"), grants("indices:admin/create"), grants("indices:data/write/index") {
                    findings.append(finding("role '\(role.name)' can restore snapshots over any index (restore plus create and index on '*', \(heldBy))",
                                            at: permission.location, help: "limit the index patterns to the indices it restores", entity: entity + "/restore"))
                }
                if grants("indices:admin/delete"), let broad = patterns.first(where: Self.isBroad) {
                    findings.append(finding("role '\(role.name)' can delete every index matching '\(broad)' (\(heldBy))", at: permission.location,
                                            help: "narrow the index pattern for indices:admin/delete", entity: entity + "/delete"))
                }
            }
        }
        return findings
    }
}
