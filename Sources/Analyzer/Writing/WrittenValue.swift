import Foundation
import Yams

/// A value as the configuration writer emits it: maps keep the order the writer gives them, scalars
/// keep their type. Turned into YAML through Yams' node API and into JSON through `JSONEncoder`,
/// so quoting and escaping are always the libraries' (a string such as `yes`, `5` or `&x` comes out
/// quoted; one such as `/metrics-\d{4}/` comes out as the same text).
indirect enum WrittenValue: Sendable {
    case string(String)
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case null
    case list([WrittenValue])
    case map([(key: String, value: WrittenValue)])

    static func strings(_ values: [String]) -> WrittenValue { .list(values.map(WrittenValue.string)) }

    /// A loosely typed value as read; maps come out in key order (``ConfigValue`` keeps no order),
    /// whole numbers as integers.
    init(_ value: ConfigValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number):
            if let whole = Int(exactly: number) { self = .integer(whole) } else { self = .number(number) }
        case .string(let text): self = .string(text)
        case .list(let items): self = .list(items.map(WrittenValue.init))
        case .map(let entries): self = .map(entries.keys.sorted().compactMap { key in entries[key].map { (key, WrittenValue($0)) } })
        }
    }

    // MARK: YAML

    var node: Node {
        switch self {
        case .string(let text): .scalar(Self.scalar(text))
        case .bool(let flag): .scalar(flag.represented())
        case .integer(let number): .scalar(number.represented())
        case .number(let number): .scalar(number.represented())
        case .null: .scalar(Node.Scalar("null"))
        case .list(let items): .sequence(Node.Sequence(items.map(\.node)))
        case .map(let pairs): .mapping(Node.Mapping(pairs.map { (Node.scalar($0.key.represented()), $0.value.node) }))
        }
    }

    /// A string as Yams represents it (quoted when a plain scalar would read as another type); text
    /// over several lines, such as a DLS query, as a literal block where libyaml can write one.
    private static func scalar(_ text: String) -> Node.Scalar {
        var scalar = text.represented()
        if scalar.style == .any, text.contains("\n") { scalar.style = .literal }
        return scalar
    }

    /// Block-style YAML, no line wrapping, Unicode kept as is.
    func yaml() throws(ConfigWriter.Failure) -> String {
        do {
            return try Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true)
        } catch {
            throw ConfigWriter.Failure("cannot write YAML: \(error)")
        }
    }

    // MARK: JSON

    /// Pretty-printed JSON with sorted keys (JSON readers do not keep key order either).
    func json() throws(ConfigWriter.Failure) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw ConfigWriter.Failure("cannot write JSON: \(error)")
        }
    }
}

extension WrittenValue: Encodable {
    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .integer(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .number(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .map(let pairs):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in pairs { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
