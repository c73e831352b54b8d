import Foundation

/// Text and JSON for `secperm probe` (issue 11's JSON contract).
public enum ProbeReport {
    // MARK: JSON

    struct JSONRoot: Encodable {
        let schemaVersion = 1
        let target: String
        let converged: Bool
        let role: JSONRole
        let replays: Int
        let requestsSent: Int
        let requests: [JSONRequest]
        let mustDenyViolations: [JSONViolation]
        let cleanupProblems: [String]
        /// `--apply`: null when nothing was installed.
        let applied: JSONNullable<JSONApplied>
    }

    struct JSONApplied: Encodable {
        let role: String
        /// The roles.yml file with the definition the role replaced; null when it was new.
        let backup: JSONNullable<String>
    }

    struct JSONRole: Encodable {
        let name: String
        let cluster_permissions: [String]
        let index_permissions: [JSONIndexPermission]
    }

    struct JSONIndexPermission: Encodable {
        let index_patterns: [String]
        let allowed_actions: [String]
    }

    struct JSONRequest: Encodable {
        let line: Int
        let method: String
        let path: String
        let expect: String
        let status: String
        let httpStatus: JSONNullable<Int>
        let detail: JSONNullable<String>
        let needed: [JSONNeed]
    }

    struct JSONNeed: Encodable {
        let action: String
        let level: String
        let indices: [String]
        let evidence: String
    }

    struct JSONViolation: Encodable {
        let line: Int
        let method: String
        let path: String
    }

    public static func json(_ result: ProbeResult, applied: ProbeApplyOutcome? = nil) -> String {
        let role = result.role
        return JSONOutput.render(JSONRoot(
            target: result.target.name, converged: result.converged,
            role: JSONRole(name: role.name, cluster_permissions: role.clusterPermissions.map(\.value),
                           index_permissions: role.indexPermissions.map {
                               JSONIndexPermission(index_patterns: $0.indexPatterns.map(\.value), allowed_actions: $0.allowedActions.map(\.value))
                           }),
            replays: result.replays, requestsSent: result.requestsSent,
            requests: result.requests.map { item in
                JSONRequest(line: item.request.line, method: item.request.method, path: item.request.path,
                            expect: item.expectDeny ? "deny" : "allow", status: statusName(item.status),
                            httpStatus: JSONNullable(httpStatus(item.status)), detail: JSONNullable(detail(item.status)),
                            needed: item.needed.map { JSONNeed(action: $0.action, level: $0.level.rawValue, indices: $0.indices, evidence: evidence($0.evidence)) })
            },
            mustDenyViolations: result.mustDenyViolations.map { JSONViolation(line: $0.request.line, method: $0.request.method, path: $0.request.path) },
            cleanupProblems: result.cleanupProblems,
            applied: JSONNullable(applied.map { JSONApplied(role: $0.roleName, backup: JSONNullable($0.backupPath)) })))
    }

    static func statusName(_ status: ProbeStatus) -> String {
        switch status {
        case .passed: "passed"
        case .deniedAsExpected: "denied-as-expected"
        case .mustDenyViolated: "must-deny-violated"
        case .special: "denied-special"
        case .unparseable: "unparseable-denial"
        case .needsAllowWrites: "needs-allow-writes"
        case .roundLimit: "round-limit"
        }
    }

    static func httpStatus(_ status: ProbeStatus) -> Int? {
        switch status {
        case .passed(let code): code
        case .unparseable(let code, _): code
        default: nil
        }
    }

    /// What the person has to know about a request that did not simply pass.
    static func detail(_ status: ProbeStatus) -> String? {
        switch status {
        case .passed, .deniedAsExpected: nil
        case .mustDenyViolated: "tagged `expect: deny`, but the final role allows it"
        case .special(let kind, let reason): "\(specialExplanation(kind)) The cluster said: \(reason)"
        case .unparseable(_, let body): "the denial could not be read, or named only what the role already grants; not retried. Raw answer: \(body)"
        case .needsAllowWrites: "changes data and the dry run cannot see its checks: not sent (pass --allow-writes); its needs are the planner's prediction"
        case .roundLimit: "still denied when the round limit was reached"
        }
    }

    /// Semantics §2.7 and §5: these denials name no permission a role could grant.
    static func specialExplanation(_ kind: ProbeAnswer.SpecialDenial) -> String {
        switch kind {
        case .emptyList:
            "Denied with an empty permission list (`no permissions for []`): the security index, a system index without system index permission, a protected index, or a snapshot restore of the security index or of the global state. No role grant is guessed for it."
        case .noMapping:
            "Denied because an injected role does not exist (`No mapping for …`)."
        case .restAPIGate:
            "The Security REST API admits only roles listed in restapi.roles_enabled, the admin certificate, or (2.8+ with restapi.admin.enabled) explicit restapi:admin/<endpoint> grants."
        }
    }

