/// Renders decisions for people (text) and scripts (JSON, `schemaVersion` 1).
public enum DecisionReport {
    // MARK: text

    public static func text(_ decision: Decision) -> String {
        let subject = decision.subject
        let target = decision.requestedIndices.isEmpty ? "" : " on \(decision.requestedIndices.joined(separator: ", "))"
        var lines: [String] = []
        switch decision.outcome {
        case .allow: lines.append("ALLOWED  \(subject.name) may perform \(decision.action)\(target)")
        case .deny: lines.append("DENIED   \(subject.name) may not perform \(decision.action)\(target)")
        case .partial:
            lines.append("PARTIAL  \(subject.name) may perform \(decision.action) on \(decision.allowedIndices.isEmpty ? "no index (empty result)" : decision.allowedIndices.joined(separator: ", ")) only")
        case .empty: lines.append("EMPTY    \(subject.name) passes authorization for \(decision.action)\(target), but sees no documents")
        }
        var rows: [[String]] = []
        var userLine = subject.backendRoles.isEmpty ? "no backend roles" : "backend roles: \(subject.backendRoles.joined(separator: ", "))"
        let attributes = subject.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if !attributes.isEmpty { userLine += "; attributes: \(attributes.joined(separator: ", "))" }
        if let host = subject.host { userLine += "; host \(host)" }
        rows.append(["user", "\(subject.name) (\(userLine))"])
        if decision.roles.isEmpty {
            rows.append(["roles", "none: no role mapping matches this user"])
        }
        for (index, role) in decision.roles.enumerated() {
            rows.append([index == 0 ? "roles" : "", "\(role.name) ← \(role.reasons.map(describe).joined(separator: "; "))"])
        }
        if !decision.missingRoles.isEmpty {
            rows.append(["ignored", "mapped to \(decision.missingRoles.joined(separator: ", ")), which do\(decision.missingRoles.count == 1 ? "es" : "") not exist"])
        }
        if decision.resolvedIndices != decision.requestedIndices, !decision.resolvedIndices.isEmpty {
            rows.append(["resolves", decision.resolvedIndices.joined(separator: ", ")])
        }
        for (index, grant) in decision.grants.enumerated() {
            rows.append([index == 0 ? "granted" : "", describe(grant)])
        }
        if decision.outcome == .deny {
            rows.append(["missing", decision.missingPrivileges.isEmpty ? "[] (refused by a rule no role can change)" : decision.missingPrivileges.joined(separator: ", ")])
            rows.append(["403", decision.forbiddenMessage ?? ""])
        }
        for (index, note) in decision.notes.enumerated() {
            rows.append([index == 0 ? "note" : "", note])
        }
        for (index, step) in decision.fix.enumerated() {
            rows.append([index == 0 ? "fix" : "", step.explanation])
            if let snippet = yaml(step) { rows += snippet.split(separator: "\n").map { ["", "  " + $0] } }
            if let alternative = step.alternative {
                rows.append(["", "or use the built-in action group '\(alternative)' (it also grants more than is needed)"])
            }
        }
        return lines.joined(separator: "\n") + "\n" + TextTable.render(rows.map { ["  " + $0[0], $0[1]] })
    }

    static func describe(_ reason: MappingReason) -> String {
        let patterns = reason.patterns.map { "'\($0)'" }.joined(separator: ", ")
        switch reason.rule {
        case .direct: return "opendistro_security_roles of the user"
        case .backendRoleAsRole: return "backend role \(patterns) used as role name (roles_mapping_resolution)"
        default: return "\(reason.rule.rawValue) \(patterns) matched \(reason.matched.joined(separator: ", "))"
        }
    }

    static func describe(_ grant: Grant) -> String {
        var text = ""
        write(grant, to: &text)
        return text
    }

    /// `describe(_:)` appended to `out` (a report of many grants reuses one buffer): the role, the
    /// pattern (index level), the chain from the written entry through its groups, the action,
    /// the indices, and where the role is written.
    static func write(_ grant: Grant, to out: inout some TextOutputStream) {
        out.write(grant.role)
        switch grant.level {
        case .cluster: out.write(": cluster_permissions ")
        case .index:
            out.write(": ")
            out.write(grant.indexPattern ?? "")
            out.write(" → ")
        }
        out.write(grant.permission)
        for step in grant.via where step != grant.permission {
            out.write(" → ")
            out.write(step)
        }
        out.write(" grants ")
        out.write(grant.action)
        if grant.level == .index {
            out.write(" on ")
            write(grant.indices, separator: ", ", to: &out)
        }
        guard let location = grant.location else { return }
        if location.isBuiltIn {
            out.write(" (built-in)")
        } else {
            out.write(" (")
            location.write(to: &out)
            out.write(")")
        }
    }

