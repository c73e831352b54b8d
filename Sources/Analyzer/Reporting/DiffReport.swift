/// Renders a `DiffResult` for people (text) and scripts (JSON, `schemaVersion` 1, issue 12's contract).
public enum DiffReport {
    // MARK: reasons

    /// Why one side decided a witness as it did: the grant chain where it allows, the missing
    /// privilege (or the rule) where it denies.
    public static func reason(_ side: DiffResult.Witness.Side) -> String {
        reason(side) { heldRoles(side.roles) }
    }

    /// `reason(_:)` with the held roles worded by `roles` when the reason names them (a report
    /// words each subject's list once).
    static func reason(_ side: DiffResult.Witness.Side, roles: () -> String) -> String {
        var text = ""
        writeReason(side, roles: roles, to: &text)
        return text
    }

    /// `reason(_:roles:)` appended to `out` (a report of many witnesses reuses one buffer).
    static func writeReason(_ side: DiffResult.Witness.Side, roles: () -> String, to out: inout some TextOutputStream) {
        // " (roles …)": the held roles, worded once per subject by `roles`.
        func heldInParentheses() {
            out.write(" (")
            out.write(roles())
            out.write(")")
        }
        switch side.outcome {
        case .deny:
            if !side.missingPrivileges.isEmpty {
                out.write("missing ")
                DecisionReport.write(side.missingPrivileges, separator: ", ", to: &out)
                heldInParentheses()
            } else if let note = side.notes.last {
                out.write(DecisionSentences.note(note))
            } else {
                out.write("refused")
                heldInParentheses()
            }
        case .partial:
            if let sentence = side.notes.lazy.map(DecisionSentences.note).first(where: { $0.hasPrefix("do_not_fail_on_forbidden") }) {
                out.write(sentence)
            } else {
                out.write("partial")
                heldInParentheses()
            }
        case .allow, .empty:
            // The grant, else the step that allowed it (a tenant grant, an always-allowed action), not who the user is.
            if let grant = side.grant {
                DecisionReport.write(grant, to: &out)
            } else if let step = side.notes.first(where: { if case .subject = $0 { return false } else { return true } }) {
                out.write(DecisionSentences.note(step))
            } else {
                out.write("allowed")
                heldInParentheses()
            }
        }
    }

    /// The roles a side holds, as a reason names them.
    static func heldRoles(_ names: [String]) -> String {
        names.isEmpty ? "no role mapped" : "roles \(names.joined(separator: ", "))"
    }

    static func describe(_ undecided: DiffResult.Undecided) -> String { "\(undecided.action): \(explain(undecided.reason))" }

    static func explain(_ reason: DiffResult.Undecided.Reason) -> String {
        switch reason {
        case .comparison(let detail): "not decided exactly (\(detail))"
        case .unnameable: "the grants differ only on names no single-index request can name (with * ? , : < or a leading -)"
        case .unconfirmed: "the grants differ, but the shortest names in the difference are decided alike; not proved either way"
        case .actionCheckedDifferently: "the two sides check this action differently (node settings, DNFOF, action kind or login state); not proved either way"
        }
    }

    /// Undecided actions grouped by reason, a few actions named per line.
    static func undecidedLines(_ undecided: [DiffResult.Undecided]) -> [String] {
        var order: [DiffResult.Undecided.Reason] = [], actions: [DiffResult.Undecided.Reason: [String]] = [:]
        for item in undecided {
            if actions[item.reason] == nil { order.append(item.reason) }
            actions[item.reason, default: []].append(item.action)
        }
        return order.map { reason in
            let names = actions[reason] ?? []
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
            return "undecided for \(names.count == 1 ? "" : "\(names.count) actions, ")\(shown): \(explain(reason))"
        }
    }

    static func reasonCode(_ reason: DiffResult.Undecided.Reason) -> String {
        switch reason {
        case .comparison: "comparison"
        case .unnameable: "unnameable"
        case .unconfirmed: "unconfirmed"
        case .actionCheckedDifferently: "checkedDifferently"
        }
    }

    static func subjectName(_ subject: DiffResult.SubjectDiff) -> String {
        var parts: [String] = []
        if let user = subject.user { parts.append(user) }
        let roles = subject.backendRoles.isEmpty ? "no backend roles" : "backend roles: \(subject.backendRoles.joined(separator: ", "))"
        if subject.user == nil {
            parts.append(subject.host.map { "users from host \($0)" } ?? "users with \(roles)")
        } else {
            parts.append("(\(roles))")
        }
        return parts.joined(separator: " ")
    }

