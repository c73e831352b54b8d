import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

@Suite("Audit rules")
struct AuditRuleTests {
    static let metaTypes = ["roles.yml": "roles", "roles_mapping.yml": "rolesmapping", "action_groups.yml": "actiongroups",
                            "internal_users.yml": "internalusers", "tenants.yml": "tenants", "config.yml": "config"]

    /// Loads an example (file name → YAML without `_meta`) as a configuration.
    static func config(_ files: [String: String]) throws -> SecurityConfig {
        var merged = SecurityConfig()
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let type = try #require(metaTypes[name], "unknown example file \(name)")
            let loaded = try ConfigLoader().load(text: "_meta: {type: \(type), config_version: 2}\n" + text, name: name).config
            merged.roles.merge(loaded.roles) { $1 }
            merged.roleMappings.merge(loaded.roleMappings) { $1 }
            merged.actionGroups.merge(loaded.actionGroups) { $1 }
            merged.internalUsers.merge(loaded.internalUsers) { $1 }
            merged.tenants.merge(loaded.tenants) { $1 }
            if type == "config" { merged.dynamic = loaded.dynamic }
        }
        return merged
    }

    static func findings(_ rule: any AuditRule, _ files: [String: String]) throws -> [Finding] {
        rule.check(AuditContext(config: try config(files), catalog: Catalog()))
    }

    @Test("the triggering example fires the rule; the passing example does not", arguments: AuditRules.all.map(\.id))
    func examples(id: String) throws {
        let rule = try #require(AuditRules.rule(id))
        let fired = try Self.findings(rule, rule.triggeringExample)
        #expect(!fired.isEmpty, "\(id) did not fire on its triggering example")
        #expect(fired.allSatisfy { $0.ruleID == id })
        let quiet = try Self.findings(rule, rule.passingExample)
        #expect(quiet.isEmpty, "\(id) fired on its passing example: \(quiet.map(\.message))")
    }

    /// §1.1: the rule reads the clashing entry's name from the typed clash, not from the wording
    /// of the message; 3.4+ keeps the built-in (a warning), 2.19 refuses the configuration (an error).
    @Test("static-name-clash findings name the entry from the typed clash")
    func staticNameClash() throws {
        let config = try Self.config(["roles.yml": "readall:\n  cluster_permissions: ['*']\n",
                                      "action_groups.yml": "read:\n  allowed_actions: ['indices:data/read/get']\n"])
        let newest = StaticNameClash().check(AuditContext(config: config, catalog: Catalog()))
        #expect(Set(newest.map(\.entity)) == ["static-clash:readall", "static-clash:read"])
        #expect(newest.allSatisfy { $0.severity == .warning })
        let old = StaticNameClash().check(AuditContext(config: config, catalog: Catalog(profile: TargetProfile(parsing: "opensearch-2.19")!)))
        #expect(old.allSatisfy { $0.severity == .error })
        #expect(old.first { $0.entity == "static-clash:readall" }?.message
                == "custom role 'readall' has the name of a built-in role; opensearch-2.19 refuses to load this configuration (\"Cannot override static roles\")")
    }

    @Test("every rule file is registered, documented, and has a unique sequential ID")
    func registry() throws {
        let directory = Paths.packageRoot.appendingPathComponent("Sources/Analyzer/Audit/Rules")
        let sources = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
        var declared: [String] = []
        for file in sources {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("public struct ") && line.contains(": AuditRule") {
                declared.append(String(line.dropFirst("public struct ".count).prefix { $0 != ":" }))
            }
        }
        let registered = AuditRules.all.map { String(describing: type(of: $0)) }
        #expect(Set(declared) == Set(registered), "declared \(declared.sorted()) vs registered \(registered.sorted())")
        #expect(AuditRules.all.map(\.id) == (1...AuditRules.all.count).map { String(format: "SP%03d", $0) })
        #expect(Set(AuditRules.all.map(\.name)).count == AuditRules.all.count)
        for rule in AuditRules.all {
            #expect(!rule.summary.isEmpty && rule.rationale.count > 80, "\(rule.id) needs a summary and a rationale")
        }
    }

    @Test("SP001 distinguishes typos (error, did-you-mean) from unknown plugin actions (warning)")
    func unknownPermissionSeverity() throws {
        let findings = try Self.findings(UnknownPermission(), ["roles.yml": "r:\n  cluster_permissions: [\"cluster:monitor/helth\", \"cluster:admin/acme_plugin/do\"]\n"])
        #expect(findings.map(\.severity) == [.error, .warning])
        #expect(findings[0].help == "did you mean 'cluster:monitor/health'?")
        #expect(findings[0].entity == "role:r/cluster_permissions/cluster:monitor/helth")
    }

    @Test("SP012 reports a lift as a warning when dfm_empty_overrides_all is true")
    func dfmOverride() throws {
        let rule = DocumentFieldSecurityCombination()
        var settings = NodeSettings()
        settings.dfmEmptyOverridesAll = true
        let findings = rule.check(AuditContext(config: try Self.config(rule.triggeringExample), catalog: Catalog(), settings: settings))
        #expect(findings.map(\.severity) == [.warning])
        #expect(findings.first?.message.contains("lifts the restrictions of role 'a'") == true)
    }

    @Test("SP014 is an error before 3.4, where the configuration would not load (§1.1)")
    func staticClashByRelease() throws {
        let config = try Self.config(StaticNameClash().triggeringExample)
        let old = StaticNameClash().check(AuditContext(config: config, catalog: Catalog(profile: TargetProfile(parsing: "opensearch-2.19")!)))
        #expect(old.map(\.severity) == [.error])
        let new = StaticNameClash().check(AuditContext(config: config, catalog: Catalog()))
        #expect(new.map(\.severity) == [.warning])
    }

    @Test("SP004 follows the release: index templates are index actions on Open Distro (§2.3)")
    func levelByRelease() throws {
        let files = ["roles.yml": "r:\n  cluster_permissions: [\"indices:admin/index_template/put\"]\n"]
        let config = try Self.config(files)
        #expect(WrongPermissionLevel().check(AuditContext(config: config, catalog: Catalog())).isEmpty)
        #expect(WrongPermissionLevel().check(AuditContext(config: config, catalog: Catalog(profile: TargetProfile(parsing: "opendistro-1.13")!))).count == 1)
    }

    @Test("baselines match rule, file and entry, not line numbers")
    func baseline() throws {
        let rule = UnknownPermission()
        let before = try Self.findings(rule, rule.triggeringExample)
        let accepted = Baseline(findings: before)
        let shifted = try Self.findings(rule, ["roles.yml": "other:\n  cluster_permissions: [cluster_monitor]\n" + rule.triggeringExample["roles.yml"]!])
        #expect(shifted.first?.location.line != before.first?.location.line)
        #expect(shifted.allSatisfy(accepted.contains))
        let new = try Self.findings(rule, ["roles.yml": "r:\n  cluster_permissions: [\"cluster:monitor/helth\"]\n"])
        #expect(!new.contains(where: accepted.contains))
    }
}

