import Foundation
import Testing

/// `secperm fetch` and `secperm migrate` end to end over TLS against two `secperm simulate`
/// processes: an Open Distro 1.13 source read with the admin certificate, an OpenSearch 2.19
/// target written by a REST API user (all_access in restapi.roles_enabled).
extension LiveTests {
@Suite struct Migrate {
    static let fixtures = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/migrate")

    static func servers(_ pki: LivePKI) throws -> (source: SimulateProcess, target: SimulateProcess) {
        let tls = ["--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"), "--tls-ca", pki.path("ca.pem"), "--admin-dn", LivePKI.adminDN]
        let source = try SimulateProcess(["--target", "opendistro-1.13"] + tls, config: fixtures.appendingPathComponent("source").path)
        let target = try SimulateProcess(["--target", "opensearch-2.19", "--setting", "plugins.security.restapi.roles_enabled=all_access"] + tls,
                                         config: fixtures.appendingPathComponent("target").path)
        return (source, target)
    }

    static func scratch() throws -> URL {
        let folder = CLI.scratch.appendingPathComponent("secperm-migrate-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func fetchWithTheAdminCertificateWritesPrivateFilesWithHashes() throws {
        let pki = try LivePKI.get()
        let (source, target) = try Migrate.servers(pki)
        defer { source.stop(); target.stop() }
        let folder = try Migrate.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("old").path
        let result = try runSecperm(["fetch", "--cluster", source.url, "--cacert", pki.path("ca.pem"), "--cert", pki.path("admin.pem"),
                                     "--key", pki.path("admin-key.pem"), "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "fetched opendistro-1.13 (version 7.10.2) through the security index (admin certificate) into \(out): "
            + "3 roles, 3 role mappings, 1 action groups, 4 internal users, 1 tenants\n")
        let users = try String(contentsOfFile: out + "/internal_users.yml", encoding: .utf8)
        #expect(users.contains("$2b$04$MpdJYAgLgoWiAFoBZLCSye308pJl.2srRXRYoPoVOYxKf89eBnysy"))
        for file in try FileManager.default.contentsOfDirectory(atPath: out) {
            #expect(try FileManager.default.attributesOfItem(atPath: out + "/" + file)[.posixPermissions] as? Int == 0o600, "\(file)")
        }
        // Without the admin certificate the REST API blanks the hashes: said in one line.
        let rest = try runSecperm(["fetch", "--cluster", target.url, "--cacert", pki.path("ca.pem"), "--user", "admin", "--password-env", "PW",
                                   "--out", folder.appendingPathComponent("new").path], environment: ["PW": "admin-pw"])
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.stdout.contains("\nusers were written without password hashes: the REST API blanks them; fetch with the admin certificate to keep passwords\n"))
    }

    @Test func migrateAppliesOnceUsersLogInAndARerunWritesNothing() throws {
        let pki = try LivePKI.get()
        let (source, target) = try Migrate.servers(pki)
        defer { source.stop(); target.stop() }
        let folder = try Migrate.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["migrate", "--from", source.url, "--from-cert", pki.path("admin.pem"), "--from-key", pki.path("admin-key.pem"),
                         "--from-cacert", pki.path("ca.pem"), "--to", target.url, "--to-user", "admin", "--to-password-env", "NEW_PW",
                         "--to-cacert", pki.path("ca.pem")]
        let plan = try runSecperm(arguments, environment: ["NEW_PW": "admin-pw"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("plan: opendistro-1.13 → opensearch-2.19: 8 add, 1 update, 0 unchanged, 3 skip\n"))
        let backup = folder.appendingPathComponent("before").path
        let applied = try runSecperm(arguments + ["--apply", "--backup", backup], environment: ["NEW_PW": "admin-pw"])
        // Two actions 2.19 checks at cluster level cannot be granted by the index grants copied: the proof says so, exit 1.
        #expect(applied.status == 1, "\(applied.stderr)")
        #expect(applied.stdout.contains("\nbackup of the target written to \(backup)\nwritten: 9 of 9\nmigration NOT verified: undecided\n"))
        #expect(!applied.stdout.contains("$2b$"))
        // DST was read through the REST API (hashes blanked): the proof does not call every user's hash changed.
        #expect(!applied.stdout.contains("internaluser alice: hash"), "\(applied.stdout)")
        #expect(applied.stdout.contains("\n  removed  role ops_reserved (reserved/static/hidden)\n  changed  role log_reader: cluster_permissions\n  changed  role writer: index_permissions\n  changed  static_actiongroup"))
        #expect(try String(contentsOfFile: backup + "/roles.yml", encoding: .utf8).contains("made on the new cluster"))
        let login = try runSecperm(["whoami", "--cluster", target.url, "--cacert", pki.path("ca.pem"), "--user", "carol", "--password-env", "PW",
                                    "--format", "json"], environment: ["PW": "bob-pw"])
        #expect(login.status == 0, "\(login.stderr)")
        #expect(try CLI.json(login.stdout)["roles"] as? [String] == ["log_reader"])
        let again = try runSecperm(arguments + ["--apply", "--format", "json"], environment: ["NEW_PW": "admin-pw"])
        let json = try CLI.json(again.stdout)
        #expect((json["written"] as? [Any])?.isEmpty == true)
        #expect(Set((json["plan"] as? [[String: Any]] ?? []).compactMap { $0["op"] as? String }) == ["unchanged", "skip"])
    }

    // TLS is verified by default on both sides; the failing side is named, exit 3.
    @Test func anUntrustedTargetCertificateStopsWithExit3NamingTheSide() throws {
        let pki = try LivePKI.get()
        let (source, target) = try Migrate.servers(pki)
        defer { source.stop(); target.stop() }
        let result = try runSecperm(["migrate", "--from", source.url, "--from-cert", pki.path("admin.pem"), "--from-key", pki.path("admin-key.pem"),
                                     "--from-cacert", pki.path("ca.pem"), "--to", target.url, "--to-user", "admin", "--to-password-env", "PW"],
                                    environment: ["PW": "admin-pw"])
        #expect(result.status == 3)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("error: the target cluster: "), "\(result.stderr)")
    }
}
}
