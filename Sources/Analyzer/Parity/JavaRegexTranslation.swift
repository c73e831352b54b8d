/// Translates the subset of Java regular expressions that role files use into `NameAutomaton`
/// fragments, exactly; anything outside the subset is reported as unsupported so that a comparison
/// involving it is "undecided" instead of guessed.
///
/// Followed: the plugin's `WildcardMatcher` calls `java.util.regex.Matcher.matches()` on `/…/`
/// patterns (shared/reference/opensearch-security-semantics.md §2.1), so the whole name must match.
/// Java semantics taken from `java.util.regex.Pattern`'s documentation:
/// - `.` matches any code point except the line terminators `\n`, `\r`, U+0085, U+2028, U+2029;
/// - `\d`, `\w`, `\s` are ASCII-only without UNICODE_CHARACTER_CLASS: `[0-9]`, `[a-zA-Z_0-9]`,
///   `[ \t\n\x0B\f\r]`;
/// - with `matches()`, `^` at the start of a top-level branch and `$` at its end change nothing
///   (`$` may match before a final line terminator, but `matches()` must still consume it);
/// - reluctant quantifiers (`*?`) accept the same names as greedy ones under a full match;
///   possessive ones (`*+`) do not, and are unsupported here.
/// Unsupported: back-references, lookaround, inline flags, named groups, `\b`-style boundaries,
/// `\Q…\E`, `\p{…}`, `\x`/`\u` escapes, nested classes and intersections, non-ASCII class members.
struct JavaRegexTranslation {
    struct Unsupported: Error, Equatable, Sendable {
        let reason: String
    }

    /// A byte-level set of ASCII characters plus, optionally, every non-ASCII code point.
    struct CharacterSet: Equatable {
        var ascii = [Bool](repeating: false, count: 128)
        var allNonASCII = false

        mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range { ascii[Int(byte)] = true } }

        func complemented() -> CharacterSet {
            var result = CharacterSet()
            result.ascii = ascii.map { !$0 }
            result.allNonASCII = !allNonASCII
            return result
        }

        static func of(_ ranges: [ClosedRange<UInt8>]) -> CharacterSet {
            var set = CharacterSet()
            for range in ranges { set.insert(range) }
            return set
        }

