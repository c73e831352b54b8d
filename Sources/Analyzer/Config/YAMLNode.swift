import Yams

/// One node of a parsed YAML (or JSON) input, as ``YAMLInput`` builds it from libyaml's events:
/// scalars keep their text, style and written tag; every node keeps the 1-based line and column
/// where it starts, for diagnostics. There are no alias nodes: inputs with aliases are refused.
enum YAMLNode: Sendable {
    case scalar(Scalar)
    case sequence(List)
    case mapping(Mapping)

    /// Where a node starts: 1-based line and column (columns count Unicode scalars, as libyaml does).
    struct Mark: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    struct Scalar: Sendable {
        enum Style: UInt8, Sendable {
            case plain, singleQuoted, doubleQuoted, literal, folded
        }

        var string: String
        var style: Style
        /// The tag as written, expanded (`!!str` is `tag:yaml.org,2002:str`); a quoted scalar
        /// without a tag has the `str` tag, a plain one none (nil).
        var tag: String?
        var mark: Mark
    }

    struct List: RandomAccessCollection, Sendable {
        var items: [YAMLNode]
        var tag: String?
        var mark: Mark

        var startIndex: Int { items.startIndex }
        var endIndex: Int { items.endIndex }
        subscript(position: Int) -> YAMLNode { items[position] }
    }

    /// A mapping's pairs in the order written (keys and values alternate in `storage`).
    struct Mapping: RandomAccessCollection, Sendable {
        var storage: [YAMLNode]
        var tag: String?
        var mark: Mark

        var startIndex: Int { 0 }
        var endIndex: Int { storage.count / 2 }
        subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) {
            (key: storage[2 &* position], value: storage[2 &* position &+ 1])
        }

        var keys: LazyMapCollection<Mapping, YAMLNode> { lazy.map(\.key) }
    }

    static let strTag = "tag:yaml.org,2002:str"
    static let valueTag = "tag:yaml.org,2002:value"

    var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(let sequence): sequence.mark
        case .mapping(let mapping): mapping.mark
        }
    }

    /// The tag as written (see ``Scalar/tag``); nil for untagged lists and mappings.
    var tag: String? {
        switch self {
        case .scalar(let scalar): scalar.tag
        case .sequence(let sequence): sequence.tag
        case .mapping(let mapping): mapping.tag
        }
    }
}

// MARK: typed reads of scalars

/// Typed reads go through Yams, which read every input before this parser: a scalar is handed to
/// Yams' constructors with its text, style and tag as written, so null, booleans and numbers are
/// what they have always been.
extension YAMLNode {
    /// The text of a scalar. A mapping has the text of the value under a `!!value`-tagged key (the
    /// YAML 1.1 default-value convention, as Yams reads it); a list has none.
    var string: String? {
        switch self {
        case .scalar(let scalar): return scalar.string
        case .sequence: return nil
        case .mapping(let mapping):
            return mapping.first { $0.key.tag == Self.valueTag }?.value.string
        }
    }

    /// The scalar as a Yams node, for Yams' typed reads; nil for lists and mappings.
    var yamsScalar: Yams.Node? {
        guard case .scalar(let scalar) = self else { return nil }
        // Yams' typed reads look at a scalar's text, style and written tag name only, never at a
        // tag resolved by pattern nor at the constructor's maps: a resolver without rules and a
        // constructor without maps keep this cheap (Yams' default constructor builds its maps anew
        // on every use).
        let name = scalar.tag.map(Tag.Name.init(rawValue:)) ?? .implicit
        return .scalar(Node.Scalar(scalar.string, Tag(name, .basic, Constructor([:], [:], [:])), scalar.style.yams))
    }

    var isNull: Bool { yamsScalar?.null != nil }
    var bool: Bool? { yamsScalar?.bool }
    /// Yams reads YAML 1.1 base-60 text (`1:30`) as an Int and traps when its parts overflow
    /// (`1:1:1:1:1:1:1:1:1:1:1`); such text is read through Double here instead, which gives the
    /// same number whenever it fits and nil (not an integer) when it does not.
    var int: Int? {
        guard let node = yamsScalar else { return nil }
        guard let text = string, text.utf8.contains(UInt8(ascii: ":")) else { return node.int }
        return node.float.flatMap { Int(exactly: $0) }
    }
    var float: Double? { yamsScalar?.float }
}

extension YAMLNode.Scalar.Style {
    var yams: Node.Scalar.Style {
        switch self {
        case .plain: .plain
        case .singleQuoted: .singleQuoted
        case .doubleQuoted: .doubleQuoted
        case .literal: .literal
        case .folded: .folded
        }
    }
}

// MARK: paths and key identity

extension YAMLNode {
    /// The node at a path of mapping keys (text keys, untagged or tagged `str`).
    subscript(path keys: [String]) -> YAMLNode? {
        var current: YAMLNode? = self
        for key in keys {
            guard case .mapping(let mapping)? = current else { return nil }
            current = mapping.last { pair in
                if case .scalar(let scalar) = pair.key { return scalar.string == key && YAMLNode.isText(scalar.tag) }
                return false
            }?.value
        }
        return current
    }

    /// Whether a written tag leaves a scalar text: no tag, the non-specific `!`, or `!!str`.
    static func isText(_ tag: String?) -> Bool {
        tag == nil || tag == "!" || tag == strTag
    }

    /// What makes two mapping keys the same key. The plugin's mappers (DefaultObjectMapper, with
    /// `STRICT_DUPLICATE_DETECTION` on its YAML and JSON factories) compare field names, that is
    /// text: `1`, `"1"` and `!!int 1` are one key. Keys that are lists or mappings (YAML complex
    /// keys, which no configuration uses) are the same when their structure and tags are.
    enum KeyIdentity: Hashable {
        case text(String)
        case sequence([KeyIdentity], tag: String)
        case mapping([KeyIdentity], tag: String)
    }

    var keyIdentity: KeyIdentity {
        switch self {
        case .scalar(let scalar): .text(scalar.string)
        case .sequence(let sequence): .sequence(sequence.map(\.keyIdentity), tag: sequence.tag.flatMap { $0 == "!" ? nil : $0 } ?? "seq")
        case .mapping(let mapping): .mapping(mapping.storage.map(\.keyIdentity), tag: mapping.tag.flatMap { $0 == "!" ? nil : $0 } ?? "map")
        }
    }
}
