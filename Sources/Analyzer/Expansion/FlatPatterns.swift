/// A list of patterns packed into one buffer, for testing many of them against one name in the
/// evaluator's hot loop: no `Pattern` is copied (so nothing is reference counted) and the whole
/// list sits in one allocation (one cache miss, not one per array).
///
/// Answers exactly as `Pattern.matches` does. ASCII names against ASCII exact, prefix, contains
/// and glob patterns are matched here on bytes (for ASCII text, `Pattern`'s comparison is byte
/// equality and its glob runs on the same units); everything else — regexes, non-ASCII patterns,
/// non-ASCII names — is handed to `Pattern.matches`. A regex's literal prefix is checked here
/// first, as `BoundedRegex` would.
struct FlatPatterns: Sendable {
    fileprivate enum Kind: UInt64 {
        case nothing, anything, exact, prefix, contains, glob
        /// Handed to `Pattern.matches`; the bytes hold a literal prefix every match starts with.
        case delegated
    }

    /// Three words per pattern — kind | has a first byte << 8 | first byte << 16 | shortest
    /// matching length << 24 | byte count << 40; the byte offset of its literal | first star << 32 |
    /// last star << 48 (globs); a byte every match has at a fixed distance from its end (0 when
    /// none is known): 1 | byte << 8 | distance << 16 — followed by all literals' bytes.
    private let storage: [UInt64]
    /// The patterns themselves, for delegated ones and for non-ASCII names (the cold path).
    private let originals: [Pattern]

    var count: Int { originals.count }

    init(_ patterns: [Pattern]) {
        self.init(pieces: patterns.map(Piece.init))
    }

    /// One pattern encoded for the buffer, on its own: made once per pattern (a role's patterns
    /// when the role is compiled) and copied into every buffer that lists the pattern. A class:
    /// role sets hand the same pieces around.
    final class Piece: Sendable {
        let pattern: Pattern
        /// The three record words; the second holds no byte offset yet (added when packed).
        let record: (UInt64, UInt64, UInt64)
        let literal: [UInt8]

        init(_ pattern: Pattern) {
            self.pattern = pattern
            let ascii = pattern.source.utf8.allSatisfy { $0 < 0x80 }
            var kind = Kind.delegated, literal: [UInt8] = [], minimum = 0
            switch pattern.form {
            case .nothing: kind = .nothing
            case .anything: kind = .anything
            case .exact(let value) where ascii: (kind, literal, minimum) = (.exact, Array(value.utf8), value.utf8.count)
            case .prefix(let value) where ascii: (kind, literal, minimum) = (.prefix, Array(value.utf8), value.utf8.count)
            case .contains(let value) where ascii: (kind, literal, minimum) = (.contains, Array(value.utf8), value.utf8.count)
            case .glob where ascii && pattern.source.utf8.count < 0xFFFF:
                (kind, literal) = (.glob, Array(pattern.source.utf8))
                minimum = literal.count { $0 != UInt8(ascii: "*") }
            case .regex(let regex):
                // Every match starts with the literal prefix, so it is at least that long.
                literal = Array(regex.requiredPrefix.utf8)
                minimum = literal.count
            default: break
            }
            if literal.count > 0xFF_FFFF {
                // Too long for the record: matched by Pattern alone.
                (kind, literal, minimum) = (.delegated, [], 0)
            }
            // The first byte every match starts with, when the pattern fixes it.
            var first: UInt64 = 0
            if let byte = literal.first, kind != .contains, byte != UInt8(ascii: "*"), byte != UInt8(ascii: "?") {
                first = 1 << 8 | UInt64(byte) << 16
            }
            let head = kind.rawValue | first | UInt64(min(minimum, 0xFFFF)) << 24 | UInt64(literal.count) << 40
            // A glob without a star keeps 0xFFFF for both: "no star".
            let firstStar = UInt64(literal.firstIndex(of: UInt8(ascii: "*")) ?? 0xFFFF)
            let lastStar = UInt64(literal.lastIndex(of: UInt8(ascii: "*")) ?? 0xFFFF)
            let place = kind == .glob ? firstStar << 32 | lastStar << 48 : 0
            // The last literal byte of an exact name, or of a glob's tail after its last star.
            var last: UInt64 = 0
            if kind == .exact || kind == .glob {
                let tailStart = kind == .glob ? (literal.lastIndex(of: UInt8(ascii: "*")).map { $0 + 1 } ?? 0) : 0
                if let position = literal[tailStart...].lastIndex(where: { $0 != UInt8(ascii: "?") }), literal.count - position < 0xFFFF {
                    last = 1 | UInt64(literal[position]) << 8 | UInt64(literal.count - position) << 16
                }
            }
            record = (head, place, last)
            self.literal = literal
        }
    }

