import Foundation

/// Structure-aware mutations of text inputs (YAML, JSON, JSON Lines, console requests). Every
/// operator works on bytes, so the result may be anything a user or an attacker can write:
/// truncated, non-UTF-8, deeply nested, with aliases, tabs, empty keys or numbers out of range.
struct Mutator {
    var random: SeededRandom

    /// Values that reach the parsers' edges: integer and double limits, YAML specials, date math,
    /// templates, regexes, wrong types.
    static let interestingValues: [String] = [
        "99999999999999999999999999999", "1e300", "-1e300", "1e-300", ".inf", "-.inf", ".nan", ".NaN",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "0x7fffffffffffffff", "0o777", "-0", "0", "-1", "1.5", "2147483648",
        "~", "null", "true", "false", "yes", "\"\"", "''", "[]", "{}", "[[]]", "{a: [1, {b: 2}]}",
        "[1e300, 99999999999999999999]", "!!binary aGVsbG8=", "!!int 12", "!!float .inf", "!!str", "!!map {}",
        "\"<logs-{now+9223372036854775807w}>\"", "\"<logs-{now{yyyy|+99999999999999999:00}}>\"",
        "\"<x-{now/d{yyyy.MM.dd|Europe/Nowhere}}>\"", "\"<a-{now-1000000000y}>\"", "\"<{}>\"", "\"<{{{{}}}}>\"",
        "\"${user.name}\"", "\"${attr.internal.}\"", "\"${user_name}${user.roles}\"", "\"${\"", "\"/(/\"",
        "\"/(a+)+$/\"", "\"/.*/\"", "\"*\"", "\"?\"", "\"\\u0000\"", "\"\\ud800\"", "\"é\"", "\"\u{202E}x\"",
        "\"restapi:admin/*\"", "\"system:admin/system_index\"", "\".opendistro_security\"", "\"_all\"",
    ]

    /// Raw tokens inserted at arbitrary places.
    static let tokens: [[UInt8]] = [
        [0x09], [0x00], [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x0D], [0x0D, 0x0A],
        Array("\"".utf8), Array("'".utf8), Array("{".utf8), Array("[".utf8), Array("]".utf8), Array("}".utf8),
        Array(": ".utf8), Array("- ".utf8), Array("&a ".utf8), Array("*a".utf8), Array("? ".utf8), Array("| ".utf8),
        Array("> ".utf8), Array("# ".utf8), Array("%YAML 1.1\n".utf8), Array("---\n".utf8), Array("...\n".utf8),
        Array("<<: *a\n".utf8), Array(",".utf8), Array("\\".utf8), Array("%".utf8), Array("?=".utf8), Array("&&".utf8),
        Array("%zz".utf8), Array("{now".utf8), Array("|+".utf8), Array("${".utf8), Array("/".utf8), Array("\n".utf8),
    ]

    init(random: SeededRandom) { self.random = random }

