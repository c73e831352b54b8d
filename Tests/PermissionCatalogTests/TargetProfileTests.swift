import Testing
@testable import PermissionCatalog

@Suite("Target profiles")
struct TargetProfileTests {
    static let odfe = TargetProfile(parsing: "opendistro-1.13")!
    static let os13 = TargetProfile(parsing: "opensearch-1.3")!
    static let os211 = TargetProfile(parsing: "opensearch-2.11")!
    static let os219 = TargetProfile(parsing: "opensearch-2.19")!
    static let os3 = TargetProfile(parsing: "opensearch-3")!

    @Test("names parse; a bare major means the newest release of that line")
    func parsing() {
        #expect(TargetProfile(parsing: "opensearch-3") == .default)
        #expect(TargetProfile(parsing: "opensearch-2")?.version == "2.19")
        #expect(TargetProfile(parsing: "opensearch-2.15")?.version == "2.15")
        #expect(TargetProfile(parsing: "lucenia")?.flavor == .lucenia)
        #expect(TargetProfile(parsing: "elasticsearch-7") == nil)
        #expect(TargetProfile(parsing: "opensearch-x") == nil)
        #expect(Version("2.9") < Version("2.10"))
        #expect(Version("3") == Version("3.0"))
        let text = "1.x"
        #expect(Version(text) == nil)
    }

    /// shared/reference/opensearch-security-semantics.md §2.3, table "isClusterPerm".
    @Test("cluster-action classification by release (§2.3)", arguments: [
        ("indices:admin/index_template/put", [false, true, true, true, true]),
        ("indices:data/read/msearch/template", [false, false, true, true, true]),
        ("indices:data/read/search/template/render", [false, false, false, true, true]),
        ("restapi:admin/roles", [false, false, false, false, true]),
        ("kibana:saved_objects/_/read", [false, false, false, false, true]),
        ("indices:data/write/bulk", [true, true, true, true, true]),
        ("indices:data/write/bulk[s]", [false, false, false, false, false]),
        ("indices:data/read/scroll/clear", [true, true, true, true, true]),
        ("indices:admin/template/get", [true, true, true, true, true]),
        ("indices:data/read/search", [false, false, false, false, false]),
        ("cluster:monitor/health", [true, true, true, true, true]),
    ])
    func clusterActions(action: String, expected: [Bool]) {
        let profiles = [Self.odfe, Self.os13, Self.os211, Self.os219, Self.os3]
        #expect(profiles.map { $0.isClusterAction(action) } == expected)
    }

    /// §3 (DNFOF_MATCHER) and §8 (additions 2.10–2.15).
    @Test("do_not_fail_on_forbidden action lists by release (§3)")
    func dnfof() {
        #expect(Self.os13.dnfofActionPatterns == ["/indices:(data/read/.*|(admin/(mappings/fields/get.*|shards/search_shards|resolve/index)))/"])
        #expect(Self.os211.dnfofActionPatterns == ["indices:data/read/*", "indices:admin/mappings/fields/get*", "indices:admin/shards/search_shards",
                                                   "indices:admin/resolve/index", "indices:monitor/settings/get", "indices:monitor/stats"])
        #expect(Self.os3.dnfofActionPatterns.last == "indices:admin/aliases/get")
    }

    @Test("explicit privileges, 403 lists, config versions and name clashes follow the release (§2.5, §5, §1.1, §8)")
    func behaviours() {
        #expect(Self.os211.explicitPrivilegeRule == .wildcardOnlyRoleIgnored)
        #expect(Self.os219.explicitPrivilegeRule == .bareWildcardIgnored)
        #expect(Self.os211.missingPrivilegesStyle == .allRequired)
        #expect(Self.os219.missingPrivilegesStyle == .onlyMissing)
        #expect(Self.os219.acceptsConfigVersion1)
        #expect(!Self.os3.acceptsConfigVersion1)
        #expect(Self.os219.staticNameClash == .configFailsToLoad)
        #expect(Self.os3.staticNameClash == .staticEntryWins)
        #expect(Self.odfe.restPrefix == "/_opendistro/_security")
        #expect(Self.os3.restPrefix == "/_plugins/_security")
        #expect(Self.odfe.settingsPrefix == "opendistro_security")
        #expect(TargetProfile(parsing: "lucenia")!.vendorSegment == "lucenia")
        #expect(Self.os3.requiresExplicitPrivilege("restapi:admin/roles"))
        #expect(Self.os3.requiresExplicitPrivilege("system:admin/system_index"))
        #expect(!Self.os3.requiresExplicitPrivilege("cluster:monitor/health"))
    }

    /// §5: the reason text of SecurityFilter's 403, as in the permissions reference.
    @Test("forbidden message is character for character the plugin's")
    func forbiddenMessage() {
        #expect(Self.os3.forbiddenMessage(missing: ["indices:monitor/stats"], userName: "test-user", backendRoles: [], requestedTenant: nil)
                == "no permissions for [indices:monitor/stats] and User [name=test-user, backend_roles=[], requestedTenant=null]")
        #expect(Self.os3.forbiddenMessage(missing: ["indices:data/write/bulk[s]", "indices:data/write/index"], userName: "u", backendRoles: ["a", "b"], requestedTenant: "t")
                == "no permissions for [indices:data/write/bulk[s], indices:data/write/index] and User [name=u, backend_roles=[a, b], requestedTenant=t]")
    }
}
