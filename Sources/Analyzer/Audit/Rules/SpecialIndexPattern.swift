/// SP010: index patterns that reach the security index or system indices.
public struct SpecialIndexPattern: AuditRule {
    public init() {}
    public let id = "SP010"
    public let name = "security-or-system-index-pattern"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Index pattern that can match the security index or system indices"
    public let rationale = """
        The security index is never granted to a role, and system indices are served empty or refused \
        unless system index permissions are enabled (§2.7). A pattern other than '*' that reaches them shows \
        an intent the plugin will not honour, or, with system:admin/system_index, opens data that plugins \
        keep for themselves. The system indices are those of plugins.security.system_indices.indices, or the \
        release's demo list when no settings are given.
        """
    public let triggeringExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: ['.opendistro*']\n    allowed_actions: [read]\n"]
    public let passingExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: ['logs-*']\n    allowed_actions: [read]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        let security = context.settings.securityIndexName
        let systemIndices = context.settings.systemIndices.isEmpty ? context.profile.defaultSystemIndices : context.settings.systemIndices
        // Verdicts per distinct pattern text: (matches the security index, system indices it matches).
        var verdicts: [String: (security: Bool, system: [String])] = [:]
        func verdict(_ text: String) -> (security: Bool, system: [String]) {
            if let known = verdicts[text] { return known }
            let pattern = Pattern(text)
            let result = (pattern.matches(security), systemIndices.filter { system in
                pattern.matches(system) || (system.hasSuffix("*") && pattern.matches(String(system.dropLast())))
            })
            verdicts[text] = result
            return result
        }
        for role in context.customRoles {
            for permission in role.indexPermissions {
                let explicit = permission.allowedActions.contains { context.groups.resolve([$0.value]).contains("system:admin/system_index") }
                for located in permission.indexPatterns where located.value != "*" && !located.value.utf8.contains(UInt8(ascii: "$")) {
                    let (matchesSecurity, hits) = verdict(located.value)
                    guard matchesSecurity || !hits.isEmpty else { continue }
                    let entity = "role:\(role.name)/index_patterns/\(located.value)"
                    if matchesSecurity {
                        findings.append(finding("index pattern '\(located.value)' of role '\(role.name)' matches the security index \(security), which no role is ever granted",
                                                at: located.location, help: "exclude the security index from the pattern", entity: entity + "/security"))
                        continue
                    }
                    guard !hits.isEmpty else { continue }
                    let listed = hits.prefix(3).joined(separator: ", ") + (hits.count > 3 ? " …" : "")
                    findings.append(finding("index pattern '\(located.value)' of role '\(role.name)' matches system indices (\(listed))\(explicit ? " and grants system:admin/system_index" : "")",
                                            at: located.location,
                                            help: explicit ? "limit system index access to the indices a plugin user needs" : "reads of system indices are served empty and writes refused; narrow the pattern",
                                            entity: entity + "/system", severity: explicit ? .warning : .note))
                }
            }
        }
        return findings
    }
}
