import Foundation
import Testing

/// `secperm probe --cluster` end to end over TLS against `secperm simulate` subprocesses (issue 11
/// "Tests"): the admin side by the admin certificate or a REST-API user, the scratch user by basic
/// auth over the same TLS trust. What the probe claims is checked independently by
/// Tests/Fixtures/probe/live_check.py (its own console parser and HTTPS client): the security
/// state before and after, the role replayed by a fresh user, and leave-one-out on the cluster.
extension LiveTests {
@Suite struct ProbeLive {
    static let config = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/simulate").path
    static let metadata = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/probe/indices.json").path
    static let checker = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/probe/live_check.py").path
    static let sets = ["log-shipper", "search-app", "dashboard-reader", "index-admin", "snapshot-restore", "reindex", "cat-monitoring", "bulk-example"]
    static let targets = ["opendistro-1.13", "opensearch-2.11", "opensearch-2.19", "opensearch-3.2"]

    static func set(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Tests/Fixtures/probe/sets/\(name).txt").path }

    /// (replays, requests sent as the scratch user) per set, as the in-process probe measures them
    /// (Tests/AnalyzerTests/ProbeLoopTests.swift, ProbeRequestSetTests.expected): the live path
    /// must take exactly the same round trips.
    static func expected(_ set: String, target: String) -> (replays: Int, sent: Int)? {
        let dryRun = target == "opensearch-3.2"
        let table: [String: (replays: Int, sent: Int)] = [
            "log-shipper": (1, dryRun ? 4 : 3), "search-app": (1, 5), "dashboard-reader": (1, 4), "index-admin": (1, 6),
            "snapshot-restore": (1, 3), "reindex": (2, 2), "cat-monitoring": (1, 6), "bulk-example": (1, 1),
        ]
        return table[set]
    }

    /// Requests sent by the one-403-at-a-time loop (`probe --one-at-a-time`, real requests from an
    /// empty role), measured live; grants found for one request carry over to the next, as people
    /// do it. On 2.19 and 3.2 `_cat/shards` also checks `cluster:monitor/shards` (not in the
    /// older releases' route table), one more round trip.
    static func expectedOneAtATime(_ set: String, target: String) -> Int? {
        let table = ["log-shipper": 7, "search-app": 11, "dashboard-reader": 8, "index-admin": 12, "snapshot-restore": 7, "reindex": 8,
                     "cat-monitoring": ["opensearch-2.19", "opensearch-3.2"].contains(target) ? 13 : 12, "bulk-example": 3]
        return table[set]
    }

    static func prefix(_ target: String) -> String { target.hasPrefix("opendistro") ? "/_opendistro/_security" : "/_plugins/_security" }

    /// simulate over TLS: the test PKI's server certificate, the admin certificate's DN as super
    /// admin, all_access allowed on the Security REST API (the `admin` user, password admin-pw).
    static func server(_ target: String, _ extra: [String] = []) throws -> SimulateProcess {
        let pki = try LivePKI.get()
        return try SimulateProcess(["--target", target, "--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"),
                                    "--tls-ca", pki.path("ca.pem"), "--admin-dn", LivePKI.adminDN, "--cluster-metadata", metadata,
                                    "--setting", "plugins.security.restapi.roles_enabled=all_access", "--hash-cost", "4"] + extra, config: config)
    }

    static func adminCertificate() throws -> [String] {
        let pki = try LivePKI.get()
        return ["--cacert", pki.path("ca.pem"), "--cert", pki.path("admin.pem"), "--key", pki.path("admin-key.pem")]
    }

    static func probe(_ server: SimulateProcess, _ requests: String, _ extra: [String] = []) throws -> CLI.Result {
        try runSecperm(["probe", requests, "--cluster", server.url] + adminCertificate() + ["--cluster-metadata", metadata, "--format", "json"] + extra)
    }

