/// What an audit reports once accepted findings are set aside, and whether it fails: the policy
/// of `secperm audit --baseline FILE --fail-on SEVERITY`, kept in the engine so that every caller
/// (the CLI, a CI wrapper, tests) applies the same rule.
///
/// - a finding is accepted when the baseline holds an entry with its rule, file name and entity
///   (``Baseline/contains(_:)``: not the line, so edits elsewhere in a file do not bring it back);
/// - accepted findings are not reported, only counted (`suppressed`);
/// - the audit fails when a reported finding is at or above `failOn`; accepted ones never fail it.
public struct BaselineVerdict: Sendable, Equatable {
    /// The findings left after the baseline, in the audit's order.
    public let reported: [Finding]
    /// How many findings the baseline accepted.
    public let suppressed: Int
    /// Whether a reported finding is at or above the fail-on severity.
    public let failed: Bool

    public init(findings: [Finding], baseline: Baseline?, failOn: Diagnostic.Severity) {
        let reported = baseline.map { accepted in findings.filter { !accepted.contains($0) } } ?? findings
        self.reported = reported
        suppressed = findings.count - reported.count
        failed = reported.contains { $0.severity >= failOn }
    }
}
