/// SP008: grants and mappings far wider than they look.
public struct OverBroadGrant: AuditRule {
    public init() {}
    public let id = "SP008"
    public let name = "over-broad-grant"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Everything on everything, broad write/admin on '*', or wildcard role mappings"
    public let rationale = """
        '*', unlimited, cluster_all and indices_all grant every action, including ones plugins add later \
        (§2.1: * spans / and :); indices:admin/* or indices:data/write/* on '*' lets a role delete or \
        overwrite any index. A mapping with users '*', backend_roles '*' or hosts '*' gives the role to \
        everyone who can authenticate.
        """
    public let triggeringExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: ['*']\n    allowed_actions: [indices_all]\n",
                                    "roles_mapping.yml": "r:\n  users: ['*']\n"]
    public let passingExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: ['logs-*']\n    allowed_actions: [read]\n",
                                 "roles_mapping.yml": "r:\n  backend_roles: [analysts]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for role in context.customRoles {
            for entry in role.clusterPermissions {
                let reached = context.groups.resolve([entry.value])
                if reached.contains("*") || reached.contains("cluster:*") {
                    findings.append(finding("role '\(role.name)' grants every cluster action through '\(entry.value)'", at: entry.location,
                                            help: "list the cluster actions or narrower groups (cluster_monitor, cluster_composite_ops) it needs",
                                            entity: "role:\(role.name)/cluster_permissions/\(entry.value)"))
                }
            }
            for permission in role.indexPermissions where permission.indexPatterns.contains(where: { $0.value == "*" }) {
                for entry in permission.allowedActions {
                    let reached = context.groups.resolve([entry.value])
                    let entity = "role:\(role.name)/index_permissions/*/\(entry.value)"
                    if reached.contains("*") || reached.contains("indices:*") {
                        findings.append(finding("role '\(role.name)' grants every index action on every index through '\(entry.value)'",
                                                at: entry.location, help: "name the index patterns and actions it needs", entity: entity, severity: .error))
                    } else if let broad = reached.first(where: { ["indices:admin/*", "indices:data/write/*", "indices:data/*", "indices:data/write*"].contains($0) }) {
                        findings.append(finding("role '\(role.name)' grants \(broad) on every index through '\(entry.value)'", at: entry.location,
                                                help: "restrict the index patterns", entity: entity))
                    }
                }
            }
        }
        for mapping in context.config.roleMappings.values.sorted(by: { $0.roleName < $1.roleName }) {
            for (field, values) in [("users", mapping.users), ("backend_roles", mapping.backendRoles), ("hosts", mapping.hosts)] {
                for value in values where value.value == "*" {
                    findings.append(finding("role '\(mapping.roleName)' is mapped to \(field) '*': everyone who authenticates holds it",
                                            at: value.location, help: "map specific users or backend roles",
                                            entity: "mapping:\(mapping.roleName)/\(field)/*", severity: .error))
                }
            }
        }
        return findings
    }
}
