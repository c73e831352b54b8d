import Foundation
import Testing
import PermissionCatalog
@testable import Analyzer

/// `actions --suggest-role` on a default cluster (issue 9 §5): what default settings require is
/// required, with the setting that lifts it; what the cluster's state decides is included unless
/// `--assume-existing`. Scenario: Tests/Fixtures/scenarios/suggest_role_default_cluster (README names
/// the upstream rules).
@Suite("Role suggestions under default settings and cluster state")
struct SuggestionDefaultsTests {
    static let folder = Paths.fixtures.appendingPathComponent("scenarios/suggest_role_default_cluster")

    static func plans(profile: TargetProfile = .default) throws -> [RequestPlan] {
        let text = try String(contentsOf: folder.appendingPathComponent("requests.txt"), encoding: .utf8)
        let planner = RequestPlanner(catalog: Catalog(profile: profile))
        return try ConsoleParser.parse(text, file: "requests.txt").map(planner.plan)
    }

    static func describe(_ requirement: Requirement) -> String {
        "\(requirement.action) \(requirement.indices.joined(separator: ",")) conditional=\(requirement.conditional != nil) "
            + "state=\(requirement.dependsOnState) lifted=\(requirement.liftedBy ?? "-")"
    }

    /// Legacy evaluateAdditionalIndexPermissions: check_snapshot_restore_write_privileges, default true.
    @Test("restore: create and index on the restored indices are required, with the setting that lifts them")
    func restoreRequired() throws {
        let restore = try Self.plans()[0]
        #expect(restore.requirements.map(Self.describe) == [
            "cluster:admin/snapshot/restore  conditional=false state=false lifted=-",
            "indices:admin/create customers conditional=false state=false lifted=plugins.security.check_snapshot_restore_write_privileges: false",
            "indices:data/write/index customers conditional=false state=false lifted=plugins.security.check_snapshot_restore_write_privileges: false",
        ])
        let odfe = try Self.plans(profile: try #require(TargetProfile(parsing: "opendistro-1.13")))[0]
        #expect(odfe.requirements.compactMap(\.liftedBy) == Array(repeating: "opendistro_security.check_snapshot_restore_write_privileges: false", count: 2))
    }

    /// Given settings that lift the check, the planner (and so the suggestion and `simulate`) leaves it out.
    @Test("check_snapshot_restore_write_privileges: false lifts the restore's write check, in actions and in simulate")
    func restoreLifted() throws {
        var settings = NodeSettings()
        settings.checkSnapshotRestoreWritePrivileges = false
        let planner = RequestPlanner(catalog: Catalog(), settings: settings)
        let restore = planner.plan(try #require(try ConsoleParser.parse("POST _snapshot/repo/snap1/_restore\n{\"indices\":\"customers\"}", file: "t").first))
        #expect(restore.requirements.map(Self.describe) == [
            "cluster:admin/snapshot/restore  conditional=false state=false lifted=-",
            "indices:admin/create customers conditional=true state=false lifted=-",
            "indices:data/write/index customers conditional=true state=false lifted=-",
        ])
        #expect(restore.requirements.compactMap(\.conditional).first == "plugins.security.check_snapshot_restore_write_privileges is true (it is false here)")
        #expect(restore.requirements.filter { $0.isNeeded(assumingExisting: false) }.map(\.action) == ["cluster:admin/snapshot/restore"])
        let cluster = try Simulation.cluster("opensearch-2.11", settings: settings)
        let exchange = Simulation.send(cluster, "POST", "/_snapshot/repo/snap/_restore", as: "admin", body: "{\"indices\":\"logs-1\"}")
        #expect(exchange.response.status == 200, "\(Simulation.text(exchange.response))")
        #expect(exchange.log.actionsChecked == ["cluster:admin/snapshot/restore"])
    }

    /// §2.4: auto_create → create, mapping/auto_put → mapping/put, issued by the cluster's state.
    @Test("bulk into a new index: auto-create and dynamic mapping are state-dependent conditions")
    func bulkStateDependent() throws {
        let bulk = try Self.plans()[1]
        #expect(bulk.requirements.map(Self.describe) == [
            "indices:data/write/bulk  conditional=false state=false lifted=-",
            "indices:data/write/bulk[s] logs-2026.11.26 conditional=false state=false lifted=-",
            "indices:data/write/index logs-2026.11.26 conditional=false state=false lifted=-",
            "indices:admin/create logs-2026.11.26 conditional=true state=true lifted=-",
            "indices:admin/mapping/put logs-2026.11.26 conditional=true state=true lifted=-",
        ])
        // A condition about the request itself is not a state of the cluster.
        let planner = RequestPlanner(catalog: Catalog())
        let scroll = planner.plan(try #require(try ConsoleParser.parse("GET logs/_search?scroll=1m", file: "t").first))
        #expect(scroll.requirements.filter { $0.conditional != nil }.allSatisfy { !$0.dependsOnState })
        #expect(scroll.requirements.filter { $0.isNeeded(assumingExisting: false) }.map(\.action) == ["indices:data/read/search"])
    }

    /// The suggestions are the roles in the scenario's config, which its cases check against the evaluator.
    @Test("the suggestion, with and without --assume-existing, is the scenario's role", arguments: [("app", false), ("app_existing", true)])
    func suggestionMatchesScenario(name: String, assumeExisting: Bool) throws {
        let requirements = try Self.plans().flatMap(\.requirements)
        let suggestion = RoleSuggestion(name: name, requirements: requirements, catalog: Catalog(), allowBroader: false, assumeExisting: assumeExisting)
        let config = try ConfigLoader().load(from: Self.folder.appendingPathComponent("config").path).config
        #expect(ModelDump.text(try #require(config.roles[name])) == ModelDump.text(suggestion.role))
    }
}
