import Foundation
import Testing
@testable import Analyzer

/// The YAML reading every input shares (YAMLInput, NodeReader): how scalars are typed, what a
/// document may hold, and in which order problems are reported. The typing rules are the ones the
/// decoders have always applied (YAML 1.1 forms as the Yams library reads them: `yes`/`on` are
/// booleans, `017` is octal, `1:30` is sexagesimal); these tests pin them so that the parser
/// underneath can change without a value changing.
@Suite("YAML input: scalar typing, documents, report order")
struct YAMLInputTests {
    func messages(_ body: () throws -> Void) -> [String] {
        inputErrorMessages(body)
    }

    /// The value of `v` in a one-line document.
    func value(_ yaml: String) throws -> ConfigValue? {
        try YAMLInput.compose(yaml, file: "x.yml").map(NodeReader.value)?.map?["v"]
    }

    // MARK: scalar typing

    @Test("null: only plain scalars (empty, ~, null, Null, NULL); quoted text is text", arguments: [
        ("v:", ConfigValue.null), ("v: ~", .null), ("v: null", .null), ("v: Null", .null), ("v: NULL", .null),
        ("v: nUll", .string("nUll")), ("v: 'null'", .string("null")), ("v: \"\"", .string("")), ("v: !!str", .null),
        ("v: !!null x", .string("x")),
    ])
    func nulls(yaml: String, expected: ConfigValue) throws {
        #expect(try value(yaml) == expected)
    }

    @Test("booleans: true/yes/on and false/no/off in any case, unless quoted or tagged !!str", arguments: [
        ("v: yes", ConfigValue.bool(true)), ("v: On", .bool(true)), ("v: TRUE", .bool(true)), ("v: OFF", .bool(false)),
        ("v: no", .bool(false)), ("v: False", .bool(false)), ("v: 'yes'", .string("yes")), ("v: \"true\"", .string("true")),
        ("v: !!str true", .string("true")), ("v: !custom true", .bool(true)), ("v: y", .string("y")), ("v: n", .string("n")),
    ])
    func booleans(yaml: String, expected: ConfigValue) throws {
        #expect(try value(yaml) == expected)
    }

    @Test("integers: plain scalars only; 0x, 0o, 0b and a leading 0 (octal), underscores, signs, base 60", arguments: [
        ("v: 0", ConfigValue.number(0)), ("v: 42", .number(42)), ("v: -0x1F", .number(-31)), ("v: 0o17", .number(15)),
        ("v: 017", .number(15)), ("v: 0b101", .number(5)), ("v: 1_000", .number(1000)), ("v: +5", .number(5)),
        ("v: 1:30", .number(90)), ("v: -1:30", .number(-90)), ("v: '5'", .string("5")), ("v: \"5\"", .string("5")),
        ("v: !!str 5", .number(5)), ("v: 0x", .string("0x")), ("v: 0xZ", .string("0xZ")),
        // Not an Int: read as a float.
        ("v: 09", .number(9)), ("v: 0:30", .number(30)), ("v: 9223372036854775808", .number(9_223_372_036_854_775_808)),
    ])
    func integers(yaml: String, expected: ConfigValue) throws {
        #expect(try value(yaml) == expected)
    }

    @Test("floats: plain scalars only; .inf/.nan in any case, exponents, base 60, what Swift's Double reads", arguments: [
        ("v: 1e3", ConfigValue.number(1000)), ("v: .5", .number(0.5)), ("v: -2.5", .number(-2.5)), ("v: 1_0.5", .number(10.5)),
        ("v: .inf", .number(.infinity)), ("v: +.INF", .number(.infinity)), ("v: -.Inf", .number(-.infinity)),
        ("v: inf", .number(.infinity)), ("v: 1.5:30", .number(120)), ("v: 0x1p3", .number(8)), ("v: '1e3'", .string("1e3")),
        ("v: 1e", .string("1e")), ("v: |\n  5\n", .string("5\n")), ("v: >-\n  5\n", .string("5")),
    ])
    func floats(yaml: String, expected: ConfigValue) throws {
        #expect(try value(yaml) == expected)
    }

    @Test("not-a-number is a number that prints as nan")
    func notANumber() throws {
        #expect(try value("v: .NaN")?.string == "nan")
        #expect(try value("v: .nan")?.kind == "a number")
        #expect(try value("v: 'nan'") == .string("nan"))
    }

