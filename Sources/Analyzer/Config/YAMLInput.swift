import CYaml
import Yams

/// Parses YAML (and JSON, which is YAML) the way every secperm input is parsed: syntax errors as
/// diagnostics with a line, nesting bounded, and aliases refused.
///
/// Aliases: the plugin reads its YAML with Jackson's YAML parser, which does not expand an alias
/// but hands `*name` on as the string "name" (jackson-dataformats-text, yaml/…/YAMLParser.java,
/// `nextToken`, the `Alias` event case). Expanding them would give a different configuration
/// than the plugin sees, and nested aliases grow exponentially (an "alias bomb"); secperm stops
/// at the first one, with its line, found in libyaml's event stream before anything is composed
/// (composing alone hashes mapping keys, and an alias key would be hashed expanded).
enum YAMLInput {
    /// Deeper than any security configuration, claims document or request body needs; walking
    /// input trees is recursive, and this keeps it far from the stack's end.
    static let maximumDepth = 100

    static func compose(_ text: String, file: String, maximumDepth: Int = maximumDepth) throws(InputError) -> Node? {
        if let alias = firstAlias(in: text) {
            throw InputError(.error("YAML alias *\(alias.anchor): the security plugin does not expand aliases (it reads *\(alias.anchor) as the text \"\(alias.anchor)\")",
                                    at: SourceLocation(file: file, line: alias.line),
                                    hint: "write the value out where the alias is"))
        }
        do {
            guard let root = try Yams.compose(yaml: text) else { return nil }
            try DepthCheck(file: file, maximumDepth: maximumDepth).visit(root, depth: 1, line: root.mark?.line ?? 1)
            return root
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw InputError(YAMLErrorDescription.diagnostic(for: error, file: file))
        } catch {
            throw InputError(.error("cannot parse: \(error)", at: SourceLocation(file: file, line: 1)))
        }
    }

    /// The first alias (`*name`) in `text`, with its 1-based line, read from libyaml's events: one
    /// linear pass that expands nothing. Nil when there is none, or when the text does not parse
    /// (composing it then reports the syntax error).
    static func firstAlias(in text: String) -> (line: Int, anchor: String)? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeMutableBufferPointer { buffer -> (line: Int, anchor: String)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_ALIAS_EVENT:
                    let anchor = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                    return (Int(clamping: event.start_mark.line &+ 1), anchor)
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    continue
                }
            }
            return nil
        }
    }

    /// Walking input trees is recursive elsewhere: refuse deep ones here, once.
    private struct DepthCheck {
        let file: String
        let maximumDepth: Int

        func visit(_ node: Node, depth: Int, line: Int) throws(InputError) {
            guard depth <= maximumDepth else {
                throw InputError(.error("nested more than \(maximumDepth) levels deep", at: SourceLocation(file: file, line: node.mark?.line ?? line),
                                        hint: "security configurations nest a few levels; check that this is the file you meant"))
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    try visit(key, depth: depth + 1, line: key.mark?.line ?? line)
                    try visit(value, depth: depth + 1, line: key.mark?.line ?? line)
                }
            case .sequence(let sequence):
                for item in sequence { try visit(item, depth: depth + 1, line: item.mark?.line ?? line) }
            case .scalar, .alias:
                break
            }
        }
    }
}