@Suite("Audit context")
struct AuditContextTests {
    @Test("bulk role resolution agrees with the evaluator's role mapper for every sample user")
    func userRolesAgree() throws {
        let config = try ConfigLoader().load(from: Paths.sample).config
        let context = AuditContext(config: config, catalog: Catalog())
        let mapper = RoleMapper(config: context.merged, resolution: .mappingOnly)
        for user in config.internalUsers.values {
            let expected = mapper.map(Subject(internalUser: user)).filter(\.exists).map(\.name).sorted()
            #expect(context.roles(ofUser: user.name) == expected, "\(user.name)")
        }
        #expect(context.roles(ofUser: "grace") == ["analyst", "developer"])
    }
}

/// The upgrade-check rules (issue 13, seed 002): what `_plugins/_security/api/_upgrade_check` would
/// flag, from secperm's data. Upstream read: opensearch-project/security
/// src/main/java/org/opensearch/security/dlic/rest/api/ConfigUpgradeApiAction.java (GET _upgrade_check
/// diffs the cluster's roles against the release's shipped roles.yml: "add" for missing ones, "modify"
/// for same-name roles whose content differs; root-level removals, i.e. custom roles, are ignored).
@Suite("Upgrade check rules")
struct UpgradeCheckRuleTests {
    static func findings(_ rule: any AuditRule, _ files: [String: String], _ profile: String) throws -> [String] {
        let context = AuditContext(config: try AuditRuleTests.config(files), catalog: Catalog(profile: try #require(TargetProfile(parsing: profile))))
        return rule.check(context).map { "\($0.location.line) \($0.message) | \($0.help ?? "")" }
    }

    // static_config.json: Open Distro's `read` lacks indices:admin/resolve/index, which OpenSearch 1.0+ adds.
    @Test func aCopyOfAnOlderBuiltInGroupIsReported() throws {
        let files = ["action_groups.yml": "my_read:\n  allowed_actions: ['indices:admin/mappings/fields/get*', 'indices:data/read*']\n"]
        #expect(try Self.findings(OutdatedBuiltInCopy(), files, "opensearch-2.19") == [
            "2 action group 'my_read' is a copy of the built-in action group 'read' of opendistro-1.13, which opensearch-2.19 changed; "
                + "the copy keeps the old permissions | list 'read' instead to follow the release, or update the copy",
        ])
        // On Open Distro itself the copy is current.
        #expect(try Self.findings(OutdatedBuiltInCopy(), files, "opendistro-1.13") == [])
        // A copy of the current built-in is not outdated.
        let current = ["action_groups.yml": "my_read:\n  allowed_actions: ['indices:data/read*', 'indices:admin/mappings/fields/get*', 'indices:admin/resolve/index']\n"]
        #expect(try Self.findings(OutdatedBuiltInCopy(), current, "opensearch-2.19") == [])
    }

