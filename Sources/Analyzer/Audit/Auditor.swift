import Foundation
import PermissionCatalog

/// Runs audit rules over a configuration and returns findings sorted by file and line.
public struct Auditor: Sendable {
    public let rules: [any AuditRule]

    /// `only` keeps just these rule IDs or names; `disabled` drops these.
    public init(only: [String] = [], disabled: [String] = []) throws(InputError) {
        var diagnostics: [Diagnostic] = []
        for id in only + disabled where AuditRules.rule(id) == nil {
            let hint = Suggestion.closest(to: id, in: AuditRules.all.flatMap { [$0.id, $0.name] }).map { "did you mean '\($0)'?" }
                ?? "see `secperm audit --list-rules`"
            diagnostics.append(.error("unknown rule '\(id)'", hint: hint))
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        rules = AuditRules.all.filter { rule in
            (only.isEmpty || only.contains(rule.id) || only.contains(rule.name)) && !disabled.contains(rule.id) && !disabled.contains(rule.name)
        }
    }

    public func audit(_ context: AuditContext) -> [Finding] {
        rules.flatMap { $0.check(context) }.sorted {
            ($0.location.file, $0.location.line, $0.ruleID, $0.entity) < ($1.location.file, $1.location.line, $1.ruleID, $1.entity)
        }
    }
}

/// Accepted findings, keyed by rule, file and the offending entry (not the line), so that edits
/// elsewhere in a file do not bring them back.
public struct Baseline: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Hashable {
        public let rule: String
        public let file: String
        public let entity: String
    }

    public var schemaVersion = 1
    public var findings: [Entry]

    public init(findings: [Finding]) {
        self.findings = Array(Set(findings.map { Entry(rule: $0.ruleID, file: Baseline.fileKey($0.location.file), entity: $0.entity) }))
            .sorted { ($0.file, $0.rule, $0.entity) < ($1.file, $1.rule, $1.entity) }
    }

    /// File names are compared by their last path component, so a baseline survives a move of the
    /// configuration directory.
    static func fileKey(_ path: String) -> String { (path as NSString).lastPathComponent }

    public func contains(_ finding: Finding) -> Bool {
        findings.contains(Entry(rule: finding.ruleID, file: Baseline.fileKey(finding.location.file), entity: finding.entity))
    }

    public static func read(path: String) throws(InputError) -> Baseline {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputError(.error("\(path): cannot be read", hint: "create one with --write-baseline \(path)"))
        }
        let data = Data(try InputText.read(path).utf8)
        guard let baseline = try? JSONDecoder().decode(Baseline.self, from: data) else {
            throw InputError(.error("\(path): not a secperm baseline", at: SourceLocation(file: path, line: 1),
                                    hint: "expected {\"schemaVersion\": 1, \"findings\": [{\"rule\", \"file\", \"entity\"}]}"))
        }
        return baseline
    }

    public func json() -> String { JSONOutput.render(self) }
}
