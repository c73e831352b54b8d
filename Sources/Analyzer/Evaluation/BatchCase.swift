import Foundation

/// One line of a cases file (shared/conformance/*/cases.jsonl format): a request and, optionally,
/// the decision it must get. Files of these are how users keep "who may do what" tests.
public struct BatchCase: Sendable {
    public let line: Int
    public let id: String
    public let subject: SubjectRequest
    public let action: String
    public let indices: [String]
    public let expected: Decision.Outcome?
    public let expectedAllowedIndices: [String]?

    public static func read(path: String) throws(InputError) -> [BatchCase] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.error("\(path): cannot be read", hint: "check that the cases file exists"))
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses a JSON Lines file; blank lines and lines starting with `#` or `//` are skipped.
    public static func parse(_ text: String, file: String) throws(InputError) -> [BatchCase] {
        var cases: [BatchCase] = []
        var diagnostics: [Diagnostic] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let location = SourceLocation(file: file, line: offset + 1)
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                diagnostics.append(.error("not a JSON object", at: location, hint: "one case per line: {\"user\": …, \"action\": …, \"indices\": […]}"))
                continue
            }
            do {
                cases.append(try BatchCase(object, line: offset + 1, location: location))
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
            }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return cases
    }

    init(_ object: [String: Any], line: Int, location: SourceLocation) throws(InputError) {
        let known = ["id", "user", "backend_roles", "attributes", "roles", "host", "action", "indices", "expected", "allowed_indices",
                     "resolved_indices", "tags", "note", "source"]
        for key in object.keys.sorted() where !known.contains(key) {
            let hint = Suggestion.closest(to: key, in: known).map { "did you mean '\($0)'?" } ?? "known fields: \(known.joined(separator: ", "))"
            throw InputError(.error("unknown field '\(key)'", at: location, hint: hint))
        }
        guard let user = object["user"] as? String, let action = object["action"] as? String else {
            throw InputError(.error("a case needs \"user\" and \"action\" strings", at: location))
        }
        self.line = line
        id = object["id"] as? String ?? "line \(line)"
        var subject = SubjectRequest(user: user)
        subject.backendRoles = object["backend_roles"] as? [String] ?? []
        subject.attributes = (object["attributes"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        subject.roles = object["roles"] as? [String] ?? []
        subject.host = object["host"] as? String
        self.subject = subject
        self.action = action
        indices = object["indices"] as? [String] ?? []
        if let text = object["expected"] as? String {
            guard let outcome = Decision.Outcome(rawValue: text) else {
                throw InputError(.error("expected must be allow, deny, partial or empty; found '\(text)'", at: location))
            }
            expected = outcome
        } else {
            expected = nil
        }
        expectedAllowedIndices = object["allowed_indices"] as? [String]
    }

    /// Whether a decision meets this case's expectation. `allow` accepts `empty` too: a read that
    /// passes authorization but returns nothing is an allow (conformance README).
    public func disagreement(with decision: Decision) -> String? {
        guard let expected else { return nil }
        let matches = expected == decision.outcome || (expected == .allow && decision.outcome == .empty)
        guard matches else { return "expected \(expected.rawValue), got \(decision.outcome.rawValue)" }
        if expected == .partial, let indices = expectedAllowedIndices, Set(indices) != Set(decision.allowedIndices) {
            return "expected allowed indices \(indices.sorted()), got \(decision.allowedIndices.sorted())"
        }
        return nil
    }
}
