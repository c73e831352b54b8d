import Foundation

/// The one way secperm writes JSON: keys sorted (stable for scripts and golden files), slashes
/// unescaped (permission names stay readable), pretty-printed, newline-terminated.
public enum JSONOutput {
    public static func render<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return "{}\n"
        }
        return text + "\n"
    }
}

extension JSONOutput {
    /// One compact line, for JSON Lines output.
    public static func line<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        return text + "\n"
    }
}

/// An optional that JSON shows as `null` instead of leaving the key out: the CLI contract lists
/// keys such as `forbiddenMessage` and `decision` that scripts read even when they have no value.
public struct JSONNullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    public let value: Wrapped?

    public init(_ value: Wrapped?) {
        self.value = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// Plain-text tables: columns padded to the widest cell, two spaces apart. Widths count characters
/// (grapheme clusters), for measuring and for padding alike, so no cell is ever cut.
public enum TextTable {
    public static func render(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        let counts = rows.map { row in row.map(\.count) }
        for row in counts {
            for (index, count) in row.enumerated() where index < columns - 1 { widths[index] = max(widths[index], count) }
        }
        var out = ""
        for (number, row) in rows.enumerated() {
            for (index, cell) in row.enumerated() {
                out += cell
                if index < row.count - 1 {
                    out += String(repeating: " ", count: widths[index] - counts[number][index] + 2)
                }
            }
            out += "\n"
        }
        return out
    }
}
