import Testing
@testable import PermissionCatalog

/// ``TargetProfile/check(of:)`` is the one answer to "how does this release check this action?";
/// each row names the upstream rule it follows.
@Suite("Action checks")
struct ActionCheckTests {
    static let odfe = TargetProfile(parsing: "opendistro-1.13")!
    static let os211 = TargetProfile(parsing: "opensearch-2.11")!
    static let os219 = TargetProfile(parsing: "opensearch-2.19")!
    static let os3 = TargetProfile(parsing: "opensearch-3")!
    static let lucenia = TargetProfile(parsing: "lucenia")!

    /// §2.3 isClusterPerm; §2.6 restapi:admin/* checked as explicit cluster privileges in every
    /// release; rest-actions.md §3.3 NamedRoute names as cluster privileges; tenant actions through
    /// tenant_permissions; system:admin/system_index on indices (§2.5).
    @Test("level by release, outside the security filter too", arguments: [
        ("restapi:admin/roles", ActionCheck.Level.cluster, ActionCheck.Level.cluster),
        ("views:data/read/search", .cluster, .cluster),
        ("security:obo/create", .cluster, .cluster),
        ("kibana:saved_objects/_/read", .tenant, .tenant),
        ("system:admin/system_index", .index, .index),
        ("indices:data/read/search/template/render", .index, .cluster),
        ("indices:data/write/bulk[s]", .index, .index),
        ("cluster:monitor/health", .cluster, .cluster),
    ])
    func level(action: String, odfe: ActionCheck.Level, os219: ActionCheck.Level) {
        #expect(Self.odfe.check(of: action).level == odfe)
        #expect(Self.os219.check(of: action).level == os219)
        #expect(Self.os3.check(of: action).level == os219)
    }

    /// §2.4: renames before checking; the check answers for the checked name.
    @Test("renames are applied first (§2.4)", arguments: [
        ("indices:admin/auto_create", "indices:admin/create"),
        ("indices:admin/mapping/auto_put", "indices:admin/mapping/put"),
        ("internal:indices/admin/upgrade[n]", "indices:admin/upgrade"),
        ("indices:admin/create", "indices:admin/create"),
    ])
    func renames(action: String, checked: String) {
        let check = Self.os219.check(of: action)
        #expect(check.checkedAs == checked)
        #expect(check.renamedTo == (action == checked ? nil : checked))
        #expect(check.level == .index)
    }

    /// §2.3–§2.4: multi-item actions and the index actions of their sub-requests.
    @Test("multi-item actions name their sub-request actions (§2.3–§2.4)")
    func subActions() {
        #expect(Self.os3.check(of: "indices:data/write/bulk").subActions == ["indices:data/write/bulk[s]"])
        #expect(Self.os3.check(of: "indices:data/read/mget").subActions == ["indices:data/read/mget[shard]"])
        #expect(Self.os3.check(of: "indices:data/read/mtv").subActions == ["indices:data/read/mtv[shard]"])
        #expect(Self.os3.check(of: "indices:data/read/msearch").subActions == ["indices:data/read/search"])
        #expect(Self.os3.check(of: "indices:data/read/msearch/template").subActions == ["indices:data/read/search"])
        #expect(Self.os3.check(of: "indices:data/read/search").subActions == [])
    }

    /// §2.4 SecurityFilter pass-throughs; §2.5 explicit privileges; §2.7 the denied-action list.
    @Test("always allowed, explicit, write-type (§2.4, §2.5, §2.7)")
    func flags() {
        #expect(Self.os3.check(of: "indices:admin/seq_no/global_checkpoint_sync").isAlwaysAllowed)
        #expect(Self.os3.check(of: "cluster:admin/opendistro_security/whoami").isAlwaysAllowed)
        #expect(!Self.os3.check(of: "cluster:admin/opendistro_security/whoamiprotected").isAlwaysAllowed)
        #expect(Self.os3.check(of: "restapi:admin/internalusers").needsExplicitGrant)
        #expect(!Self.os3.check(of: "cluster:admin/opendistro_security/config/update").needsExplicitGrant)
        let protection: [(String, ActionCheck.IndexProtection)] = [
            ("indices:data/write/index", .write), ("indices:data/write/bulk[s]", .write), ("indices:admin/delete", .write),
            ("indices:admin/mapping/put", .write), ("indices:admin/auto_create", .none), ("indices:admin/aliases", .write),
            ("indices:admin/aliases/get", .none), ("indices:admin/settings/update", .write), ("indices:admin/freeze", .write),
            ("indices:admin/close", .writeUnlessSecurityIndexRestoreEnabled),
            ("cluster:admin/snapshot/restore", .writeUnlessSecurityIndexRestoreEnabled), ("indices:data/read/search", .none),
        ]
        for (action, expected) in protection { #expect(Self.os3.check(of: action).indexProtection == expected, "\(action)") }
        #expect(Self.os3.check(of: "indices:admin/close").isWriteType(securityIndexRestoreEnabled: false))
        #expect(!Self.os3.check(of: "indices:admin/close").isWriteType(securityIndexRestoreEnabled: true))
        #expect(Self.os3.check(of: "indices:data/write/index").isWriteType(securityIndexRestoreEnabled: true))
    }

    /// data/permissions.json availability: restapi:admin/* since 2.8, absent from Open Distro; the
    /// vendor segment follows the flavor.
    @Test("availability from the catalog data, per flavor and vendor segment")
    func availability() {
        #expect(Self.os219.check(of: "restapi:admin/roles").available == .available)
        #expect(Self.odfe.check(of: "restapi:admin/roles").available == .notInRelease)
        #expect(Self.os3.check(of: "indices:data/read/search").available == .available)
        #expect(Self.os3.check(of: "cluster:admin/custom/thing").available == .unlisted)
        #expect(Self.os3.check(of: "indices:admin/auto_create").available == Self.os3.check(of: "indices:admin/create").available)
    }

    /// §8.2: Lucenia follows the newest OpenSearch release.
    @Test("Lucenia behaves as the newest OpenSearch")
    func luceniaFollowsOpenSearch() {
        #expect(Self.lucenia.followed == .default)
        #expect(Self.lucenia.check(of: "views:data/read/search").level == Self.os3.check(of: "views:data/read/search").level)
        #expect(Self.lucenia.check(of: "indices:admin/aliases/get").isDnfof)
        #expect(Self.lucenia.explicitPrivilegeRule == Self.os3.explicitPrivilegeRule)
    }
}