    static func headline(_ result: DiffResult) -> String {
        let total = result.subjects.count + result.equivalentSubjects
        let sides = "\(result.sourceTarget) → \(result.targetTarget)"
        let count = result.subjects.isEmpty && result.settingsVerdict != .equivalent
            ? "requests naming several indices (settings; no single-index decision differs)"
            : "\(result.subjects.count) of \(total) subject\(total == 1 ? "" : "s")"
        switch result.verdict {
        case .equivalent: return "EQUIVALENT  every subject gets exactly the same decisions (\(total) subject\(total == 1 ? "" : "s"), \(result.actionCount) actions, all index names; \(sides))"
        case .narrower: return "NARROWER  DST allows less than SRC for \(count) (\(sides))"
        case .broader: return "BROADER  DST allows more than SRC for \(count) (\(sides))"
        case .incomparable: return "INCOMPARABLE  DST allows some things SRC does not and denies others it allows, over \(count) (\(sides))"
        case .undecided:
            let proved = result.subjects.filter { !$0.witnesses.isEmpty }.count
            if proved == 0 {
                return "UNDECIDED  no decision differs where it could be checked, but not every comparison could be decided exactly (\(count); \(sides))"
            }
            return "UNDECIDED  decisions differ for \(proved) subject\(proved == 1 ? "" : "s") (witnesses below), and not every comparison could be decided exactly (\(count); \(sides))"
        }
    }

    static func settingsLine(_ result: DiffResult) -> String? {
        switch result.settingsVerdict {
        case .narrower: "do_not_fail_on_forbidden is off in DST where SRC has it: requests naming some forbidden indices now fail instead of running filtered"
        case .broader: "do_not_fail_on_forbidden is on in DST where SRC has it off: requests naming some forbidden indices now run filtered instead of failing"
        case .equivalent: nil
        default: "the do_not_fail_on_forbidden settings differ"
        }
    }

    /// Said on standard error for a `--user` no side knows.
    public static func unknownUserNote(_ name: String) -> String {
        "note: --user \(DiffLiteral.text(name)) is no internal user and no role mapping names it on either side: compared as a user without roles"
    }

    static func combinationsLine(_ result: DiffResult) -> String? {
        let count = result.combinationsNotCompared
        guard count > 0 else { return nil }
        return "not compared: \(count) backend-role combination\(count == 1 ? "" : "s") beyond the bound (protected-index roles or role-list templates make combinations differ); not proved either way"
    }

    static func entryLine(_ entry: DiffResult.Entry) -> String {
        let fields = entry.fields.isEmpty ? "" : ": \(entry.fields.joined(separator: ", "))"
        return "\(entry.kind.rawValue) \(entry.name)\(fields)\(entry.builtIn ? " (reserved/static/hidden)" : "")"
    }

    // MARK: text

    /// `action on index` (or the action alone), written exactly (DiffLiteral.witness).
    static func witnessLine(_ witness: DiffResult.Witness) -> String {
        DiffLiteral.witness(witness.action) + (witness.index.map { " on " + DiffLiteral.witness($0) } ?? "")
    }

