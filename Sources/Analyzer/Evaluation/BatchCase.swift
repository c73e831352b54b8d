import Foundation

/// One line of a cases file (shared/conformance/*/cases.jsonl format): a request and, optionally,
/// the decision it must get. Files of these are how users keep "who may do what" tests.
///
/// Reading is strict: a field of the wrong type or an unknown value is an input error naming the
/// line and the field, never dropped (a dropped `"indices"` would silently mean "all indices",
/// a dropped `"expected"` would assert nothing).
public struct BatchCase: Sendable {
    public let line: Int
    public let id: String
    public let subject: SubjectRequest
    public let action: String
    public let indices: [String]
    public let expected: Decision.Outcome?
    public let expectedAllowedIndices: [String]?

    static let fields = ["id", "user", "backend_roles", "attributes", "roles", "host", "tenant", "action", "indices", "expected", "allowed_indices",
                         "resolved_indices", "tags", "note", "source"]
    static let outcomes = ["allow", "deny", "partial", "empty"]

    public static func read(path: String) throws(InputError) -> BatchCases {
        try parse(InputText.read(path), file: path == "-" ? "<stdin>" : path)
    }

    /// Parses a JSON Lines file; blank lines and lines starting with `#` or `//` are skipped.
    /// A file without a single case is an error too: it would pass while checking nothing.
    ///
    /// Each line is read in place from the text's UTF-8 bytes: by ``CaseLineReader`` when it has
    /// the usual shape, otherwise by the full reader, which also words every error.
    public static func parse(_ text: String, file: String) throws(InputError) -> BatchCases {
        var text = text
        let parsed = text.withUTF8 { bytes in Result { () throws(InputError) in try parse(bytes, file: file) } }
        return try parsed.get()
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(InputError) -> BatchCases {
        // Keeps every count and line number within the tables' Int32 numbers.
        guard bytes.count <= InputText.maximumBytes else {
            throw InputError(.error("larger than \(InputText.maximumBytes >> 20) MiB; secperm does not read inputs this large",
                                    at: SourceLocation(file: file, line: 0), hint: "split the file, or check that this is the file you meant"))
        }
        var reading = FileReading(file: file)
        var start = 0, number = 0
        while start <= bytes.count {
            let end = nextLineEnd(bytes, from: start)
            number += 1
            var first = start, last = end
            start = end + 1
            while first < last, blank(bytes[first]) { first += 1 }
            while last > first, blank(bytes[last - 1]) { last -= 1 }
            guard first < last else { continue }
            if bytes[first] < 0x80, bytes[last - 1] < 0x80 {
                reading.line(UnsafeBufferPointer(rebasing: bytes[first..<last]), number: number)
            } else {
                trimmingBlanks(Array(UnsafeBufferPointer(rebasing: bytes[first..<last]))[...]).withUnsafeBufferPointer { reading.line($0, number: number) }
            }
        }
        if !reading.diagnostics.isEmpty { throw InputError(reading.diagnostics) }
        guard !reading.cases.isEmpty else {
            throw InputError(.error("no cases: the file is empty or has only comments", at: SourceLocation(file: file, line: 1),
                                    hint: "one case per line: {\"user\": \"alice\", \"action\": \"indices:data/read/search\", \"indices\": [\"logs-1\"], \"expected\": \"allow\"}"))
        }
        return reading.cases
    }

    /// The cases of a file as its lines are read, and the errors found.
    private struct FileReading {
        let file: String
        var cases = BatchCases()
        var reader = CaseLineReader()
        var diagnostics: [Diagnostic] = []

        /// A line without the blanks around it: skipped when blank or a comment.
        mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int) {
            guard let first = line.first, first != UInt8(ascii: "#"), !line.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) else { return }
            if reader.read(line, number: number, into: &cases) { return }
            do {
                cases.append(try fullRead(Array(line)[...], number: number, file: file))
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
            }
        }
    }

    /// The offset of the next `\n` from `start`, or the end.
    private static func nextLineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// A line that ``CaseLineReader`` did not take, read member by member: the case, or the line's
    /// input error.
    static func fullRead(_ line: ArraySlice<UInt8>, number: Int, file: String) throws(InputError) -> BatchCase {
        let location = SourceLocation(file: file, line: number)
        guard JSONLine.depth(of: line) <= YAMLInput.maximumDepth else {
            throw InputError(.error("nested more than \(YAMLInput.maximumDepth) levels deep", at: location, hint: "a case is one flat JSON object"))
        }
        guard let members = JSONLineParser.members(of: line) else {
            throw InputError(.error("not a JSON object", at: location, hint: "one case per line: {\"user\": …, \"action\": …, \"indices\": […]}"))
        }
        return try BatchCase(members, line: number, location: location)
    }

    private static func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// The line without the blanks around it: spaces, tabs, the `\r` of CRLF files, and (on the
    /// rare line that starts or ends with a non-ASCII byte) Unicode spaces, as
    /// `trimmingCharacters(in: .whitespaces)` does — which runs only on those lines.
    static func trimmingBlanks(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = line.firstIndex(where: { !blank($0) }), let last = line.lastIndex(where: { !blank($0) }) else { return [] }
        let trimmed = line[first...last]
        guard line[first] < 0x80, line[last] < 0x80 else {
            return Array(String(decoding: trimmed, as: UTF8.self).trimmingCharacters(in: .whitespaces).utf8)[...]
        }
        return trimmed
    }

    init(line: Int, id: String, subject: SubjectRequest, action: String, indices: [String], expected: Decision.Outcome?,
         expectedAllowedIndices: [String]?) {
        self.line = line
        self.id = id
        self.subject = subject
        self.action = action
        self.indices = indices
        self.expected = expected
        self.expectedAllowedIndices = expectedAllowedIndices
    }

    init(_ members: [(key: String, value: ConfigValue)], line: Int, location: SourceLocation) throws(InputError) {
        let fields = FieldReader(members: members, location: location)
        try fields.rejectUnknown(allowed: Self.fields)
        guard let user = try fields.string("user"), let action = try fields.string("action") else {
            throw InputError(.error("a case needs \"user\" and \"action\" strings", at: location,
                                    hint: "e.g. {\"user\": \"alice\", \"action\": \"indices:data/read/search\", \"indices\": [\"logs-1\"]}"))
        }
        self.line = line
        id = try fields.string("id") ?? "line \(line)"
        // An empty name would reach the subject resolver, whose "no user given" has no line.
        for (field, value) in [("user", user), ("action", action)] where value.isEmpty {
            throw InputError(.error("field \"\(field)\" is empty", at: location,
                                    hint: "give the \(field == "user" ? "user name" : "action name, e.g. indices:data/read/search")"))
        }
        var subject = SubjectRequest(user: user)
        subject.backendRoles = try fields.strings("backend_roles") ?? []
        subject.attributes = try fields.stringMap("attributes") ?? [:]
        subject.roles = try fields.strings("roles") ?? []
        subject.host = try fields.string("host")
        // The `securitytenant` header of the request, as `check --tenant` gives it.
        subject.requestedTenant = try fields.string("tenant")
        self.subject = subject
        self.action = action
        indices = try fields.strings("indices") ?? []
        if let text = try fields.string("expected") {
            guard let outcome = Decision.Outcome(rawValue: text) else {
                let hint = Suggestion.closest(to: text, in: Self.outcomes).map { "did you mean '\($0)'?" } ?? "one of: \(Self.outcomes.joined(separator: ", "))"
                throw InputError(.error("field \"expected\" must be allow, deny, partial or empty; found '\(text)'", at: location, hint: hint))
            }
            expected = outcome
        } else {
            expected = nil
        }
        expectedAllowedIndices = try fields.strings("allowed_indices")
        // Read for their types only: secperm does not use them.
        _ = try fields.strings("resolved_indices")
        _ = try fields.strings("tags")
        _ = try fields.string("note")
        _ = try fields.string("source")
    }

    /// Whether a decision meets this case's expectation. `allow` accepts `empty` too: a read that
    /// passes authorization but returns nothing is an allow (conformance README).
    public func disagreement(with decision: Decision) -> String? {
        guard let expected else { return nil }
        return Self.disagreement(expected: expected, allowed: expectedAllowedIndices, decision: decision)
    }

    static func disagreement(expected: Decision.Outcome, allowed: [String]?, decision: Decision) -> String? {
        let matches = expected == decision.outcome || (expected == .allow && decision.outcome == .empty)
        guard matches else { return "expected \(expected.rawValue), got \(decision.outcome.rawValue)" }
        if expected == .partial, let indices = allowed, Set(indices) != Set(decision.allowedIndices) {
            return "expected allowed indices \(indices.sorted()), got \(decision.allowedIndices.sorted())"
        }
        return nil
    }
}

