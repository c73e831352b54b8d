/// Strict JSON (RFC 8259) read into a ``ConfigValue`` in one pass over the bytes, for cases files
/// of many lines (a `JSONDecoder` per line cost more than deciding the case). Anything that is not
/// one JSON value with optional surrounding whitespace gives nil. Callers bound the nesting first
/// (``JSONLine/depth(of:)``); the parser recurses once per level.
///
/// It reads a slice of a larger buffer in place (a cases file is read into one byte array, and each
/// line is a slice of it), so a line costs no copy.
struct JSONLineParser {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    static func value(of text: String) -> ConfigValue? {
        value(of: Array(text.utf8)[...])
    }

    static func value(of bytes: ArraySlice<UInt8>) -> ConfigValue? {
        var parser = JSONLineParser(bytes: bytes)
        guard let value = parser.value() else { return nil }
        parser.skipWhitespace()
        return parser.atEnd ? value : nil
    }

    /// The members of a line that is one JSON object, in the order written (a repeated key appears
    /// twice; readers let the last one win, as a decoded object does). Nil for anything else.
    static func members(of bytes: ArraySlice<UInt8>) -> [(key: String, value: ConfigValue)]? {
        var parser = JSONLineParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.current == UInt8(ascii: "{"), let members = parser.objectMembers() else { return nil }
        parser.skipWhitespace()
        return parser.atEnd ? members : nil
    }

    private init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    private var atEnd: Bool { position == bytes.endIndex }

    private var current: UInt8? { position < bytes.endIndex ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func value() -> ConfigValue? {
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return list()
        case UInt8(ascii: "\""): return string().map(ConfigValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: ConfigValue) -> ConfigValue? {
        let count = word.utf8CodeUnitCount
        guard bytes.endIndex - position >= count else { return nil }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return nil }
        position += count
        return value
    }

    private mutating func object() -> ConfigValue? {
        guard let members = objectMembers() else { return nil }
        var entries: [String: ConfigValue] = [:]
        entries.reserveCapacity(members.count)
        for member in members { entries[member.key] = member.value }
        return .map(entries)
    }

    /// An object starting at its `{`, as its members in the order written.
    private mutating func objectMembers() -> [(key: String, value: ConfigValue)]? {
        position += 1
        var members: [(key: String, value: ConfigValue)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let item = value() else { return nil }
            members.append((key, item))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return members
            default: return nil
            }
        }
    }

    private mutating func list() -> ConfigValue? {
        position += 1
        var items: [ConfigValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .list(items)
        }
        while true {
            guard let item = value() else { return nil }
            items.append(item)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .list(items)
            default: return nil
            }
        }
    }

    /// A string literal starting at the opening quote; control characters must be escaped and
    /// `\u` escapes must pair their surrogates.
    private mutating func string() -> String? {
        position += 1
        let start = position
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { position += 1 }
        guard let stop = current else { return nil }
        if stop == UInt8(ascii: "\"") {
            position += 1
            return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
        }
        var text = Array(bytes[start..<position])
        while let byte = current {
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"): guard escape(into: &text) else { return nil }
            case 0..<0x20: return nil
            default: text.append(byte)
            }
        }
        return nil
    }

    private mutating func escape(into text: inout [UInt8]) -> Bool {
        guard let byte = current else { return false }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return false }
            var scalarValue = UInt32(unit)
            if (0xD800..<0xDC00).contains(unit) {
                guard current == UInt8(ascii: "\\") else { return false }
                position += 1
                guard current == UInt8(ascii: "u") else { return false }
                position += 1
                guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return false }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { return false }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: return false
        }
        return true
    }

    private mutating func hex4() -> UInt16? {
        guard bytes.endIndex - position >= 4 else { return nil }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> ConfigValue? {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            guard digits() else { return nil }
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() else { return nil }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() else { return nil }
        }
        guard let number = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else { return nil }
        return .number(number)
    }

    /// One or more decimal digits.
    private mutating func digits() -> Bool {
        let start = position
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position > start
    }
}
