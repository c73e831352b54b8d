import Foundation

/// One request of a Dev Tools console file.
public struct ConsoleRequest: Sendable {
    public let line: Int
    public let method: String
    /// Path with a leading `/`, without the query string.
    public let path: String
    public let query: [String: String]
    /// JSON documents of the body with the line each starts on (one for most requests, one per
    /// line for NDJSON bodies such as `_bulk` and `_msearch`).
    public let body: [(line: Int, value: ConfigValue)]
    /// The body as the file writes it, to send as is: its lines joined with `\n` (comment lines
    /// left out, as from ``body``), ending in `\n` for NDJSON bodies, which the API requires;
    /// nil without a body.
    public let rawBody: String?
    /// The comment lines directly above the request line, `#` or `//` and leading spaces removed
    /// (tags such as `# expect: deny` for `secperm probe`).
    public let comments: [String]

    public init(line: Int, method: String, path: String, query: [String: String], body: [(line: Int, value: ConfigValue)],
                rawBody: String? = nil, comments: [String] = []) {
        self.comments = comments
        self.line = line
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.rawBody = rawBody
    }
}

/// Parses OpenSearch Dashboards Dev Tools console text: `METHOD path[?query]` lines, each followed by
/// an optional JSON body (NDJSON for `_bulk`, `_msearch`); `#` and `//` comment lines; paths with or
/// without the leading `/`. Errors carry the line they are on.
public enum ConsoleParser {
    static let methods: Set<String> = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"]

