/// Results of a cases file: each case with its decision and, when it has an expectation, whether
/// the decision meets it.
public struct BatchResult: Sendable {
    public struct Entry: Sendable {
        public let testCase: BatchCase
        public let decision: Decision
        public let disagreement: String?
        /// Whether `decision` carries its explanation (grant chains, 403 text, fix).
        public let explained: Bool

        public init(testCase: BatchCase, decision: Decision, disagreement: String?, explained: Bool = true) {
            self.testCase = testCase
            self.decision = decision
            self.disagreement = disagreement
            self.explained = explained
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
    /// (Answered without collecting the entries: a copy of each costs a retain per field.)
    public var failed: Bool {
        hasExpectations ? entries.contains { $0.disagreement != nil } : entries.contains { $0.decision.outcome == .deny }
    }
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
            let disagreeing = result.entries.count { $0.disagreement != nil }
            out += "\(result.entries.count) cases: \(result.entries.count - disagreeing) as expected, \(disagreeing) disagree\n"
        } else {
            out += TextTable.render(result.entries.map { entry in
                [entry.testCase.id, entry.decision.outcome.rawValue.uppercased(), entry.decision.subject.name, entry.decision.action,
                 entry.decision.requestedIndices.joined(separator: ",")]
            })
            let denied = result.entries.count { $0.decision.outcome == .deny }
            out += "\(result.entries.count) cases: \(result.entries.count - denied) allowed, \(denied) denied\n"
        }
        return out
    }

    /// The version of the batch JSON Lines shape. 2: a case that is not explained (it agrees with
    /// its `expected`, or has none, and `--explain` was not given) is a short line with the
    /// decision alone; an explained case carries the single-check object as in version 1.
    public static let schemaVersion = 2

    /// JSON Lines: one decision per case, with the case's `id` and line, then one summary line
    /// `{"summary": {…}}`, so a script can tell a complete run from one cut short.
    public static func jsonLines(_ result: BatchResult) -> String {
        var out = ""
        out.reserveCapacity(result.entries.count * 200)
        for entry in result.entries {
            if entry.explained { out += explainedLine(entry) } else { appendShortLine(entry, to: &out) }
        }
        // Appended in place: `out + …` would copy the whole output once more.
        out += JSONOutput.line(SummaryLine(summary: Summary(result)))
        return out
    }

    /// The single-check object with the case's fields added.
    static func explainedLine(_ entry: BatchResult.Entry) -> String {
        var value = DecisionReport.jsonValue(entry.decision)
        value.schemaVersion = schemaVersion
        value.id = entry.testCase.id
        value.line = entry.testCase.line
        value.expected = entry.testCase.expected?.rawValue
        value.disagreement = entry.disagreement
        return JSONOutput.line(value)
    }

    /// The decision alone, keys sorted as JSONOutput sorts them, written without an encoder
    /// (an encoder per line cost more than deciding the case).
    static func shortLine(_ entry: BatchResult.Entry) -> String {
        var line = ""
        appendShortLine(entry, to: &line)
        return line
    }

    /// ``shortLine(_:)`` appended in place: one growing buffer for the whole output.
    static func appendShortLine(_ entry: BatchResult.Entry, to line: inout String) {
        let decision = entry.decision
        line += "{\"action\":"
        JSONText.appendQuoted(decision.action, to: &line)
        line += ",\"allowedIndices\":"
        appendList(decision.allowedIndices, to: &line)
        line += ",\"checkedAction\":"
        JSONText.appendQuoted(decision.checkedAction, to: &line)
        line += ",\"decision\":\""
        line += decision.outcome.rawValue
        line += "\""
        if let disagreement = entry.disagreement {
            line += ",\"disagreement\":"
            JSONText.appendQuoted(disagreement, to: &line)
        }
        if let expected = entry.testCase.expected {
            line += ",\"expected\":\""
            line += expected.rawValue
            line += "\""
        }
        line += ",\"id\":"
        JSONText.appendQuoted(entry.testCase.id, to: &line)
        line += ",\"indices\":"
        appendList(decision.requestedIndices, to: &line)
        line += ",\"line\":"
        line += String(entry.testCase.line)
        line += ",\"schemaVersion\":"
        line += String(schemaVersion)
        line += ",\"user\":{\"name\":"
        JSONText.appendQuoted(decision.subject.name, to: &line)
        line += "}}\n"
    }

    private static func appendList(_ items: [String], to line: inout String) {
        line += "["
        for (position, item) in items.enumerated() {
            if position > 0 { line += "," }
            JSONText.appendQuoted(item, to: &line)
        }
        line += "]"
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

        init(_ result: BatchResult) {
            var counts: [Decision.Outcome: Int] = [:]
            for entry in result.entries { counts[entry.decision.outcome, default: 0] += 1 }
            file = result.file
            cases = result.entries.count
            allow = counts[.allow, default: 0]
            deny = counts[.deny, default: 0]
            partial = counts[.partial, default: 0]
            empty = counts[.empty, default: 0]
            let unexpectedCount = result.entries.count { $0.disagreement != nil }
            asExpected = result.hasExpectations ? result.entries.count - unexpectedCount : nil
            unexpected = result.hasExpectations ? unexpectedCount : nil
        }
    }
}
