/// A pattern with the security plugin's `WildcardMatcher` semantics, used for action names, index
/// names, role-mapping users, backend roles and hosts, tenants and settings lists alike.
///
/// Rules (shared/reference/opensearch-security-semantics.md §2.1):
/// - empty or blank → matches nothing; exactly `*` → matches everything, the empty string included;
/// - `/…/` → a regular expression that must match the whole text;
/// - no `*` and no `?` → exact, case-sensitive equality;
/// - otherwise a glob: `*` is any run of characters (across `/` and `:`), `?` exactly one;
///   there is no escape character and there are no character classes.
public struct Pattern: Hashable, Sendable, CustomStringConvertible {
    public enum Form: Hashable, Sendable {
        case nothing
        case anything
        case exact(String)
        case prefix(String)
        case contains(String)
        case glob([UInt16])
        case regex(BoundedRegex)
    }

    /// The text as written.
    public let source: String
    public let form: Form

    /// Compiles `text`. An invalid `/regex/` is an error: the plugin skips such an entry.
    public static func compile(_ text: String) -> Result<Pattern, PatternError> {
        // A first byte that is ASCII and not whitespace starts a Character that is not whitespace:
        // the Character walk is needed only for the rest.
        let first = text.utf8.first ?? 0
        let surelyNotBlank = first > 0x20 && first < 0x80
        if !surelyNotBlank, text.allSatisfy(\.isWhitespace) { return .success(Pattern(source: text, form: .nothing)) }
        if text == "*" { return .success(Pattern(source: text, form: .anything)) }
        // `/` has no other canonical spelling, so a regex starts and ends with that byte; the
        // Character tests (which count the whole text) run only then.
        if first == UInt8(ascii: "/"), text.utf8.last == UInt8(ascii: "/"), text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") {
            let body = String(text.dropFirst().dropLast())
            return BoundedRegex.compile(body).map { Pattern(source: text, form: .regex($0)) }
                .mapError { PatternError(pattern: text, reason: $0.reason) }
        }
        return .success(Pattern(source: text, form: globForm(text)))
    }

    /// Compiles a pattern that is known to be valid, or that may be invalid and should then match
    /// nothing (the plugin's "fewer privileges, no error").
    public init(_ text: String) {
        self = (try? Pattern.compile(text).get()) ?? Pattern(source: text, form: .nothing)
    }

    private init(source: String, form: Form) {
        self.source = source
        self.form = form
    }

    private static func globForm(_ text: String) -> Form {
        let stars = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "*") ? 1 : 0) }
        let hasQuestion = text.utf8.contains(UInt8(ascii: "?"))
        if stars == 0 && !hasQuestion { return .exact(text) }
        if !hasQuestion, stars == 1, text.hasSuffix("*") { return .prefix(String(text.dropLast())) }
        if !hasQuestion, stars == 2, text.count >= 2, text.hasPrefix("*"), text.hasSuffix("*") {
            return .contains(String(text.dropFirst().dropLast()))
        }
        return .glob(Array(text.utf16))
    }

    /// True when the pattern has no wildcard and is not a regex (`WildcardMatcher.isExact`).
    public var isExact: Bool {
        if case .exact = form { return true }
        return false
    }

    public var isRegex: Bool {
        if case .regex = form { return true }
        return false
    }

    /// True for the bare `*`.
    public var isAnything: Bool { form == .anything }

    public func matches(_ text: String) -> Bool {
        switch form {
        case .nothing: false
        case .anything: true
        // Code-unit comparisons, as Java's equals/startsWith/contains: Swift's String == and
        // hasPrefix would also accept canonically equivalent spellings ("é" as e + U+0301, or
        // the Kelvin sign for K), which the plugin does not.
        case .exact(let value): text.utf8.count == value.utf8.count && text.utf8.elementsEqual(value.utf8)
        case .prefix(let value): text.utf8.starts(with: value.utf8)
        case .contains(let value): value.isEmpty || Pattern.containsBytes(text, value)
        case .glob(let pattern): Pattern.globMatches(pattern, text)
        case .regex(let regex): regex.evaluate(text) == .match
        }
    }

    static func containsBytes(_ text: String, _ part: String) -> Bool {
        let text = Array(text.utf8), part = Array(part.utf8)
        guard part.count <= text.count else { return false }
        return (0...(text.count - part.count)).contains { start in
            (0..<part.count).allSatisfy { text[start + $0] == part[$0] }
        }
    }

    /// Glob match over UTF-16 code units (Java `char`s, as the plugin compares). ASCII text is
    /// matched on its UTF-8 bytes without copying (the same units); other text is converted.
    static func globMatches(_ pattern: [UInt16], _ text: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return globMatches(pattern, bytes)
        }
        if let fast, let result = fast { return result }
        return globMatches(pattern, Array(text.utf16))
    }

    /// Iterative glob with single-star backtracking: never exponential.
    static func globMatches<P: RandomAccessCollection, C: RandomAccessCollection>(_ pattern: P, _ text: C) -> Bool
    where P.Element: BinaryInteger, P.Index == Int, C.Element: BinaryInteger, C.Index == Int {
        let star = P.Element(UInt8(ascii: "*")), question = P.Element(UInt8(ascii: "?"))
        let end = pattern.endIndex
        var p = pattern.startIndex, t = text.startIndex
        var starAt = -1, resumeAt = t
        while t < text.endIndex {
            // The star is tested first: a literal '*' in the text must not consume the pattern's star.
            if p < end, pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if p < end, pattern[p] == question || UInt32(pattern[p]) == UInt32(text[t]) {
                p += 1
                t += 1
            } else if starAt >= 0 {
                p = starAt + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < end, pattern[p] == star { p += 1 }
        return p == end
    }

    public var description: String { source }
}

/// Why a pattern cannot be used.
public struct PatternError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { "invalid regular expression \(pattern): \(reason)" }
}

/// An OR of patterns (`MatcherCombiner`): matches when any member matches.
public struct PatternSet: Hashable, Sendable {
    public let patterns: [Pattern]

    public init(_ patterns: [Pattern]) {
        self.patterns = patterns
    }

    public init(_ texts: [String]) {
        self.patterns = texts.map(Pattern.init)
    }

    public func matches(_ text: String) -> Bool { patterns.contains { $0.matches(text) } }
    public func firstMatch(_ text: String) -> Pattern? { patterns.first { $0.matches(text) } }
    public var isEmpty: Bool { patterns.isEmpty }
}

/// A text as a dictionary key told apart by its code units, as the plugin tells names and patterns
/// apart (Java `String.equals`). A `String` key would make canonically equivalent spellings ("é"
/// and "e" followed by U+0301) one key, so a cache keyed by it could hand one spelling's pattern to
/// the other.
struct CodeUnitKey: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: CodeUnitKey, rhs: CodeUnitKey) -> Bool {
        lhs.text.utf8.count == rhs.text.utf8.count && lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
