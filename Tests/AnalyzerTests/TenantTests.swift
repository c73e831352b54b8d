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

    @Test("every case of tenant_cases.jsonl, read as a batch file: the \"tenant\" field names the tenant")
    func cases() throws {
        let e = try Self.evaluator()
        let file = Self.folder.appendingPathComponent("tenant_cases.jsonl").path
        let cases = try BatchCase.read(path: file)
        #expect(cases.count == 15)
        #expect(cases[0].subject.requestedTenant == "team_a" && cases[11].subject.requestedTenant == nil)
        let result = try BatchRunner(evaluator: e, jobs: 2).run(cases, file: file)
        for entry in result.entries {
            #expect(entry.disagreement == nil, "\(entry.testCase.id): \(entry.decision.notes)")
        }
        // The single check agrees with the batch (same subject, tenant from --tenant).
        for item in cases {
            let decision = try Self.decide(e, item.subject.user ?? "", tenant: item.subject.requestedTenant, item.action,
                                           attributes: item.subject.attributes)
            #expect(item.disagreement(with: decision) == nil, "\(item.id)")
        }
    }

    @Test("batch: cases that differ only in the tenant do not share a prepared subject")
    func batchTenantIsPartOfTheSubject() throws {
        let text = """
            {"user": "alice", "tenant": "team_a", "action": "kibana:saved_objects/*/write", "expected": "allow"}
            {"user": "alice", "tenant": "team_b", "action": "kibana:saved_objects/*/write", "expected": "deny"}
            {"user": "alice", "action": "kibana:saved_objects/*/write", "expected": "deny"}
            """
        let result = try BatchRunner(evaluator: try Self.evaluator()).run(try BatchCase.parse(text, file: "t.jsonl"), file: "t.jsonl")
        #expect(result.entries.map(\.decision.outcome) == [.allow, .deny, .deny])
        #expect(result.entries.map(\.decision.subject.requestedTenant) == ["team_a", "team_b", nil])
        #expect(result.disagreements.isEmpty)
    }

    @Test("batch: \"tenant\" is read strictly, like the other fields")
    func batchTenantStrict() throws {
        let wrongType = #"{"user": "alice", "tenant": ["team_a"], "action": "kibana:saved_objects/*/read"}"#
        #expect(throws: InputError.self) { try BatchCase.parse(wrongType, file: "t.jsonl") }
        do {
            _ = try BatchCase.parse(wrongType, file: "t.jsonl")
        } catch {
            #expect(error.diagnostics.map(\.message) == [#"field "tenant" must be a string, found a list"#])
            #expect(error.diagnostics.first?.location == SourceLocation(file: "t.jsonl", line: 1))
        }
        do {
            _ = try BatchCase.parse(#"{"user": "alice", "tenants": "team_a", "action": "kibana:saved_objects/*/read"}"#, file: "t.jsonl")
            Issue.record("an unknown field was accepted")
        } catch {
            #expect(error.diagnostics.map(\.hint) == ["did you mean 'tenant'?"])
        }
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

    // MARK: releases (TenantEvaluation of the profile)

    @Test("the profile's tenant rules per release (tags 1.3.0.0, 2.0.0.0, 2.1.0.0, 2.18.0.0, 2.19.0.0, 3.0.0.0, 3.1.0.0, 3.7.0.0, main)")
    func profileFacts() throws {
        typealias Row = (String, TenantEvaluation.Patterns, TenantEvaluation.ImplicitGlobalTenant, TenantEvaluation.Refusal, TenantEvaluation.Refusal, Bool)
        let rows: [Row] = [
            ("opendistro-1.13", .wildcardsOnly, .kibanaUserOrAllAccessWithoutAnyGrant, .deniedListingNothing, .deniedListingNothing, false),
            ("opensearch-1.3", .wildcardsOnly, .kibanaUserOrAllAccessWithoutAnyGrant, .deniedListingNothing, .deniedListingNothing, false),
            ("opensearch-2.0", .wildcardsOnly, .kibanaUserOrAllAccessWithoutAnyGrant, .deniedListingNothing, .deniedListingNothing, false),
            ("opensearch-2.1", .attributePrefixReplaced, .kibanaUserOrAllAccessWithoutAnyGrant, .deniedListingNothing, .deniedListingNothing, false),
            ("opensearch-2.18", .attributePrefixReplaced, .kibanaUserOrAllAccessWithoutAnyGrant, .deniedListingNothing, .deniedListingNothing, false),
            ("opensearch-2.19", .attributePrefixReplaced, .kibanaUserOrAllAccessWithoutAnyGrant, .allowed, .deniedNamingAction, false),
            ("opensearch-3.0", .attributePrefixReplaced, .kibanaUserOrAllAccessWithoutAnyGrant, .allowed, .deniedNamingAction, false),
            ("opensearch-3.1", .templatesRendered, .kibanaUserWithoutPlainReadGrant, .allowed, .deniedNamingAction, false),
            ("opensearch-3.7", .templatesRendered, .kibanaUserWithoutPlainReadGrant, .allowed, .deniedNamingAction, false),
            ("opensearch-3.8", .templatesRendered, .kibanaUserWithoutPlainReadGrant, .deniedNamingAction, .deniedNamingAction, true),
            ("lucenia", .templatesRendered, .kibanaUserWithoutPlainReadGrant, .deniedNamingAction, .deniedNamingAction, true),
        ]
        for (name, patterns, implicit, onCluster, onIndex, refusesTenantIndex) in rows {
            let rules = try Self.profile(name).tenantEvaluation
            #expect(rules.patterns == patterns, "\(name)")
            #expect(rules.implicitGlobalTenant == implicit, "\(name)")
            #expect(rules.refusalOnClusterAction == onCluster, "\(name)")
            #expect(rules.refusalOnIndexAction == onIndex, "\(name)")
            #expect(rules.refusesTenantIndexInMultiItemRequests == refusesTenantIndex, "\(name)")
            #expect(rules.isRead("indices:data/read/mget[shard]") && !rules.isRead("indices:data/read/scroll"), "\(name)")
        }
    }

    /// `flavor-x.y` exactly (`TargetProfile(parsing:)` reads `opensearch-2.0` as the newest 2.x).
    static func profile(_ name: String) throws -> TargetProfile {
        let pieces = name.split(separator: "-", maxSplits: 1).map(String.init)
        guard pieces.count == 2, let flavor = Flavor(rawValue: pieces[0]), let version = Version(pieces[1]) else {
            return try #require(TargetProfile(parsing: name))
        }
        return TargetProfile(flavor: flavor, version: version)
    }

    @Test("releases before 2.19 evaluate tenant actions with their own rules (ConfigModelV7.mapTenants)")
    func olderReleases() throws {
        for name in ["opendistro-1.13", "opensearch-1.3", "opensearch-2.11", "opensearch-2.18"] {
            let e = try Self.evaluator(profile: try #require(TargetProfile(parsing: name)))
            #expect(try Self.decide(e, "alice", tenant: "team_a", "kibana:saved_objects/*/write").outcome == .allow, "\(name)")
            #expect(try Self.decide(e, "alice", tenant: "team_b", "kibana:saved_objects/*/write").denial
                    == .missingTenantPrivilege(tenant: "team_b", write: true), "\(name)")
            #expect(try Self.decide(e, "erin", tenant: nil, "kibana:saved_objects/*/write").decisionNotes
                    == [.implicitGlobalTenantAccess(role: "kibana_user")], "\(name)")
            // `dept_${attr.internal.dept}` does not start with `${attr`: before 3.1 it is a plain
            // wildcard pattern, which selects no tenant.
            #expect(try Self.decide(e, "dave", tenant: "dept_sales", "kibana:saved_objects/*/write", attributes: ["dept": "sales"]).outcome
                    == .deny, "\(name)")
        }
        let newest = try Self.evaluator()
        #expect(try Self.decide(newest, "dave", tenant: "dept_sales", "kibana:saved_objects/*/write", attributes: ["dept": "sales"]).outcome == .allow)
    }

    /// A user holding kibana_user whose only grant on the global tenant is a read through
    /// `${attr.internal.t}`: each pattern rule and each legacy global-tenant rule answer differently.
    @Test("patterns and the legacy global-tenant rule: 2.0 (wildcards only), 2.1-3.0 (${attr replaced), 3.1+ (templates rendered)")
    func patternRulesPerRelease() throws {
        func decide(_ target: String, _ action: String) throws -> Decision {
            let profile = try Self.profile(target)
            let loader = ConfigLoader(profile: profile)
            var config = try loader.load(text: """
                _meta: {type: roles, config_version: 2}
                dyn:
                  tenant_permissions:
                  - tenant_patterns: ["${attr.internal.t}"]
                    allowed_actions: ["kibana_all_read"]
                """, name: "roles.yml").config
            config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\ndyn:\n  users: [hank]\nkibana_user:\n  users: [hank]\n",
                                                  name: "roles_mapping.yml").config.roleMappings
            var request = SubjectRequest(user: "hank")
            request.attributes = ["t": "global_tenant"]
            let e = Evaluator(config: config, catalog: Catalog(profile: profile))
            return e.evaluate(try SubjectResolver.resolve(request, config: e.config), action: action, indices: [])
        }
        let write = "kibana:saved_objects/*/write", read = "kibana:saved_objects/*/read"
        // 2.0: the pattern selects nothing; kibana_user and no grant at all → the legacy rule opens it.
        #expect(try decide("opensearch-2.0", write).decisionNotes == [.implicitGlobalTenantAccess(role: "kibana_user")])
        // 2.1-3.0: the attribute names global_tenant → a read grant exists → no legacy rule, no write.
        #expect(try decide("opensearch-2.11", write).denial == .missingTenantPrivilege(tenant: "global_tenant", write: true))
        #expect(try decide("opensearch-3.0", read).decisionNotes == [.tenantGranted(tenant: "global_tenant", roles: ["dyn"])])
        // 3.1+: rendered, a read grant, but not through a plain pattern → the legacy rule opens write.
        #expect(try decide("opensearch-3.1", write).decisionNotes == [.implicitGlobalTenantAccess(role: "kibana_user")])
        #expect(try decide("opensearch-3", read).decisionNotes == [.tenantGranted(tenant: "global_tenant", roles: ["dyn"])])
    }

    // MARK: the Dashboards index (scenario folders dashboards_index_tenants*)

    static func dashboards(_ target: String = "opensearch-3") throws -> Evaluator {
        let profile = try #require(TargetProfile(parsing: target))
        let folder = Paths.fixtures.appendingPathComponent("scenarios/dashboards_index_tenants")
        let config = try ConfigLoader(profile: profile).load(from: folder.appendingPathComponent("config").path).config
        let metadata = try InputFiles.clusterMetadata(path: folder.appendingPathComponent("cluster_metadata.json").path)
        return Evaluator(config: config, catalog: Catalog(profile: profile), metadata: metadata)
    }

    static func request(_ e: Evaluator, _ user: String, tenant: String?, _ action: String, _ indices: [String]) throws -> Decision {
        var request = SubjectRequest(user: user)
        request.requestedTenant = tenant
        return e.evaluate(try SubjectResolver.resolve(request, config: e.config), action: action, indices: indices)
    }

    @Test("a tenant's index name: Java String.hashCode and the name lowercased to a-z0-9 (toUserIndexName)")
    func tenantIndexName() {
        #expect(TenantRules.tenantIndexName(".kibana", tenant: "team_a") == ".kibana_-877712641_teama")
        #expect(TenantRules.tenantIndexName(".kibana", tenant: "alice") == ".kibana_92903040_alice")
        #expect(TenantRules.tenantIndexName(".dash", tenant: "Team-B 2") == ".dash_-1605132156_teamb2")
    }

    @Test("the Dashboards index with a tenant: served from the tenant's index, or refused with the action named (3.8)")
    func dashboardsIndexNewest() throws {
        let e = try Self.dashboards()
        let served = try Self.request(e, "alice", tenant: "team_a", "indices:data/read/search", [".kibana"])
        #expect(served.outcome == .allow)
        #expect(served.decisionNotes.contains(.dashboardsIndexReplaced(index: ".kibana", tenant: "team_a", tenantIndex: ".kibana_-877712641_teama")))
        let refused = try Self.request(e, "alice", tenant: "team_b", "indices:data/write/index", [".kibana"])
        #expect(refused.denial == .missingTenantPrivilege(tenant: "team_b", write: true))
        #expect(refused.missingPrivileges == ["indices:data/write/index"])
        #expect(refused.forbiddenMessage
                == "no permissions for [indices:data/write/index] and User [name=alice, backend_roles=[], requestedTenant=team_b]")
        #expect(refused.fix.map(\.advice) == [.grantTenant(user: "alice", tenant: "team_b", actionGroup: "kibana_all_write")])
        let bulk = try Self.request(e, "erin", tenant: "team_a", "indices:data/write/bulk", [".kibana"])
        #expect(bulk.outcome == .deny && bulk.missingPrivileges == ["indices:data/write/bulk"])
        let direct = try Self.request(e, "erin", tenant: "team_b", "indices:data/write/bulk", [".kibana_-877712641_teama"])
        #expect(direct.denial == .special(.tenantIndexNamedDirectly(index: ".kibana_-877712641_teama")))
        let global = try Self.request(e, "alice", tenant: nil, "indices:data/read/search", [".kibana"])
        #expect(global.denial == .missingTenantPrivilege(tenant: "global_tenant", write: false))
    }

    @Test("2.19-3.7 let a cluster-level request through the refused tenant check; before 2.19 the 403 lists nothing")
    func dashboardsIndexOlder() throws {
        let lost = try Self.request(try Self.dashboards("opensearch-2.19"), "erin", tenant: "team_a", "indices:data/write/bulk", [".kibana"])
        #expect(lost.outcome == .allow)
        #expect(lost.decisionNotes.contains(.tenantCheckRefused(.missingTenantPrivilege(tenant: "team_a", write: true), ignored: true)))
        let old = try Self.dashboards("opensearch-2.11")
        let bulk = try Self.request(old, "erin", tenant: "team_a", "indices:data/write/bulk", [".kibana"])
        #expect(bulk.outcome == .deny && bulk.missingPrivileges.isEmpty)
        #expect(bulk.forbiddenMessage == "no permissions for [] and User [name=erin, backend_roles=[], requestedTenant=team_a]")
        let index = try Self.request(old, "alice", tenant: "team_b", "indices:data/write/index", [".kibana"])
        #expect(index.denial == .missingTenantPrivilege(tenant: "team_b", write: true) && index.missingPrivileges.isEmpty)
    }

    @Test("__user__ with the private tenant disabled refuses every request, not only tenant actions")
    func privateTenantDisabledEverywhere() throws {
        let e = try Self.evaluator("config_private_off")
        let decision = try Self.request(e, "zoe", tenant: "__user__", "indices:data/read/search", ["logs-1"])
        #expect(decision.denial == .special(.privateTenantDisabled))
        #expect(decision.missingPrivileges == ["indices:data/read/search"])
        let multitenancyOff = try Self.evaluator("config_multitenancy_off")
        #expect(try Self.request(multitenancyOff, "alice", tenant: "team_b", "indices:data/write/index", [".kibana"]).denial
                == .missingIndexPrivileges([MissingIndexPrivilege(index: ".kibana", actions: ["indices:data/write/index"])]))
    }

    /// The authinfo/account `tenants` map (TenantRules.table()) for users of the fixture, per release.
    static func table(_ e: Evaluator, _ user: String, attributes: [String: String] = [:]) throws -> [String: Bool] {
        var request = SubjectRequest(user: user)
        request.attributes = attributes
        let subject = try SubjectResolver.resolve(request, config: e.config)
        return TenantRules(evaluator: e, context: e.context(for: subject.subject)).table()
    }

    // 3.1+ `TenantPrivileges.tenantMap`: per defined tenant true for write, false for read only, the
    // user's own name true; before 3.1 `ConfigModelV7.mapTenants`, the same table. `${…}` patterns
    // follow the release (dave's `dept_${attr.internal.dept}`: rendered from 3.1, not a `${attr`
    // prefix for 2.1–3.0, not replaced before 2.1); kibana_user opens global_tenant on every release
    // (erin), unless a plain read grant covers it on 3.1+ (bob: team_b_reader's `team_*` does not).
    @Test("the tenants map of authinfo is the table the tenant decisions read, per release",
          arguments: [("opensearch-3.2", true), ("opensearch-2.11", false), ("opensearch-2.0", false)])
    func tenantTable(target: String, rendersTemplates: Bool) throws {
        let profile = try #require(TargetProfile(parsing: target))
        let e = try Self.evaluator(profile: profile)
        #expect(try Self.table(e, "alice") == ["team_a": true, "team_b": false, "alice": true])
        #expect(try Self.table(e, "bob") == ["team_a": false, "team_b": false, "global_tenant": true, "bob": true])
        #expect(try Self.table(e, "carol") == ["team_a": false, "team_b": false, "dept_sales": false, "global_tenant": false, "carol": true])
        #expect(try Self.table(e, "erin") == ["global_tenant": true, "erin": true])
        let dave = try Self.table(e, "dave", attributes: ["attr.internal.dept": "sales"])
        #expect(dave == (rendersTemplates ? ["dept_sales": true, "dave": true] : ["dave": true]))
        // One fact: every entry agrees with the saved-objects decisions for that tenant.
        for (user, attributes) in [("alice", [:]), ("bob", [:]), ("carol", [:]), ("erin", [:]), ("dave", ["attr.internal.dept": "sales"])] {
            let table = try Self.table(e, user, attributes: attributes)
            for tenant in e.config.tenants.keys {
                let write = try Self.decide(e, user, tenant: tenant, "kibana:saved_objects/*/write", attributes: attributes).outcome == .allow
                let read = try Self.decide(e, user, tenant: tenant, "kibana:saved_objects/*/read", attributes: attributes).outcome == .allow
                #expect(table[tenant] == (write ? true : read ? false : nil), "\(target) \(user) \(tenant)")
            }
        }
    }

    /// The shortcut in front of the Dashboards-index step (`TenantRules.leavesAlone`, byte-wise
    /// prefix first) must leave exactly the requests alone that `replaceDashboardsIndex` leaves
    /// alone without a tenant (legacy `PrivilegesInterceptor`: only a request on the Dashboards
    /// index alone is looked at): the String test `hasPrefix` decides, the bytes only skip it.
    @Test("Dashboards-index shortcut: a byte prefix test that never disagrees with String.hasPrefix")
    func dashboardsIndexShortcut() throws {
        func settings(index: String, multitenancy: Bool = true) -> DashboardsSettings {
            var dynamic = DynamicSettings()
            dynamic.multitenancyEnabled = multitenancy
            dynamic.raw = .map(["kibana": .map(["index": .string(index)])])
            return DashboardsSettings(dynamic)
        }
        func leavesAlone(_ settings: DashboardsSettings, _ expression: String, tenant: String? = nil) -> Bool {
            TenantRules.leavesAlone(settings, requestedTenant: tenant, expressions: [expression],
                                    resolution: IndexResolution(expressions: [expression], metadata: nil, now: Date()))
        }
        let ascii = settings(index: ".kibana")
        #expect(ascii.mayStartWithIndex(".kibana_1") && ascii.mayStartWithIndex(".kibana"))
        #expect(!ascii.mayStartWithIndex(".kiban") && !ascii.mayStartWithIndex("app-1") && !ascii.mayStartWithIndex(""))
        // ".kibana" followed by a combining accent: the bytes start with the name, the string does not
        // (its last character is "a\u{301}"); the exact test after the bytes keeps it left alone.
        #expect(ascii.mayStartWithIndex(".kibana\u{301}_1") && !".kibana\u{301}_1".hasPrefix(".kibana"))
        #expect(leavesAlone(ascii, ".kibana\u{301}_1"))
        #expect(!leavesAlone(ascii, ".kibana") && !leavesAlone(ascii, ".kibana_1*"))
        #expect(leavesAlone(ascii, "app-1-logs") && leavesAlone(ascii, "*"))
        #expect(!leavesAlone(ascii, "app-1-logs", tenant: "team_a"))
        #expect(leavesAlone(settings(index: ".kibana", multitenancy: false), ".kibana", tenant: "team_a"))
        // A name that is not ASCII: the bytes cannot tell, String.hasPrefix does (precomposed é vs e + accent).
        let accented = settings(index: "caf\u{E9}")
        #expect(accented.mayStartWithIndex("cafe\u{301}-1") && "cafe\u{301}-1".hasPrefix("caf\u{E9}"))
        #expect(!leavesAlone(accented, "cafe\u{301}-1"))
        // An ASCII name, and a text whose differing character is canonically equivalent to the
        // name's (U+037E is `;`): String.hasPrefix holds, so the bytes must not rule it out.
        let semicolon = settings(index: ".kib;ana")
        #expect(".kib\u{37E}ana_1".hasPrefix(".kib;ana") && semicolon.mayStartWithIndex(".kib\u{37E}ana_1"))
        #expect(!leavesAlone(semicolon, ".kib\u{37E}ana_1"))
        #expect(!semicolon.mayStartWithIndex(".kib:ana_1"))
    }
}
