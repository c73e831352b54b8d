import Foundation

/// Reads the usual shape of a case line straight from its bytes into the tables of ``BatchCases``,
/// without a ``ConfigValue`` or a String per member: one flat object of known fields whose values
/// are strings without escapes, lists of such strings, an object of such strings (`attributes`) or
/// `null`, with a non-empty `user` and `action` and a known `expected`.
///
/// Anything else (an escape, a number, a nested value, an unknown or repeated-with-another-type
/// key, a line that is not JSON, a value a case refuses) makes it answer false, and the line goes
/// to the full reader (``JSONLineParser`` and the field checks of ``BatchCase``), which accepts it
/// or refuses it with its message. So this reader decides no error; it must only give the same
/// case as the full reader for every line it accepts (BatchRunnerTests compare the two).
struct CaseLineReader {
    /// Text numbers of the list being read, and attribute pairs; kept between lines.
    private var numbers: [Int32] = []
    private var pairs: [Int32] = []

    /// The fields of one line as read so far; a later member of the same name replaces an earlier one,
    /// and `null` makes the field absent (as in a decoded object).
    private struct Fields {
        var id: Range<Int>?, user: Range<Int>?, host: Range<Int>?, tenant: Range<Int>?, action: Range<Int>?, expected: Range<Int>?
        var backendRoles: Int32 = -1, attributes: Int32 = -1, roles: Int32 = -1, indices: Int32 = -1, allowed: Int32 = -1
    }

    /// The fields a case may have, in ``BatchCase/fields`` order.
    private enum Field: Int {
        case id, user, backendRoles, attributes, roles, host, tenant, action, indices, expected, allowedIndices, resolvedIndices, tags, note, source

        /// The fields by the length of their names.
        private static let byLength: [[(name: [UInt8], field: Field)]] = {
            var table = [[(name: [UInt8], field: Field)]](repeating: [], count: 17)
            for (number, name) in BatchCase.fields.enumerated() {
                guard let field = Field(rawValue: number) else { continue }
                table[name.utf8.count].append((Array(name.utf8), field))
            }
            return table
        }()

        init?(_ key: UnsafeBufferPointer<UInt8>) {
            guard key.count < Self.byLength.count, let bytes = key.baseAddress else { return nil }
            for candidate in Self.byLength[key.count] where memcmp(candidate.name, bytes, key.count) == 0 {
                self = candidate.field
                return
            }
            return nil
        }
    }

    /// Reads `line` (without the blanks around it, not a comment) as case `line number` into
    /// `cases`; false when the full reader must read it.
    mutating func read(_ line: UnsafeBufferPointer<UInt8>, number: Int, into cases: inout BatchCases) -> Bool {
        var scan = ByteScan(line)
        var fields = Fields()
        guard scan.take(UInt8(ascii: "{")) else { return false }
        scan.skipBlanks()
        if !scan.take(UInt8(ascii: "}")) {
            repeat {
                scan.skipBlanks()
                guard let key = scan.plainString(), let field = Field(UnsafeBufferPointer(rebasing: line[key])) else { return false }
                scan.skipBlanks()
                guard scan.take(UInt8(ascii: ":")) else { return false }
                scan.skipBlanks()
                guard value(of: field, &scan, &fields, &cases) else { return false }
                scan.skipBlanks()
            } while scan.take(UInt8(ascii: ","))
            guard scan.take(UInt8(ascii: "}")) else { return false }
        }
        guard scan.atEnd else { return false }
        return record(fields, line: line, number: number, into: &cases)
    }

    private mutating func value(of field: Field, _ scan: inout ByteScan, _ fields: inout Fields, _ cases: inout BatchCases) -> Bool {
        let isNull = scan.takeNull()
        switch field {
        case .id, .user, .host, .tenant, .action, .expected, .note, .source:
            let text: Range<Int>?
            if isNull { text = nil } else {
                guard let read = scan.plainString() else { return false }
                text = read
            }
            switch field {
            case .id: fields.id = text
            case .user: fields.user = text
            case .host: fields.host = text
            case .tenant: fields.tenant = text
            case .action: fields.action = text
            case .expected: fields.expected = text
            default: break  // note, source: read for their type only
            }
        case .backendRoles, .roles, .indices, .allowedIndices, .resolvedIndices, .tags:
            var list: Int32 = -1
            if !isNull {
                let keep = field != .resolvedIndices && field != .tags
                guard let read = self.list(&scan, keep: keep, &cases) else { return false }
                list = read
            }
            switch field {
            case .backendRoles: fields.backendRoles = list
            case .roles: fields.roles = list
            case .indices: fields.indices = list
            case .allowedIndices: fields.allowed = list
            default: break  // resolved_indices, tags: read for their type only
            }
        case .attributes:
            if isNull { fields.attributes = -1 } else {
                guard let read = attributes(&scan, &cases) else { return false }
                fields.attributes = read
            }
        }
        return true
    }

