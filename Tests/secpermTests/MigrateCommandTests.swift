import Foundation
import Testing

/// `secperm migrate` directory → directory, on the built binary.
@Suite("secperm migrate (directories)")
struct MigrateCommandTests {
    static let fixtures = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/migrate")

    /// A scratch folder holding copies of the source and target fixtures.
    static func scratch() throws -> URL {
        let folder = CLI.scratch.appendingPathComponent("secperm-migrate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for side in ["source", "target"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(side), to: folder.appendingPathComponent(side))
        }
        return folder
    }

    @Test func planWritesNothingAndGoldenText() throws {
        let folder = try MigrateCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try String(contentsOf: folder.appendingPathComponent("target/roles.yml"), encoding: .utf8)
        let result = try CLI.run(["migrate", "--from", "source", "--to", "target", "--target-from", "opendistro-1.13", "--target-to", "opensearch-2.19"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        try Golden.check(result.stdout, "migrate-plan.txt")
        #expect(try String(contentsOf: folder.appendingPathComponent("target/roles.yml"), encoding: .utf8) == before)
    }

    @Test func applyBacksUpWritesVerifiesAndARerunWritesNothing() throws {
        let folder = try MigrateCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["migrate", "--from", "source", "--to", "target", "--target-from", "opensearch-2.19", "--target-to", "opensearch-2.19"]
        let applied = try CLI.run(arguments + ["--apply", "--backup", "before"], in: folder)
        #expect(applied.status == 0)
        #expect(applied.stdout.hasSuffix("backup of the target written to before\nwritten: 9 of 9\nmigration verified: equivalent for 5 subjects\n"))
        #expect(!applied.stdout.contains("$2b$"))
        let backupRoles = try String(contentsOf: folder.appendingPathComponent("before/roles.yml"), encoding: .utf8)
        #expect(backupRoles.contains("made on the new cluster"))
        let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("target/internal_users.yml").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let users = try String(contentsOf: folder.appendingPathComponent("target/internal_users.yml"), encoding: .utf8)
        #expect(users.contains("$2b$04$MpdJYAgLgoWiAFoBZLCSye308pJl.2srRXRYoPoVOYxKf89eBnysy"))
        let again = try CLI.run(arguments + ["--apply", "--format", "json"], in: folder)
        #expect(again.status == 0)
        let json = try CLI.json(again.stdout)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect((json["written"] as? [Any])?.isEmpty == true)
        #expect(json["backup"] is NSNull)
        let ops = (json["plan"] as? [[String: Any]] ?? []).compactMap { $0["op"] as? String }
        #expect(Set(ops) == ["unchanged", "skip"])
        #expect((json["verification"] as? [String: Any])?["verdict"] as? String == "equivalent")
    }

    // Before any write the target lacks the users: --verify alone reports it, exit 1.
    @Test func verifyAloneExitsOneWithWitnesses() throws {
        let folder = try MigrateCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["migrate", "--from", "source", "--to", "target", "--target-from", "opendistro-1.13", "--target-to", "opensearch-2.19", "--verify"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("nothing written (a plan); add --apply to write\nmigration NOT verified: undecided\n"))
    }

    @Test func backupWithoutApplyIsAUsageError() throws {
        let result = try CLI.run(["migrate", "--from", "a", "--to", "b", "--backup", "c"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--backup needs --apply"))
    }

    // The snapshot runbook of seed 001 as a console file: every request parses and the restore
    // lists the write checks on the restored indices (rest-actions.md, snapshot restore).
    @Test func snapshotPreflightConsoleFileParses() throws {
        let result = try CLI.run(["actions", "data/samples/snapshot-preflight.txt"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let routes = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  route ") }.map { String($0.dropFirst(8)) }
        #expect(routes == ["PUT /_snapshot/{repository}", "PUT /_snapshot/{repository}/{snapshot}", "GET /_snapshot/{repository}/{snapshot}/_status",
                           "PUT /_snapshot/{repository}", "POST /_snapshot/{repository}/{snapshot}/_restore"])
        // Required under default settings, with the setting that lifts it named (issue 9 §5).
        #expect(result.stdout.contains("  index    indices:data/write/index        *, -.opendistro_security  required by default; plugins.security.check_snapshot_restore_write_privileges: false lifts it"))
    }

    // The preflight of the runbook (issue 13, seed 001): the restore's special rules are said for the
    // request as written (Requests/RestoreNote; opensearch-security-semantics.md "Snapshot restore").
    @Test func snapshotPreflightExplainsTheRestoreRules() throws {
        let result = try CLI.run(["actions", "data/samples/snapshot-preflight.txt", "--config", "data/samples/acme", "--user", "carol"])
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "POST /_snapshot/migration-repo/snapshot-1/_restore  (line 44)\n")
        #expect(parts.count == 2)
        let restore = parts.last ?? ""
        #expect(restore.split(separator: "\n").filter { $0.hasPrefix("  restore: ") }.map(String.init) == [
            "  restore: include_global_state is false: the rule against restoring the global state passes",
            "  restore: the security index .opendistro_security is left out of the restored indices: the rule against restoring it passes",
            "  restore: the restored indices also need indices:admin/create and indices:data/write/index "
                + "(plugins.security.check_snapshot_restore_write_privileges, true by default; false lifts it)",
        ])
        let json = try CLI.run(["actions", "data/samples/snapshot-preflight.txt", "--format", "json"])
        let requests = try CLI.json(json.stdout)["requests"] as? [[String: Any]] ?? []
        #expect(requests.map { ($0["restoreRules"] as? [String])?.count ?? 0 } == [0, 0, 0, 0, 3])
    }

    // The same restore written the way the rules refuse: every user but the super admin gets a 403.
    @Test func aRestoreOfEverythingWithTheGlobalStateIsExplainedAndDenied() throws {
        let file = CLI.scratch.appendingPathComponent("secperm-restore-\(UUID().uuidString).txt")
        try Data("POST _snapshot/migration-repo/snapshot-1/_restore\n{\"indices\": \"*\", \"include_global_state\": true}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CLI.run(["actions", file.path, "--config", "data/samples/acme", "--user", "carol"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("""
              restore: include_global_state: true is refused to every user but the super admin ('include_global_state' is not allowed), \
            unless plugins.security.unsupported.restore.securityindex.enabled is true
              restore: the restored indices take in the security index .opendistro_security (no list, *, _all or a pattern matching it): \
            refused to every user but the super admin, unless plugins.security.unsupported.restore.securityindex.enabled is true; \
            list "-.opendistro_security" to leave it out

            """), "\(result.stdout)")
        #expect(result.stdout.contains("  403: no permissions for [] and User [name=carol, backend_roles=[ops, oncall], requestedTenant=null]\n"))
    }
}