/// Typed access to the fields of one case; `null` counts as absent, and a repeated key's last value
/// counts (as in a decoded object). A case has a handful of members: looking one up by comparing
/// names costs less than hashing them into a dictionary.
private struct FieldReader {
    let members: [(key: String, value: ConfigValue)]
    let location: SourceLocation

    /// Refuses the first unknown key in sorted order.
    func rejectUnknown(allowed: [String]) throws(InputError) {
        var unknown: String?
        for member in members where !allowed.contains(where: { Self.same($0, member.key) }) {
            if unknown.map({ member.key < $0 }) ?? true { unknown = member.key }
        }
        guard let key = unknown else { return }
        let hint = Suggestion.closest(to: key, in: allowed).map { "did you mean '\($0)'?" } ?? "known fields: \(allowed.joined(separator: ", "))"
        throw InputError(.error("unknown field '\(key)'", at: location, hint: hint))
    }

    private func present(_ key: String) -> ConfigValue? {
        guard let value = members.last(where: { Self.same($0.key, key) })?.value, value != .null else { return nil }
        return value
    }

    /// Names compared by length first: most names here differ in length, and that is cheaper to
    /// see than what `==` does for two different strings.
    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    private func wrongType(_ key: String, _ expected: String, _ found: ConfigValue, hint: String? = nil) -> InputError {
        InputError(.error("field \"\(key)\" must be \(expected), found \(found.kind)", at: location, hint: hint))
    }

