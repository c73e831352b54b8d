import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

@Suite("Evaluator details")
struct EvaluatorUnitTests {
    func evaluator(_ roles: String, mapping: String, profile: TargetProfile = .default, settings: NodeSettings = NodeSettings(),
                   metadata: ClusterMetadata? = nil) throws -> Evaluator {
        let loader = ConfigLoader(profile: profile)
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\n" + mapping, name: "roles_mapping.yml").config.roleMappings
        return Evaluator(config: config, catalog: Catalog(profile: profile), settings: settings, metadata: metadata)
    }

    /// §5: before 2.19 an index denial lists every required index action; from 2.19 only the missing ones.
    @Test("missing privileges follow the release's 403 style (§5)")
    func missingStyles() throws {
        let roles = """
            restorer:
              cluster_permissions: [manage_snapshots]
              index_permissions:
              - index_patterns: ["restored-*"]
                allowed_actions: ["indices:admin/create"]
            """
        let mapping = "restorer:\n  users: [u]\n"
        let request = AccessRequest(subject: Subject(name: "u"), action: "cluster:admin/snapshot/restore", indices: ["restored-1"])
        let new = try evaluator(roles, mapping: mapping, profile: TargetProfile(parsing: "opensearch-2.19")!).evaluate(request)
        #expect(new.outcome == .deny)
        #expect(new.missingPrivileges == ["indices:data/write/index"])
        #expect(new.forbiddenMessage == "no permissions for [indices:data/write/index] and User [name=u, backend_roles=[], requestedTenant=null]")
        let old = try evaluator(roles, mapping: mapping, profile: TargetProfile(parsing: "opensearch-2.11")!).evaluate(request)
        #expect(old.missingPrivileges == ["indices:admin/create", "indices:data/write/index"])
    }

    /// §2.7: special-index denials list no privilege.
    @Test("security index writes are refused with an empty privilege list; reads are served empty (§2.7)")
    func securityIndex() throws {
        let e = try evaluator("all:\n  index_permissions:\n  - index_patterns: ['*']\n    allowed_actions: ['*']\n", mapping: "all:\n  users: [u]\n")
        let write = e.evaluate(AccessRequest(subject: Subject(name: "u", backendRoles: ["b"]), action: "indices:data/write/index", indices: [".opendistro_security"]))
        #expect(write.outcome == .deny)
        #expect(write.missingPrivileges == [])
        #expect(write.forbiddenMessage == "no permissions for [] and User [name=u, backend_roles=[b], requestedTenant=null]")
        let read = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/search", indices: [".opendistro_security"]))
        #expect(read.outcome == .empty)
    }

