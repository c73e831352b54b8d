/// One problem an audit rule found, at the place it is written.
public struct Finding: Hashable, Sendable {
    public let ruleID: String
    public let severity: Diagnostic.Severity
    public let message: String
    public let location: SourceLocation
    public let help: String?
    /// What the finding is about, independent of line numbers (`role:developer/cluster_permissions/x`):
    /// baselines match on rule, file and this, so edits elsewhere in a file do not resurrect findings.
    public let entity: String

    public init(ruleID: String, severity: Diagnostic.Severity, message: String, location: SourceLocation, help: String?, entity: String) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.location = location
        self.help = help
        self.entity = entity
    }
}

/// A rule of `secperm audit`. Each rule lives in its own file under Audit/Rules, carries its
/// rationale, and two example configurations (one that triggers it, one that does not) which are
/// also its tests.
public protocol AuditRule: Sendable {
    /// Stable identifier, e.g. `SP001`.
    var id: String { get }
    /// Short kebab-case name, e.g. `unknown-permission`.
    var name: String { get }
    var severity: Diagnostic.Severity { get }
    /// One line: what the rule finds.
    var summary: String { get }
    /// Why it matters, with the upstream behaviour it follows.
    var rationale: String { get }
    /// Configuration files (file name → YAML without `_meta`) that trigger the rule.
    var triggeringExample: [String: String] { get }
    /// Configuration files that do not trigger it.
    var passingExample: [String: String] { get }
    func check(_ context: AuditContext) -> [Finding]
}

extension AuditRule {
    func finding(_ message: String, at location: SourceLocation, help: String? = nil, entity: String,
                 severity: Diagnostic.Severity? = nil) -> Finding {
        Finding(ruleID: id, severity: severity ?? self.severity, message: message, location: location, help: help, entity: entity)
    }
}
