@testable import Analyzer
import PermissionCatalog
import Testing

/// The restore rules said for a `_restore` request (Requests/RestoreNote). Followed:
/// shared/reference/opensearch-security-semantics.md "Snapshot restore (SnapshotRestoreEvaluator)":
/// `include_global_state` refused; a source list with the security index, `_all` or `*` refused;
/// settings table: `unsupported.restore.securityindex.enabled` (false) lifts both,
/// `enable_snapshot_restore_privilege` (true) lets users restore at all,
/// `check_snapshot_restore_write_privileges` (true) adds create + index on the restored indices.
@Suite("Snapshot restore notes")
struct RestoreNoteTests {
    static func notes(_ body: String, settings: NodeSettings = NodeSettings(), profile: TargetProfile = TargetProfile(flavor: .opensearch, version: "2.19"))
        throws -> [RestoreNote] {
        let requests = try ConsoleParser.parse("POST _snapshot/repo/snap/_restore\n\(body)\n", file: "t.txt")
        return RequestPlanner(catalog: Catalog(profile: profile), settings: settings).plan(try #require(requests.first)).restoreNotes
    }

    static let write = RestoreNote.writePrivilegesOnRestoredIndices(setting: "plugins.security.check_snapshot_restore_write_privileges", lifted: false)
    static let lift = "plugins.security.unsupported.restore.securityindex.enabled"

    @Test func theRunbooksRestoreLeavesTheSecurityIndexOutAndTheGlobalState() throws {
        #expect(try Self.notes(#"{"indices": "*,-.opendistro_security", "include_global_state": false}"#)
                == [.globalStateNotRestored, .securityIndexExcluded(securityIndex: ".opendistro_security"), Self.write])
    }

    @Test(arguments: [#"{"indices": "*"}"#, #"{"indices": "_all"}"#, "{}", #"{"indices": ["logs-*", ".opendistro*"]}"#])
    func everyIndexOrTheSecurityIndexIsRefused(body: String) throws {
        #expect(try Self.notes(body) == [.globalStateNotRestored, .securityIndexInSource(securityIndex: ".opendistro_security", setting: Self.lift), Self.write])
    }

    @Test func namedIndicesAndTheGlobalState() throws {
        #expect(try Self.notes(#"{"indices": "logs-1", "include_global_state": true, "rename_pattern": "(.+)", "rename_replacement": "r_$1"}"#)
                == [.globalStateRefused(setting: Self.lift), .securityIndexNotListed(securityIndex: ".opendistro_security"), Self.write, .renamedIndices])
    }

    @Test func settingsChangeTheRules() throws {
        var settings = NodeSettings()
        settings.restoreSecurityIndexEnabled = true
        settings.checkSnapshotRestoreWritePrivileges = false
        settings.securityIndexName = ".security-custom"
        #expect(try Self.notes(#"{"indices": "*"}"#, settings: settings)
                == [.securityIndexRestoreAllowed(setting: Self.lift),
                    .writePrivilegesOnRestoredIndices(setting: "plugins.security.check_snapshot_restore_write_privileges", lifted: true)])
        settings = NodeSettings()
        settings.snapshotRestorePrivilegeEnabled = false
        #expect(try Self.notes("{}", settings: settings, profile: TargetProfile(flavor: .opendistro, version: "1.13"))
                == [.restoreByUsersDisabled(setting: "opendistro_security.enable_snapshot_restore_privilege")])
        settings = NodeSettings()
        settings.securityIndexName = ".security-custom"
        #expect(try Self.notes(#"{"indices": "*,-.security-custom"}"#, settings: settings)[1] == .securityIndexExcluded(securityIndex: ".security-custom"))
    }
}
