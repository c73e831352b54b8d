import Yams

/// Turns a Yams parse error into a diagnostic with a line and a plain-language hint.
enum YAMLErrorDescription {
    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return .error("invalid YAML: \(detail)", at: SourceLocation(file: file, line: mark.line, column: mark.column),
                          hint: hint(for: problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error("duplicate key \(names) in one mapping", at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                          hint: "the plugin would keep only one of them; merge the entries or rename one")
        case let .reader(problem, _, _, _):
            return .error("cannot read: \(problem)", at: SourceLocation(file: file, line: 0), hint: "the file must be UTF-8 text")
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 0))
        }
    }

    private static func hint(for problem: String) -> String {
        if problem.contains("tab") { return "YAML indentation must use spaces, not tabs" }
        if problem.contains("mapping values are not allowed") { return "a value containing ': ' must be quoted" }
        if problem.contains("did not find expected") { return "check indentation and that quotes and brackets are closed" }
        return "check the YAML syntax around this line"
    }
}