    /// One to three mutations, chosen among the operators that suit the input's kind.
    mutating func mutate(_ input: [UInt8], kind: InputKind) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(3) {
            bytes = mutateOnce(bytes, kind: kind)
        }
        return bytes
    }

    enum InputKind { case yaml, json, jsonLines, console }

    private mutating func mutateOnce(_ bytes: [UInt8], kind: InputKind) -> [UInt8] {
        switch random.below(16) {
        case 0: return flipByte(bytes)
        case 1: return insertToken(bytes)
        case 2: return deleteRange(bytes)
        case 3: return truncate(bytes)
        case 4: return lineOperation(bytes)
        case 5: return reindent(bytes)
        case 6, 7: return replaceValue(bytes, kind: kind)
        case 8: return emptyKey(bytes, kind: kind)
        case 9: return kind == .yaml ? aliases(bytes) : replaceValue(bytes, kind: kind)
        case 10: return deepNesting(bytes, kind: kind)
        case 11: return repeatLine(bytes)
        case 12: return nonUTF8(bytes)
        case 13, 14: return kind == .jsonLines || kind == .json ? structuredJSON(bytes) : replaceValue(bytes, kind: kind)
        default: return kind == .console ? consoleLine(bytes) : replaceValue(bytes, kind: kind)
        }
    }

    // MARK: byte-level operators

    mutating func flipByte(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [UInt8(truncatingIfNeeded: random.next())] }
        var copy = bytes
        copy[random.below(copy.count)] = UInt8(truncatingIfNeeded: random.next())
        return copy
    }

    mutating func insertToken(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.insert(contentsOf: random.pick(Self.tokens), at: random.below(copy.count + 1))
        return copy
    }

    mutating func deleteRange(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        let start = random.below(bytes.count)
        let length = 1 + random.below(min(64, bytes.count - start))
        var copy = bytes
        copy.removeSubrange(start..<(start + length))
        return copy
    }

    mutating func truncate(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix(random.below(bytes.count + 1)))
    }

    mutating func nonUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        let bad: [[UInt8]] = [[0xFF, 0xFE], [0xC0, 0xAF], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]]
        copy.insert(contentsOf: random.pick(bad), at: random.below(copy.count + 1))
        return copy
    }

    // MARK: line-level operators

    private func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    private func join(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [0x0A]))
    }

    mutating func lineOperation(_ bytes: [UInt8]) -> [UInt8] {
        var all = lines(bytes)
        guard !all.isEmpty else { return bytes }
        let index = random.below(all.count)
        switch random.below(4) {
        case 0: all.insert(all[index], at: random.below(all.count + 1))
        case 1: all.remove(at: index)
        case 2: all.swapAt(index, random.below(all.count))
        default: all.insert(all[random.below(all.count)], at: index)
        }
        return join(all)
    }

    mutating func reindent(_ bytes: [UInt8]) -> [UInt8] {
        var all = lines(bytes)
        guard !all.isEmpty else { return bytes }
        let index = random.below(all.count)
        let body = Array(all[index].drop { $0 == 0x20 || $0 == 0x09 })
        let indent: [UInt8] = switch random.below(4) {
        case 0: [0x09]
        case 1: [0x20, 0x09]
        case 2: Array(repeating: 0x20, count: random.below(12))
        default: []
        }
        all[index] = indent + body
        return join(all)
    }

    mutating func repeatLine(_ bytes: [UInt8]) -> [UInt8] {
        var all = lines(bytes)
        guard !all.isEmpty else { return bytes }
        let index = random.below(all.count)
        // Enough to find per-item costs that grow out of bounds, few enough for the deadline.
        let copies = random.pick([2, 10, 50, 200])
        all.insert(contentsOf: Array(repeating: all[index], count: copies), at: index)
        return join(all)
    }

    // MARK: structure-aware operators

    /// Replaces the value of a `key: value` pair, a list item or a JSON member with an
    /// interesting value (a number out of range, a wrong type, date math …).
    mutating func replaceValue(_ bytes: [UInt8], kind: InputKind) -> [UInt8] {
        var all = lines(bytes)
        let candidates = all.indices.filter { all[$0].contains(0x3A) || all[$0].first(where: { $0 != 0x20 }) == 0x2D }
        guard !candidates.isEmpty else { return insertToken(bytes) }
        let index = random.pick(candidates)
        let line = all[index]
        let value = Array(random.pick(Self.interestingValues).utf8)
        // Cut after a random ':' (or after '- '), keep the prefix, put the value there.
        let cuts = line.indices.filter { line[$0] == 0x3A || (line[$0] == 0x2D && $0 + 1 < line.count && line[$0 + 1] == 0x20) }
        guard let cut = cuts.isEmpty ? nil : random.pick(cuts) else { return bytes }
        var rest = Array(line[(cut + 1)...])
        if kind == .json || kind == .jsonLines, let end = rest.firstIndex(where: { $0 == 0x2C || $0 == 0x7D }) {
            rest = Array(rest[end...])
        } else {
            rest = []
        }
        all[index] = Array(line[...cut]) + [0x20] + value + rest
        return join(all)
    }

    mutating func emptyKey(_ bytes: [UInt8], kind: InputKind) -> [UInt8] {
        var all = lines(bytes)
        guard !all.isEmpty else { return Array("\"\": x".utf8) }
        let index = random.below(all.count)
        let indent = Array(all[index].prefix { $0 == 0x20 })
        let insert: [UInt8] = switch kind {
        case .yaml: indent + Array(random.pick(["\"\": x", "? \"\"\n\(String(repeating: " ", count: indent.count)): y", ": z", "'': []", "\"\": {\"\": \"\"}"]).utf8)
        case .json, .jsonLines: Array(random.pick(["{\"\": 1}", "{\"\": \"\", \"id\": \"\"}", "{\"user\": \"\", \"action\": \"\"}"]).utf8)
        case .console: Array(random.pick(["GET ?", "GET /?=", "GET _search?=&=", "GET logs-1/_search?=", "GET ?&", "DELETE ", "GET  /"]).utf8)
        }
        all.insert(insert, at: index)
        return join(all)
    }

    /// Anchors and aliases, from one reference to a nested alias bomb.
    mutating func aliases(_ bytes: [UInt8]) -> [UInt8] {
        var all = lines(bytes)
        let levels = 1 + random.below(9)
        let fanout = 2 + random.below(8)
        var bomb = ["fuzz_alias_0: &a0 [\"x\", \"y\"]"]
        for level in 1..<max(2, levels) {
            let refs = Array(repeating: "*a\(level - 1)", count: fanout).joined(separator: ", ")
            bomb.append("fuzz_alias_\(level): &a\(level) [\(refs)]")
        }
        let indent = String(repeating: " ", count: random.pick([0, 2, 4]))
        let block = bomb.map { Array((indent + $0).utf8) }
        all.insert(contentsOf: block, at: random.below(all.count + 1))
        return join(all)
    }

    mutating func deepNesting(_ bytes: [UInt8], kind: InputKind) -> [UInt8] {
        let depth = random.pick([50, 200, 1_000, 10_000])
        let nest: String
        if kind == .yaml && random.chance(50) {
            nest = (0..<min(depth, 200)).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " v"
        } else if random.chance(50) {
            nest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        } else {
            nest = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        }
        var all = lines(bytes)
        let index = random.below(all.count + 1)
        switch kind {
        case .yaml: all.insert(Array("fuzz_nested: \(nest)".utf8), at: index)
        case .jsonLines, .json, .console: all.insert(Array(nest.utf8), at: index)
        }
        return join(all)
    }

    /// Parses one JSON object line and gives one member a value of another type (or removes it,
    /// or adds an unknown one), so the decoders' type checks are reached past the JSON parser.
    mutating func structuredJSON(_ bytes: [UInt8]) -> [UInt8] {
        var all = lines(bytes)
        let objects = all.indices.compactMap { index -> (Int, [String: Any])? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(all[index])) as? [String: Any] else { return nil }
            return (index, object)
        }
        guard !objects.isEmpty else { return replaceValue(bytes, kind: .jsonLines) }
        let picked = random.pick(objects)
        let index = picked.0
        var object = picked.1
        let values: [Any] = [5, -1, 1e300, Double.greatestFiniteMagnitude, "", "x", [String](), ["a", 1], [String: Any](),
                             ["nested": ["deeper": [1, 2]]], NSNull(), true, "<logs-{now+99999999999w}>", ["${user.name}"],
                             "indices:data/read/search", "allow", "partial", "deny", "maybe", [""], [5]]
        let keys = Array(object.keys).sorted() + ["indices", "expected", "allowed_indices", "attributes", "backend_roles",
                                                  "resolved_indices", "unknown_field", "roles", "tags"]
        let key = random.pick(keys)
        if random.chance(15) { object.removeValue(forKey: key) } else { object[key] = random.pick(values) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return bytes }
        all[index] = Array(data)
        return join(all)
    }

    /// Rewrites the method or path of a console request line.
    mutating func consoleLine(_ bytes: [UInt8]) -> [UInt8] {
        var all = lines(bytes)
        let methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"]
        let paths = ["?", "/?=", "logs-1/_search?=", "_search?q=%zz&&=", "<logs-{now+9223372036854775807w}>/_search",
                     "<logs-{now{yyyy|+99999999999999999:00}}>/_doc/1", "%3Clogs-%7Bnow%2Fd%7D%3E", "%", "%%", "/",
                     "_bulk?refresh=true&pipeline=", "a,b,,c/_search", "_all/_close", "*/_doc/1", "_cat/indices/*,-a",
                     "_plugins/_security/api/roles/", "_snapshot//_restore", String(repeating: "a/", count: 5_000),
                     "x?" + String(repeating: "a=b&", count: 5_000), "\u{0}", "logs-\u{FFFD}"]
        let line = "\(random.pick(methods)) \(random.pick(paths))"
        let requestLines = all.indices.filter { index in methods.contains { all[index].starts(with: Array("\($0) ".utf8)) } }
        if let target = requestLines.isEmpty ? nil : random.pick(requestLines), random.chance(70) {
            all[target] = Array(line.utf8)
        } else {
            all.insert(Array(line.utf8), at: random.below(all.count + 1))
        }
        return join(all)
    }
}
