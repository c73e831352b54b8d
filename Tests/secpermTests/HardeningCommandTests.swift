import Foundation
import Testing

/// Issue 14 reproducers, end to end on the built binary: each used to trap (exit 132 with a
/// backtrace), run out of memory, or pass while checking nothing.
@Suite("Hardening: the CLI contract holds for hostile input")
struct HardeningCommandTests {
    let sample = ["--config", "data/samples/acme"]
    let search = ["--user", "alice", "--action", "indices:data/read/search"]

    func temporary(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = CLI.scratch.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    func temporary(_ name: String, _ text: String) throws -> URL {
        try temporary(name, Array(text.utf8))
    }

    /// A copy of the sample configuration with one file replaced.
    func sampleWith(_ file: String, _ text: String) throws -> URL {
        let directory = CLI.scratch.appendingPathComponent("secperm-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: CLI.sample), to: directory)
        try text.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("a base-60 number whose parts overflow (1:1:…:1) is read, not a trap")
    func sexagesimalOverflow() throws {
        let config = try String(contentsOfFile: CLI.sample + "/config.yml", encoding: .utf8)
            .replacingOccurrences(of: "    hosts_resolver_mode: \"ip-only\"\n",
                                  with: "    hosts_resolver_mode: \"ip-only\"\n    something: 1:1:1:1:1:1:1:1:1:1:1:1:1:1\n")
        #expect(config.contains("1:1:1:1:1:1:1:1:1:1:1:1:1:1"))
        let result = try CLI.run(["check", "--config", try sampleWith("config.yml", config).path] + search + ["--index", "logs-1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ALLOWED  alice may perform indices:data/read/search on logs-1\n"))
    }

    @Test("console query strings with an empty name or an empty path are requests, not traps")
    func queryStrings() throws {
        let emptyName = try CLI.run(["actions", "--request", "GET logs-1/_search?="])
        #expect(emptyName.status == 0)
        #expect(emptyName.stdout.hasPrefix("GET /logs-1/_search  (line 1)\n  route GET /{index}/_search\n"))
        let emptyPath = try CLI.run(["actions", "--request", "GET ?"])
        #expect(emptyPath.status == 0)
        #expect(emptyPath.stdout.hasPrefix("GET /  (line 1)\n  route GET /\n"))
    }

    @Test("numbers out of Int's range: an _msearch header, --setting .inf, cluster metadata, claims, authc order")
    func numbers() throws {
        let msearch = try temporary("requests.txt", "POST _msearch\n{\"index\": 99999999999999999999999999999}\n{}\n")
        let actions = try CLI.run(["actions", msearch.path, "--format", "json"])
        #expect(actions.status == 0 && actions.stderr.isEmpty)
        #expect(actions.stdout.contains("\"1e+29\""))

        let setting = try CLI.run(["check"] + sample + search + ["--index", "x", "--setting", "plugins.security.system_indices.indices=.inf"])
        #expect(setting.status == 1 && setting.stderr.isEmpty)

        let metadata = try temporary("metadata.json", #"{"indices": [1e300]}"#)
        let withMetadata = try CLI.run(["check"] + sample + search + ["--index", "x", "--cluster-metadata", metadata.path])
        #expect(withMetadata.status == 1 && withMetadata.stderr.isEmpty)

        let claims = try temporary("claims.json", #"{"preferred_username": 1e300, "realm_access": {"roles": [1e300, -1e300]}}"#)
        let withClaims = try CLI.run(["check"] + sample + ["--claims", claims.path, "--action", "indices:data/read/search", "--index", "x", "--format", "json"])
        #expect(withClaims.status == 1)
        #expect(try CLI.json(withClaims.stdout)["decision"] as? String == "deny")

        let config = try String(contentsOfFile: CLI.sample + "/config.yml", encoding: .utf8)
        let huge = try sampleWith("config.yml", config.replacingOccurrences(of: "order: 0", with: "order: 1e300"))
        #expect(config.contains("order: 0"))
        let audit = try CLI.run(["audit", huge.path, "--format", "json"])
        #expect(audit.status == 0 || audit.status == 1)
        #expect(audit.stderr.isEmpty)
    }

    @Test("date math overflow is a denial with its reason, not a trap")
    func dateMath() throws {
        for expression in ["<logs-{now+9223372036854775807w}>", "<logs-{now{yyyy|+99999999999999999:00}}>"] {
            let result = try CLI.run(["check"] + sample + search + ["--index", expression, "--format", "json"])
            #expect(result.status == 1, "\(expression)")
            #expect(result.stderr.isEmpty, "\(expression)")
            #expect(try CLI.json(result.stdout)["decision"] as? String == "deny", "\(expression)")
        }
        // Foundation traps formatting in a fixed offset beyond 14 hours; Java accepts up to 18.
        let farEast = try CLI.run(["check"] + sample + search + ["--index", "<logs-{now{yyyy|+18:00}}>", "--format", "json"])
        #expect(farEast.status == 0 && farEast.stderr.isEmpty)
        #expect(try CLI.json(farEast.stdout)["decision"] as? String == "allow")
        let notes = try CLI.run(["check"] + sample + search + ["--index", "<logs-{now+9223372036854775807w}>"])
        #expect(notes.stdout.contains("cannot resolve date math <logs-{now+9223372036854775807w}>: amount 9223372036854775807 in now+9223372036854775807w is out of range (at most 2147483647)"))
    }

    @Test("a YAML alias bomb in config.yml is refused in well under a second, with file:line")
    func aliasBomb() throws {
        var lines = ["_meta:", "  type: \"config\"", "  config_version: 2", "config:", "  dynamic:",
                     "    a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        for level in 1..<25 { lines.append("    a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]") }
        let directory = try sampleWith("config.yml", lines.joined(separator: "\n") + "\n")
        let start = ContinuousClock.now
        let result = try CLI.run(["audit", directory.path])
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(result.status == 2)
        #expect(result.stderr == "\(directory.path)/config.yml:7: error: YAML alias *a0: the security plugin does not expand aliases (it reads *a0 as the text \"a0\")\n  help: write the value out where the alias is\n")
    }

    @Test("bench sizes are validated: zero and huge values exit 2 with the range", arguments: [
        (["--users", "0"], "Error: --users must be between 1 and 500000, found 0"),
        (["--action-groups", "0"], "Error: --action-groups must be between 1 and 20000, found 0"),
        (["--roles", "9223372036854775807"], "Error: --roles must be between 1 and 100000, found 9223372036854775807"),
        (["--checks", "0"], "Error: --checks must be between 1 and 10000000, found 0"),
        (["--patterns", "1000001"], "Error: --patterns must be between 1 and 1000000, found 1000001"),
    ])
    func benchRanges(arguments: [String], message: String) throws {
        let result = try CLI.run(["bench"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(message + "\n"))
    }

    @Test("output to a full disk: one line on stderr, exit 2, no trap")
    func fullDisk() throws {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["audit", "--format", "sarif"]
        process.currentDirectoryURL = CLI.packageRoot
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        process.standardOutput = full
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr == "secperm: cannot write the output: No space left on device\n")
    }

    @Test("check --batch: wrong types, unknown values, an empty file and non-UTF-8 are input errors with file:line")
    func batchInput() throws {
        let wrong = try temporary("cases.jsonl", """
            {"user": "alice", "action": "indices:data/read/search", "indices": "sales-2024", "expected": "allow"}
            {"user": "alice", "action": "indices:data/read/search", "indices": ["sales-2024"], "expected": 5}
            {"user": "alice", "action": "indices:data/read/search", "indices": ["sales-2024"], "expected": "alow"}

            """)
        let result = try CLI.run(["check"] + sample + ["--batch", wrong.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            \(wrong.path):1: error: field "indices" must be a list of strings, found a string
              help: write it as a list: ["sales-2024"]
            \(wrong.path):2: error: field "expected" must be a string, found a number
            \(wrong.path):3: error: field "expected" must be allow, deny, partial or empty; found 'alow'
              help: did you mean 'allow'?

            """)
        let empty = try temporary("empty.jsonl", "")
        let emptyResult = try CLI.run(["check"] + sample + ["--batch", empty.path])
        #expect(emptyResult.status == 2)
        #expect(emptyResult.stderr.hasPrefix("\(empty.path):1: error: no cases: the file is empty or has only comments\n"))
        let latin1 = try temporary("latin1.jsonl", Array(#"{"user": "al"#.utf8) + [0xE9] + Array(#"", "action": "x"}"#.utf8))
        let latin1Result = try CLI.run(["check"] + sample + ["--batch", latin1.path])
        #expect(latin1Result.status == 2)
        #expect(latin1Result.stderr.hasPrefix("\(latin1.path):1: error: not UTF-8 text: the first invalid byte is on this line\n"))
    }

    @Test("check --batch refuses --action, --index, --user and --claims beside it")
    func batchFlags() throws {
        let result = try CLI.run(["check"] + sample + ["--batch", "data/samples/acme/who-may-do-what.jsonl", "--action", "x", "--index", "y"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: --action, --index cannot be combined with --batch: each case gives its own user, action and indices\n"))
        let user = try CLI.run(["check"] + sample + ["--batch", "data/samples/acme/who-may-do-what.jsonl", "--user", "alice"])
        #expect(user.status == 2)
        #expect(user.stderr.hasPrefix("Error: --user cannot be combined with --batch"))
    }

    @Test("check --batch --format json ends with one summary line; --help says so")
    func batchSummary() throws {
        let result = try CLI.run(["check"] + sample + ["--batch", "data/samples/acme/who-may-do-what.jsonl", "--format", "json"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 17)
        #expect(lines.last == #"{"summary":{"allow":8,"asExpected":16,"cases":16,"deny":7,"empty":0,"file":"data/samples/acme/who-may-do-what.jsonl","partial":1,"schemaVersion":2,"unexpected":0}}"#)
        let noExpectations = try temporary("cases.jsonl", #"{"user": "bob", "action": "indices:monitor/stats", "indices": ["logs-1"]}"# + "\n")
        let plain = try CLI.run(["check"] + sample + ["--batch", noExpectations.path, "--format", "json"])
        #expect(plain.status == 1)
        #expect(plain.stdout.split(separator: "\n").last.map(String.init)
                == #"{"summary":{"allow":0,"cases":1,"deny":1,"empty":0,"file":"\#(noExpectations.path)","partial":0,"schemaVersion":2}}"#)
        let help = try CLI.run(["check", "--help"])
        #expect(help.stdout.contains("{\"summary\": {…}}"))
    }

    @Test("a non-UTF-8 console file is an input error with its line")
    func consoleEncoding() throws {
        let file = try temporary("requests.txt", Array("GET _search\n{\"query\": \"caf".utf8) + [0xE9] + Array("\"}\n".utf8))
        let result = try CLI.run(["actions", file.path])
        #expect(result.status == 2)
        #expect(result.stderr == "\(file.path):2: error: not UTF-8 text: the first invalid byte is on this line\n  help: save the file as UTF-8 (security configurations, cases and console files are UTF-8 text)\n")
    }
}