    static func evidence(_ evidence: ProbeNeed.Evidence) -> String {
        switch evidence {
        case .predicted: "predicted by the request planner; the request passed with it"
        case .denial(let text): text
        case .leaveOneOut(let missing): "pre-seeded from the plan; leave-one-out: without it the evaluator denies with no permissions for [\(missing.joined(separator: ", "))]"
        }
    }

    // MARK: text

    public static func text(_ result: ProbeResult, roleYAML: String, roleJSON: String, applied: ProbeApplyOutcome? = nil) -> String {
        var lines: [String] = []
        let verdict = result.converged ? "converged" : "NOT converged"
        lines.append("probe \(verdict) on \(result.target.name): \(result.replays) replay\(result.replays == 1 ? "" : "s"), \(result.requestsSent) request\(result.requestsSent == 1 ? "" : "s") sent as the scratch user for \(result.requests.count) in the set")
        lines.append("")
        for item in result.requests {
            let expect = item.expectDeny ? "  [expect: deny]" : ""
            var code = ""
            if case .passed(let status) = item.status, status >= 300 { code = " (HTTP \(status): authorized, failed for another reason)" }
            lines.append("line \(item.request.line)  \(item.request.method) \(item.request.path)\(expect)  → \(statusName(item.status))\(code)")
            if let detail = detail(item.status) { lines.append("    \(detail)") }
            for need in item.needed {
                let scope = need.level == .index ? " on \(need.indices.joined(separator: ", "))" : ""
                lines.append("    \(need.level.rawValue)  \(need.action)\(scope)")
                lines.append("      evidence: \(evidence(need.evidence))")
            }
        }
        if !result.mustDenyViolations.isEmpty {
            lines.append("")
            lines.append("must-deny violations: \(result.mustDenyViolations.map { "line \($0.request.line)" }.joined(separator: ", "))")
        }
        if !result.droppedByLeaveOneOut.isEmpty {
            lines.append("")
            lines.append("left out (no request needs them): \(result.droppedByLeaveOneOut.joined(separator: "; "))")
        }
        if !result.cleanupProblems.isEmpty {
            lines.append("")
            lines.append("cleanup problems (remove these by hand):")
            lines += result.cleanupProblems.map { "  \($0)" }
        }
        lines.append("")
        lines.append("minimal role (every grant needed by a request; leave-one-out checked with the evaluator):")
        lines.append(roleYAML.trimmingCharacters(in: .newlines))
        lines.append("")
        lines.append("as the body of PUT \(result.target.restPrefix)/api/roles/\(result.roleName):")
        lines.append(roleJSON.trimmingCharacters(in: .newlines))
        if let applied {
            lines.append("")
            if let backup = applied.backupPath {
                lines.append("applied: role \(applied.roleName) replaced on the cluster; its previous definition was saved to \(backup)")
            } else {
                lines.append("applied: role \(applied.roleName) created on the cluster (no role of that name existed)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: the one-403-at-a-time baseline (hidden --one-at-a-time)

    struct JSONBaseline: Encodable {
        let schemaVersion = 1
        let strategy = "one-at-a-time"
        let target: String
        let converged: Bool
        let requestsSent: Int
        let maxAttempts: Int
        let role: JSONRole
        let cleanupProblems: [String]
    }

    public static func baselineJSON(_ result: ProbeBaselineResult) -> String {
        let role = result.role
        return JSONOutput.render(JSONBaseline(
            target: result.target.name, converged: result.converged, requestsSent: result.requestsSent, maxAttempts: result.maxAttempts,
            role: JSONRole(name: role.name, cluster_permissions: role.clusterPermissions.map(\.value),
                           index_permissions: role.indexPermissions.map {
                               JSONIndexPermission(index_patterns: $0.indexPatterns.map(\.value), allowed_actions: $0.allowedActions.map(\.value))
                           }),
            cleanupProblems: result.cleanupProblems))
    }

    public static func baselineText(_ result: ProbeBaselineResult) -> String {
        let verdict = result.converged ? "every request passed" : "NOT every request passed"
        var lines = ["one-403-at-a-time loop on \(result.target.name): \(result.requestsSent) request\(result.requestsSent == 1 ? "" : "s") sent as the scratch user, at most \(result.maxAttempts) for one request; \(verdict)"]
        if !result.cleanupProblems.isEmpty {
            lines.append("cleanup problems (remove these by hand):")
            lines += result.cleanupProblems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
