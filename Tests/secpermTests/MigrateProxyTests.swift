import Foundation
import Testing

/// Issue 13: "an interrupted run (a proxy in the test that drops the connection after N writes)
/// resumed". `secperm migrate --apply` runs as a subprocess over TLS through ``MigrateProxy`` to a
/// `secperm simulate` target; the proxy counts writes in simulate's request log.
extension LiveTests {
@Suite struct MigrateInterrupted {
    static let writesBeforeDrop = 4

    @Test func aDroppedConnectionStopsWithExit3AndARerunFinishesWithNothingLostOrDoubled() throws {
        let pki = try LivePKI.get()
        let (source, target) = try Migrate.servers(pki)
        defer { source.stop(); target.stop() }
        let folder = try Migrate.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = target.logFile
        func arguments(through proxy: MigrateProxy, backup: String?) -> [String] {
            ["migrate", "--from", source.url, "--from-cert", pki.path("admin.pem"), "--from-key", pki.path("admin-key.pem"),
             "--from-cacert", pki.path("ca.pem"), "--to", proxy.url, "--to-user", "admin", "--to-password-env", "NEW_PW",
             "--to-cacert", pki.path("ca.pem"), "--apply"] + (backup.map { ["--backup", folder.appendingPathComponent($0).path] } ?? [])
        }

        // 1. The connection drops after 4 writes: exit 3, the report says what was written.
        let dropping = try MigrateProxy(upstream: target.url) { simulateWrites(log).count >= Self.writesBeforeDrop }
        let stopped = try runSecperm(arguments(through: dropping, backup: "first"), environment: ["NEW_PW": "admin-pw"])
        dropping.stop()
        #expect(dropping.hasDropped)
        #expect(stopped.status == 3, "\(stopped.stdout)\(stopped.stderr)")
        #expect(stopped.stdout.hasPrefix("plan: opendistro-1.13 → opensearch-2.19: 8 add, 1 update, 0 unchanged, 3 skip\n"), "\(stopped.stdout)")
        // The retries of that PUT (idempotent, RetryPolicy) meet the closed proxy: the last failure is named.
        #expect(stopped.stdout.contains("\nwritten: 4 of 9\nstopped at rolesmapping 'log_reader': the target cluster: "), "\(stopped.stdout)")
        #expect(!stopped.stdout.contains("cluster: error:"), "\(stopped.stdout)")
        #expect(stopped.stdout.hasSuffix("\nnothing else was written; run the same command again to finish the plan\n"), "\(stopped.stdout)")
        #expect(simulateWrites(log) == ["PUT /_plugins/_security/api/actiongroups/log_search", "PUT /_plugins/_security/api/roles/log_reader",
                                        "PUT /_plugins/_security/api/roles/writer", "PUT /_plugins/_security/api/tenants/team_logs"])

        // 2. Started again through a fresh proxy: the plan holds only what is left, written once each.
        let proxy = try MigrateProxy(upstream: target.url)
        defer { proxy.stop() }
        let resumed = try runSecperm(arguments(through: proxy, backup: "second"), environment: ["NEW_PW": "admin-pw"])
        #expect(resumed.stdout.hasPrefix("plan: opendistro-1.13 → opensearch-2.19: 5 add, 0 update, 4 unchanged, 3 skip\n"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("\nwritten: 5 of 5\n"), "\(resumed.stdout)")
        let writes = simulateWrites(log)
        #expect(writes.count == 9)
        #expect(Set(writes).count == 9, "an entry written twice: \(writes)")
        #expect(writes.suffix(5) == ["PUT /_plugins/_security/api/rolesmapping/log_reader", "PUT /_plugins/_security/api/rolesmapping/writer",
                                     "PUT /_plugins/_security/api/internalusers/alice", "PUT /_plugins/_security/api/internalusers/bob",
                                     "PUT /_plugins/_security/api/internalusers/carol"])

        // 3. A third run plans only unchanged/skip and sends no write.
        let third = try runSecperm(arguments(through: proxy, backup: nil) + ["--format", "json"], environment: ["NEW_PW": "admin-pw"])
        let json = try CLI.json(third.stdout)
        #expect(Set((json["plan"] as? [[String: Any]] ?? []).compactMap { $0["op"] as? String }) == ["unchanged", "skip"])
        #expect((json["written"] as? [Any])?.isEmpty == true)
        #expect(simulateWrites(log).count == 9)

        // Users log in on the target with their original passwords.
        for (user, password) in [("alice", "alice-pw"), ("bob", "bob-pw"), ("carol", "bob-pw")] {
            let login = try runSecperm(["whoami", "--cluster", target.url, "--cacert", pki.path("ca.pem"), "--user", user, "--password-env", "PW"],
                                       environment: ["PW": password])
            #expect(login.status == 0, "\(user): \(login.stderr)")
        }
    }
}
}
