/// SP006: regular expressions the plugin drops, or that risk catastrophic backtracking.
public struct RegexProblems: AuditRule {
    public init() {}
    public let id = "SP006"
    public let name = "regex-problem"
    public let severity = Diagnostic.Severity.error
    public let summary = "Invalid regular expression (silently dropped) or one prone to catastrophic backtracking"
    public let rationale = """
        A /regex/ that does not compile is logged and skipped by the plugin: fewer privileges, no error \
        (§2.1). Nested quantifiers such as (a+)+ can make Java's regex engine backtrack exponentially on \
        every request that is checked against the pattern.
        """
    public let triggeringExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: [\"/logs-(\\\\d+/\"]\n    allowed_actions: [read]\n"]
    public let passingExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: [\"/logs-\\\\d+/\"]\n    allowed_actions: [read]\n"]

    static let nestedQuantifier = Pattern("/.*\\([^()]*[+*][^()]*\\)[+*{].*/")

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        func inspect(_ value: Located<String>, _ what: String, _ entity: @autoclosure () -> String) {
            let text = value.value
            guard text.utf8.first == UInt8(ascii: "/"), text.utf8.last == UInt8(ascii: "/"), text.utf8.count >= 2 else { return }
            let entity = entity()
            switch Pattern.compile(text) {
            case .failure(let error):
                findings.append(finding("\(what) \(text) is not a valid regular expression (\(error.reason)); the plugin drops it",
                                        at: value.location, help: "fix the expression, or write a glob (*, ?) if that is enough", entity: entity))
            case .success:
                if Self.nestedQuantifier.matches(text) {
                    findings.append(finding("\(what) \(text) nests quantifiers and can backtrack catastrophically", at: value.location,
                                            help: "rewrite without a quantified group that itself ends in + or *", entity: entity, severity: .warning))
                }
            }
        }
        for entry in context.entries { inspect(entry.value, "permission", entry.entity) }
        for role in context.customRoles {
            for permission in role.indexPermissions {
                for pattern in permission.indexPatterns { inspect(pattern, "index pattern", "role:\(role.name)/index_patterns/\(pattern.value)") }
            }
        }
        for mapping in context.config.roleMappings.values.sorted(by: { $0.roleName < $1.roleName }) {
            for (field, values) in [("users", mapping.users), ("backend_roles", mapping.backendRoles),
                                    ("and_backend_roles", mapping.andBackendRoles), ("hosts", mapping.hosts)] {
                for value in values { inspect(value, "\(field) pattern", "mapping:\(mapping.roleName)/\(field)/\(value.value)") }
            }
        }
        return findings
    }
}
