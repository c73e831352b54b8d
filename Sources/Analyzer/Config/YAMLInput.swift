import CYaml

/// Parses YAML (and JSON, which is YAML) the way every secperm input is parsed: syntax errors as
/// diagnostics with a line, one document, nesting bounded, duplicate keys and aliases refused.
///
/// One pass over libyaml's events builds the ``YAMLNode`` tree and does every check:
/// - Aliases: the plugin reads its YAML with Jackson's YAML parser, which does not expand an alias
///   but hands `*name` on as the string "name" (jackson-dataformats-text, yaml/…/YAMLParser.java,
///   `nextToken`, the `Alias` event case). Expanding them would give a different configuration
///   than the plugin sees, and nested aliases grow exponentially (an "alias bomb"); secperm stops
///   at the first one, with its line. Nothing is expanded or hashed before that.
/// - Duplicate keys: the plugin's mappers (DefaultObjectMapper: `STRICT_DUPLICATE_DETECTION` on its
///   YAML and JSON factories) compare keys as field names, that is as text (``YAMLNode/KeyIdentity``).
///   A mapping is checked when it closes.
/// - Nesting: walking input trees is recursive elsewhere; deep ones are refused here, once.
///
/// Report order (one error per input): an alias anywhere before the first syntax error comes first;
/// then the first of a syntax error, a duplicate key or a second document, in the order they are
/// met; then a node nested too deep.
enum YAMLInput {
    /// Deeper than any security configuration, claims document or request body needs; walking
    /// input trees is recursive, and this keeps it far from the stack's end.
    static let maximumDepth = 100

    static func compose(_ text: String, file: String, maximumDepth: Int = maximumDepth) throws(InputError) -> YAMLNode? {
        var text = text
        let outcome = text.withUTF8 { Composer.run($0, maximumDepth: maximumDepth) }
        switch outcome {
        case .success(let root):
            return root
        case .failure(let failure):
            throw InputError(failure.diagnostic(text: text, file: file))
        }
    }

    /// The first alias (`*name`) in `text`, with its 1-based line, read from libyaml's events: one
    /// linear pass that expands nothing. Nil when there is none, or when a syntax error comes first.
    static func firstAlias(in text: String) -> (line: Int, anchor: String)? {
        if case .alias(let line, let anchor)? = firstProblem(in: text) { return (line, anchor) }
        return nil
    }

    /// The first alias, syntax error or second document in `text`, from the same linear pass
    /// (nothing is built, so duplicate keys and depth are not looked at); nil when there is none.
    static func firstProblem(in text: String) -> Failure? {
        var text = text
        let outcome = text.withUTF8 { Composer.run($0, maximumDepth: .max, build: false) }
        if case .failure(let failure) = outcome { return failure }
        return nil
    }

    /// Why an input was refused; turned into a diagnostic with the input's text at hand.
    enum Failure: Error {
        case alias(line: Int, anchor: String)
        case syntax(YAMLErrorDescription.Problem)
        case duplicateKeys(names: [String], at: YAMLNode.Mark)
        case anotherDocument(at: YAMLNode.Mark)
        case tooDeep(line: Int, maximumDepth: Int)

        func diagnostic(text: String, file: String) -> Diagnostic {
            switch self {
            case .alias(let line, let anchor):
                .error("YAML alias *\(anchor): the security plugin does not expand aliases (it reads *\(anchor) as the text \"\(anchor)\")",
                       at: SourceLocation(file: file, line: line), hint: "write the value out where the alias is")
            case .syntax(let problem):
                YAMLErrorDescription.diagnostic(for: problem, text: text, file: file)
            case .duplicateKeys(let names, let mark):
                YAMLErrorDescription.duplicateKeys(names, at: SourceLocation(file: file, line: mark.line, column: mark.column))
            case .anotherDocument(let mark):
                YAMLErrorDescription.diagnostic(
                    for: .init(stage: .composer, problem: "but found another document", line: mark.line, column: mark.column,
                               context: (text: "expected a single document in the stream", line: 1)),
                    text: text, file: file)
            case .tooDeep(let line, let maximumDepth):
                .error("nested more than \(maximumDepth) levels deep", at: SourceLocation(file: file, line: line),
                       hint: "security configurations nest a few levels; check that this is the file you meant")
            }
        }
    }

    /// The single pass. `build: false` only looks for aliases and errors (nothing is kept).
    private struct Composer {
        /// A collection being read: its items so far (keys and values alternate in a mapping).
        struct Frame {
            var isMapping: Bool
            var items: [YAMLNode]
            var tag: String?
            var mark: YAMLNode.Mark
        }

        var building: Bool
        var stack: [Frame] = []
        var root: YAMLNode?
        /// Collections open around the next node (libyaml refuses more than 1000).
        var open = 0
        var documents = 0
        /// The first duplicate key or second document: reported unless an alias follows.
        var pending: Failure?
        var firstTooDeep: Int?

        static func run(_ buffer: UnsafeBufferPointer<UInt8>, maximumDepth: Int, build: Bool = true) -> Result<YAMLNode?, Failure> {
            // No events but the stream's own: no document.
            guard buffer.count > 0, let base = buffer.baseAddress else { return .success(nil) }
            var composer = Composer(building: build)
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(.syntax(.init(stage: .memory, problem: "Memory error", line: 1, column: 1)))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return .failure(composer.pending ?? .syntax(.init(parser)))
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                if let failure = composer.take(&event, maximumDepth: maximumDepth) { return .failure(failure) }
            }
            if let pending = composer.pending { return .failure(pending) }
            if let line = composer.firstTooDeep, build { return .failure(.tooDeep(line: line, maximumDepth: maximumDepth)) }
            return .success(composer.root)
        }

