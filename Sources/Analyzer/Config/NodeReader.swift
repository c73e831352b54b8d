/// Reads a parsed YAML/JSON tree into typed values, collecting one diagnostic per problem with the
/// file and line it was found at. Never throws: callers check ``diagnostics`` at the end.
struct NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, line: node.mark.line, column: node.mark.column)
    }

    mutating func error(_ message: String, at node: YAMLNode?, hint: String? = nil) {
        diagnostics.append(.error(message, at: node.map(location) ?? SourceLocation(file: file, line: 1), hint: hint))
    }

    mutating func warning(_ message: String, at node: YAMLNode?, hint: String? = nil) {
        diagnostics.append(.warning(message, at: node.map(location) ?? SourceLocation(file: file, line: 1), hint: hint))
    }

    static func isNull(_ node: YAMLNode) -> Bool {
        node.isNull
    }

    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar:
            if node.isNull { "nothing (null)" }
            else if node.bool != nil { "a boolean" }
            else if node.int != nil || node.float != nil { "a number" }
            else { "a string" }
        }
    }

    /// The key/value pairs of a mapping, with keys as strings; nil (and an error) otherwise.
    mutating func pairs(_ node: YAMLNode, _ what: @autoclosure () -> String) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else {
            error("\(what()) must be a mapping, found \(NodeReader.describe(node))", at: node)
            return nil
        }
        return mapping.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
    }

    /// Reports every key not in `allowed`, suggesting the closest allowed one.
    mutating func rejectUnknownKeys(_ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], allowed: [String], in what: @autoclosure () -> String,
                                    extraHint: (String) -> String? = { _ in nil }) {
        for pair in pairs where !allowed.contains(pair.key) {
            var hint = Suggestion.closest(to: pair.key, in: allowed).map { "did you mean '\($0)'?" }
                ?? "allowed keys: \(allowed.joined(separator: ", "))"
            if let extra = extraHint(pair.key) { hint = extra }
            error("unknown key '\(pair.key)' in \(what())", at: pair.keyNode, hint: hint)
        }
    }

    mutating func string(_ node: YAMLNode, _ what: @autoclosure () -> String) -> String? {
        if NodeReader.isNull(node) { return nil }
        guard case .scalar(let scalar) = node else {
            error("\(what()) must be a string, found \(NodeReader.describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Bool? {
        if NodeReader.isNull(node) { return nil }
        if case .scalar(let scalar) = node {
            switch scalar.string.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        error("\(what()) must be true or false, found \(NodeReader.describe(node))", at: node)
        return nil
    }

    /// A list of strings. A null value is an empty list (the plugin reads it so).
    mutating func strings(_ node: YAMLNode, _ what: @autoclosure () -> String) -> [Located<String>] {
        if NodeReader.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            let hint: String? = switch node {
            case .scalar(let scalar): "write it as a list: [\"\(scalar.string)\"]"
            case .mapping: "a list has one '- value' line per entry (or [\"a\", \"b\"]); 'key: value' lines make a mapping"
            default: nil
            }
            error("\(what()) must be a list of strings, found \(NodeReader.describe(node))", at: node, hint: hint)
            return []
        }
        var values: [Located<String>] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, !NodeReader.isNull(item) else {
                error("\(what()) must contain only strings, found \(NodeReader.describe(item))", at: item)
                continue
            }
            values.append(Located(scalar.string, at: location(item)))
        }
        return values
    }

    /// A list of mappings.
    mutating func mappings(_ node: YAMLNode, _ what: @autoclosure () -> String) -> [YAMLNode] {
        if NodeReader.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            let hint: String? = if case .mapping = node { "this is a list of mappings: start each entry with '- ', then its 'key: value' lines" } else { nil }
            error("\(what()) must be a list, found \(NodeReader.describe(node))", at: node, hint: hint)
            return []
        }
        return sequence.filter { item in
            if case .mapping = item { return true }
            error("each entry of \(what()) must be a mapping, found \(NodeReader.describe(item))", at: item)
            return false
        }
    }

    /// Converts a node the way OpenSearch reads node settings: every scalar is its text as written
    /// (`1e3` stays "1e3", `.inf` stays ".inf"); only null, lists and maps keep their structure.
    static func settingsValue(_ node: YAMLNode) -> ConfigValue {
        switch node {
        case .scalar(let scalar): node.isNull ? .null : .string(scalar.string)
        case .sequence(let sequence): .list(sequence.map(settingsValue))
        case .mapping(let mapping): .map(Dictionary(mapping.map { ($0.key.string ?? "", settingsValue($0.value)) }) { _, last in last })
        }
    }

    /// The line of every setting in a settings file, under its flattened dotted key (the keys
    /// ``NodeSettings/flatten(_:prefix:)`` produces), so a bad value is reported where it is written.
    static func settingLines(_ node: YAMLNode, prefix: String = "") -> [String: Int] {
        guard case .mapping(let mapping) = node else { return [:] }
        var lines: [String: Int] = [:]
        for (key, value) in mapping {
            let path = prefix.isEmpty ? (key.string ?? "") : "\(prefix).\(key.string ?? "")"
            if case .mapping = value {
                lines.merge(settingLines(value, prefix: path)) { _, new in new }
            } else {
                lines[path] = key.mark.line
            }
        }
        return lines
    }

    /// Converts any node to a ``ConfigValue``.
    static func value(_ node: YAMLNode) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if node.isNull { return .null }
            if let value = node.bool { return .bool(value) }
            if let value = node.int { return .number(Double(value)) }
            if let value = node.float { return .number(value) }
            return .string(scalar.string)
        case .sequence(let sequence): return .list(sequence.map(value))
        case .mapping(let mapping):
            var map: [String: ConfigValue] = [:]
            for (key, item) in mapping { map[key.string ?? ""] = value(item) }
            return .map(map)
        }
    }
}
