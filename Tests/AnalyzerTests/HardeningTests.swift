import Foundation
import Testing
@testable import Analyzer

/// Issue 14, "Found so far" and "Messages that miss the contract": every input here used to trap,
/// hang or pass silently; each must now give a value or an input error with a line.
@Suite("Hardening: hostile and malformed input")
struct HardeningTests {
    func messages(_ body: () throws -> Void) -> [String] {
        inputErrorMessages(body)
    }

    func temporaryFile(_ bytes: [UInt8], name: String = "input.txt") throws -> String {
        let url = Paths.scratch.appendingPathComponent("secperm-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    // MARK: numbers

    @Test("numbers out of Int's range, infinite or NaN become text without a trap; whole numbers keep no fraction")
    func numbersAsText() {
        #expect(ConfigValue.number(1e300).string == "1e+300")
        #expect(ConfigValue.number(1e29).string == "1e+29")
        #expect(ConfigValue.number(.infinity).string == "inf")
        #expect(ConfigValue.number(-.infinity).string == "-inf")
        #expect(ConfigValue.number(.nan).string == "nan")
        #expect(ConfigValue.number(5).string == "5")
        #expect(ConfigValue.number(-0.0).string == "0")
        #expect(ConfigValue.number(2.5).string == "2.5")
        #expect(ConfigValue.number(1e300).int == nil)
        #expect(ConfigValue.number(.nan).int == nil)
        #expect(ConfigValue.number(42).int == 42)
        #expect(ConfigValue.string("7").int == 7)
    }

    @Test("cluster metadata with a number for an index name ({\"indices\": [1e300]}) is read, not trapped on")
    func metadataNumbers() throws {
        let path = try temporaryFile(Array(#"{"indices": [1e300, "logs-1"]}"#.utf8), name: "metadata.json")
        let metadata = try InputFiles.clusterMetadata(path: path)
        #expect(metadata.indices == ["1e+300", "logs-1"])
    }

    @Test("--setting keeps the text as written, like `opensearch -E key=value`: .inf is the index name \".inf\"")
    func settingText() throws {
        let settings = try InputFiles.nodeSettings(path: nil, overrides: ["plugins.security.system_indices.indices=.inf",
                                                                          "plugins.security.protected_indices.indices=[a, b]"], profile: .default)
        #expect(settings.systemIndices == [".inf"])
        #expect(settings.protectedIndices == ["a", "b"])
    }

    @Test("opensearch.yml values are text as written too: numbers in an index list stay as typed")
    func settingsFileText() throws {
        let path = try temporaryFile(Array("plugins.security.system_indices.enabled: true\nplugins.security.system_indices.indices: [.inf, 1e3, 007]\n".utf8), name: "opensearch.yml")
        let settings = try InputFiles.nodeSettings(path: path, overrides: [], profile: .default)
        #expect(settings.systemIndicesEnabled)
        #expect(settings.systemIndices == [".inf", "1e3", "007"])
    }

    @Test("a setting of the wrong type is reported at its line, flat or nested, and a --setting as such (found by the fuzz suite)")
    func settingLines() throws {
        let text = "cluster.name: x\nplugins:\n  security:\n    system_indices:\n      enabled: -9223372036854775808\n"
        let path = try temporaryFile(Array(text.utf8), name: "opensearch.yml")
        #expect(messages { _ = try InputFiles.nodeSettings(path: path, overrides: [], profile: .default) }
                == ["\(path):5: error: plugins.security.system_indices.enabled must be true or false"])
        let flat = try temporaryFile(Array("a: 1\nplugins.security.restapi.admin.enabled: maybe\n".utf8), name: "opensearch.yml")
        #expect(messages { _ = try InputFiles.nodeSettings(path: flat, overrides: [], profile: .default) }
                == ["\(flat):2: error: plugins.security.restapi.admin.enabled must be true or false"])
        #expect(messages { _ = try InputFiles.nodeSettings(path: flat, overrides: ["plugins.security.restapi.admin.enabled=yes please"], profile: .default) }
                == ["--setting:1: error: plugins.security.restapi.admin.enabled must be true or false"])
    }

    @Test("claims that cannot make a user are reported at the claims file (found by the fuzz suite)")
    func claimsFileNamed() {
        var request = SubjectRequest()
        request.claimsFile = "token.json"
        request.claims = .list([])
        #expect(messages { _ = try SubjectResolver.resolve(request, config: SecurityConfig()) }
                == ["token.json:1: error: the claims must be a JSON object\n  help: e.g. {\"sub\": \"alice\", \"roles\": [\"analyst\"]}"])
        request.claims = .map(["roles": .string("a")])
        #expect(messages { _ = try SubjectResolver.resolve(request, config: SecurityConfig()) }
                == ["token.json:1: error: the claims have no 'sub' claim for the user name\n  help: the domain's subject_key is 'sub'; the token would be rejected"])
    }

    // MARK: console query strings

    /// OpenSearch RestUtils.decodeQueryString: a parameter with an empty name is dropped, one
    /// without `=` has the empty value, the first `=` splits name and value.
    @Test("query strings: an empty name or an empty path parse instead of trapping", arguments: [
        ("logs-1/_search?=", "/logs-1/_search", [String: String]()),
        ("?", "/", [:]),
        ("", "/", [:]),
        ("_search?&&=x&q=a=b&pretty", "/_search", ["q": "a=b", "pretty": ""]),
        ("_search?q=%41", "/_search", ["q": "A"]),
    ])
    func queryStrings(target: String, path: String, query: [String: String]) {
        let split = ConsoleParser.splitTarget(target)
        #expect(split.0 == path)
        #expect(split.1 == query)
    }

    @Test("`GET ?` and `GET logs-1/_search?=` are requests, and an _msearch header with a huge number is read")
    func consoleRequests() throws {
        let requests = try ConsoleParser.parse("GET ?\n\nGET logs-1/_search?=\n\nPOST _msearch\n{\"index\": 99999999999999999999999999999}\n{}\n", file: "req.txt")
        #expect(requests.map(\.path) == ["/", "/logs-1/_search", "/_msearch"])
        #expect(requests[2].body.first?.value.map?["index"]?.string == "1e+29")
    }

    @Test("a body nested deeper than the bound is an input error at its line, not a stack overflow")
    func deepConsoleBody() {
        let deep = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(messages { _ = try ConsoleParser.parse("# comment\nPOST _search\n\(deep)\n", file: "req.txt") }
                == ["req.txt:3: error: nested more than 100 levels deep\n  help: security configurations nest a few levels; check that this is the file you meant"])
    }

    @Test("a body past libyaml's nesting limit is reported without libyaml's internals")
    func veryDeepConsoleBody() {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(messages { _ = try ConsoleParser.parse("POST _search\n\(deep)\n", file: "req.txt") }
                == ["req.txt:2: error: malformed JSON body: nested more than 1000 levels deep\n  help: request bodies are JSON; _bulk and _msearch take one JSON object per line"])
    }

    // MARK: date math

    /// OpenSearch JavaDateMathParser.parseMath reads the amount with Integer.parseInt: beyond a
    /// Java int it is a parse error, never a wrapped or defaulted amount.
    @Test("date math amounts beyond a Java int, and results beyond year 9999, are errors, not traps")
    func dateMathAmounts() {
        let now = Date(timeIntervalSince1970: 0)
        #expect(DateMath.resolve("<logs-{now+9223372036854775807w}>", now: now)
                == .failure(.init(expression: "<logs-{now+9223372036854775807w}>",
                                  reason: "amount 9223372036854775807 in now+9223372036854775807w is out of range (at most 2147483647)")))
        #expect(DateMath.resolve("<logs-{now+2147483647w}>", now: now)
                == .failure(.init(expression: "<logs-{now+2147483647w}>", reason: "now+2147483647w falls outside the dates a date-math name can hold")))
        #expect(DateMath.resolve("<logs-{now+2147483647s}>", now: now) == .success("logs-2038.01.19"))
        #expect(DateMath.resolve("<logs-{now-1d}>", now: now) == .success("logs-1969.12.31"))
    }

    /// Java ZoneId.of / ZoneOffset.of: `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`, at
    /// most ±18:00, also after UTC/GMT/UT; `Z` is UTC.
    @Test("date math time zones: Java's offset forms up to ±18:00; out-of-range offsets are unknown zones", arguments: [
        ("+99999999999999999:00", nil),
        ("+19", nil), ("+18:01", nil), ("+1:00", nil), ("+05:60", nil), ("+123", nil),
        ("+18", "1970.01.01-18"), ("-18:00", "1969.12.31-06"), ("+1800", "1970.01.01-18"), ("+05:30", "1970.01.01-05"),
        ("GMT+15", "1970.01.01-15"), ("UTC-14:30", "1969.12.31-09"), ("Z", "1970.01.01-00"), ("Europe/Paris", "1970.01.01-01"),
    ] as [(String, String?)])
    func dateMathZones(zone: String, expected: String?) {
        let expression = "<{now{uuuu.MM.dd-HH|\(zone)}}>"
        let result = DateMath.resolve(expression, now: Date(timeIntervalSince1970: 0))
        if let expected {
            #expect(result == .success(expected))
        } else {
            #expect(result == .failure(.init(expression: expression, reason: "unknown time zone \(zone)")))
        }
    }

    // MARK: YAML

    /// The plugin's YAML reader (Jackson's YAMLParser) passes `*name` on as the text "name" and
    /// never expands it; secperm refuses aliases instead of expanding a bomb.
    @Test("a 1.5 KB alias bomb is refused in well under a second, at the line of the first alias")
    func aliasBomb() {
        var lines = ["_meta:", "  type: \"config\"", "  config_version: 2", "config:", "  dynamic:",
                     "    a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        for level in 1..<25 {
            lines.append("    a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]")
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count < 1_600)
        let clock = ContinuousClock()
        var found: [String] = []
        let elapsed = clock.measure { found = messages { _ = try ConfigLoader().load(text: text, name: "config.yml") } }
        #expect(found == ["config.yml:7: error: YAML alias *a0: the security plugin does not expand aliases (it reads *a0 as the text \"a0\")\n  help: write the value out where the alias is"])
        #expect(elapsed < .seconds(1))
    }

    /// Composing hashes each mapping's keys to find duplicates, so an alias used as a key would be
    /// hashed fully expanded: aliases must be refused before composing, not after.
    static let keyBomb: String = {
        var lines = ["a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        for level in 1..<9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]") }
        return lines.joined(separator: "\n") + "\n? *a8\n: 1\n"
    }()

    @Test("an alias bomb used as a mapping key is refused as fast, in configs and console bodies")
    func aliasKeyBomb() {
        let clock = ContinuousClock()
        var found: [String] = []
        let elapsed = clock.measure { found = messages { _ = try ConfigLoader().load(text: Self.keyBomb, name: "config.yml") } }
        #expect(found == ["config.yml:2: error: YAML alias *a0: the security plugin does not expand aliases (it reads *a0 as the text \"a0\")\n  help: write the value out where the alias is"])
        #expect(elapsed < .seconds(1))
        let body = clock.measure { found = messages { _ = try ConsoleParser.parse("POST _search\n" + Self.keyBomb.replacingOccurrences(of: "\n\n", with: "\n"), file: "req.txt") } }
        #expect(found.first?.hasPrefix("req.txt:3: error: malformed JSON body: not valid JSON") == true)
        #expect(body < .seconds(1))
    }

    @Test("anchors without aliases are fine (the plugin ignores them)")
    func anchorsAlone() throws {
        let loaded = try ConfigLoader().load(text: "_meta:\n  type: \"roles\"\n  config_version: 2\nr1: &base\n  cluster_permissions: [\"cluster_monitor\"]\n", name: "roles.yml")
        #expect(loaded.config.roles["r1"]?.clusterPermissions.map(\.value) == ["cluster_monitor"])
    }

    @Test("YAML messages: a tab gets the tab hint, deep nesting names no libyaml internals, control characters have a line")
    func yamlMessages() {
        #expect(messages { _ = try ConfigLoader().load(text: "_meta:\n  type: \"roles\"\n  config_version: 2\nr1:\n\tcluster_permissions: []\n", name: "roles.yml") }
                == ["roles.yml:5: error: invalid YAML: found character that cannot start any token (while scanning for the next token at line 5)\n  help: YAML indentation must use spaces, not tabs"])
        let deep = "r: " + String(repeating: "[", count: 1_100) + String(repeating: "]", count: 1_100) + "\n"
        #expect(messages { _ = try ConfigLoader().load(text: deep, name: "roles.yml") }
                == ["roles.yml:1: error: invalid YAML: nested more than 1000 levels deep\n  help: security configurations nest a few levels; check that this is the file you meant"])
        let deepish = "r: " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\n"
        #expect(messages { _ = try ConfigLoader().load(text: deepish, name: "roles.yml") }
                == ["roles.yml:1: error: nested more than 100 levels deep\n  help: security configurations nest a few levels; check that this is the file you meant"])
        #expect(messages { _ = try ConfigLoader().load(text: "a: 1\nb: \"x\u{1}y\"\n", name: "roles.yml") }
                == ["roles.yml:2: error: cannot read: control characters are not allowed\n  help: the file must be UTF-8 text without control characters"])
    }

    @Test("a map where a list belongs gets help on how a list is written")
    func mapWhereList() {
        let text = "_meta:\n  type: \"roles\"\n  config_version: 2\nr1:\n  cluster_permissions:\n    a: b\n  index_permissions:\n    index_patterns: [\"x\"]\n"
        #expect(messages { _ = try ConfigLoader().load(text: text, name: "roles.yml") } == [
            "roles.yml:6: error: cluster_permissions of role 'r1' must be a list of strings, found a mapping\n  help: a list has one '- value' line per entry (or [\"a\", \"b\"]); 'key: value' lines make a mapping",
            "roles.yml:8: error: index_permissions of role 'r1' must be a list, found a mapping\n  help: this is a list of mappings: start each entry with '- ', then its 'key: value' lines",
        ])
    }

    @Test("a bundle with a key that is not text (a YAML complex key) is not a bundle, and no trap")
    func bundleWithComplexKey() {
        #expect(messages { _ = try ConfigLoader().load(text: "{roles: {}, ? [a] : 1}\n", name: "bundle.json") }
                == ["bundle.json:1: error: cannot tell which configuration this is\n  help: name the file after its type (roles.json, rolesmapping.json …), add a _meta section, or bundle types as {\"roles\": {…}, \"rolesmapping\": {…}}"])
    }

    // MARK: reading files

    @Test("a non-UTF-8 file is an input error at the line of the first bad byte")
    func nonUTF8() throws {
        let path = try temporaryFile(Array("_meta:\n  type: \"roles\"\nr1:\n  description: \"caf".utf8) + [0xE9] + Array("\"\n".utf8), name: "roles.yml")
        #expect(messages { _ = try ConfigLoader().load(from: path) }
                == ["\(path):4: error: not UTF-8 text: the first invalid byte is on this line\n  help: save the file as UTF-8 (security configurations, cases and console files are UTF-8 text)"])
    }

    @Test("a file past the size bound is refused before it is read whole")
    func sizeBound() throws {
        let path = try temporaryFile(Array(repeating: UInt8(ascii: "a"), count: 3 << 20))
        #expect(messages { _ = try InputText.read(path, maximumBytes: 2 << 20) }
                == ["\(path): error: larger than 2 MiB; secperm does not read inputs this large\n  help: split the file, or check that this is the file you meant"])
        #expect(try InputText.read(path, maximumBytes: 3 << 20).utf8.count == 3 << 20)
        #expect(InputText.maximumBytes == 256 << 20)
        // A stream without a size (a device, a FIFO, stdin) is cut at the bound while reading.
        #expect(messages { _ = try InputText.read("/dev/zero", maximumBytes: 2 << 20) }
                == ["/dev/zero: error: larger than 2 MiB; secperm does not read inputs this large\n  help: split the file, or check that this is the file you meant"])
    }

    // MARK: cases files

    @Test("cases: wrong types and unknown values are errors naming the line and the field", arguments: [
        (#"{"user": "a", "action": "x", "indices": "logs-1"}"#, #"c.jsonl:1: error: field "indices" must be a list of strings, found a string"# + "\n  help: write it as a list: [\"logs-1\"]"),
        (#"{"user": "a", "action": "x", "expected": 5}"#, #"c.jsonl:1: error: field "expected" must be a string, found a number"#),
        (#"{"user": "a", "action": "x", "expected": "alow"}"#, "c.jsonl:1: error: field \"expected\" must be allow, deny, partial or empty; found 'alow'\n  help: did you mean 'allow'?"),
        (#"{"user": "a", "action": "x", "indices": ["a", 1]}"#, #"c.jsonl:1: error: field "indices" must be a list of strings, found a number"# + "\n  help: every entry is a quoted string"),
        (#"{"user": "a", "action": "x", "backend_roles": {"a": 1}}"#, #"c.jsonl:1: error: field "backend_roles" must be a list of strings, found an object"#),
        (#"{"user": "a", "action": "x", "attributes": {"dept": true}}"#, #"c.jsonl:1: error: field "attributes": value of 'dept' must be a string, found a boolean"#),
        (#"{"user": "a", "action": "x", "allowed_indices": "x"}"#, #"c.jsonl:1: error: field "allowed_indices" must be a list of strings, found a string"# + "\n  help: write it as a list: [\"x\"]"),
        (#"{"user": 5, "action": "x"}"#, #"c.jsonl:1: error: field "user" must be a string, found a number"#),
        (#"{"user": "a", "action": "x", "tags": "t"}"#, #"c.jsonl:1: error: field "tags" must be a list of strings, found a string"# + "\n  help: write it as a list: [\"t\"]"),
        // Found by the fuzz suite: an empty user reached the subject resolver, whose error has no line.
        (#"{"user": "", "action": "x"}"#, #"c.jsonl:1: error: field "user" is empty"# + "\n  help: give the user name"),
        (#"{"user": "a", "action": ""}"#, #"c.jsonl:1: error: field "action" is empty"# + "\n  help: give the action name, e.g. indices:data/read/search"),
    ])
    func caseTypes(line: String, message: String) {
        #expect(messages { _ = try BatchCase.parse(line + "\n", file: "c.jsonl") } == [message])
    }

    @Test("cases: null is absent; a file with no cases says so; a deep line is refused")
    func caseFiles() throws {
        let cases = try BatchCase.parse(#"{"user": "a", "action": "x", "host": null, "indices": ["i"], "expected": "deny"}"#, file: "c.jsonl")
        #expect(cases.count == 1 && cases[0].subject.host == nil && cases[0].indices == ["i"] && cases[0].expected == .deny)
        #expect(messages { _ = try BatchCase.parse("\n# only a comment\n", file: "c.jsonl") }
                == ["c.jsonl:1: error: no cases: the file is empty or has only comments\n  help: one case per line: {\"user\": \"alice\", \"action\": \"indices:data/read/search\", \"indices\": [\"logs-1\"], \"expected\": \"allow\"}"])
        let deep = "{\"user\": \"a\", \"action\": \"x\", \"tags\": " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        #expect(messages { _ = try BatchCase.parse(deep, file: "c.jsonl") }
                == ["c.jsonl:1: error: nested more than 100 levels deep\n  help: a case is one flat JSON object"])
        let path = try temporaryFile(Array(#"{"user": "a", "action": "x"}"#.utf8) + [0x0A, 0xFF, 0x0A], name: "c.jsonl")
        #expect(messages { _ = try BatchCase.read(path: path) }
                == ["\(path):2: error: not UTF-8 text: the first invalid byte is on this line\n  help: save the file as UTF-8 (security configurations, cases and console files are UTF-8 text)"])
    }
}
