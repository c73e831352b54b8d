/// Results of a cases file: each case with its decision and, when it has an expectation, whether
/// the decision meets it.
public struct BatchResult: Sendable {
    public struct Entry: Sendable {
        /// The case's position among the cases.
        public let position: Int
        public let testCase: BatchCase
        public let decision: Decision
        public let disagreement: String?
        /// Whether `decision` carries its explanation (grant chains, 403 text, fix).
        public let explained: Bool

        init(_ decided: BatchRunner.Decided, testCase: BatchCase) {
            position = decided.position
            self.testCase = testCase
            decision = decided.decision
            disagreement = decided.disagreement
            explained = decided.explained
        }
    }

    public let file: String
    public let cases: BatchCases
    public let entries: [Entry]

    init(file: String, cases: BatchCases, entries: [Entry]) {
        self.file = file
        self.cases = cases
        self.entries = entries
    }

    public var hasExpectations: Bool { cases.hasExpectations }
    public var disagreements: [Entry] { entries.filter { $0.disagreement != nil } }

    /// Exit status (``BatchCounts/failed(hasExpectations:)``).
    public var failed: Bool {
        var counts = BatchCounts()
        for entry in entries { counts.add(entry.decision.outcome, disagrees: entry.disagreement != nil) }
        return counts.failed(hasExpectations: hasExpectations)
    }
}

/// What the text report keeps of decided cases, so that a run need not hold their decisions:
/// without expectations, one table row per case; with them, the block of each case that disagrees.
public struct BatchTextPart: Sendable {
    let hasExpectations: Bool
    var rows: [[String]] = []
    var blocks: [String] = []
    var counts = BatchCounts()

    public init(hasExpectations: Bool) {
        self.hasExpectations = hasExpectations
    }

    public var failed: Bool { counts.failed(hasExpectations: hasExpectations) }

    mutating func add(_ testCase: BatchCase, decision: Decision, disagreement: String?, file: String) {
        counts.add(decision.outcome, disagrees: disagreement != nil)
        if hasExpectations {
            guard let disagreement else { return }
            blocks.append("\(file):\(testCase.line): case \(testCase.id): \(disagreement)\n"
                          + DecisionReport.text(decision).split(separator: "\n").map { "    \($0)\n" }.joined() + "\n")
        } else {
            rows.append([testCase.id, decision.outcome.rawValue.uppercased(), decision.subject.name, decision.action,
                         decision.requestedIndices.joined(separator: ",")])
        }
    }

    /// Appends a later part (the parts of a run arrive in the cases' order).
    public mutating func append(_ other: BatchTextPart) {
        rows += other.rows
        blocks += other.blocks
        counts += other.counts
    }
}

public enum BatchReport {
    public static func text(_ result: BatchResult) -> String {
        var part = BatchTextPart(hasExpectations: result.hasExpectations)
        for entry in result.entries {
            part.add(entry.testCase, decision: entry.decision, disagreement: entry.disagreement, file: result.file)
        }
        return text(part)
    }

    /// The text part of one slice of a run, rendered as its cases are decided.
    public static func textPart(_ decisions: BatchRunner.Decisions, file: String) -> BatchTextPart {
        var part = BatchTextPart(hasExpectations: decisions.cases.hasExpectations)
        for decided in decisions {
            part.add(decisions.cases[decided.position], decision: decided.decision, disagreement: decided.disagreement, file: file)
        }
        return part
    }

    public static func text(_ part: BatchTextPart) -> String {
        let counts = part.counts
        if part.hasExpectations {
            return part.blocks.joined() + "\(counts.cases) cases: \(counts.cases - counts.unexpected) as expected, \(counts.unexpected) disagree\n"
        }
        return TextTable.render(part.rows) + "\(counts.cases) cases: \(counts.cases - counts.deny) allowed, \(counts.deny) denied\n"
    }

    /// The version of the batch JSON Lines shape. 2: a case that is not explained (it agrees with
    /// its `expected`, or has none, and `--explain` was not given) is a short line with the
    /// decision alone; an explained case carries the single-check object as in version 1.
    public static let schemaVersion = 2

    /// JSON Lines: one decision per case, with the case's `id` and line, then one summary line
    /// `{"summary": {…}}`, so a script can tell a complete run from one cut short. (A run streamed
    /// through ``BatchRunner`` writes the same lines with a ``BatchLineWriter``, chunk by chunk.)
    public static func jsonLines(_ result: BatchResult) -> String {
        let writer = BatchLineWriter(cases: result.cases)
        var out = ByteBuffer()
        var counts = BatchCounts()
        for entry in result.entries {
            writer.append(position: entry.position, decision: entry.decision, disagreement: entry.disagreement, explained: entry.explained, to: &out)
            counts.add(entry.decision.outcome, disagrees: entry.disagreement != nil)
        }
        return String(decoding: out.bytes, as: UTF8.self) + writer.summary(counts, file: result.file)
    }

    /// The single-check object with the case's fields added.
    static func explainedLine(testCase: BatchCase, decision: Decision, disagreement: String?) -> String {
        var value = DecisionReport.jsonValue(decision)
        value.schemaVersion = schemaVersion
        value.id = testCase.id
        value.line = testCase.line
        value.expected = testCase.expected?.rawValue
        value.disagreement = disagreement
        return JSONOutput.line(value)
    }

    /// The line of one entry as the batch writes it.
    static func line(_ entry: BatchResult.Entry, in result: BatchResult) -> String {
        var out = ByteBuffer()
        BatchLineWriter(cases: result.cases).append(position: entry.position, decision: entry.decision, disagreement: entry.disagreement,
                                                    explained: entry.explained, to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    struct SummaryLine: Encodable {
        let summary: Summary
    }

    /// The counts of a batch run; `asExpected` and `unexpected` only when cases carry `expected`.
    struct Summary: Encodable {
        let schemaVersion = BatchReport.schemaVersion
        let file: String
        let cases: Int
        let allow: Int, deny: Int, partial: Int, empty: Int
        let asExpected: Int?, unexpected: Int?

        init(_ counts: BatchCounts, file: String, hasExpectations: Bool) {
            self.file = file
            cases = counts.cases
            allow = counts.allow
            deny = counts.deny
            partial = counts.partial
            empty = counts.empty
            asExpected = hasExpectations ? counts.cases - counts.unexpected : nil
            unexpected = hasExpectations ? counts.unexpected : nil
        }
    }
}