    @Test("grants explain role → entry → group chain → pattern → index pattern")
    func grantChain() throws {
        let e = try evaluator("r:\n  index_permissions:\n  - index_patterns: ['logs-*']\n    allowed_actions: [data_access]\n", mapping: "r:\n  backend_roles: [devs]\n")
        let decision = e.evaluate(AccessRequest(subject: Subject(name: "u", backendRoles: ["devs"]), action: "indices:data/read/get", indices: ["logs-1", "logs-2"]))
        #expect(decision.outcome == .allow)
        #expect(decision.grants == [Grant(role: "r", level: .index, action: "indices:data/read/get", permission: "data_access",
                                          via: ["indices:data/*"], indexPattern: "logs-*", indices: ["logs-1", "logs-2"],
                                          location: decision.grants.first?.location)])
        #expect(decision.roles.first?.reasons == [MappingReason(rule: .backendRole, patterns: ["devs"], matched: ["devs"])])
    }

    @Test("union over roles per index: one role grants one index, another the other (§3)")
    func unionAcrossRoles() throws {
        let e = try evaluator("""
            a:
              index_permissions:
              - index_patterns: [index_a]
                allowed_actions: [read]
            b:
              index_permissions:
              - index_patterns: [index_b]
                allowed_actions: [read]
            """, mapping: "a:\n  users: [u]\nb:\n  users: [u]\n")
        let decision = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/search", indices: ["index_a", "index_b"]))
        #expect(decision.outcome == .allow)
        #expect(Set(decision.grants.map(\.role)) == ["a", "b"])
    }

    @Test("the smallest fix adds to a held custom role and names a fitting built-in group")
    func fix() throws {
        let e = try evaluator("dev:\n  index_permissions:\n  - index_patterns: ['dev-*']\n    allowed_actions: [read]\n", mapping: "dev:\n  users: [u]\n")
        let decision = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:monitor/stats", indices: ["dev-1"]))
        #expect(decision.fix == [FixStep(role: "dev", isNewRole: false, section: .indexPermissions, indexPatterns: ["dev-1"],
                                         allowedActions: ["indices:monitor/stats"], alternative: "indices_monitor",
                                         advice: .grant(user: "u", explicit: false))])
        #expect(decision.fix.map(\.explanation) == ["add to role dev, which u already holds: index_permissions entry for dev-1 with indices:monitor/stats"])
        let stranger = e.evaluate(AccessRequest(subject: Subject(name: "x y"), action: "cluster:monitor/health"))
        #expect(stranger.fix.first?.role == "x_y_access")
        #expect(stranger.fix.first?.isNewRole == true)
        #expect(stranger.fix.first?.alternative == "cluster_monitor")
    }

    /// rest-actions.md §3.3: the REST layer checks NamedRoute names (views:*, security:*) as
    /// cluster privileges in every release, not only where isClusterPerm says so (3.6+).
    @Test("NamedRoute names are granted through cluster_permissions on 2.19 too")
    func namedRoutes() throws {
        let e = try evaluator("viewer:\n  cluster_permissions: ['views:data/read/search']\n  index_permissions:\n  - index_patterns: ['*']\n    allowed_actions: ['security:obo/create']\n",
                              mapping: "viewer:\n  users: [u]\n", profile: TargetProfile(parsing: "opensearch-2.19")!)
        #expect(e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "views:data/read/search")).outcome == .allow)
        #expect(e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "security:obo/create", indices: ["x"])).outcome == .deny)
    }

    @Test("tenant actions are never answered from cluster_permissions")
    func tenantActions() throws {
        let e = try evaluator("r:\n  cluster_permissions: ['*', kibana_all_write]\n", mapping: "r:\n  users: [u]\n")
        let decision = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "kibana:saved_objects/_/write"))
        #expect(decision.outcome == .deny)
        // No tenant named: the global tenant, which no tenant_permissions entry grants (TenantRules).
        #expect(decision.denial == .missingTenantPrivilege(tenant: "global_tenant", write: true))
    }

    @Test("date-math index patterns are resolved at evaluation time (§3)")
    func dateMathPattern() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-22T10:00:00Z"))
        let loader = ConfigLoader()
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\nr:\n  index_permissions:\n  - index_patterns: ['<logs-{now/d}>']\n    allowed_actions: [read]\n", name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\nr:\n  users: [u]\n", name: "m.yml").config.roleMappings
        let e = Evaluator(config: config, catalog: Catalog(), now: now)
        #expect(e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/search", indices: ["logs-2026.11.22"])).outcome == .allow)
        #expect(e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/search", indices: ["logs-2026.11.21"])).outcome == .deny)
        #expect(e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/search", indices: ["<logs-{now/d}>"])).outcome == .allow)
    }

    /// §2.1: WildcardMatcher compares Java strings, code unit by code unit; a name spelt with a
    /// combining accent is not the precomposed name a role grants (Swift's String == would say it is).
    @Test("index names compare code unit by code unit, in tables, patterns and explanations (§2.1)")
    func codeUnitEquality() throws {
        let roles = """
            r:
              index_permissions:
              - index_patterns: ["caf\u{E9}", "caf\u{E9}-*", "*-caf\u{E9}-*"]
                allowed_actions: ["indices:data/read/get"]
            """
        let e = try evaluator(roles, mapping: "r:\n  users: [u]\n")
        func outcome(_ index: String) -> Decision.Outcome {
            e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/get", indices: [index])).outcome
        }
        #expect(outcome("caf\u{E9}") == .allow)
        #expect(outcome("caf\u{E9}-1") == .allow)
        #expect(outcome("x-caf\u{E9}-1") == .allow)
        #expect(outcome("cafe\u{301}") == .deny)
        #expect(outcome("cafe\u{301}-1") == .deny)
        #expect(outcome("x-cafe\u{301}-1") == .deny)
        let explained = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "indices:data/read/get", indices: ["caf\u{E9}"]))
        #expect(explained.grants.map { $0.indexPattern } == ["caf\u{E9}"])
    }
}

@Suite("Date math (§3)")
struct DateMathTests {
    let now = ISO8601DateFormatter().date(from: "2026-11-22T10:30:00Z")!

    @Test("expressions", arguments: [
        ("<logs-{now/d}>", "logs-2026.11.22"),
        ("<logs-{now-1d/d}>", "logs-2026.11.21"),
        ("<logs-{now/M{yyyy.MM}}>", "logs-2026.11"),
        ("<logs-{now+1M{yyyy.MM}}>", "logs-2026.12"),
        ("<logs-{now{yyyy.MM.dd|+12:00}}>", "logs-2026.11.22"),
        ("<logs-{now-11h{yyyy.MM.dd}}>", "logs-2026.11.21"),
        ("plain", "plain"),
    ])
    func resolve(expression: String, expected: String) {
        #expect(DateMath.resolve(expression, now: now) == .success(expected))
    }

    @Test("bad expressions fail with a reason")
    func failures() {
        guard case .failure(let failure) = DateMath.resolve("<logs-{today}>", now: now) else { Issue.record("should fail"); return }
        #expect(failure.reason == "date math must start with 'now', found 'today'")
    }
}

