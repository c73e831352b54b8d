/// SP011: `${…}` in index patterns with unknown variables, or attributes that widen patterns.
public struct TemplateVariables: AuditRule {
    public init() {}
    public let id = "SP011"
    public let name = "index-pattern-template"
    public let severity = Diagnostic.Severity.error
    public let summary = "Unknown ${…} variable, or a user attribute substituted unescaped into an index pattern"
    public let rationale = """
        Index patterns are rendered by plain text replacement before they are parsed (§3, UserAttributes): \
        an unknown variable stays literal and matches nothing, and an attribute value containing '*', '?' or \
        a /regex/ becomes part of the pattern, so a user who can influence their attribute (a JWT claim, an \
        LDAP field) can widen their own access.
        """
    public let triggeringExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: ['home-${user.nam}']\n    allowed_actions: [read]\n"]
    public let passingExample = ["roles.yml": "r:\n  index_permissions:\n  - index_patterns: ['home-${user.name}']\n    allowed_actions: [read]\n"]

    static let fixed: Set<String> = ["user.name", "user_name", "user.roles", "user_roles", "user.securityRoles", "user_securityRoles"]

    static func isAttribute(_ variable: String) -> Bool {
        ["attr.internal.", "attr.jwt.", "attr.ldap.", "attr.proxy.", "attr_internal_", "attr_jwt_", "attr_ldap_", "attr_proxy_"]
            .contains { variable.hasPrefix($0) && variable.count > $0.count }
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        // Attribute key → internal users whose value would widen a pattern (computed once).
        var widenedBy: [String: [String]] = [:]
        for user in context.config.internalUsers.values.sorted(by: { $0.name < $1.name }) {
            for (key, value) in user.attributes where value.contains(where: { $0 == "*" || $0 == "?" }) || value.hasPrefix("/") {
                widenedBy[key, default: []].append(user.name)
            }
        }
        for role in context.customRoles {
            for permission in role.indexPermissions {
                for located in permission.indexPatterns where located.value.utf8.contains(UInt8(ascii: "$")) {
                    for variable in UserAttributes.references(in: located.value) {
                        let name = variable.firstRange(of: ":-").map { String(variable[..<$0.lowerBound]) } ?? variable
                        let entity = "role:\(role.name)/index_patterns/\(located.value)/\(variable)"
                        if Self.fixed.contains(name) { continue }
                        guard Self.isAttribute(name) else {
                            let hint = Suggestion.closest(to: name, in: Array(Self.fixed)).map { "did you mean ${\($0)}?" }
                                ?? "use ${user.name}, ${user.roles} or ${attr.<internal|jwt|ldap|proxy>.<key>}"
                            findings.append(finding("index pattern '\(located.value)' of role '\(role.name)' uses unknown variable ${\(variable)}; it stays literal and matches nothing",
                                                    at: located.location, help: hint, entity: entity))
                            continue
                        }
                        let isInternal = name.hasPrefix("attr.internal.") || name.hasPrefix("attr_internal_")
                        let widening = isInternal ? widenedBy[String(name.dropFirst(14)), default: []] : []
                        if widening.isEmpty {
                            findings.append(finding("index pattern '\(located.value)' of role '\(role.name)' inserts ${\(variable)} unescaped: a value with '*' or '?' widens it",
                                                    at: located.location, help: "make sure the attribute's source cannot be set by the user, and that values never contain wildcards",
                                                    entity: entity, severity: .warning))
                        } else {
                            findings.append(finding("index pattern '\(located.value)' of role '\(role.name)' is widened by the wildcard value of ${\(variable)} for \(widening.joined(separator: ", "))",
                                                    at: located.location, help: "fix the attribute value; patterns are rendered without escaping", entity: entity + "/widened"))
                        }
                    }
                }
            }
        }
        return findings
    }
}
