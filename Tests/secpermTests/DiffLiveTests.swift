import Foundation
import Testing

/// `secperm diff` with a cluster URL as SRC and/or DST, over real TLS sockets against `secperm
/// simulate` subprocesses serving the pairs of Tests/Fixtures/diff (issue 12: "a cluster URL with
/// the connection options"). Each cluster is read in memory as `secperm fetch` reads it, its
/// release detected from GET / unless --target-from/--target-to is given.
extension LiveTests {
@Suite struct DiffLive {
    static let pairs = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/diff")
    static let now = ["--now", "2026-01-01T00:00:00Z"]

    static func pair(_ name: String, _ side: String) -> String { pairs.appendingPathComponent("\(name)/\(side)").path }

    /// A simulated OpenSearch 2.19 cluster over TLS serving `config`, the admin certificate's DN admitted.
    static func cluster(_ pki: LivePKI, config: String) throws -> SimulateProcess {
        try SimulateProcess(["--target", "opensearch-2.19", "--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"),
                             "--tls-ca", pki.path("ca.pem"), "--admin-dn", LivePKI.adminDN], config: config)
    }

    static func admin(_ pki: LivePKI, _ side: String) -> [String] {
        ["--\(side)-cacert", pki.path("ca.pem"), "--\(side)-cert", pki.path("admin.pem"), "--\(side)-key", pki.path("admin-key.pem")]
    }

    @Test func aClusterAgainstTheDirectoryItServesIsEquivalentWithItsReleaseDetected() throws {
        let pki = try LivePKI.get()
        let source = try Self.cluster(pki, config: Self.pair("logs-to-log-glob", "src"))
        defer { source.stop() }
        let result = try runSecperm(["diff", source.url, Self.pair("logs-to-log-glob", "src"), "--target-to", "opensearch-2.19", "--format", "json"]
            + Self.admin(pki, "from") + Self.now)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let json = try CLI.json(result.stdout)
        #expect(json["verdict"] as? String == "equivalent")
        // Detected from GET /, not given.
        #expect(json["source"] as? String == "opensearch-2.19")
        #expect(json["target"] as? String == "opensearch-2.19")
        let entries = try #require(json["entries"] as? [String: [Any]])
        let empty = entries.values.allSatisfy { $0.isEmpty }
        #expect(empty, "\(entries)")
    }

    @Test func twoClustersThatDifferGiveExit1AndTheWitness() throws {
        let pki = try LivePKI.get()
        let source = try Self.cluster(pki, config: Self.pair("logs-to-log-glob", "src"))
        defer { source.stop() }
        let target = try Self.cluster(pki, config: Self.pair("logs-to-log-glob", "dst"))
        defer { target.stop() }
        let result = try runSecperm(["diff", source.url, target.url, "--users", "internal", "--max-witnesses", "1"]
            + Self.admin(pki, "from") + Self.admin(pki, "to") + Self.now)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout == """
            BROADER  DST allows more than SRC for 1 of 2 subjects (opensearch-2.19 → opensearch-2.19)

            alice (backend roles: ops): broader, 18 actions differ
              indices:data/read/search on log
                SRC deny: missing indices:data/read/search (roles reader)
                DST allow: reader: log* → read → indices:data/read* grants indices:data/read/search on log (target cluster#roles:1)
              … and 17 more differing actions (--max-witnesses 0 lists all)

            1 subject equivalent
            entries:
              changed  role reader: index_permissions

            """, "\(result.stdout)")
    }

    @Test func aClusterReadThroughTheRESTAPISaysHashesAreNotCompared() throws {
        let pki = try LivePKI.get()
        let fixtures = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/migrate/target").path
        let target = try SimulateProcess(["--target", "opensearch-2.19", "--setting", "plugins.security.restapi.roles_enabled=all_access",
                                          "--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"), "--tls-ca", pki.path("ca.pem")],
                                         config: fixtures)
        defer { target.stop() }
        let result = try runSecperm(["diff", fixtures, target.url, "--target-from", "opensearch-2.19", "--to-cacert", pki.path("ca.pem"),
                                     "--to-user", "admin", "--to-password-env", "PW", "--format", "json"] + Self.now,
                                    environment: ["PW": "admin-pw"])
        // Same entries: the hashes the REST API blanks are not compared, and the note says so.
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "note: DST was read through the REST API (no admin certificate): password hashes are not compared\n")
        let entries = try #require(try CLI.json(result.stdout)["entries"] as? [String: [Any]])
        let empty = entries.values.allSatisfy { $0.isEmpty }
        #expect(empty, "\(entries)")
        #expect(!result.stdout.contains("$2"))
    }

    // TLS verified by default; the side that fails is named, exit 3, nothing on stdout.
    @Test func anUntrustedCertificateOrAWrongPasswordStopsWithExit3NamingTheSide() throws {
        let pki = try LivePKI.get()
        let fixtures = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/migrate/target").path
        let target = try SimulateProcess(["--target", "opensearch-2.19", "--setting", "plugins.security.restapi.roles_enabled=all_access",
                                          "--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"), "--tls-ca", pki.path("ca.pem")],
                                         config: fixtures)
        defer { target.stop() }
        let untrusted = try runSecperm(["diff", target.url, fixtures, "--from-user", "admin", "--from-password-env", "PW"], environment: ["PW": "admin-pw"])
        #expect(untrusted.status == 3)
        #expect(untrusted.stdout == "")
        #expect(untrusted.stderr.hasPrefix("error: the source cluster: "), "\(untrusted.stderr)")
        // The hint names the option of the side that failed.
        #expect(untrusted.stderr.hasSuffix("the server certificate is signed by an unknown CA (give --from-cacert with the cluster's CA)\n"), "\(untrusted.stderr)")
        let refused = try runSecperm(["diff", fixtures, target.url, "--to-cacert", pki.path("ca.pem"), "--to-user", "admin", "--to-password-env", "PW"],
                                     environment: ["PW": "wrong"])
        #expect(refused.status == 3)
        #expect(refused.stdout == "")
        #expect(refused.stderr.hasPrefix("error: the target cluster refused GET "), "\(refused.stderr)")
        #expect(!refused.stderr.contains("wrong"))
    }
}
}
