import Foundation

/// A JSON value whose objects keep their key order, as the cluster writes them. Written compactly
/// (no spaces), as OpenSearch's XContent does.
indirect enum JSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.text == rhs.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The compact text.
    var text: String {
        var output = ""
        write(into: &output)
        return output
    }

    var bytes: [UInt8] { Array(text.utf8) }

    private func write(into output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += JSON.format(value)
        case .string(let value): JSON.quote(value, into: &output)
        case .array(let items):
            output += "["
            for (position, item) in items.enumerated() {
                if position > 0 { output += "," }
                item.write(into: &output)
            }
            output += "]"
        case .object(let pairs):
            output += "{"
            for (position, pair) in pairs.enumerated() {
                if position > 0 { output += "," }
                JSON.quote(pair.0, into: &output)
                output += ":"
                pair.1.write(into: &output)
            }
            output += "}"
        }
    }

    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9.0e15 { return String(Int64(value)) }
        return value.isFinite ? String(value) : "null"
    }

    /// One JSON string escaper for the package (RFC 8259 §7): the batch lines' one.
    static func quote(_ text: String, into output: inout String) {
        JSONText.appendQuoted(text, to: &output)
    }

    /// The value at a key of an object.
    subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// A string array of names.
    static func strings(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }

    /// A configuration value, objects ordered by `order` (keys of one object at a time).
    static func from(_ value: ConfigValue, order: ([String]) -> [String] = { $0.sorted() }) -> JSON {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .number(let number): .number(number)
        case .string(let text): .string(text)
        case .list(let items): .array(items.map { from($0, order: order) })
        case .map(let map): .object(order(Array(map.keys)).compactMap { key in map[key].map { (key, from($0, order: order)) } })
        }
    }
}

extension ConfigValue {
    /// Parses strict JSON text (a request body). Numbers stay numbers, quoted text stays text.
    static func parseJSON(_ bytes: [UInt8]) -> ConfigValue? {
        try? JSONDecoder().decode(DecodedJSON.self, from: Data(bytes)).value
    }

    /// This value as JSON text, keys sorted (for documents the simulated cluster stores).
    var jsonText: String { JSON.from(self).text }
}

/// Decodes any JSON into a ``ConfigValue``: `true` stays a boolean, `"true"` a string.
private struct DecodedJSON: Decodable {
    let value: ConfigValue

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            var map: [String: ConfigValue] = [:]
            for key in container.allKeys { map[key.stringValue] = try container.decode(DecodedJSON.self, forKey: key).value }
            value = .map(map)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [ConfigValue] = []
            while !container.isAtEnd { items.append(try container.decode(DecodedJSON.self).value) }
            value = .list(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { value = .null }
        else if let flag = try? single.decode(Bool.self) { value = .bool(flag) }
        else if let number = try? single.decode(Double.self) { value = .number(number) }
        else { value = .string(try single.decode(String.self)) }
    }
}

extension JSON {
    /// The text as XContent pretty-prints it (`"key" : value`, two-space indents, arrays one item
    /// a line, `{ }` / `[ ]` when empty), ending with a line feed — what `GET /` sends by default.
    var prettyText: String {
        var output = ""
        writePretty(into: &output, depth: 0)
        return output + "\n"
    }

    private func writePretty(into output: inout String, depth: Int) {
        let indent = String(repeating: "  ", count: depth + 1)
        let closing = String(repeating: "  ", count: depth)
        switch self {
        case .array(let items):
            guard !items.isEmpty else { output += "[ ]"; return }
            output += "[\n"
            for (position, item) in items.enumerated() {
                if position > 0 { output += ",\n" }
                output += indent
                item.writePretty(into: &output, depth: depth + 1)
            }
            output += "\n" + closing + "]"
        case .object(let pairs):
            guard !pairs.isEmpty else { output += "{ }"; return }
            output += "{\n"
            for (position, pair) in pairs.enumerated() {
                if position > 0 { output += ",\n" }
                output += indent
                JSON.quote(pair.0, into: &output)
                output += " : "
                pair.1.writePretty(into: &output, depth: depth + 1)
            }
            output += "\n" + closing + "}"
        default:
            output += text
        }
    }
}

extension JSON {
    /// Back to a configuration value (key order is not kept).
    var configValue: ConfigValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .number(let number): .number(number)
        case .string(let text): .string(text)
        case .array(let items): .list(items.map(\.configValue))
        case .object(let pairs): .map(Dictionary(pairs.map { ($0.0, $0.1.configValue) }, uniquingKeysWith: { $1 }))
        }
    }
}
