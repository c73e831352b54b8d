/// Where something came from: a file and a 1-based line (and column when known).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// For entries that come from the plugin's built-in configuration, not from a file.
    public static func builtIn(_ what: String) -> SourceLocation {
        SourceLocation(file: "<built-in \(what)>", line: 0)
    }

    public var isBuiltIn: Bool { line == 0 && file.hasPrefix("<built-in") }

    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// `description` appended to `out`.
    func write(to out: inout some TextOutputStream) {
        out.write(file)
        if line > 0 {
            out.write(":")
            out.write(String(line))
        }
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column ?? 0) < (rhs.file, rhs.line, rhs.column ?? 0)
    }
}

/// A value and the place it was written.
public struct Located<Value: Sendable & Hashable>: Hashable, Sendable {
    public let value: Value
    public let location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}
