/// Writes the JSON Lines of a batch run as bytes (``BatchReport/jsonLines(_:)`` says the shape):
/// the short line of a case that is not explained is put together from pieces, with the quoted
/// forms of the cases' texts (users, actions, index names) made once for the whole file, and no
/// encoder or String per field.
public struct BatchLineWriter: Sendable {
    let cases: BatchCases
    /// Every text of the cases as a JSON string literal, back to back, by text number.
    private let quoted: [UInt8]
    private let quotedStarts: [Int]

    public init(cases: BatchCases) {
        self.cases = cases
        var quoted = ByteBuffer(capacity: 64 * 1024)
        var starts: [Int] = [0]
        starts.reserveCapacity(cases.texts.count + 1)
        for number in cases.texts.indices {
            cases.textBytes(number).withUnsafeBufferPointer { JSONText.appendQuoted($0, to: &quoted) }
            starts.append(quoted.count)
        }
        self.quoted = quoted.bytes
        quotedStarts = starts
    }

    /// The lines of some decided cases, and their counts.
    public struct Lines: Sendable {
        public let bytes: [UInt8]
        public let counts: BatchCounts
    }

    /// The lines of `decided`, in their order, deciding each as it is written.
    public func lines(_ decided: BatchRunner.Decisions) -> Lines {
        var out = ByteBuffer(capacity: 256 * 1024)
        var counts = BatchCounts()
        for item in decided {
            append(position: item.position, decision: item.decision, disagreement: item.disagreement, explained: item.explained, to: &out)
            counts.add(item.decision.outcome, disagrees: item.disagreement != nil)
        }
        return Lines(bytes: out.bytes, counts: counts)
    }

    /// The last line: the counts of the whole run.
    public func summary(_ counts: BatchCounts, file: String) -> String {
        JSONOutput.line(BatchReport.SummaryLine(summary: BatchReport.Summary(counts, file: file, hasExpectations: cases.hasExpectations)))
    }

    func append(position: Int, decision: Decision, disagreement: String?, explained: Bool, to out: inout ByteBuffer) {
        if explained {
            out.append(string: BatchReport.explainedLine(testCase: cases[position], decision: decision, disagreement: disagreement))
        } else {
            appendShortLine(cases.records[position], decision: decision, disagreement: disagreement, to: &out)
        }
    }

    /// The decision alone, keys sorted as JSONOutput sorts them.
    private func appendShortLine(_ record: BatchCases.Record, decision: Decision, disagreement: String?, to out: inout ByteBuffer) {
        let action = Int(record.action)
        let requested = cases.lists[Int(record.indices)]
        out.append(#"{"action":"#)
        appendText(decision.action, known: action, to: &out)
        out.append(#","allowedIndices":"#)
        if decision.allowedIndices == requested {
            appendList(record.indices, to: &out)
        } else {
            appendList(decision.allowedIndices, knownFrom: record.indices, to: &out)
        }
        out.append(#","checkedAction":"#)
        appendText(decision.checkedAction, known: action, to: &out)
        out.append(#","decision":"#)
        out.append(Self.quoted(decision.outcome))
        if let disagreement {
            out.append(#","disagreement":"#)
            JSONText.appendQuoted(disagreement, to: &out)
        }
        if let expected = record.expected {
            out.append(#","expected":"#)
            out.append(Self.quoted(expected))
        }
        out.append(#","id":"#)
        if record.id < 0 {
            out.append(#""line "#)
            out.append(decimal: Int(record.line))
            out.append(UInt8(ascii: "\""))
        } else {
            cases.idBytes(Int(record.id)).withUnsafeBufferPointer { JSONText.appendQuoted($0, to: &out) }
        }
        out.append(#","indices":"#)
        if decision.requestedIndices == requested {
            appendList(record.indices, to: &out)
        } else {
            appendList(decision.requestedIndices, knownFrom: record.indices, to: &out)
        }
        out.append(#","line":"#)
        out.append(decimal: Int(record.line))
        out.append(#","schemaVersion":"#)
        out.append(decimal: BatchReport.schemaVersion)
        out.append(#","user":{"name":"#)
        appendText(decision.subject.name, known: Int(cases.subjectUsers[Int(record.subject)]), to: &out)
        out.append("}}\n")
    }

    /// The outcome as a JSON string (its raw value, quoted).
    private static func quoted(_ outcome: Decision.Outcome) -> StaticString {
        switch outcome {
        case .allow: #""allow""#
        case .deny: #""deny""#
        case .partial: #""partial""#
        case .empty: #""empty""#
        }
    }

    /// `text`, from the quoted texts when it is text number `known` (it nearly always is).
    private func appendText(_ text: String, known: Int, to out: inout ByteBuffer) {
        if text == cases.texts[known] { appendQuoted(known, to: &out) } else { JSONText.appendQuoted(text, to: &out) }
    }

    private func appendQuoted(_ number: Int, to out: inout ByteBuffer) {
        quoted.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[quotedStarts[number]..<quotedStarts[number + 1]])) }
    }

    /// List `number` of the cases.
    private func appendList(_ number: Int32, to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "["))
        for (offset, text) in cases.listTexts(number).enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(Int(text), to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `items`, each from the quoted texts when it is one of list `known`'s.
    private func appendList(_ items: [String], knownFrom known: Int32, to out: inout ByteBuffer) {
        let numbers = cases.listTexts(known)
        out.append(UInt8(ascii: "["))
        for (offset, item) in items.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            if let number = numbers.first(where: { cases.texts[Int($0)] == item }) {
                appendQuoted(Int(number), to: &out)
            } else {
                JSONText.appendQuoted(item, to: &out)
            }
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// The counts of a batch run, added up as its lines are written.
public struct BatchCounts: Sendable, Equatable {
    public private(set) var cases = 0
    public private(set) var allow = 0, deny = 0, partial = 0, empty = 0
    /// Cases that disagree with their `expected`.
    public private(set) var unexpected = 0

    public init() {}

    mutating func add(_ outcome: Decision.Outcome, disagrees: Bool) {
        cases += 1
        switch outcome {
        case .allow: allow += 1
        case .deny: deny += 1
        case .partial: partial += 1
        case .empty: empty += 1
        }
        if disagrees { unexpected += 1 }
    }

    public static func += (total: inout BatchCounts, part: BatchCounts) {
        total.cases += part.cases
        total.allow += part.allow
        total.deny += part.deny
        total.partial += part.partial
        total.empty += part.empty
        total.unexpected += part.unexpected
    }

    /// Exit status: with expectations, 1 when any case disagrees; without, 1 when any is denied.
    public func failed(hasExpectations: Bool) -> Bool {
        hasExpectations ? unexpected > 0 : deny > 0
    }
}
