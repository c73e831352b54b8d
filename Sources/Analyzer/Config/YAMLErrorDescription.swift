import Yams

/// Turns a Yams parse error into a diagnostic with a line and a plain-language hint.
enum YAMLErrorDescription {
    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml), let .composer(context, problem, mark, yaml):
            let location = SourceLocation(file: file, line: mark.line, column: mark.column)
            if isNestingLimit(problem) {
                return .error("invalid YAML: \(nestingProblem)", at: location,
                              hint: "security configurations nest a few levels; check that this is the file you meant")
            }
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return .error("invalid YAML: \(detail)", at: location, hint: hint(for: problem, at: mark, in: yaml))
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error("duplicate key \(names) in one mapping", at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                          hint: "the plugin would keep only one of them; merge the entries or rename one")
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.prefix(max($0, 0)).filter(\.isNewline).count + 1 } ?? 1
            return .error("cannot read: \(problem)", at: SourceLocation(file: file, line: line),
                          hint: "the file must be UTF-8 text without control characters")
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1))
        }
    }

    /// libyaml's own words for its nesting limit name a C function; secperm says what happened.
    static let nestingProblem = "nested more than 1000 levels deep"

    static func isNestingLimit(_ problem: String) -> Bool {
        problem.hasPrefix("Maximum nesting level reached")
    }

    private static func hint(for problem: String, at mark: Mark, in yaml: String) -> String {
        // libyaml names tabs in some messages only; otherwise look at the character it stopped at.
        if problem.contains("tab") || character(at: mark, in: yaml) == "\t" { return "YAML indentation must use spaces, not tabs" }
        if problem.contains("mapping values are not allowed") { return "a value containing ': ' must be quoted" }
        if problem.contains("did not find expected") { return "check indentation and that quotes and brackets are closed" }
        return "check the YAML syntax around this line"
    }

    /// The character at a 1-based line and column (columns count Unicode scalars, as Yams does).
    private static func character(at mark: Mark, in yaml: String) -> Unicode.Scalar? {
        var lines = yaml.split(separator: "\n", maxSplits: max(mark.line, 1), omittingEmptySubsequences: false).dropFirst(mark.line - 1).makeIterator()
        guard mark.line >= 1, mark.column >= 1, let line = lines.next() else { return nil }
        let scalars = line.unicodeScalars
        guard let index = scalars.index(scalars.startIndex, offsetBy: mark.column - 1, limitedBy: scalars.endIndex), index < scalars.endIndex else { return nil }
        return scalars[index]
    }
}