    /// The pieces packed in the order given.
    init(pieces: [Piece]) {
        originals = pieces.map(\.pattern)
        let recordBytes = pieces.count * 3 * 8
        let literalBytes = pieces.reduce(0) { $0 + $1.literal.count }
        var storage: [UInt64] = [], bytes: [UInt8] = []
        storage.reserveCapacity(pieces.count * 3 + (literalBytes + 7) / 8)
        bytes.reserveCapacity(literalBytes + 8)
        for piece in pieces {
            storage.append(piece.record.0)
            storage.append(UInt64(recordBytes + bytes.count) | piece.record.1)
            storage.append(piece.record.2)
            bytes += piece.literal
        }
        while bytes.count % 8 != 0 { bytes.append(0) }
        bytes.withUnsafeBytes { raw in
            for start in stride(from: 0, to: raw.count, by: 8) {
                // Loaded as stored: the word's memory holds the bytes in order on any platform.
                storage.append(raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            }
        }
        self.storage = storage
    }

    /// Whether a pattern in `range` (positions in the order given) matches `name`.
    func matchesAny(_ range: Range<Int>, _ name: String) -> Bool {
        scan(name) { $0.matchesAny(range) }
    }

    /// Runs `body` with a scanner over `name`, for testing several ranges against one name at the
    /// cost of one look at the name. The scanner must not escape `body`.
    func scan<Result>(_ name: String, _ body: (Scanner) -> Result) -> Result {
        originals.withUnsafeBufferPointer { originals in
            storage.withUnsafeBufferPointer { words in
                let fast = name.utf8.withContiguousStorageIfAvailable { text -> Result? in
                    for byte in text where byte >= 0x80 { return nil }
                    return body(Scanner(originals: originals, name: name, text: text, records: words, bytes: UnsafeRawBufferPointer(words)))
                }
                if let fast, let result = fast { return result }
                return body(Scanner(originals: originals, name: name, text: nil, records: words, bytes: UnsafeRawBufferPointer(words)))
            }
        }
    }

    /// One name, ready to be tested against ranges of patterns.
    struct Scanner {
        fileprivate let originals: UnsafeBufferPointer<Pattern>
        fileprivate let name: String
        /// Nil for a name that is not ASCII (or not contiguous): every test goes to `Pattern`.
        fileprivate let text: UnsafeBufferPointer<UInt8>?
        fileprivate let records: UnsafeBufferPointer<UInt64>
        fileprivate let bytes: UnsafeRawBufferPointer

        func matchesAny(_ range: Range<Int>) -> Bool {
            range.contains(where: matches)
        }

        /// Whether the pattern at `position` matches the name.
        func matches(_ position: Int) -> Bool {
            guard let text else { return originals[position].matches(name) }
            let record = records[3 &* position]
            guard text.count >= Int((record >> 24) & 0xFFFF) else { return false }
            // A pattern with a first byte has a shortest length of at least one: text[0] exists.
            if record & (1 << 8) != 0, text[0] != UInt8(truncatingIfNeeded: record >> 16) { return false }
            let last = records[3 &* position &+ 2]
            if last != 0 {
                let distance = Int(last >> 16)
                // The shortest-length test above guarantees distance <= text.count.
                if UInt64(text[text.count &- distance]) != (last >> 8) & 0xFF { return false }
            }
            let place = records[3 &* position &+ 1]
            let start = Int(place & 0xFFFF_FFFF)
            let literal = UnsafeRawBufferPointer(rebasing: bytes[start ..< start + Int(record >> 40)])
            switch record & 0xFF {
            case Kind.anything.rawValue: return true
            case Kind.exact.rawValue: return text.count == literal.count && FlatPatterns.hasPrefix(text, literal)
            case Kind.prefix.rawValue: return FlatPatterns.hasPrefix(text, literal)
            case Kind.contains.rawValue: return FlatPatterns.contains(text, literal)
            case Kind.glob.rawValue:
                return FlatPatterns.globMatches(literal, text, firstStar: Int((place >> 32) & 0xFFFF), lastStar: Int(place >> 48))
            case Kind.delegated.rawValue: return FlatPatterns.hasPrefix(text, literal) && originals[position].matches(name)
            default: return false
            }
        }
    }

    /// Glob matching by segments: the pattern split at its stars is a head that must start the
    /// text, a tail that must end it, and middle pieces found left to right in between. Pieces
    /// have a fixed width (`?` is one byte here, all text being ASCII), so the leftmost place for
    /// each piece is always a right choice. Agrees with `Pattern.globMatches`, which backtracks.
    fileprivate static func globMatches(_ pattern: UnsafeRawBufferPointer, _ text: UnsafeBufferPointer<UInt8>, firstStar: Int, lastStar: Int) -> Bool {
        let star = UInt8(ascii: "*")
        guard firstStar != 0xFFFF else {
            return pattern.count == text.count && piece(pattern, 0..<pattern.count, matches: text, at: 0)
        }
        let headLength = firstStar, tailLength = pattern.count - lastStar - 1
        guard text.count >= headLength + tailLength,
              piece(pattern, 0..<firstStar, matches: text, at: 0),
              piece(pattern, (lastStar + 1)..<pattern.count, matches: text, at: text.count - tailLength) else { return false }
        var position = headLength
        let limit = text.count - tailLength
        var start = firstStar + 1
        while start < lastStar {
            var end = start
            while pattern[end] != star { end += 1 }
            let width = end - start
            if width > 0 {
                var found = false
                while position + width <= limit {
                    if piece(pattern, start..<end, matches: text, at: position) {
                        found = true
                        break
                    }
                    position += 1
                }
                guard found else { return false }
                position += width
            }
            start = end + 1
        }
        return true
    }

    /// Whether `pattern[range]` (no stars; `?` is any byte) equals the text at `offset`.
    private static func piece(_ pattern: UnsafeRawBufferPointer, _ range: Range<Int>, matches text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let question = UInt8(ascii: "?")
        var index = offset
        for position in range {
            let byte = pattern[position]
            if byte != question, byte != text[index] { return false }
            index += 1
        }
        return true
    }

    fileprivate static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ prefix: UnsafeRawBufferPointer) -> Bool {
        guard prefix.count <= text.count else { return false }
        for index in 0..<prefix.count where text[index] != prefix[index] { return false }
        return true
    }

    fileprivate static func contains(_ text: UnsafeBufferPointer<UInt8>, _ part: UnsafeRawBufferPointer) -> Bool {
        guard !part.isEmpty else { return true }
        guard part.count <= text.count else { return false }
        outer: for start in 0...(text.count - part.count) {
            for index in 0..<part.count where text[start + index] != part[index] { continue outer }
            return true
        }
        return false
    }
}