    public static func parse(_ text: String, file: String) throws(InputError) -> [ConsoleRequest] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).replacingOccurrences(of: "\r", with: "") }
        var requests: [ConsoleRequest] = []
        var diagnostics: [Diagnostic] = []
        var index = 0
        var comments: [String] = []
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if isComment(trimmed) { comments.append(commentText(trimmed)) } else if trimmed.isEmpty { comments = [] }
            if trimmed.isEmpty || isComment(trimmed) { index += 1; continue }
            guard let (method, target) = requestLine(trimmed) else {
                diagnostics.append(.error("expected a request line such as `GET _cat/indices`, found `\(trimmed.prefix(40))`",
                                          at: SourceLocation(file: file, line: index + 1),
                                          hint: "each request starts with an HTTP method (GET, POST, PUT, DELETE, HEAD, PATCH) and a path"))
                index += 1
                while index < lines.count, requestLine(lines[index].trimmingCharacters(in: .whitespaces)) == nil { index += 1 }
                continue
            }
            let start = index + 1
            index += 1
            let (path, query) = splitTarget(target)
            let ndjson = isNDJSON(path)
            var bodyLines: [(Int, String)] = []
            let above = comments
            comments = []
            while index < lines.count {
                let candidate = lines[index].trimmingCharacters(in: .whitespaces)
                if requestLine(candidate) != nil { break }
                // A blank line ends the body, unless a JSON document is still open.
                if candidate.isEmpty, ndjson || openBrackets(bodyLines.map(\.1)) == 0 { break }
                if isComment(candidate) { comments.append(commentText(candidate)) } else if !candidate.isEmpty { comments = [] }
                if !isComment(candidate) { bodyLines.append((index + 1, lines[index])) }
                index += 1
            }
            do {
                let body = try parseBody(bodyLines, ndjson: ndjson, file: file)
                let hasBody = bodyLines.contains { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
                let rawBody = hasBody ? bodyLines.map(\.1).joined(separator: "\n") + (ndjson ? "\n" : "") : nil
                requests.append(ConsoleRequest(line: start, method: method, path: path, query: query, body: body, rawBody: rawBody, comments: above))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return requests
    }

    /// Unclosed `{`/`[` outside strings in the lines so far.
    static func openBrackets(_ lines: [String]) -> Int {
        var depth = 0, inString = false, escaped = false
        for character in lines.joined(separator: "\n") {
            if escaped { escaped = false; continue }
            if inString {
                if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            default: break
            }
        }
        return depth
    }

    static func isComment(_ line: String) -> Bool { line.hasPrefix("#") || line.hasPrefix("//") }

    static func commentText(_ line: String) -> String {
        String(line.drop { $0 == "#" || $0 == "/" }).trimmingCharacters(in: .whitespaces)
    }

    static func requestLine(_ line: String) -> (String, String)? {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, methods.contains(parts[0].uppercased()) else { return nil }
        let target = parts[1].trimmingCharacters(in: .whitespaces)
        guard !target.hasPrefix("{") else { return nil }
        return (parts[0].uppercased(), target)
    }

    /// Splits `path?query` the way OpenSearch's REST layer decodes a query string
    /// (RestUtils.decodeQueryString): `&` separates parameters, the first `=` separates name and
    /// value, a parameter without `=` has the empty value, and one with an empty name is dropped.
    static func splitTarget(_ target: String) -> (String, [String: String]) {
        let question = target.firstIndex(of: "?")
        var path = String(target[..<(question ?? target.endIndex)])
        if !path.hasPrefix("/") { path = "/" + path }
        var query: [String: String] = [:]
        if let question {
            for pair in target[target.index(after: question)...].split(separator: "&") {
                let equals = pair.firstIndex(of: "=")
                let name = decode(pair[..<(equals ?? pair.endIndex)])
                guard !name.isEmpty else { continue }
                query[name] = equals.map { decode(pair[pair.index(after: $0)...]) } ?? ""
            }
        }
        return (path, query)
    }

    private static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }

    static func isNDJSON(_ path: String) -> Bool {
        let last = RouteTable.segments(path).suffix(2)
        return last.contains("_bulk") || last.last == "_msearch" || (last.first == "_msearch" && last.last == "template")
    }

    static func parseBody(_ lines: [(Int, String)], ndjson: Bool, file: String) throws(InputError) -> [(line: Int, value: ConfigValue)] {
        let content = lines.filter { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !content.isEmpty else { return [] }
        if ndjson {
            var values: [(line: Int, value: ConfigValue)] = []
            var diagnostics: [Diagnostic] = []
            for (line, text) in content {
                do { values.append((line, try json(text, line: line, file: file))) } catch { diagnostics += error.diagnostics }
            }
            if !diagnostics.isEmpty { throw InputError(diagnostics) }
            return values
        }
        let text = content.map(\.1).joined(separator: "\n")
        return [(content[0].0, try json(text, line: content[0].0, file: file))]
    }

    /// Strict JSON; on failure the line comes from a YAML parse of the same text when it can tell.
    static func json(_ text: String, line: Int, file: String) throws(InputError) -> ConfigValue {
        if (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil {
            var errorLine = line
            var detail = "not valid JSON"
            let lastLine = line + text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            // Parsed only to find the line (nothing is built, so aliases cannot expand).
            switch YAMLInput.firstProblem(in: text) {
            case .alias(let aliasLine, _)?:
                errorLine = line + aliasLine - 1
            case .syntax(let problem)? where problem.stage == .parser:
                errorLine = line + problem.line - 1
                detail = YAMLErrorDescription.isNestingLimit(problem.problem) ? YAMLErrorDescription.nestingProblem : problem.problem
            case .syntax(let problem)? where problem.stage == .scanner:
                errorLine = line + problem.line - 1
                detail = problem.problem
            default:
                break
            }
            throw InputError(.error("malformed JSON body: \(detail)", at: SourceLocation(file: file, line: min(errorLine, lastLine)),
                                    hint: "request bodies are JSON; _bulk and _msearch take one JSON object per line"))
        }
        do {
            guard let node = try YAMLInput.compose(text, file: file) else { return .null }
            return NodeReader.value(node)
        } catch {
            // Lines of the body text are counted from the body's first line in the file.
            throw InputError(error.diagnostics.map { diagnostic in
                let location = diagnostic.location.map { SourceLocation(file: $0.file, line: line + max($0.line, 1) - 1) }
                return Diagnostic(diagnostic.severity, diagnostic.message, at: location, hint: diagnostic.hint)
            })
        }
    }
}