    func string(_ key: String) throws(InputError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    func strings(_ key: String) throws(InputError) -> [String]? {
        guard let value = present(key) else { return nil }
        guard case .list(let items) = value else {
            let hint: String? = if case .string(let text) = value { "write it as a list: [\(JSONLine.quoted(text))]" } else { nil }
            throw wrongType(key, "a list of strings", value, hint: hint)
        }
        var texts: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw wrongType(key, "a list of strings", item, hint: "every entry is a quoted string") }
            texts.append(text)
        }
        return texts
    }

    func stringMap(_ key: String) throws(InputError) -> [String: String]? {
        guard let value = present(key) else { return nil }
        guard case .map(let entries) = value else { throw wrongType(key, "an object of strings", value, hint: "e.g. {\"dept\": \"sales\"}") }
        var texts: [String: String] = [:]
        for (name, item) in entries {
            guard case .string(let text) = item else {
                throw InputError(.error("field \"\(key)\": value of '\(name)' must be a string, found \(item.kind)", at: location))
            }
            texts[name] = text
        }
        return texts
    }
}

/// Helpers for the lines of a cases file (the parsing itself is ``JSONLineParser``).
enum JSONLine {
    /// The deepest nesting of `[` and `{` outside strings, found without parsing (so without
    /// recursion): deep documents are refused before a recursive decoder sees them.
    static func depth(of bytes: ArraySlice<UInt8>) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in bytes {
            if escaped { escaped = false; continue }
            if inString {
                if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
