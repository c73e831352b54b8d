/// Turns a YAML syntax error into a diagnostic with a line and a plain-language hint.
enum YAMLErrorDescription {
    /// A syntax error as libyaml reports it: the stage that found it, its words, where (1-based),
    /// and what was being read (with the line where that began).
    struct Problem {
        enum Stage { case reader, scanner, parser, composer, memory }

        var stage: Stage
        var problem: String
        var line: Int
        var column: Int
        var context: (text: String, line: Int)?
        /// For reader errors: the offset of the offending byte in the input.
        var byteOffset = 0
    }

    static func diagnostic(for problem: Problem, text: String, file: String) -> Diagnostic {
        switch problem.stage {
        case .scanner, .parser, .composer:
            let location = SourceLocation(file: file, line: problem.line, column: problem.column)
            if isNestingLimit(problem.problem) {
                return .error("invalid YAML: \(nestingProblem)", at: location,
                              hint: "security configurations nest a few levels; check that this is the file you meant")
            }
            let detail = problem.context.map { "\(problem.problem) (\($0.text) at line \($0.line))" } ?? problem.problem
            return .error("invalid YAML: \(detail)", at: location, hint: hint(for: problem.problem, line: problem.line, column: problem.column, in: text))
        case .reader:
            return .error("cannot read: \(problem.problem)", at: SourceLocation(file: file, line: line(ofByte: problem.byteOffset, in: text)),
                          hint: "the file must be UTF-8 text without control characters")
        case .memory:
            return .error("invalid YAML: \(problem.problem)", at: SourceLocation(file: file, line: 1))
        }
    }

    static func duplicateKeys(_ names: [String], at location: SourceLocation) -> Diagnostic {
        .error("duplicate key \(names.map { "'\($0)'" }.joined(separator: ", ")) in one mapping", at: location,
               hint: "the plugin would keep only one of them; merge the entries or rename one")
    }

    /// libyaml's own words for its nesting limit name a C function; secperm says what happened.
    static let nestingProblem = "nested more than 1000 levels deep"

    static func isNestingLimit(_ problem: String) -> Bool {
        problem.hasPrefix("Maximum nesting level reached")
    }

    /// The 1-based line of a byte offset: newline characters (`\n`, `\r\n`, `\r` …) before it are
    /// counted; an offset inside a character or past the end counts as line 1.
    static func line(ofByte offset: Int, in text: String) -> Int {
        guard let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset, limitedBy: text.utf8.endIndex),
              let position = index.samePosition(in: text) else { return 1 }
        return text[..<position].count(where: \.isNewline) + 1
    }

    private static func hint(for problem: String, line: Int, column: Int, in text: String) -> String {
        // libyaml names tabs in some messages only; otherwise look at the character it stopped at.
        if problem.contains("tab") || character(line: line, column: column, in: text) == "\t" { return "YAML indentation must use spaces, not tabs" }
        if problem.contains("mapping values are not allowed") { return "a value containing ': ' must be quoted" }
        if problem.contains("did not find expected") { return "check indentation and that quotes and brackets are closed" }
        return "check the YAML syntax around this line"
    }

    /// The character at a 1-based line and column (columns count Unicode scalars, as libyaml does).
    private static func character(line: Int, column: Int, in text: String) -> Unicode.Scalar? {
        guard line >= 1, column >= 1 else { return nil }
        var lines = text.split(separator: "\n", maxSplits: line, omittingEmptySubsequences: false).dropFirst(line - 1).makeIterator()
        guard let content = lines.next() else { return nil }
        let scalars = content.unicodeScalars
        guard let index = scalars.index(scalars.startIndex, offsetBy: column - 1, limitedBy: scalars.endIndex), index < scalars.endIndex else { return nil }
        return scalars[index]
    }
}
