import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// `secperm catalog` says how a release checks each permission; it must say what the evaluator does.
@Suite("Catalog report")
struct CatalogReportTests {
    /// §2.6: the Security REST API checks restapi:admin/* as explicit cluster privileges in every
    /// release that has them. On 2.19 isClusterPerm alone would call them index actions (issue 9 §1).
    @Test("restapi permissions are reported as checked at cluster level on 2.19, as check evaluates them")
    func restapiCheckedAsCluster() throws {
        let profile = try #require(TargetProfile(parsing: "opensearch-2.19"))
        let report = CatalogReport(catalog: Catalog(profile: profile), kind: .restapi)
        let rows = report.text().split(separator: "\n").filter { $0.hasPrefix("restapi:") }
        #expect(rows.count == 11)
        #expect(rows.allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true)[2] == "cluster" }, "\(rows)")
        #expect(report.json().contains("\"checkedAs\" : \"cluster\""))
        #expect(!report.json().contains("\"checkedAs\" : \"index\""))

        // The evaluator agrees: granted through cluster_permissions, not through index_permissions.
        let here = SourceLocation(file: "<test>", line: 1)
        var config = SecurityConfig()
        config.roles["cluster_side"] = Role(name: "cluster_side", location: here, clusterPermissions: [Located("restapi:admin/roles", at: here)])
        config.roles["index_side"] = Role(name: "index_side", location: here, indexPermissions: [
            IndexPermission(location: here, indexPatterns: [Located("*", at: here)], allowedActions: [Located("restapi:admin/roles", at: here)])])
        let evaluator = Evaluator(config: config, catalog: Catalog(profile: profile))
        let viaCluster = evaluator.evaluate(AccessRequest(subject: Subject(name: "a", securityRoles: ["cluster_side"]), action: "restapi:admin/roles", indices: []))
        let viaIndex = evaluator.evaluate(AccessRequest(subject: Subject(name: "b", securityRoles: ["index_side"]), action: "restapi:admin/roles", indices: []))
        #expect(viaCluster.outcome == .allow)
        #expect(viaIndex.outcome == .deny)
    }
}

/// Issue 9 §1: the evaluator, the request planner, the audit and the catalog report answered
/// "cluster or index?" each in its own way and disagreed. They now read ActionCheck; this holds
/// them together for every catalog action of every named profile.
@Suite("One level for every action")
struct ActionLevelAgreementTests {
    @Test("evaluator, planner, audit and catalog report agree on every catalog action", arguments: TargetProfile.named.map(\.name))
    func agree(profileName: String) throws {
        let profile = try #require(TargetProfile(parsing: profileName))
        let catalog = Catalog(profile: profile)
        let evaluator = Evaluator(config: SecurityConfig(), catalog: catalog)
        let planner = RequestPlanner(catalog: catalog)
        let report = CatalogReport(catalog: catalog, kind: nil)
        var disagreements: [String] = []
        for permission in catalog.actions {
            let action = permission.name
            let plan = evaluator.plans.plan(for: action)
            let evaluated: String
            switch plan.route {
            case .alwaysAllowed: continue
            case .cluster, .explicitCluster: evaluated = "cluster"
            case .index: evaluated = "index"
            case .tenant: evaluated = "tenant"
            }
            let audit = WrongPermissionLevel.levels(of: [action], profile)
            let audited = !audit.any ? "tenant" : audit.allCluster ? "cluster" : "index"
            let answers = [evaluated, planner.level(action).rawValue, audited, report.level(permission)]
            if Set(answers).count != 1 { disagreements.append("\(action): evaluator, planner, audit, report = \(answers)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        #expect(catalog.actions.count > 200)
    }
}