    /// A list of plain strings, as a list number when `keep` (else -1 once read).
    private mutating func list(_ scan: inout ByteScan, keep: Bool, _ cases: inout BatchCases) -> Int32? {
        guard scan.take(UInt8(ascii: "[")) else { return nil }
        numbers.removeAll(keepingCapacity: true)
        scan.skipBlanks()
        if !scan.take(UInt8(ascii: "]")) {
            repeat {
                scan.skipBlanks()
                guard let item = scan.plainString() else { return nil }
                if keep { numbers.append(cases.text(scan.bytes(item))) }
                scan.skipBlanks()
            } while scan.take(UInt8(ascii: ","))
            guard scan.take(UInt8(ascii: "]")) else { return nil }
        }
        guard keep else { return -1 }
        return numbers.withUnsafeBufferPointer { cases.list($0) }
    }

    /// An object of plain strings as a list of key, value pairs ordered by the keys' numbers; a
    /// repeated key's last value counts.
    private mutating func attributes(_ scan: inout ByteScan, _ cases: inout BatchCases) -> Int32? {
        guard scan.take(UInt8(ascii: "{")) else { return nil }
        pairs.removeAll(keepingCapacity: true)
        scan.skipBlanks()
        if !scan.take(UInt8(ascii: "}")) {
            repeat {
                scan.skipBlanks()
                guard let key = scan.plainString() else { return nil }
                scan.skipBlanks()
                guard scan.take(UInt8(ascii: ":")) else { return nil }
                scan.skipBlanks()
                guard let value = scan.plainString() else { return nil }
                add(key: cases.text(scan.bytes(key)), value: cases.text(scan.bytes(value)))
                scan.skipBlanks()
            } while scan.take(UInt8(ascii: ","))
            guard scan.take(UInt8(ascii: "}")) else { return nil }
        }
        return pairs.withUnsafeBufferPointer { cases.list($0) }
    }

    /// Puts a pair in key order, replacing the value of a key already there.
    private mutating func add(key: Int32, value: Int32) {
        var position = 0
        while position < pairs.count, pairs[position] < key { position += 2 }
        if position < pairs.count, pairs[position] == key {
            pairs[position + 1] = value
        } else {
            pairs.insert(contentsOf: [key, value], at: position)
        }
    }

    private func record(_ fields: Fields, line: UnsafeBufferPointer<UInt8>, number: Int, into cases: inout BatchCases) -> Bool {
        guard let user = fields.user, !user.isEmpty, let action = fields.action, !action.isEmpty else { return false }
        var expected: Decision.Outcome?
        if let range = fields.expected {
            guard let outcome = Self.outcome(UnsafeBufferPointer(rebasing: line[range])) else { return false }
            expected = outcome
        }
        func text(_ range: Range<Int>?) -> Int32 { range.map { cases.text(UnsafeBufferPointer(rebasing: line[$0])) } ?? -1 }
        let shape = BatchCases.SubjectShape(user: text(user), backendRoles: fields.backendRoles, attributes: fields.attributes,
                                            roles: fields.roles, host: text(fields.host), tenant: text(fields.tenant))
        let id = fields.id.map { cases.id(UnsafeBufferPointer(rebasing: line[$0])) } ?? -1
        cases.append(BatchCases.Record(line: Int32(number), id: id, subject: cases.subject(shape), action: text(action),
                                       indices: fields.indices < 0 ? cases.emptyList : fields.indices, allowed: fields.allowed, expected: expected))
        return true
    }

    private static let outcomes: [(name: [UInt8], outcome: Decision.Outcome)] = [Decision.Outcome.allow, .deny, .partial, .empty].map { (Array($0.rawValue.utf8), $0) }

    private static func outcome(_ bytes: UnsafeBufferPointer<UInt8>) -> Decision.Outcome? {
        outcomes.first { $0.name.count == bytes.count && $0.name.elementsEqual(bytes) }?.outcome
    }
}

/// A position in a line's bytes, moved forward by what it reads.
private struct ByteScan {
    let line: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ line: UnsafeBufferPointer<UInt8>) { self.line = line }

    var atEnd: Bool { position == line.count }

    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: line[range]) }

    mutating func skipBlanks() {
        while position < line.count {
            let byte = line[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A else { return }
            position += 1
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < line.count, line[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func takeNull() -> Bool {
        guard line.count - position >= 4, line[position] == UInt8(ascii: "n"), line[position + 1] == UInt8(ascii: "u"),
              line[position + 2] == UInt8(ascii: "l"), line[position + 3] == UInt8(ascii: "l") else { return false }
        position += 4
        return true
    }

    /// A string literal without escapes or control characters, as the range of its contents; nil
    /// (leaving the rest to the full reader) for anything else.
    mutating func plainString() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        // Eight bytes at a time up to the first word that may hold a quote, a backslash or a
        // control character; the byte loop below decides from there.
        if let base = line.baseAddress {
            while line.count - position >= 8, !Self.mayBeSpecial(UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)) { position += 8 }
        }
        while position < line.count {
            let byte = line[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return start..<(position - 1)
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            position += 1
        }
        return nil
    }

    /// Whether any byte of `word` may be `"`, `\\` or below 0x20 (never false when one is; the
    /// word tests of "Bit Twiddling Hacks", haszero and hasless, in wrapping arithmetic on purpose).
    private static func mayBeSpecial(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
        let backslash = hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control != 0
    }
}