    @Test("descriptions for messages follow the same typing")
    func descriptions() throws {
        let root = try #require(try YAMLInput.compose("a: '5'\nb: yes\nc: 0x10\nd: ~\ne: [1]\nf: {g: 1}\nh: x\n", file: "x.yml"))
        let described = try #require(NodeReader.value(root).map).keys.sorted().map { key in
            guard case .mapping(let mapping) = root, let node = mapping.first(where: { $0.key.string == key })?.value else { return "?" }
            return "\(key)=\(NodeReader.describe(node))"
        }
        #expect(described == ["a=a string", "b=a boolean", "c=a number", "d=nothing (null)", "e=a list", "f=a mapping", "h=a string"])
    }

    @Test("config_version is read as an integer: 0x2 is 2, a quoted \"2\" is text")
    func configVersionTyping() throws {
        let loader = ConfigLoader()
        #expect(try loader.load(text: "_meta:\n  type: roles\n  config_version: 0x2\nr1: {}\n", name: "roles.yml").config.roles.keys.sorted() == ["r1"])
        #expect(messages { _ = try loader.load(text: "_meta:\n  type: roles\n  config_version: \"2\"\n", name: "roles.yml") }
                == ["roles.yml:3: error: _meta.config_version must be 2, found a string '2'\n  help: expected _meta: {type: \"roles\", config_version: 2}"])
    }

    @Test("node settings keep every scalar's text; lists and maps keep their structure")
    func settingsText() throws {
        let root = try #require(try YAMLInput.compose("a: yes\nb: 0x10\nc: ~\nd: [1e3, 'x']\n", file: "x.yml"))
        #expect(NodeReader.settingsValue(root) == .map(["a": .string("yes"), "b": .string("0x10"), "c": .null,
                                                        "d": .list([.string("1e3"), .string("x")])]))
    }

    // MARK: documents

    @Test("one document per input: a second one is refused at its first line")
    func multipleDocuments() {
        #expect(messages { _ = try YAMLInput.compose("a: 1\n---\nb: 2\n", file: "x.yml") }
                == ["x.yml:2: error: invalid YAML: but found another document (expected a single document in the stream at line 1)\n  help: check the YAML syntax around this line"])
        #expect(messages { _ = try YAMLInput.compose("---\na: 1\n...\n", file: "x.yml") } == [])
    }

    @Test("empty inputs: no document, an empty document, comments only")
    func emptyInputs() throws {
        #expect(try YAMLInput.compose("", file: "x.yml") == nil)
        #expect(try YAMLInput.compose("# only a comment\n", file: "x.yml") == nil)
        let empty = try #require(try YAMLInput.compose("---\n", file: "x.yml"))
        #expect(NodeReader.isNull(empty))
    }

    @Test("a UTF-8 byte order mark and CRLF line ends: read, with the same lines")
    func bomAndCRLF() throws {
        let text = "_meta:\n  type: roles\n  config_version: 2\nr1:\n  cluster_permissions: [a]\n  index_permissions:\n  - index_patterns: [\"logs-*\"]\n    allowed_actions: [read]\n"
        let url = Paths.scratch.appendingPathComponent("secperm-\(UUID().uuidString)-roles.yml")
        try Data([0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)).write(to: url)
        let role = try #require(try ConfigLoader().load(from: url.path).config.roles["r1"])
        #expect(role.location == SourceLocation(file: url.path, line: 4, column: 1))
        #expect(role.indexPermissions.first?.indexPatterns.first?.location == SourceLocation(file: url.path, line: 7, column: 22))
        #expect(role.indexPermissions.first?.allowedActions.map(\.value) == ["read"])
    }

    @Test("a control character on a CRLF line is reported at its line")
    func controlCharacterLine() {
        #expect(messages { _ = try YAMLInput.compose("a: 1\r\nb: 2\r\nc: \"x\u{1}\"\r\n", file: "x.yml") }
                == ["x.yml:3: error: cannot read: control characters are not allowed\n  help: the file must be UTF-8 text without control characters"])
    }

    // MARK: report order

    static let duplicateHelp = "\n  help: the plugin would keep only one of them; merge the entries or rename one"

    @Test("duplicate keys: a mapping is checked when it closes, its duplicates are named in order at the first one's line")
    func duplicateOrder() {
        #expect(messages { _ = try YAMLInput.compose("a:\n  x: 1\n  x: 2\nb: 1\nb: 2\n", file: "x.yml") }
                == ["x.yml:2: error: duplicate key 'x' in one mapping" + Self.duplicateHelp])
        #expect(messages { _ = try YAMLInput.compose("c: 1\nb: 1\nc: 2\nb: 2\n", file: "x.yml") }
                == ["x.yml:2: error: duplicate key 'b', 'c' in one mapping" + Self.duplicateHelp])
        #expect(messages { _ = try YAMLInput.compose("! a: 1\na: 2\n", file: "x.yml") }
                == ["x.yml:1: error: duplicate key 'a' in one mapping" + Self.duplicateHelp])
        #expect(messages { _ = try YAMLInput.compose("[{k: 1, k: 2}]\n", file: "x.yml") }
                == ["x.yml:1: error: duplicate key 'k' in one mapping" + Self.duplicateHelp])
    }

    @Test("an alias is reported before anything else; a syntax error before it hides it; a duplicate key hides a later syntax error")
    func reportOrder() {
        let alias = "x.yml:5: error: YAML alias *x: the security plugin does not expand aliases (it reads *x as the text \"x\")\n  help: write the value out where the alias is"
        #expect(messages { _ = try YAMLInput.compose("m:\n  a: 1\n  a: 2\nb: &x 1\nc: *x\n", file: "x.yml") } == [alias])
        #expect(messages { _ = try YAMLInput.compose("a: 1\n---\nb: 2\nc: 3\nd: *x\n", file: "x.yml") } == [alias])
        #expect(messages { _ = try YAMLInput.compose("a: b: c\nd: *x\n", file: "x.yml") }
                == ["x.yml:1: error: invalid YAML: mapping values are not allowed in this context\n  help: a value containing ': ' must be quoted"])
        #expect(messages { _ = try YAMLInput.compose("m:\n  a: 1\n  a: 2\nb: [\n", file: "x.yml") }
                == ["x.yml:2: error: duplicate key 'a' in one mapping" + Self.duplicateHelp])
        #expect(messages { _ = try YAMLInput.compose("a: 1\n---\nb: [\n", file: "x.yml") }
                == ["x.yml:2: error: invalid YAML: but found another document (expected a single document in the stream at line 1)\n  help: check the YAML syntax around this line"])
    }
}