@Suite("Subjects and claims")
struct SubjectTests {
    @Test("JWT claims: subject_key, nested roles_key, comma-split strings, attr.jwt.* (seeds/002)")
    func claims() throws {
        let config = try ConfigLoader().load(from: Paths.sample).config
        let claims = ConfigValue.map(["preferred_username": .string("jo"), "realm_access": .map(["roles": .list([.string("analysts"), .string("devs")])]),
                                      "dept": .string("sales")])
        var request = SubjectRequest()
        request.claims = claims
        let resolved = try SubjectResolver.resolve(request, config: config)
        #expect(resolved.subject.name == "jo")
        #expect(resolved.subject.backendRoles == ["analysts", "devs"])
        #expect(resolved.subject.attributes["attr.jwt.dept"] == "sales")

        var commaConfig = SecurityConfig()
        commaConfig.dynamic.authc = [SecurityDomain(name: "jwt", location: SourceLocation(file: "config.yml", line: 1), order: 0,
                                                    httpEnabled: true, transportEnabled: true, authenticatorType: "jwt", backendType: "noop",
                                                    raw: .map(["http_authenticator": .map(["type": .string("jwt"), "config": .map(["roles_key": .string("roles")])])]))]
        var commaRequest = SubjectRequest()
        commaRequest.claims = .map(["sub": .string("x"), "roles": .string("a, b,c")])
        #expect(try SubjectResolver.resolve(commaRequest, config: commaConfig).subject.backendRoles == ["a", "b", "c"])
    }

    @Test("an internal user brings its roles; flags add to them or replace backend roles")
    func internalUser() throws {
        let config = try ConfigLoader().load(from: Paths.sample).config
        var request = SubjectRequest(user: "carol")
        request.backendRoles = ["extra"]
        request.attributes = ["team": "blue", "attr.jwt.x": "1"]
        let subject = try SubjectResolver.resolve(request, config: config).subject
        #expect(subject.backendRoles == ["ops", "oncall", "extra"])
        #expect(subject.securityRoles == ["snapshot_operator"])
        #expect(subject.attributes == ["attr.internal.team": "blue", "attr.jwt.x": "1"])
        request.replaceBackendRoles = true
        #expect(try SubjectResolver.resolve(request, config: config).subject.backendRoles == ["extra"])
    }
}

@Suite("Node settings (§2.7, §4, §8.1)")
struct NodeSettingsTests {
    @Test("only the profile's prefix is read: plugins.security.* for OpenSearch, opendistro_security.* for Open Distro")
    func prefixes() throws {
        let values: [String: ConfigValue] = [
            "plugins.security.system_indices.enabled": .bool(true),
            "opendistro_security.system_indices.indices": .list([.string(".odfe-index")]),
            "plugins.security.roles_mapping_resolution": .string("both"),
            "plugins.security.system_indices.permission.enabled": .string("true"),
        ]
        let openSearch = try NodeSettings(values: values, profile: .default, origin: "opensearch.yml")
        #expect(openSearch.systemIndicesEnabled)
        #expect(openSearch.systemIndexPermissionEnabled)
        #expect(openSearch.systemIndices.isEmpty)
        #expect(openSearch.rolesMappingResolution == .both)
        let odfe = try NodeSettings(values: values, profile: TargetProfile(parsing: "opendistro-1.13")!, origin: "elasticsearch.yml")
        #expect(!odfe.systemIndicesEnabled)
        #expect(odfe.systemIndices == [".odfe-index"])
        #expect(odfe.rolesMappingResolution == .mappingOnly)
    }

    @Test("wrong value types are input errors naming the key")
    func badValues() {
        #expect(throws: InputError.self) {
            try NodeSettings(values: ["plugins.security.system_indices.enabled": .string("maybe")], profile: .default, origin: "opensearch.yml")
        }
    }

    @Test("an invalid roles_mapping_resolution falls back to MAPPING_ONLY, as the plugin does (§4)")
    func invalidResolution() throws {
        let settings = try NodeSettings(values: ["plugins.security.roles_mapping_resolution": .string("sometimes")], profile: .default, origin: "x")
        #expect(settings.rolesMappingResolution == .mappingOnly)
    }
}

@Suite("Special indices with several actions checked together (§2.7)")
struct SpecialIndexGroupTests {
    @Test("restoring onto a system index is refused: the write action of the group counts, not just the first")
    func restoreOntoSystemIndex() throws {
        let loader = ConfigLoader()
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\nr:\n  cluster_permissions: [manage_snapshots]\n  index_permissions:\n  - index_patterns: ['*']\n    allowed_actions: ['*']\n", name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\nr:\n  users: [u]\n", name: "m.yml").config.roleMappings
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndices = [".plugin-state"]
        let e = Evaluator(config: config, catalog: Catalog(), settings: settings)
        let decision = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "cluster:admin/snapshot/restore", indices: [".plugin-state"]))
        #expect(decision.outcome == .deny)
        #expect(decision.missingPrivileges == [])
        let regular = e.evaluate(AccessRequest(subject: Subject(name: "u"), action: "cluster:admin/snapshot/restore", indices: ["logs"]))
        #expect(regular.outcome == .allow)
    }
}
