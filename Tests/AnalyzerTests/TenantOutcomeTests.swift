import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// `Evaluator.tenantOutcome` decides a tenant action without the role set's tables (a tenant
/// decision reads mapped role names, `tenant_permissions` and the tenant settings: `TenantRules`,
/// legacy `PrivilegesInterceptorImpl`); it must give exactly what a prepared subject gets, for
/// every release's tenant rules (plain and `${user.name}` patterns, the implicit global tenant of
/// `kibana_user` and `all_access`, undefined tenants, a disabled user).
@Suite("Evaluator: tenant outcomes without preparation")
struct TenantOutcomeTests {
    @Test("tenant outcomes equal a prepared subject's, on every release")
    func equalToPrepared() throws {
        let roles = """
            _meta: {type: roles, config_version: 2}
            reader:
              tenant_permissions:
              - tenant_patterns: [global_tenant, team]
                allowed_actions: [kibana_all_read]
            writer:
              tenant_permissions:
              - tenant_patterns: ['${user.name}', global_tenant]
                allowed_actions: [kibana_all_write]
            plain:
              cluster_permissions: []
            """
        let mapping = """
            _meta: {type: rolesmapping, config_version: 2}
            reader:
              users: [r]
            writer:
              users: [w]
            plain:
              users: [p, k, a]
            kibana_user:
              users: [k]
            all_access:
              users: [a]
            """
        var compared = 0
        for name in ["opendistro-1.13", "opensearch-1.3", "opensearch-2.11", "opensearch-2.19", "opensearch-3.8"] {
            let profile = try #require(TargetProfile(parsing: name))
            let loader = ConfigLoader(profile: profile)
            var config = try loader.load(text: roles, name: "roles.yml").config
            config.roleMappings = try loader.load(text: mapping, name: "roles_mapping.yml").config.roleMappings
            config.tenants = try loader.load(text: "_meta: {type: tenants, config_version: 2}\nteam: {}\n", name: "tenants.yml").config.tenants
            let evaluator = Evaluator(config: config, catalog: Catalog(profile: profile))
            for user in ["r", "w", "p", "k", "a", "nobody"] {
                for canAuthenticate in [true, false] {
                    let subject = ResolvedSubject(subject: Subject(name: user), subjectNotes: [], canAuthenticate: canAuthenticate)
                    for action in ["kibana:saved_objects/*/read", "kibana:saved_objects/*/write"] {
                        let prepared = evaluator.outcome(evaluator.prepare(subject), action: action, indices: [])
                        #expect(evaluator.tenantOutcome(evaluator.tenantSubject(subject), action: action) == prepared,
                                "\(name) \(user) \(canAuthenticate) \(action)")
                        compared += 1
                    }
                }
            }
            let reader = evaluator.tenantSubject(ResolvedSubject(subject: Subject(name: "r"), subjectNotes: [], canAuthenticate: true))
            #expect(evaluator.tenantOutcome(reader, action: "indices:data/read/search") == nil)
        }
        #expect(compared == 120)
    }
}
