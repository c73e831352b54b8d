/// Results of a cases file: each case with its decision and, when it has an expectation, whether
/// the decision meets it.
public struct BatchResult: Sendable {
    public struct Entry: Sendable {
        public let testCase: BatchCase
        public let decision: Decision
        public let disagreement: String?

        public init(testCase: BatchCase, decision: Decision, disagreement: String?) {
            self.testCase = testCase
            self.decision = decision
            self.disagreement = disagreement
        }
    }

    public let file: String
    public let entries: [Entry]

    public init(file: String, entries: [Entry]) {
        self.file = file
        self.entries = entries
    }

    public var hasExpectations: Bool { entries.contains { $0.testCase.expected != nil } }
    public var disagreements: [Entry] { entries.filter { $0.disagreement != nil } }
    public var denials: [Entry] { entries.filter { $0.decision.outcome == .deny } }

    /// Exit status: with expectations, 1 when any case disagrees; without, 1 when any is denied.
    public var failed: Bool { hasExpectations ? !disagreements.isEmpty : !denials.isEmpty }
}

public enum BatchReport {
    public static func text(_ result: BatchResult) -> String {
        var out = ""
        if result.hasExpectations {
            for entry in result.disagreements {
                out += "\(result.file):\(entry.testCase.line): case \(entry.testCase.id): \(entry.disagreement ?? "")\n"
                out += DecisionReport.text(entry.decision).split(separator: "\n").map { "    \($0)\n" }.joined()
                out += "\n"
            }
            let agreeing = result.entries.count - result.disagreements.count
            out += "\(result.entries.count) cases: \(agreeing) as expected, \(result.disagreements.count) disagree\n"
        } else {
            out += TextTable.render(result.entries.map { entry in
                [entry.testCase.id, entry.decision.outcome.rawValue.uppercased(), entry.decision.subject.name, entry.decision.action,
                 entry.decision.requestedIndices.joined(separator: ",")]
            })
            out += "\(result.entries.count) cases: \(result.entries.count - result.denials.count) allowed, \(result.denials.count) denied\n"
        }
        return out
    }

    /// JSON Lines: one decision per case, with the case's `id` and line, then one summary line
    /// `{"summary": {…}}`, so a script can tell a complete run from one cut short.
    public static func jsonLines(_ result: BatchResult) -> String {
        result.entries.map { entry in
            var value = DecisionReport.jsonValue(entry.decision)
            value.id = entry.testCase.id
            value.line = entry.testCase.line
            value.expected = entry.testCase.expected?.rawValue
            value.disagreement = entry.disagreement
            return JSONOutput.line(value)
        }.joined() + JSONOutput.line(SummaryLine(summary: Summary(result)))
    }

    struct SummaryLine: Encodable {
        let summary: Summary
    }

    /// The counts of a batch run; `asExpected` and `unexpected` only when cases carry `expected`.
    struct Summary: Encodable {
        let schemaVersion = 1
        let file: String
        let cases: Int
        let allow: Int, deny: Int, partial: Int, empty: Int
        let asExpected: Int?, unexpected: Int?

        init(_ result: BatchResult) {
            let outcomes = result.entries.map(\.decision.outcome)
            file = result.file
            cases = result.entries.count
            allow = outcomes.filter { $0 == .allow }.count
            deny = outcomes.filter { $0 == .deny }.count
            partial = outcomes.filter { $0 == .partial }.count
            empty = outcomes.filter { $0 == .empty }.count
            let unexpectedCount = result.disagreements.count
            asExpected = result.hasExpectations ? result.entries.count - unexpectedCount : nil
            unexpected = result.hasExpectations ? unexpectedCount : nil
        }
    }
}
