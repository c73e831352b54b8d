import Testing
@testable import Analyzer

/// The baseline policy of `secperm audit --baseline --fail-on` as an engine value (issue 9 §6).
@Suite("Audit baseline policy")
struct BaselinePolicyTests {
    static func finding(_ rule: String, _ severity: Diagnostic.Severity, file: String, line: Int, entity: String) -> Finding {
        Finding(ruleID: rule, severity: severity, message: "m", location: SourceLocation(file: file, line: line), help: nil, entity: entity)
    }

    static let accepted = finding("SP001", .error, file: "/old/place/roles.yml", line: 4, entity: "role:a/cluster_permissions/x")
    static let moved = finding("SP001", .error, file: "/new/place/roles.yml", line: 40, entity: "role:a/cluster_permissions/x")
    static let newWarning = finding("SP003", .warning, file: "/new/place/roles.yml", line: 7, entity: "role:b/index_permissions/0")
    static let otherEntity = finding("SP001", .error, file: "/new/place/roles.yml", line: 4, entity: "role:c/cluster_permissions/x")

    @Test("accepted findings match on rule, file name and entity (not the line or directory); they never fail the audit")
    func acceptedFindings() {
        let baseline = Baseline(findings: [Self.accepted])
        let verdict = BaselineVerdict(findings: [Self.moved, Self.newWarning], baseline: baseline, failOn: .error)
        #expect(verdict.reported == [Self.newWarning])
        #expect(verdict.suppressed == 1)
        #expect(!verdict.failed)
        #expect(BaselineVerdict(findings: [Self.moved, Self.newWarning], baseline: baseline, failOn: .warning).failed)
    }

    @Test("a finding of another entity is new; without a baseline every finding counts")
    func newFindings() {
        let verdict = BaselineVerdict(findings: [Self.otherEntity], baseline: Baseline(findings: [Self.accepted]), failOn: .error)
        #expect(verdict.reported == [Self.otherEntity] && verdict.suppressed == 0 && verdict.failed)
        let none = BaselineVerdict(findings: [Self.moved, Self.newWarning], baseline: nil, failOn: .note)
        #expect(none.reported == [Self.moved, Self.newWarning] && none.suppressed == 0 && none.failed)
        #expect(!BaselineVerdict(findings: [], baseline: nil, failOn: .note).failed)
    }
}
