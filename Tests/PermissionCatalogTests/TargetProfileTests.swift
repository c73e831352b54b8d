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
        // `2.0` and `3.0` name those releases, not the newest of their line (Version drops `.0`).
        #expect(TargetProfile(parsing: "opensearch-2.0")?.version == "2.0")
        #expect(TargetProfile(parsing: "opensearch-3.0")?.version == "3.0")
        #expect(TargetProfile(parsing: "opensearch-3.0")?.tenantEvaluation != TargetProfile.default.tenantEvaluation)
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

    /// §3 (DNFOF_MATCHER: the 1.x regex, the 2.11 list, 2.15's aliases/get) through ``ActionCheck/isDnfof``.
    @Test("do_not_fail_on_forbidden action lists by release (§3)", arguments: [
        ("indices:data/read/search", [true, true, true, true, true]),
        ("indices:admin/mappings/fields/get[index]", [true, true, true, true, true]),
        ("indices:admin/shards/search_shards", [true, true, true, true, true]),
        ("indices:admin/resolve/index", [true, true, true, true, true]),
        ("indices:monitor/settings/get", [false, false, true, true, true]),
        ("indices:monitor/stats", [false, false, true, true, true]),
        ("indices:admin/aliases/get", [false, false, false, true, true]),
        ("indices:admin/resolve/index2", [false, false, false, false, false]),
        ("indices:data/write/index", [false, false, false, false, false]),
    ])
    func dnfof(action: String, expected: [Bool]) {
        let profiles = [Self.odfe, Self.os13, Self.os211, Self.os219, Self.os3]
        #expect(profiles.map { $0.check(of: action).isDnfof } == expected)
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
        #expect(Self.os3.check(of: "restapi:admin/roles").needsExplicitGrant)
        #expect(Self.os3.check(of: "system:admin/system_index").needsExplicitGrant)
        #expect(!Self.os3.check(of: "cluster:monitor/health").needsExplicitGrant)
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