    // permissions.json `{vendor}`: the name under the other vendor segment is reported once, by SP015, with its successor.
    @Test func aVendorRenamedPermissionNamesItsSuccessor() throws {
        let files = ["roles.yml": "ql:\n  cluster_permissions: ['cluster:admin/opensearch/ql/datasources/read']\n"]
        #expect(try Self.findings(VersionMissingPermission(), files, "lucenia") == [
            "3 'cluster:admin/opensearch/ql/datasources/read' does not exist in lucenia-0.9; this release names it "
                + "'cluster:admin/lucenia/ql/datasources/read', so as written it grants nothing | write 'cluster:admin/lucenia/ql/datasources/read'",
        ])
        #expect(try Self.findings(UnknownPermission(), files, "lucenia") == [])
        #expect(try Self.findings(VersionMissingPermission(), files, "opensearch-2.19") == [])
    }
}

extension UpgradeCheckRuleTests {
    // static_config.json: a role with exactly the content of a built-in role of an older release that
    // the target changed is a copy too; found from the data, not a hand-written example.
    @Test func aCopyOfAnOlderBuiltInRoleIsReported() throws {
        let target = Catalog(profile: try #require(TargetProfile(parsing: "opensearch-2.19")))
        let olders = BuiltInHistory.olderCatalogs(than: target.profile)
        let changed = try #require(olders.lazy.flatMap { older in older.staticRoles.map { (older.profile, $0) } }.first { _, role in
            !role.clusterPermissions.isEmpty && role.tenantPermissions.isEmpty
                && !target.staticRoles.contains { BuiltInHistory.RoleContent($0) == BuiltInHistory.RoleContent(role) }
        })
        let role = changed.1
        var yaml = "copy:\n  cluster_permissions: [\(role.clusterPermissions.map { "'\($0)'" }.joined(separator: ", "))]\n"
        if !role.indexPermissions.isEmpty {
            yaml += "  index_permissions:\n" + role.indexPermissions.map {
                "  - index_patterns: [\($0.indexPatterns.map { "'\($0)'" }.joined(separator: ", "))]\n    allowed_actions: [\($0.allowedActions.map { "'\($0)'" }.joined(separator: ", "))]\n"
            }.joined()
        }
        let findings = try Self.findings(OutdatedBuiltInCopy(), ["roles.yml": yaml], "opensearch-2.19")
        #expect(findings.count == 1)
        #expect(findings.first?.hasPrefix("2 role 'copy' is a copy of the built-in role '\(role.name)' of ") == true, "\(findings)")
    }
}
