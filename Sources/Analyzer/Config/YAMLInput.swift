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

    /// Composing checks every mapping for duplicate keys by hashing each key with its resolved
    /// tag; Yams' default resolver finds that tag by trying up to seven regular expressions on every
    /// key, which made the check most of the cost of loading a large roles.yml. The plugin's
    /// mappers (DefaultObjectMapper: `STRICT_DUPLICATE_DETECTION` on its YAML and JSON factories)
    /// compare keys as field names, that is as text: `1:` and `"1":` are the same key to it. A
    /// resolver without rules resolves every untagged scalar to `str`, so keys are compared as
    /// text, as the plugin does, and no regular expression runs.
    ///
    /// Nothing else depends on it: the typed reads of a value (`Node.null`, `.bool`, `.int`,
    /// `.float`) look at the scalar's text, style and written tag, not at its resolved tag.
    static let keysAsText = Resolver.basic

    static func compose(_ text: String, file: String, maximumDepth: Int = maximumDepth) throws(InputError) -> Node? {
        let outline = Outline(of: text, maximumDepth: maximumDepth)
        if let alias = outline.firstAlias {
            throw InputError(.error("YAML alias *\(alias.anchor): the security plugin does not expand aliases (it reads *\(alias.anchor) as the text \"\(alias.anchor)\")",
                                    at: SourceLocation(file: file, line: alias.line),
                                    hint: "write the value out where the alias is"))
        }
        do {
            guard let root = try Yams.compose(yaml: text, keysAsText) else { return nil }
            // After composing: a syntax error or a duplicate key is reported before the depth.
            if let line = outline.firstTooDeep {
                throw InputError(.error("nested more than \(maximumDepth) levels deep", at: SourceLocation(file: file, line: line),
                                        hint: "security configurations nest a few levels; check that this is the file you meant"))
            }
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
        Outline(of: text, maximumDepth: .max).firstAlias
    }

    /// What one pass over libyaml's events finds before anything is composed: the first alias, and
    /// the line of the first node nested deeper than the bound (walking input trees is recursive
    /// elsewhere: deep ones are refused here, once). The pass stops at the first alias, at the end
    /// of the stream, or at a syntax error (which composing then reports).
    struct Outline {
        private(set) var firstAlias: (line: Int, anchor: String)?
        private(set) var firstTooDeep: Int?

        init(of text: String, maximumDepth: Int) {
            guard !text.isEmpty else { return }
            var text = text
            text.withUTF8 { buffer in scan(buffer, maximumDepth: maximumDepth) }
        }

        private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Collections open around the next node; libyaml refuses more than 1000, so this stays small.
            var open = 0
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let line = Int(clamping: event.start_mark.line &+ 1)
                switch event.type {
                case YAML_ALIAS_EVENT:
                    firstAlias = (line, event.data.alias.anchor.map { String(cString: $0) } ?? "")
                    return
                case YAML_SCALAR_EVENT:
                    if open >= maximumDepth, firstTooDeep == nil { firstTooDeep = line }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if open >= maximumDepth, firstTooDeep == nil { firstTooDeep = line }
                    open += 1
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    open -= 1
                case YAML_STREAM_END_EVENT:
                    return
                default:
                    continue
                }
            }
        }
    }
}
