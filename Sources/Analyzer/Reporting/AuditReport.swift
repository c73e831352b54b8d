/// Renders audit findings: text like a compiler, JSON for scripts, SARIF 2.1.0 for code scanning.
public enum AuditReport {
    public static func summary(_ findings: [Finding], suppressed: Int) -> String {
        let counts = Diagnostic.Severity.allCases.reversed().map { severity in
            let count = findings.filter { $0.severity == severity }.count
            return "\(count) \(severity.rawValue)\(count == 1 || severity == .note ? "" : "s")"
        }
        var text = "\(findings.count) finding\(findings.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))"
        if suppressed > 0 { text += " (\(suppressed) accepted in the baseline)" }
        return text
    }

    public static func text(_ findings: [Finding], suppressed: Int) -> String {
        var out = ""
        var file: String?
        for finding in findings {
            if finding.location.file != file {
                if file != nil { out += "\n" }
                file = finding.location.file
            }
            out += "\(finding.location): \(finding.severity.rawValue) [\(finding.ruleID)] \(finding.message)\n"
            if let help = finding.help { out += "  help: \(help)\n" }
        }
        if !findings.isEmpty { out += "\n" }
        return out + summary(findings, suppressed: suppressed) + "\n"
    }

    struct JSONFinding: Encodable {
        let rule: String, name: String, severity: String, message: String, help: String?, file: String, line: Int, entity: String
    }

    struct JSONRoot: Encodable {
        let schemaVersion = 1
        let target: String
        let findings: [JSONFinding]
        let counts: [String: Int]
        let suppressed: Int
    }

    public static func json(_ findings: [Finding], target: String, suppressed: Int) -> String {
        var counts: [String: Int] = [:]
        for severity in Diagnostic.Severity.allCases { counts[severity.rawValue] = findings.filter { $0.severity == severity }.count }
        return JSONOutput.render(JSONRoot(
            target: target,
            findings: findings.map {
                JSONFinding(rule: $0.ruleID, name: AuditRules.rule($0.ruleID)?.name ?? "", severity: $0.severity.rawValue, message: $0.message,
                            help: $0.help, file: $0.location.file, line: $0.location.line, entity: $0.entity)
            },
            counts: counts, suppressed: suppressed))
    }

    // MARK: SARIF 2.1.0

    struct SARIFLog: Encodable {
        let version = "2.1.0"
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
    }

    struct Tool: Encodable { let driver: Driver }

    struct Driver: Encodable {
        let name = "secperm"
        let informationUri = "https://opensearch.org/docs/latest/security/access-control/permissions/"
        let version: String
        let rules: [Rule]
    }

    struct Message: Encodable { let text: String }

    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Message
        let fullDescription: Message
        let help: Message
        let defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { let level: String }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Message
        let locations: [Location]
        let partialFingerprints: [String: String]
    }

    struct Location: Encodable { let physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable { let artifactLocation: Artifact; let region: Region }
    struct Artifact: Encodable { let uri: String }
    struct Region: Encodable { let startLine: Int }

    public static func sarif(_ findings: [Finding], rules: [any AuditRule], version: String) -> String {
        let ids = rules.map(\.id)
        let log = SARIFLog(runs: [Run(
            tool: Tool(driver: Driver(version: version, rules: rules.map { rule in
                Rule(id: rule.id, name: rule.name, shortDescription: Message(text: rule.summary), fullDescription: Message(text: rule.rationale),
                     help: Message(text: rule.rationale), defaultConfiguration: Configuration(level: rule.severity.rawValue))
            })),
            results: findings.map { finding in
                Result(ruleId: finding.ruleID, ruleIndex: ids.firstIndex(of: finding.ruleID) ?? 0, level: finding.severity.rawValue,
                       message: Message(text: finding.message + (finding.help.map { " (\($0))" } ?? "")),
                       locations: [Location(physicalLocation: PhysicalLocation(artifactLocation: Artifact(uri: finding.location.file),
                                                                               region: Region(startLine: max(1, finding.location.line))))],
                       partialFingerprints: ["secperm/entity": finding.entity])
            })])
        return JSONOutput.render(log)
    }
}
