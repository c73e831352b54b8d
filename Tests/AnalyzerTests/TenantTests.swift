import Foundation
import Testing
import PermissionCatalog
@testable import Analyzer

/// Dashboards tenants (issue 9 §5): Tests/Fixtures/tenants, whose README names the upstream rules.
@Suite("Dashboards tenants: kibana:saved_objects/*/read|write against tenant_permissions")
struct TenantTests {
    static let folder = Paths.fixtures.appendingPathComponent("tenants")

    static func evaluator(_ config: String = "config", profile: TargetProfile = .default) throws -> Evaluator {
        let loaded = try ConfigLoader(profile: profile).load(from: folder.appendingPathComponent(config).path).config
        return Evaluator(config: loaded, catalog: Catalog(profile: profile))
    }

    static func decide(_ e: Evaluator, _ user: String, tenant: String?, _ action: String, attributes: [String: String] = [:]) throws -> Decision {
        var request = SubjectRequest(user: user)
        request.requestedTenant = tenant
        request.attributes = attributes
        let subject = try SubjectResolver.resolve(request, config: e.config)
        return e.evaluate(subject, action: action, indices: [])
    }

    @Test("every case of tenant_cases.jsonl")
    func cases() throws {
        let e = try Self.evaluator()
        let text = try String(contentsOf: Self.folder.appendingPathComponent("tenant_cases.jsonl"), encoding: .utf8)
        var count = 0
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = object["id"] as? String ?? "?"
            let decision = try Self.decide(e, try #require(object["user"] as? String), tenant: object["tenant"] as? String,
                                           try #require(object["action"] as? String), attributes: object["attributes"] as? [String: String] ?? [:])
            #expect(decision.outcome.rawValue == object["expected"] as? String, "\(id): \(decision.notes)")
            count += 1
        }
        #expect(count == 15)
    }

    @Test("typed reasons: missing tenant privilege with its fix, undefined tenant, the 403 names the requested tenant")
    func reasons() throws {
        let e = try Self.evaluator()
        let missing = try Self.decide(e, "alice", tenant: "team_b", "kibana:saved_objects/*/write")
        #expect(missing.denial == .missingTenantPrivilege(tenant: "team_b", write: true))
        #expect(missing.fix.map(\.advice) == [.grantTenant(user: "alice", tenant: "team_b", actionGroup: "kibana_all_write")])
        #expect(missing.forbiddenMessage
                == "no permissions for [kibana:saved_objects/*/write] and User [name=alice, backend_roles=[], requestedTenant=team_b]")
        #expect(try Self.decide(e, "carol", tenant: "nowhere", "kibana:saved_objects/*/read").denial == .special(.undefinedTenant(tenant: "nowhere")))
        #expect(try Self.decide(e, "bob", tenant: "team_a", "kibana:saved_objects/*/read").decisionNotes
                == [.tenantGranted(tenant: "team_a", roles: ["team_b_reader"])])
    }

    @Test("private tenant disabled refuses __user__, not the user's own name")
    func privateTenantDisabled() throws {
        let e = try Self.evaluator("config_private_off")
        #expect(try Self.decide(e, "zoe", tenant: "__user__", "kibana:saved_objects/*/read").denial == .special(.privateTenantDisabled))
        #expect(try Self.decide(e, "zoe", tenant: "zoe", "kibana:saved_objects/*/read").outcome == .allow)
    }

    @Test("multitenancy disabled: tenants are not evaluated")
    func multitenancyDisabled() throws {
        let e = try Self.evaluator("config_multitenancy_off")
        let decision = try Self.decide(e, "alice", tenant: "team_a", "kibana:saved_objects/*/write")
        #expect(decision.denial == .special(.multitenancyDisabled))
        #expect(decision.fix.map(\.advice) == [.nothingToGrant(.multitenancyDisabled)])
    }

    @Test("releases before 2.19 keep the typed refusal (TargetProfile.evaluatesTenantPrivileges)")
    func olderReleases() throws {
        let profile = try #require(TargetProfile(parsing: "opensearch-2.11"))
        let e = try Self.evaluator(profile: profile)
        let decision = try Self.decide(e, "alice", tenant: "team_a", "kibana:saved_objects/*/write")
        #expect(decision.denial == .special(.tenantActionNotEvaluated(action: "kibana:saved_objects/*/write")))
        #expect(!profile.evaluatesTenantPrivileges && TargetProfile.default.evaluatesTenantPrivileges)
    }
}