    public static func text(_ result: DiffResult) -> String {
        var lines = [headline(result)]
        if let settings = settingsLine(result) { lines.append("  settings: \(settings)") }
        if let combinations = combinationsLine(result) { lines.append("  \(combinations)") }
        for subject in result.subjects {
            lines.append("")
            let differ = subject.differingActions == 1 ? "1 action differs" : "\(subject.differingActions) actions differ"
            lines.append("\(DiffLiteral.text(subjectName(subject))): \(subject.verdict.rawValue), \(differ)")
            for witness in subject.witnesses {
                lines.append("  \(witnessLine(witness))")
                lines.append("    SRC \(witness.source.outcome.rawValue): \(DiffLiteral.text(reason(witness.source), witnessIndex: witness.index))")
                lines.append("    DST \(witness.target.outcome.rawValue): \(DiffLiteral.text(reason(witness.target), witnessIndex: witness.index))")
            }
            if subject.witnesses.count < subject.differingActions {
                lines.append("  … and \(subject.differingActions - subject.witnesses.count) more differing actions (--max-witnesses 0 lists all)")
            }
            lines += undecidedLines(subject.undecided).map { "  " + DiffLiteral.text($0) }
        }
        lines.append("")
        lines.append("\(result.equivalentSubjects) subject\(result.equivalentSubjects == 1 ? "" : "s") equivalent")
        let entries = result.entries
        if entries.added.isEmpty && entries.removed.isEmpty && entries.changed.isEmpty {
            lines.append("entries: no differences")
        } else {
            lines.append("entries:")
            lines += entries.added.map { "  added    \(DiffLiteral.text(entryLine($0)))" }
            lines += entries.removed.map { "  removed  \(DiffLiteral.text(entryLine($0)))" }
            lines += entries.changed.map { "  changed  \(DiffLiteral.text(entryLine($0)))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    struct JSONWitness: Encodable {
        let action: String
        let index: JSONNullable<String>
        let source: String
        let target: String
        let sourceReason: String
        let targetReason: String
    }

    struct JSONUndecided: Encodable {
        let action: String
        let reason: String
        let detail: String
    }

    struct JSONSubject: Encodable {
        let user: JSONNullable<String>
        let backendRoles: [String]
        let host: JSONNullable<String>
        let evaluatedAs: String
        let verdict: String
        let differingActions: Int
        let witnesses: [JSONWitness]
        let undecided: [JSONUndecided]
    }

    struct JSONEntry: Encodable {
        let type: String
        let name: String
        let fields: [String]
        let builtIn: Bool
    }

    struct JSONEntries: Encodable {
        let added: [JSONEntry]
        let removed: [JSONEntry]
        let changed: [JSONEntry]
    }

    struct JSONDiff: Encodable {
        let schemaVersion = 1
        let verdict: String
        let source: String
        let target: String
        let actionsCompared: Int
        let equivalentSubjects: Int
        let settingsVerdict: String
        /// Present only when some combinations were not compared.
        let combinationsNotCompared: Int?
        let subjects: [JSONSubject]
        let entries: JSONEntries
    }

    /// The report as JSON: the bytes `JSONOutput.render(jsonModel(result))` gives, written by hand
    /// (`DiffJSONWriter`): a large diff lists tens of thousands of witnesses, and the encoder's
    /// boxing of every value cost more than the comparison that found them.
    public static func json(_ result: DiffResult) -> String {
        String(decoding: jsonBytes(result), as: UTF8.self)
    }

    /// ``json(_:)`` as UTF-8 bytes, without the copy into a String.
    public static func jsonBytes(_ result: DiffResult) -> [UInt8] {
        var writer = DiffJSONWriter()
        writer.write(result)
        return writer.finish()
    }

    /// The Encodable value behind the JSON report: what the hand-written bytes must equal when
    /// JSONOutput encodes it (the tests compare the two).
    static func jsonModel(_ result: DiffResult) -> JSONDiff {
        func entries(_ list: [DiffResult.Entry]) -> [JSONEntry] {
            list.map { JSONEntry(type: $0.kind.rawValue, name: $0.name, fields: $0.fields, builtIn: $0.builtIn) }
        }
        let subjects = result.subjects.map { subject in
            JSONSubject(user: JSONNullable(subject.user), backendRoles: subject.backendRoles, host: JSONNullable(subject.host),
                        evaluatedAs: subject.evaluatedName, verdict: subject.verdict.rawValue, differingActions: subject.differingActions,
                        witnesses: subject.witnesses.map { witness in
                            JSONWitness(action: witness.action, index: JSONNullable(witness.index), source: witness.source.outcome.rawValue,
                                        target: witness.target.outcome.rawValue, sourceReason: reason(witness.source),
                                        targetReason: reason(witness.target))
                        },
                        undecided: subject.undecided.map { JSONUndecided(action: $0.action, reason: reasonCode($0.reason), detail: describe($0)) })
        }
        return JSONDiff(verdict: result.verdict.rawValue, source: result.sourceTarget, target: result.targetTarget,
                        actionsCompared: result.actionCount, equivalentSubjects: result.equivalentSubjects,
                        settingsVerdict: result.settingsVerdict.rawValue, combinationsNotCompared: result.combinationsNotCompared > 0 ? result.combinationsNotCompared : nil, subjects: subjects,
                        entries: JSONEntries(added: entries(result.entries.added), removed: entries(result.entries.removed),
                                             changed: entries(result.entries.changed)))
    }
}

/// Writes the diff report in JSONOutput's layout (`.prettyPrinted`, `.sortedKeys`,
/// `.withoutEscapingSlashes`): two spaces per level, `"key" : value`, an empty array as `[`, a
/// blank line and `]`, keys in the order the encoder sorts them (written out below, in that order),
/// strings escaped as JSONText does. Each witness goes straight into one byte buffer.
struct DiffJSONWriter: ~Copyable {
    private var out = ByteBuffer(capacity: 1 << 16)
    private var level = 0
    /// The innermost open container has no element yet.
    private var empty = true
    /// Per side (0: SRC), the last list of held roles worded and its words: a subject's witnesses
    /// share one list per side.
    private var wordedRoles: [(names: [String], text: String)] = [([], DiffReport.heldRoles([])), ([], DiffReport.heldRoles([]))]

    /// Reused for each witness's reasons (`DiffReport.writeReason`).
    private var sentence = ""

    /// A witness side's reason as a JSON string.
    private mutating func reason(_ side: DiffResult.Witness.Side, side number: Int) {
        var sentence = ""
        swap(&sentence, &self.sentence)
        sentence.removeAll(keepingCapacity: true)
        DiffReport.writeReason(side, roles: { heldRoles(side.roles, side: number) }, to: &sentence)
        string(sentence)
        swap(&sentence, &self.sentence)
    }

    private mutating func heldRoles(_ names: [String], side: Int) -> String {
        if names == wordedRoles[side].names { return wordedRoles[side].text }
        let text = DiffReport.heldRoles(names)
        wordedRoles[side] = (names, text)
        return text
    }

    mutating func write(_ result: DiffResult) {
        open(UInt8(ascii: "{"))
        key("actionsCompared"); out.append(decimal: result.actionCount)
        if result.combinationsNotCompared > 0 { key("combinationsNotCompared"); out.append(decimal: result.combinationsNotCompared) }
        key("entries")
        open(UInt8(ascii: "{"))
        key("added"); entries(result.entries.added)
        key("changed"); entries(result.entries.changed)
        key("removed"); entries(result.entries.removed)
        close(UInt8(ascii: "}"))
        key("equivalentSubjects"); out.append(decimal: result.equivalentSubjects)
        key("schemaVersion"); out.append(decimal: 1)
        key("settingsVerdict"); string(result.settingsVerdict.rawValue)
        key("source"); string(result.sourceTarget)
        key("subjects")
        open(UInt8(ascii: "["))
        for subject in result.subjects {
            item()
            self.subject(subject)
        }
        close(UInt8(ascii: "]"))
        key("target"); string(result.targetTarget)
        key("verdict"); string(result.verdict.rawValue)
        close(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
    }

    consuming func finish() -> [UInt8] { out.bytes }

    private mutating func subject(_ subject: DiffResult.SubjectDiff) {
        open(UInt8(ascii: "{"))
        key("backendRoles"); strings(subject.backendRoles)
        key("differingActions"); out.append(decimal: subject.differingActions)
        key("evaluatedAs"); string(subject.evaluatedName)
        key("host"); optional(subject.host)
        key("undecided")
        objects(subject.undecided) { writer, undecided in
            writer.key("action"); writer.string(undecided.action)
            writer.key("detail"); writer.string(DiffReport.describe(undecided))
            writer.key("reason"); writer.string(DiffReport.reasonCode(undecided.reason))
        }
        key("user"); optional(subject.user)
        key("verdict"); string(subject.verdict.rawValue)
        key("witnesses")
        objects(subject.witnesses) { writer, witness in
            writer.key("action"); writer.string(witness.action)
            writer.key("index"); writer.optional(witness.index)
            writer.key("source"); writer.string(witness.source.outcome.rawValue)
            writer.key("sourceReason"); writer.reason(witness.source, side: 0)
            writer.key("target"); writer.string(witness.target.outcome.rawValue)
            writer.key("targetReason"); writer.reason(witness.target, side: 1)
        }
        close(UInt8(ascii: "}"))
    }

    /// An array of objects, one per element, each written by `fields`.
    private mutating func objects<Element>(_ elements: [Element], _ fields: (inout DiffJSONWriter, Element) -> Void) {
        open(UInt8(ascii: "["))
        for element in elements {
            item()
            open(UInt8(ascii: "{"))
            fields(&self, element)
            close(UInt8(ascii: "}"))
        }
        close(UInt8(ascii: "]"))
    }

    private mutating func entries(_ list: [DiffResult.Entry]) {
        open(UInt8(ascii: "["))
        for entry in list {
            item()
            open(UInt8(ascii: "{"))
            key("builtIn"); out.append(entry.builtIn ? "true" : "false")
            key("fields"); strings(entry.fields)
            key("name"); string(entry.name)
            key("type"); string(entry.kind.rawValue)
            close(UInt8(ascii: "}"))
        }
        close(UInt8(ascii: "]"))
    }

    private mutating func strings(_ list: [String]) {
        open(UInt8(ascii: "["))
        for text in list {
            item()
            string(text)
        }
        close(UInt8(ascii: "]"))
    }

    private mutating func string(_ text: String) { JSONText.appendQuoted(text, to: &out) }

    private mutating func optional(_ text: String?) {
        if let text { string(text) } else { out.append("null") }
    }

    private mutating func open(_ bracket: UInt8) {
        out.append(bracket)
        level += 1
        empty = true
    }

    /// Closes the innermost container; the one around it holds at least this one.
    private mutating func close(_ bracket: UInt8) {
        level -= 1
        if empty { out.append(UInt8(ascii: "\n")) }
        newline()
        out.append(bracket)
        empty = false
    }

    /// Starts an element of the innermost container on its own line.
    private mutating func item() {
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
        newline()
    }

    private mutating func key(_ name: StaticString) {
        item()
        out.append(UInt8(ascii: "\""))
        out.append(name)
        out.append("\" : ")
    }

    private mutating func newline() {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<level { out.append("  ") }
    }
}
