/// Renders a `DiffResult` as one self-contained HTML page (no script, no external asset): the
/// verdict, a subjects × action-families matrix coloured equal / narrower / broader / incomparable
/// / undecided whose cells expand to their witnesses and both reasons, and the entry diff.
public enum DiffHTMLReport {
    /// The column an action falls in: its kind and first path segment (`indices:data/read`,
    /// `cluster:admin`, `restapi:admin` …).
    public static func family(_ action: String) -> String {
        let parts = action.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        if action.hasPrefix("indices:data/"), parts.count >= 2 { return "\(parts[0])/\(parts[1])" }
        return String(parts[0])
    }

    static func escape(_ text: String) -> String {
        // Without any of the five characters' bytes, every character is kept as it is.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2430;background:#fff}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
        .verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600;color:#fff}
        .equivalent{background:#2e7d32}.narrower{background:#c62828}.broader{background:#ef6c00}.incomparable{background:#6a1b9a}.undecided{background:#546e7a}
        td.equivalent{background:#e8f5e9;color:#2e7d32}td.narrower{background:#ffebee}td.broader{background:#fff3e0}td.incomparable{background:#f3e5f5}td.undecided{background:#eceff1}
        table{border-collapse:collapse;margin-top:8px}th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
        th{background:#f6f8fa;font-weight:600}th.subject{min-width:180px}
        details summary{cursor:pointer;font-weight:600}details div{margin:6px 0 2px;font-size:12px;max-width:520px}
        .src,.dst{display:block;margin-left:8px}.src::before{content:"SRC ";font-weight:600}.dst::before{content:"DST ";font-weight:600}
        code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 3px;border-radius:3px}
        .legend span{margin-right:10px;padding:1px 8px;border-radius:3px}
        ul{margin:4px 0;padding-left:20px}.muted{color:#57606a}
        """

    public static func page(_ result: DiffResult) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>secperm diff: \(result.verdict.rawValue)</title>
            <style>\(style)</style></head><body>
            <h1>secperm diff <span class="verdict \(result.verdict.rawValue)">\(result.verdict.rawValue)</span></h1>
            <p>\(escape(DiffReport.headline(result)))</p>

            """
        if let settings = DiffReport.settingsLine(result) { html += "<p><b>Settings:</b> \(escape(settings))</p>\n" }
        if let combinations = DiffReport.combinationsLine(result) { html += "<p>\(escape(combinations))</p>\n" }
        html += matrix(result)
        html += entries(result.entries)
        html += "</body></html>\n"
        return html
    }

    private static func matrix(_ result: DiffResult) -> String {
        let sortedFamilies = Set(result.subjects.flatMap { $0.actionVerdicts.keys.map(family) + $0.undecided.map { family($0.action) } }).sorted()
        var html = "<h2>Subjects × action families</h2>\n"
        html += "<p class=\"legend\"><span class=\"verdict equivalent\">equal</span><span class=\"verdict narrower\">narrower</span><span class=\"verdict broader\">broader</span><span class=\"verdict incomparable\">incomparable</span><span class=\"verdict undecided\">undecided</span></p>\n"
        guard !result.subjects.isEmpty else {
            return html + "<p>All \(result.equivalentSubjects) subjects get exactly the same decisions for all \(result.actionCount) actions.</p>\n"
        }
        html += "<table><tr><th class=\"subject\">subject</th>" + sortedFamilies.map { "<th><code>\(escape(DiffLiteral.witness($0)))</code></th>" }.joined() + "<th>other actions</th></tr>\n"
        var families = FamilyNames(sorted: sortedFamilies)
        for subject in result.subjects {
            html += "<tr><th class=\"subject\">\(escape(DiffLiteral.text(DiffReport.subjectName(subject))))<br><span class=\"muted\">\(subject.verdict.rawValue), \(subject.differingActions) differing</span></th>"
            let columns = Column.split(subject, &families)
            for column in families.sorted { html += cell(columns[column]) }
            html += "<td class=\"equivalent\">equal</td></tr>\n"
        }
        if result.equivalentSubjects > 0 {
            html += "<tr><th class=\"subject\">\(result.equivalentSubjects) other subject\(result.equivalentSubjects == 1 ? "" : "s")</th>"
                + String(repeating: "<td class=\"equivalent\">equal</td>", count: sortedFamilies.count + 1) + "</tr>\n"
        }
        return html + "</table>\n"
    }

    /// Each action's family, worked out once per page (`family` splits the name).
    private struct FamilyNames {
        let sorted: [String]
        private var known: [String: String] = [:]

        init(sorted: [String]) {
            self.sorted = sorted
        }

        mutating func family(_ action: String) -> String {
            if let found = known[action] { return found }
            let found = DiffHTMLReport.family(action)
            known[action] = found
            return found
        }
    }

    /// One subject's findings in one family: what a cell shows.
    private struct Column {
        /// Its differing actions' verdicts combined, and how many there are.
        var verdict = DiffResult.Verdict.equivalent
        var differing = 0
        var witnesses: [DiffResult.Witness] = []
        var undecided: [DiffResult.Undecided] = []

        /// The subject's findings by family, each list in the subject's order.
        static func split(_ subject: DiffResult.SubjectDiff, _ families: inout FamilyNames) -> [String: Column] {
            var columns: [String: Column] = [:]
            for (action, verdict) in subject.actionVerdicts {
                let family = families.family(action)
                columns[family, default: Column()].verdict = (columns[family]?.verdict ?? .equivalent).combined(with: verdict)
                columns[family, default: Column()].differing += 1
            }
            for witness in subject.witnesses { columns[families.family(witness.action), default: Column()].witnesses.append(witness) }
            for item in subject.undecided { columns[families.family(item.action), default: Column()].undecided.append(item) }
            return columns
        }
    }

    private static func cell(_ column: Column?) -> String {
        let column = column ?? Column()
        let undecided = column.undecided
        var verdict = column.verdict
        if !undecided.isEmpty { verdict = verdict.combined(with: .undecided) }
        guard verdict != .equivalent else { return "<td class=\"equivalent\">equal</td>" }
        let witnesses = column.witnesses
        var body = witnesses.map { witness in
            "<div><code>\(escape(DiffLiteral.witness(witness.action)))</code>\(witness.index.map { " on <code>\(escape(DiffLiteral.witness($0)))</code>" } ?? "")"
                + "<span class=\"src\">\(witness.source.outcome.rawValue): \(escape(DiffLiteral.text(DiffReport.reason(witness.source), witnessIndex: witness.index)))</span>"
                + "<span class=\"dst\">\(witness.target.outcome.rawValue): \(escape(DiffLiteral.text(DiffReport.reason(witness.target), witnessIndex: witness.index)))</span></div>"
        }.joined()
        let unlisted = column.differing - Set(witnesses.map(\.action)).count
        if unlisted > 0 { body += "<div class=\"muted\">\(unlisted) more differing action\(unlisted == 1 ? "" : "s") (--max-witnesses 0 lists all)</div>" }
        body += undecided.map { "<div>undecided: \(escape(DiffLiteral.text(DiffReport.describe($0))))</div>" }.joined()
        let count = column.differing + undecided.count
        return "<td class=\"\(verdict.rawValue)\"><details><summary>\(verdict.rawValue) (\(count))</summary>\(body)</details></td>"
    }

    private static func entries(_ entries: DiffResult.Entries) -> String {
        var html = "<h2>Entries</h2>\n"
        let groups = [("added", entries.added), ("removed", entries.removed), ("changed", entries.changed)]
        guard groups.contains(where: { !$0.1.isEmpty }) else { return html + "<p>No entry differs.</p>\n" }
        for (title, list) in groups where !list.isEmpty {
            html += "<p><b>\(title)</b></p><ul>" + list.map { "<li>\(escape(DiffLiteral.text(DiffReport.entryLine($0))))</li>" }.joined() + "</ul>\n"
        }
        return html
    }
}