    /// Runs live_check.py; its stdout.
    static func check(_ arguments: [String]) throws -> String {
        let pki = try LivePKI.get()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", checker] + [arguments[0], arguments[1], arguments[2], pki.path("ca.pem"), pki.path("admin.pem"), pki.path("admin-key.pem")]
            + arguments.dropFirst(3)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LiveSetupError("live_check.py \(arguments[0]) failed: \(errors)") }
        return output
    }

    /// GET internalusers, roles and rolesmapping as the admin certificate (canonical JSON).
    static func securityState(_ server: SimulateProcess, target: String) throws -> String {
        try check(["state", server.url, prefix(target)])
    }

    static func scratchFolder() throws -> URL {
        let folder = CLI.scratch.appendingPathComponent("secperm-probe-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The role of a probe's JSON as the body of PUT roles/<name>.
    static func roleBody(_ json: [String: Any]) throws -> Data {
        let role = try #require(json["role"] as? [String: Any])
        return try JSONSerialization.data(withJSONObject: ["cluster_permissions": role["cluster_permissions"] ?? [String](), "index_permissions": role["index_permissions"] ?? [String]()])
    }

    // Issue 11 "Tests": every request set converges live with the in-process round trips, leaves
    // the security state as it found it, and its role suffices (a fresh user replays the set) and
    // is minimal (leave-one-out on a fresh cluster: without any single grant a request is denied).
    // The seed's bulk example (004, "Test permissions") ends as exactly cluster bulk + bulk[s],
    // delete, index, update on test-index.
    @Test(arguments: ProbeLive.targets)
    func everySetConvergesLiveSufficesIsMinimalAndLeavesNothingBehind(target: String) throws {
        let folder = try ProbeLive.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let transcript = folder.appendingPathComponent("record.txt")
        let probed = try ProbeLive.server(target, ["--record", transcript.path])
        defer { probed.stop() }
        let before = try ProbeLive.securityState(probed, target: target)
        var roles: [String: URL] = [:]
        for set in ProbeLive.sets {
            let result = try ProbeLive.probe(probed, ProbeLive.set(set), ["--allow-writes"])
            #expect(result.status == 0, "\(set) on \(target): \(result.stderr)")
            let json = try CLI.json(result.stdout)
            #expect(json["target"] as? String == target)
            #expect(json["converged"] as? Bool == true, "\(set) on \(target)")
            #expect(json["replays"] as? Int == ProbeLive.expected(set, target: target)?.replays, "\(set) on \(target)")
            #expect(json["requestsSent"] as? Int == ProbeLive.expected(set, target: target)?.sent, "\(set) on \(target)")
            #expect((json["mustDenyViolations"] as? [Any])?.isEmpty == true)
            #expect((json["cleanupProblems"] as? [Any])?.isEmpty == true)
            #expect(json["applied"] is NSNull)
            #expect(!result.stdout.contains("password"), "\(set): \(result.stdout)")
            #expect(try ProbeLive.securityState(probed, target: target) == before, "\(set) on \(target): the security state changed")
            if set == "bulk-example" {
                let role = try #require(json["role"] as? [String: Any])
                #expect(role["cluster_permissions"] as? [String] == ["indices:data/write/bulk"])
                let index = role["index_permissions"] as? [[String: Any]]
                #expect(index?.count == 1)
                #expect(index?.first?["index_patterns"] as? [String] == ["test-index"])
                #expect(index?.first?["allowed_actions"] as? [String]
                    == ["indices:data/write/bulk[s]", "indices:data/write/delete", "indices:data/write/index", "indices:data/write/update"])
            }
            let file = folder.appendingPathComponent("\(set).json")
            try ProbeLive.roleBody(json).write(to: file)
            roles[set] = file
        }
        // 3.2+ checks single-check requests with the dry run; older releases have none to use.
        let recorded = try String(contentsOf: transcript, encoding: .utf8)
        #expect(recorded.contains("perform_permission_check=true\n") == (target == "opensearch-3.2"), "\(target)")
        // A fresh cluster: leave-one-out first (a denied request changes nothing), then the
        // full role, whose successful writes do.
        let fresh = try ProbeLive.server(target)
        defer { fresh.stop() }
        for set in ProbeLive.sets {
            let file = try #require(roles[set])
            let verdict = try CLI.json(try ProbeLive.check(["replay", fresh.url, ProbeLive.prefix(target), file.path, ProbeLive.set(set), "--leave-one-out"]))
            #expect((verdict["failures"] as? [Int]) == [], "\(set) on \(target): denied with the probed role: \(verdict)")
            #expect((verdict["needless"] as? [String]) == [], "\(set) on \(target): not minimal: \(verdict)")
        }
    }

    // The comparison table of issue 11, live: secperm's round trips against the one-403-at-a-time
    // loop (`probe --one-at-a-time`, on a fresh cluster per release). Slow (32 more probe runs):
    // run with SECPERM_PROBE_TABLE=1; it prints the table in the form.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SECPERM_PROBE_TABLE"] == "1"), arguments: ProbeLive.targets)
    func oneAtATimeComparisonTable(target: String) throws {
        let naive = try ProbeLive.server(target)
        defer { naive.stop() }
        let before = try ProbeLive.securityState(naive, target: target)
        var rows: [String] = []
        for set in ProbeLive.sets {
            let result = try ProbeLive.probe(naive, ProbeLive.set(set), ["--allow-writes", "--one-at-a-time"])
            #expect(result.status == 0, "\(set) on \(target): \(result.stderr)")
            let json = try CLI.json(result.stdout)
            #expect(json["strategy"] as? String == "one-at-a-time")
            #expect(json["converged"] as? Bool == true)
            #expect((json["cleanupProblems"] as? [Any])?.isEmpty == true)
            let sent = json["requestsSent"] as? Int
            #expect(sent == ProbeLive.expectedOneAtATime(set, target: target), "\(set) on \(target): \(result.stdout)")
            let size = try String(contentsOfFile: ProbeLive.set(set), encoding: .utf8).split(separator: "\n")
                .filter { line in ["GET ", "POST ", "PUT ", "DELETE ", "HEAD "].contains { line.hasPrefix($0) } }.count
            let expected = ProbeLive.expected(set, target: target)
            rows.append("| \(target) | \(set) | \(size) | \(expected?.replays ?? -1) | \(expected?.sent ?? -1) | \(sent ?? -1) |")
        }
        print("| release | set | requests | secperm replays | secperm sent | one-at-a-time sent |\n" + rows.joined(separator: "\n"))
        #expect(try ProbeLive.securityState(naive, target: target) == before)
    }

    // Without --allow-writes only dry runs and reads go out: the bulk of the log shipper is not
    // sent, is reported as needing it, and nothing is written (exit 1: not converged).
    // Without --cluster-metadata the evaluator's re-checks read the cluster's own indices, aliases
    // and data streams (GET _alias and GET _data_stream as the admin side), as fetch does.
    @Test func clusterMetadataIsReadFromTheClusterWhenNotGiven() throws {
        let server = try ProbeLive.server("opensearch-2.19")
        defer { server.stop() }
        let result = try runSecperm(["probe", ProbeLive.set("bulk-example"), "--cluster", server.url] + ProbeLive.adminCertificate()
                                    + ["--format", "json", "--allow-writes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("GET _alias was refused"), "\(result.stderr)")
        let log = try String(contentsOf: server.logFile, encoding: .utf8)
        #expect(log.contains("\"path\":\"/_alias\""), "\(log)")
    }

    @Test func writesAreNotSentWithoutAllowWrites() throws {
        let server = try ProbeLive.server("opensearch-2.19")
        defer { server.stop() }
        let result = try ProbeLive.probe(server, ProbeLive.set("log-shipper"))
        #expect(result.status == 1, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["converged"] as? Bool == false)
        let requests = try #require(json["requests"] as? [[String: Any]])
        #expect(requests.map { $0["status"] as? String } == ["passed", "passed", "needs-allow-writes", "denied-as-expected"])
        #expect(json["requestsSent"] as? Int == 2)
        let log = try String(contentsOf: server.logFile, encoding: .utf8)
        #expect(!log.contains("\"path\":\"/_bulk\""), "a write was sent: \(log)")
    }

    // Issue 11 "Must-deny" live, with a REST-API user (basic auth) on the admin side: a request
    // tagged `expect: deny` that the grown role allows is reported and the exit status is 1.
    @Test func mustDenyViolationWithARestAPIUserExitsOne() throws {
        let server = try ProbeLive.server("opensearch-2.11")
        defer { server.stop() }
        let folder = try ProbeLive.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requests = folder.appendingPathComponent("requests.txt")
        try "GET products/_doc/1\n\n# expect: deny\nGET products/_doc/2\n".write(to: requests, atomically: true, encoding: .utf8)
        let before = try ProbeLive.securityState(server, target: "opensearch-2.11")
        let pki = try LivePKI.get()
        let result = try runSecperm(["probe", requests.path, "--cluster", server.url, "--cacert", pki.path("ca.pem"), "--user", "admin",
                                     "--password-env", "ADMIN_PW", "--format", "json"], environment: ["ADMIN_PW": "admin-pw"])
        #expect(result.status == 1, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect((json["mustDenyViolations"] as? [[String: Any]])?.map { $0["line"] as? Int } == [4])
        #expect(json["requestsSent"] as? Int == 2)
        #expect(try ProbeLive.securityState(server, target: "opensearch-2.11") == before)
    }

    // --apply: the role is installed under --role-name; the existing definition is saved first as
    // a roles.yml document (mode 0600) whose path is printed and in the JSON.
    @Test func applyBacksUpTheExistingRoleThenInstalls() throws {
        let target = "opensearch-2.19"
        let server = try ProbeLive.server(target)
        defer { server.stop() }
        let folder = try ProbeLive.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backup = folder.appendingPathComponent("writer-before.yml").path
        let result = try ProbeLive.probe(server, ProbeLive.set("bulk-example"), ["--allow-writes", "--apply", "--role-name", "writer", "--backup", backup])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        let applied = try #require(json["applied"] as? [String: Any])
        #expect(applied["role"] as? String == "writer")
        #expect(applied["backup"] as? String == backup)
        #expect(try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: backup, encoding: .utf8) == """
            _meta:
              type: roles
              config_version: 2

            writer:
              cluster_permissions:
              - indices:data/write/bulk
              index_permissions:
              - index_patterns:
                - logs-*
                allowed_actions:
                - crud
                - create_index

            """)
        let state = try CLI.json(try ProbeLive.securityState(server, target: target))
        let roles = try #require((state["roles"] as? [Any])?.last as? [String: Any])
        let writer = try #require(roles["writer"] as? [String: Any])
        #expect(writer["cluster_permissions"] as? [String] == ["indices:data/write/bulk"])
        #expect((writer["index_permissions"] as? [[String: Any]])?.first?["index_patterns"] as? [String] == ["test-index"])
        #expect(roles.keys.filter { $0.hasPrefix("secperm_probe_") }.isEmpty)

        // A new name: nothing to back up; text output says it was created. An existing backup
        // file is never overwritten: nothing is installed then (exit 2).
        let text = try runSecperm(["probe", ProbeLive.set("bulk-example"), "--cluster", server.url] + ProbeLive.adminCertificate()
            + ["--allow-writes", "--apply", "--role-name", "bulk_writer"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasSuffix("\napplied: role bulk_writer created on the cluster (no role of that name existed)\n"))
        let refused = try ProbeLive.probe(server, ProbeLive.set("bulk-example"), ["--allow-writes", "--apply", "--role-name", "writer", "--backup", backup])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--backup \(backup): cannot create the file (File exists); the role was not installed"), "\(refused.stderr)")
    }

    // Issue 11: a probe stopped with SIGTERM halfway leaves no scratch user, role or mapping.
    // simulate's hidden --response-delay keeps the probe busy long enough to be stopped midway.
    @Test func sigtermHalfwayLeavesNothingBehind() throws {
        let target = "opensearch-2.19"
        let server = try ProbeLive.server(target, ["--response-delay", "0.2"])
        defer { server.stop() }
        let before = try ProbeLive.securityState(server, target: target)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["probe", ProbeLive.set("cat-monitoring"), "--cluster", server.url] + (try ProbeLive.adminCertificate())
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait until the scratch user exists and two of its requests were answered.
        let deadline = Date().addingTimeInterval(60)
        var scratchRequests = 0
        while scratchRequests < 2, Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            let log = (try? String(contentsOf: server.logFile, encoding: .utf8)) ?? ""
            scratchRequests = log.split(separator: "\n").filter { $0.contains("\"user\":\"secperm-probe-") }.count
        }
        #expect(scratchRequests == 2)
        process.terminate()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.hasSuffix("probe interrupted: the scratch user, role and mapping were removed\n"), "\(stderr)")
        #expect(stdout.isEmpty)
        #expect(try ProbeLive.securityState(server, target: target) == before)
    }

    // Connection, TLS and authentication problems of the admin side end with exit 3 and one line,
    // through the live error mapping of whoami/fetch; a user who may not use the Security REST API
    // cannot create the scratch user (exit 3, the cluster's answer).
    @Test func connectionProblemsExitThree() throws {
        let server = try ProbeLive.server("opensearch-2.19")
        defer { server.stop() }
        let before = try ProbeLive.securityState(server, target: "opensearch-2.19")
        let pki = try LivePKI.get()
        let untrusted = try runSecperm(["probe", ProbeLive.set("bulk-example"), "--cluster", server.url, "--cert", pki.path("admin.pem"),
                                        "--key", pki.path("admin-key.pem")])
        #expect(untrusted.status == 3)
        #expect(untrusted.stdout.isEmpty)
        #expect(untrusted.stderr.hasPrefix("error: "), "\(untrusted.stderr)")
        let wrongPassword = try runSecperm(["probe", ProbeLive.set("bulk-example"), "--cluster", server.url, "--cacert", pki.path("ca.pem"),
                                            "--user", "admin", "--password-env", "PW"], environment: ["PW": "not-the-password"])
        #expect(wrongPassword.status == 3)
        #expect(wrongPassword.stderr.split(separator: "\n").count == 1, "\(wrongPassword.stderr)")
        // alice may not read GET / either: the release is given.
        let notAdmin = try runSecperm(["probe", ProbeLive.set("bulk-example"), "--cluster", server.url, "--cacert", pki.path("ca.pem"),
                                       "--user", "alice", "--password-env", "PW", "--target", "opensearch-2.19"], environment: ["PW": "alice-pw"])
        #expect(notAdmin.status == 3)
        #expect(notAdmin.stderr.hasPrefix("error: the cluster refused to create the scratch user: HTTP 403 "), "\(notAdmin.stderr)")
        #expect(try ProbeLive.securityState(server, target: "opensearch-2.19") == before)
    }

    @Test func exactlyOneOfClusterAndConfig() throws {
        let both = try CLI.run(["probe", ProbeLive.set("bulk-example"), "--config", ProbeLive.config, "--cluster", "https://127.0.0.1:1"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("give --cluster or --config, not both"), "\(both.stderr)")
        let neither = try CLI.run(["probe", ProbeLive.set("bulk-example")])
        #expect(neither.status == 2)
        #expect(neither.stderr.contains("give --cluster URL (a live cluster) or --config DIR (offline)"), "\(neither.stderr)")
        let applyOffline = try CLI.run(["probe", ProbeLive.set("bulk-example"), "--config", ProbeLive.config, "--apply"])
        #expect(applyOffline.status == 2)
        let noAdmin = try CLI.run(["probe", ProbeLive.set("bulk-example"), "--cluster", "https://127.0.0.1:1"])
        #expect(noAdmin.status == 2)
        #expect(noAdmin.stderr.contains("the admin side needs --user"), "\(noAdmin.stderr)")
    }
}
}