    /// `items.joined(separator:)` appended to `out`.
    static func write(_ items: [String], separator: String, to out: inout some TextOutputStream) {
        for (position, item) in items.enumerated() {
            if position > 0 { out.write(separator) }
            out.write(item)
        }
    }

    /// The roles.yml lines a fix adds, as the role entry ``ConfigWriter/rolesSnippet(_:)`` writes
    /// (the package's one writer, so values are quoted and escaped as YAML needs). Nil for steps
    /// that change no role.
    static func yaml(_ step: FixStep) -> String? {
        guard let role = fixRole(step) else { return nil }
        do {
            return try ConfigWriter.rolesSnippet([role])
        } catch {
            return "# the roles.yml entry cannot be written: \(error.description)"
        }
    }

    /// The role entry a fix step adds to (only what it adds), or nil when it changes no role.
    static func fixRole(_ step: FixStep) -> Role? {
        guard let name = step.role else { return nil }
        let origin = SourceLocation(file: "<fix for \(name)>", line: 0)
        func located(_ values: [String]) -> [Located<String>] { values.map { Located($0, at: origin) } }
        switch step.section {
        case .clusterPermissions:
            return Role(name: name, location: origin, clusterPermissions: located(step.allowedActions))
        case .indexPermissions:
            return Role(name: name, location: origin, indexPermissions: [
                IndexPermission(location: origin, indexPatterns: located(step.indexPatterns), allowedActions: located(step.allowedActions)),
            ])
        default:
            return nil
        }
    }

    // MARK: JSON

    struct JSONUser: Encodable {
        let name: String
        let backendRoles: [String]
        let attributes: [String: String]
        let roles: [String]
        let roleMappings: [JSONMapping]
        let ignoredRoles: [String]
    }

    struct JSONMapping: Encodable {
        let role: String
        let reasons: [MappingReason]
    }

    struct JSONGrant: Encodable {
        let role: String
        let level: String
        let action: String
        let permission: String
        let via: [String]
        let indexPattern: String?
        let indices: [String]
        let location: String?
    }

    struct JSONFix: Encodable {
        let role: String?
        let newRole: Bool
        let section: String
        let indexPatterns: [String]
        let allowedActions: [String]
        let alternative: String?
        let explanation: String
    }

    struct JSONDecision: Encodable {
        var id: String?
        var line: Int?
        var schemaVersion: Int? = 1
        let decision: String
        let user: JSONUser
        let action: String
        let checkedAction: String
        let indices: [String]
        let resolvedIndices: [String]
        let allowedIndices: [String]
        let missingPrivileges: [String]
        let forbiddenMessage: JSONNullable<String>
        let grants: [JSONGrant]
        let fix: [JSONFix]
        let notes: [String]
        var expected: String?
        var disagreement: String?
    }

    static func jsonValue(_ decision: Decision) -> JSONDecision {
        JSONDecision(
            decision: decision.outcome.rawValue,
            user: JSONUser(name: decision.subject.name, backendRoles: decision.subject.backendRoles, attributes: decision.subject.attributes,
                           roles: decision.roles.map(\.name),
                           roleMappings: decision.roles.map { JSONMapping(role: $0.name, reasons: $0.reasons) },
                           ignoredRoles: decision.missingRoles),
            action: decision.action, checkedAction: decision.checkedAction, indices: decision.requestedIndices,
            resolvedIndices: decision.resolvedIndices, allowedIndices: decision.allowedIndices,
            missingPrivileges: decision.missingPrivileges, forbiddenMessage: JSONNullable(decision.forbiddenMessage),
            grants: decision.grants.map {
                JSONGrant(role: $0.role, level: $0.level.rawValue, action: $0.action, permission: $0.permission, via: $0.via,
                          indexPattern: $0.indexPattern, indices: $0.indices, location: $0.location?.description)
            },
            fix: decision.fix.map {
                JSONFix(role: $0.role, newRole: $0.isNewRole, section: $0.section.rawValue, indexPatterns: $0.indexPatterns,
                        allowedActions: $0.allowedActions, alternative: $0.alternative, explanation: $0.explanation)
            },
            notes: decision.notes)
    }

    public static func json(_ decision: Decision) -> String {
        JSONOutput.render(jsonValue(decision))
    }
}
