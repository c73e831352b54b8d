import Yams

/// Parses YAML (and JSON, which is YAML) the way every secperm input is parsed: syntax errors as
/// diagnostics with a line, nesting bounded, and aliases refused.
///
/// Aliases: the plugin reads its YAML with Jackson's YAML parser, which does not expand an alias
/// but hands `*name` on as the string "name" (jackson-dataformats-text, yaml/…/YAMLParser.java,
/// `nextToken`, the `Alias` event case). Expanding them would give a different configuration
/// than the plugin sees, and nested aliases grow exponentially (an "alias bomb"); secperm stops
/// at the first one, with its line, before anything walks the expanded tree.
enum YAMLInput {
    /// Deeper than any security configuration, claims document or request body needs; walking
    /// input trees is recursive, and this keeps it far from the stack's end.
    static let maximumDepth = 100

    static func compose(_ text: String, file: String, maximumDepth: Int = maximumDepth) throws(InputError) -> Node? {
        do {
            // The parser owns the anchors (nodes hold them weakly): keep it alive while checking.
            let parser = try Parser(yaml: text)
            guard let root = try parser.singleRoot() else { return nil }
            var check = TreeCheck(file: file, maximumDepth: maximumDepth)
            try check.visit(root, depth: 1, line: root.mark?.line ?? 1)
            withExtendedLifetime(parser) {}
            return root
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw InputError(YAMLErrorDescription.diagnostic(for: error, file: file))
        } catch {
            throw InputError(.error("cannot parse: \(error)", at: SourceLocation(file: file, line: 0)))
        }
    }

    /// One pass over the composed tree that never enters the same anchored node twice, so it is
    /// linear in the text even when aliases would make the tree exponential.
    private struct TreeCheck {
        let file: String
        let maximumDepth: Int
        var anchors: Set<ObjectIdentifier> = []

        mutating func visit(_ node: Node, depth: Int, line: Int) throws(InputError) {
            if let anchor = Self.anchor(of: node) {
                guard anchors.insert(ObjectIdentifier(anchor)).inserted else {
                    throw InputError(.error("YAML alias *\(anchor.rawValue): the security plugin does not expand aliases (it reads *\(anchor.rawValue) as the text \"\(anchor.rawValue)\")",
                                            at: SourceLocation(file: file, line: line),
                                            hint: "write the value out where the alias is"))
                }
            }
            guard depth <= maximumDepth else {
                throw InputError(.error("nested more than \(maximumDepth) levels deep", at: SourceLocation(file: file, line: node.mark?.line ?? line),
                                        hint: "security configurations nest a few levels; check that this is the file you meant"))
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    let keyLine = key.mark?.line ?? line
                    try visit(key, depth: depth + 1, line: keyLine)
                    try visit(value, depth: depth + 1, line: keyLine)
                }
            case .sequence(let sequence):
                var itemLine = node.mark?.line ?? line
                for item in sequence {
                    itemLine = item.mark.map { max($0.line, itemLine) } ?? itemLine
                    try visit(item, depth: depth + 1, line: itemLine)
                }
            case .scalar, .alias:
                break
            }
        }

        static func anchor(of node: Node) -> Anchor? {
            switch node {
            case .scalar(let scalar): scalar.anchor
            case .mapping(let mapping): mapping.anchor
            case .sequence(let sequence): sequence.anchor
            case .alias: nil
            }
        }
    }
}