        static let digit = of([0x30...0x39])
        static let word = of([0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F...0x5F])
        static let space = of([0x20...0x20, 0x09...0x0D])
    }

    indirect enum Node {
        case empty
        case bytes([UInt8])
        case characters(CharacterSet)
        case dot
        case concatenation([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)
    }

    /// Largest repetition count translated (`{m,n}` is expanded into copies).
    static let maximumRepetition = 64

    private let scalars: [Unicode.Scalar]
    private var position = 0

    private init(_ body: String) {
        scalars = Array(body.unicodeScalars)
    }

    /// The regex body (without the slashes) as a syntax tree, or why it cannot be translated.
    static func parse(_ body: String) -> Result<Node, Unsupported> {
        var parser = JavaRegexTranslation(body)
        do {
            let node = try parser.alternation(topLevel: true)
            guard parser.position == parser.scalars.count else { throw Unsupported(reason: "unbalanced ')'") }
            return .success(node)
        } catch let error as Unsupported {
            return .failure(error)
        } catch {
            return .failure(Unsupported(reason: "\(error)"))
        }
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func alternation(topLevel: Bool) throws -> Node {
        var branches = [try concatenation(topLevel: topLevel)]
        while current == "|" {
            position += 1
            branches.append(try concatenation(topLevel: topLevel))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation(topLevel: Bool) throws -> Node {
        var items: [Node] = []
        if topLevel, current == "^" { position += 1 }
        while let scalar = current, scalar != "|", scalar != ")" {
            if scalar == "$" {
                position += 1
                guard topLevel, current == nil || current == "|" else { throw Unsupported(reason: "'$' not at the end of the pattern") }
                continue
            }
            let atom = try self.atom()
            items.append(try quantified(atom))
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concatenation(items)
    }

    private mutating func atom() throws -> Node {
        guard let scalar = current else { throw Unsupported(reason: "unexpected end") }
        position += 1
        switch scalar {
        case "(":
            if current == "?" {
                guard position + 1 < scalars.count, scalars[position + 1] == ":" else {
                    throw Unsupported(reason: "lookaround, inline flags or named groups")
                }
                position += 2
            }
            let inner = try alternation(topLevel: false)
            guard current == ")" else { throw Unsupported(reason: "unclosed group") }
            position += 1
            return inner
        case "[": return .characters(try characterClass())
        case ".": return .dot
        case "\\": return try escape()
        case "^": throw Unsupported(reason: "'^' not at the start of the pattern")
        case "*", "+", "?", "{": throw Unsupported(reason: "quantifier without an operand")
        default: return .bytes(Array(String(scalar).utf8))
        }
    }

    private mutating func escape() throws -> Node {
        guard let scalar = current else { throw Unsupported(reason: "trailing backslash") }
        position += 1
        switch scalar {
        case "d": return .characters(.digit)
        case "D": return .characters(CharacterSet.digit.complemented())
        case "w": return .characters(.word)
        case "W": return .characters(CharacterSet.word.complemented())
        case "s": return .characters(.space)
        case "S": return .characters(CharacterSet.space.complemented())
        case "t": return .bytes([0x09])
        case "n": return .bytes([0x0A])
        case "r": return .bytes([0x0D])
        case "f": return .bytes([0x0C])
        case "a": return .bytes([0x07])
        case "e": return .bytes([0x1B])
        default:
            // Java: a backslash before a non-alphabetic character quotes it.
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                throw Unsupported(reason: "escape \\\(scalar)")
            }
            return .bytes(Array(String(scalar).utf8))
        }
    }

    private mutating func characterClass() throws -> CharacterSet {
        var set = CharacterSet()
        var negated = false
        if current == "^" {
            negated = true
            position += 1
        }
        if current == "]" { throw Unsupported(reason: "']' first in a class") }
        while let scalar = current, scalar != "]" {
            position += 1
            var low: UInt8
            switch scalar {
            case "[": throw Unsupported(reason: "nested class")
            case "&" where current == "&": throw Unsupported(reason: "class intersection")
            case "\\":
                guard let escaped = current else { throw Unsupported(reason: "trailing backslash") }
                position += 1
                switch escaped {
                case "d": set.insert(0x30...0x39); continue
                case "w": for (byte, on) in CharacterSet.word.ascii.enumerated() where on { set.ascii[byte] = true }; continue
                case "s": set.insert(0x20...0x20); set.insert(0x09...0x0D); continue
                case "t": low = 0x09
                case "n": low = 0x0A
                case "r": low = 0x0D
                case "f": low = 0x0C
                default:
                    guard escaped.isASCII, !escaped.properties.isAlphabetic, !("0"..."9").contains(escaped) else {
                        throw Unsupported(reason: "escape \\\(escaped) in a class")
                    }
                    low = UInt8(escaped.value)
                }
            default:
                guard scalar.isASCII else { throw Unsupported(reason: "non-ASCII class member") }
                low = UInt8(scalar.value)
            }
            if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                guard let upper = current, upper.isASCII, upper != "\\", upper != "[" else {
                    throw Unsupported(reason: "class range end")
                }
                position += 1
                let high = UInt8(upper.value)
                guard low <= high else { throw Unsupported(reason: "reversed class range") }
                set.insert(low...high)
            } else {
                set.insert(low...low)
            }
        }
        guard current == "]" else { throw Unsupported(reason: "unclosed class") }
        position += 1
        return negated ? set.complemented() : set
    }

    private mutating func quantified(_ atom: Node) throws -> Node {
        var node = atom
        while let scalar = current, "*+?{".unicodeScalars.contains(scalar) {
            position += 1
            let bounds: (Int, Int?)
            switch scalar {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            default: bounds = try repetitionBounds()
            }
            if current == "+" { throw Unsupported(reason: "possessive quantifier") }
            if current == "?" { position += 1 }
            node = .repetition(node, min: bounds.0, max: bounds.1)
        }
        return node
    }

    private mutating func repetitionBounds() throws -> (Int, Int?) {
        func number() -> Int? {
            var digits = ""
            while let scalar = current, ("0"..."9").contains(scalar), digits.count < 6 {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
            return Int(digits)
        }
        guard let low = number() else { throw Unsupported(reason: "'{' without a count") }
        var high: Int? = low
        if current == "," {
            position += 1
            high = current == "}" ? nil : number()
            if high == nil, current != "}" { throw Unsupported(reason: "bad repetition") }
        }
        guard current == "}" else { throw Unsupported(reason: "bad repetition") }
        position += 1
        guard low <= JavaRegexTranslation.maximumRepetition, (high ?? low) <= JavaRegexTranslation.maximumRepetition,
              low <= (high ?? low) else {
            throw Unsupported(reason: "repetition count above \(JavaRegexTranslation.maximumRepetition)")
        }
        return (low, high)
    }

    // MARK: building

    /// Builds the tree into `automaton`.
    static func build(_ node: Node, into automaton: inout NameAutomaton) -> NameAutomaton.Fragment {
        switch node {
        case .empty: return automaton.empty()
        case .bytes(let bytes): return automaton.literal(bytes)
        case .characters(let set): return characters(set, into: &automaton)
        case .dot:
            var set = CharacterSet.of([0x00...0x09, 0x0B...0x0C, 0x0E...0x7F])
            set.allNonASCII = false
            let ascii = characters(set, into: &automaton)
            let other = automaton.nonASCIICodePoint(excluding: [[0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9]])
            return automaton.alternate([ascii, other])
        case .concatenation(let items): return automaton.concatenate(items.map { build($0, into: &automaton) })
        case .alternation(let branches): return automaton.alternate(branches.map { build($0, into: &automaton) })
        case .repetition(let inner, let min, let max):
            var parts = (0..<min).map { _ in build(inner, into: &automaton) }
            if let max {
                parts += (min..<max).map { _ in automaton.optional(build(inner, into: &automaton)) }
            } else {
                parts.append(automaton.star(build(inner, into: &automaton)))
            }
            return automaton.concatenate(parts)
        }
    }

    private static func characters(_ set: CharacterSet, into automaton: inout NameAutomaton) -> NameAutomaton.Fragment {
        let entry = automaton.addState(), exit = automaton.addState()
        var byte = 0
        while byte < 128 {
            guard set.ascii[byte] else { byte += 1; continue }
            var end = byte
            while end + 1 < 128, set.ascii[end + 1] { end += 1 }
            automaton.connect(entry, exit, UInt8(byte), UInt8(end))
            byte = end + 1
        }
        if set.allNonASCII {
            let other = automaton.nonASCIICodePoint()
            automaton.connect(entry, other.entry)
            automaton.connect(other.exit, exit)
        }
        return NameAutomaton.Fragment(entry: entry, exit: exit)
    }
}