        /// Reads one event; a failure that ends the pass (an alias) is returned.
        mutating func take(_ event: inout yaml_event_t, maximumDepth: Int) -> Failure? {
            let mark = YAMLNode.Mark(line: Int(clamping: event.start_mark.line) &+ 1, column: Int(clamping: event.start_mark.column) &+ 1)
            switch event.type {
            case YAML_ALIAS_EVENT:
                return .alias(line: mark.line, anchor: event.data.alias.anchor.map { String(cString: $0) } ?? "")
            case YAML_DOCUMENT_START_EVENT:
                documents &+= 1
                if documents > 1 { fail(.anotherDocument(at: mark)) }
            case YAML_SCALAR_EVENT:
                if open >= maximumDepth, firstTooDeep == nil { firstTooDeep = mark.line }
                guard building else { return nil }
                let scalar = event.data.scalar
                let text = scalar.length == 0 ? "" : String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let style: YAMLNode.Scalar.Style = switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
                let tag = scalar.quoted_implicit == 1 ? YAMLNode.strTag : scalar.tag.map { String(cString: $0) }
                add(.scalar(.init(string: text, style: style, tag: tag, mark: mark)))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if open >= maximumDepth, firstTooDeep == nil { firstTooDeep = mark.line }
                open &+= 1
                guard building else { return nil }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let tag: String? = isMapping
                    ? (event.data.mapping_start.implicit != 0 ? nil : event.data.mapping_start.tag.map { String(cString: $0) })
                    : (event.data.sequence_start.implicit != 0 ? nil : event.data.sequence_start.tag.map { String(cString: $0) })
                stack.append(Frame(isMapping: isMapping, items: [], tag: tag, mark: mark))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                open &-= 1
                guard building, let frame = stack.popLast() else { return nil }
                if frame.isMapping {
                    if let duplicates = Self.duplicates(frame.items) {
                        fail(.duplicateKeys(names: duplicates.names, at: duplicates.mark))
                        return nil
                    }
                    add(.mapping(.init(storage: frame.items, tag: frame.tag, mark: frame.mark)))
                } else {
                    add(.sequence(.init(items: frame.items, tag: frame.tag, mark: frame.mark)))
                }
            default:
                break
            }
            return nil
        }

        mutating func add(_ node: YAMLNode) {
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].items.append(node)
            }
        }

        /// Keeps the first failure; the tree is not needed after one.
        mutating func fail(_ failure: Failure) {
            if pending == nil { pending = failure }
            building = false
            stack = []
            root = nil
        }

        /// The duplicated keys of a mapping (keys at the even positions), named in text order, with
        /// the first place the first of them is written; nil when every key is distinct.
        static func duplicates(_ storage: [YAMLNode]) -> (names: [String], mark: YAMLNode.Mark)? {
            let count = storage.count / 2
            guard count > 1, hasDuplicate(storage, count: count) else { return nil }
            var first: [YAMLNode.KeyIdentity: Int] = [:], repeated: Set<YAMLNode.KeyIdentity> = []
            for index in 0..<count {
                let identity = storage[2 &* index].keyIdentity
                if first[identity] == nil { first[identity] = index } else { repeated.insert(identity) }
            }
            // Text keys in text order, then keys that are lists or mappings in the order written.
            let keys = repeated.compactMap { first[$0] }.map { storage[2 &* $0] }.sorted { lhs, rhs in
                switch (lhs, rhs) {
                case (.scalar(let left), .scalar(let right)): left.string < right.string
                case (.scalar, _): true
                case (_, .scalar): false
                default: (lhs.mark.line, lhs.mark.column) < (rhs.mark.line, rhs.mark.column)
                }
            }
            guard let firstKey = keys.first else { return nil }
            // A list or mapping key has no text to name ("<uncovertable>" is the word Yams, which
            // read configurations before this parser, put there).
            return (keys.map { $0.string ?? "<uncovertable>" }, firstKey.mark)
        }

        /// Whether two keys of a mapping are the same: pairwise for small mappings, hashed otherwise.
        static func hasDuplicate(_ storage: [YAMLNode], count: Int) -> Bool {
            var texts: [String] = []
            texts.reserveCapacity(count)
            for index in 0..<count {
                guard case .scalar(let key) = storage[2 &* index] else {
                    var seen: Set<YAMLNode.KeyIdentity> = []
                    return (0..<count).contains { !seen.insert(storage[2 &* $0].keyIdentity).inserted }
                }
                texts.append(key.string)
            }
            if count <= 8 {
                for index in 1..<count where texts[..<index].contains(texts[index]) { return true }
                return false
            }
            var seen = Set<String>(minimumCapacity: count)
            return texts.contains { !seen.insert($0).inserted }
        }
    }
}

extension YAMLErrorDescription.Problem {
    /// The error libyaml stopped at.
    init(_ parser: yaml_parser_t) {
        let stage: Stage = switch parser.error {
        case YAML_READER_ERROR: .reader
        case YAML_SCANNER_ERROR: .scanner
        case YAML_PARSER_ERROR: .parser
        case YAML_COMPOSER_ERROR: .composer
        default: .memory
        }
        let problem = stage == .memory ? "Memory error" : parser.problem.map { String(cString: $0) } ?? ""
        self.init(stage: stage, problem: problem,
                  line: Int(clamping: parser.problem_mark.line) &+ 1, column: Int(clamping: parser.problem_mark.column) &+ 1,
                  context: parser.context.map { (text: String(cString: $0), line: Int(clamping: parser.context_mark.line) &+ 1) },
                  byteOffset: Int(clamping: parser.problem_offset))
    }
}
