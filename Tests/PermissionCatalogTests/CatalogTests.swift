import Foundation
import Testing
@testable import PermissionCatalog

@Suite("Catalog contents")
struct CatalogTests {
    @Test("every name in the Lucenia permissions reference is in the lucenia catalog, verbatim")
    func seedNamesLucenia() throws {
        let names = LuceniaReference.names
        #expect(names.count == 135)
        let catalog = Catalog(profile: TargetProfile(parsing: "lucenia")!)
        let missing = names.filter { catalog.permission(named: $0) == nil }.sorted()
        #expect(missing.isEmpty, "missing: \(missing)")
    }

    @Test("every seed name is in the opensearch-3 catalog with the opensearch vendor segment")
    func seedNamesOpenSearch() throws {
        let catalog = Catalog(profile: .default)
        let missing = LuceniaReference.names
            .map { $0.replacingOccurrences(of: "cluster:admin/lucenia/", with: "cluster:admin/opensearch/") }
            .filter { catalog.permission(named: $0) == nil }.sorted()
        #expect(missing.isEmpty, "missing: \(missing)")
        #expect(catalog.permissions.allSatisfy { !$0.name.contains("lucenia") })
    }

    @Test("Appendix A names and the sub-actions of §2.3–2.4 are known to opensearch-3")
    func appendixAndSubActions() {
        let catalog = Catalog(profile: .default)
        for name in ["indices:data/write/bulk[s]", "indices:data/read/mget[shard]", "indices:data/read/mtv[shard]",
                     "system:admin/system_index", "kibana:saved_objects/*/read", "kibana:saved_objects/*/write",
                     "restapi:admin/config/update", "restapi:admin/ratelimiters", "indices:admin/auto_create",
                     "indices:admin/mapping/auto_put", "cluster:admin/opendistro/ism/managedindex/add",
                     "cluster:admin/opensearch/ql/async_query/result", "cluster:indices:admin/opensearch/ism/managedindex",
                     "indices:data/read/point_in_time/create", "cluster:admin/component_template/put"] {
            #expect(catalog.permission(named: name) != nil, "\(name)")
        }
        #expect(catalog.permission(named: "system:admin/system_index")?.kind == .system)
        #expect(catalog.permission(named: "kibana:saved_objects/*/read")?.kind == .tenant)
        #expect(catalog.permission(named: "restapi:admin/roles")?.kind == .restapi)
        #expect(catalog.permission(named: "indices:data/read/search*")?.isPattern == true)
    }

    @Test("availability follows the release history: restapi from 2.8, system_index from 2.10, none in Open Distro")
    func availability() {
        let odfe = Catalog(profile: TargetProfile(parsing: "opendistro-1.13")!)
        #expect(odfe.permissions(ofKind: .restapi).isEmpty)
        #expect(odfe.permission(named: "system:admin/system_index") == nil)
        #expect(odfe.permissionOutsideProfile(named: "restapi:admin/roles") != nil)
        let os211 = Catalog(profile: TargetProfile(parsing: "opensearch-2.11")!)
        #expect(os211.permission(named: "restapi:admin/config/update") != nil)
        #expect(os211.permission(named: "restapi:admin/view_version") == nil)
        #expect(Catalog(profile: TargetProfile(parsing: "opensearch-2.7")!).permission(named: "restapi:admin/roles") == nil)
        #expect(Catalog(profile: TargetProfile(parsing: "opensearch-2.8")!).permission(named: "restapi:admin/roles") != nil)
    }

    @Test("names are unique and every entry has a description")
    func wellFormed() {
        let catalog = Catalog(profile: .default)
        #expect(Set(catalog.permissions.map(\.name)).count == catalog.permissions.count)
        #expect(catalog.permissions.allSatisfy { !$0.description.isEmpty })
        #expect(catalog.permissions.allSatisfy { PermissionKind.of(name: $0.name) == $0.kind })
    }
}

@Suite("Built-in action groups, roles and tenants (§1.2–1.3)")
struct StaticConfigTests {
    @Test("opensearch 2.6+ has the 26 groups of §1.2 with their exact allowed_actions")
    func groupsCurrent() {
        let catalog = Catalog(profile: .default)
        #expect(catalog.staticActionGroups.count == 26)
        let expected: [String: [String]] = [
            "read": ["indices:data/read*", "indices:admin/mappings/fields/get*", "indices:admin/resolve/index"],
            "search": ["indices:data/read/search*", "indices:data/read/msearch*", "indices:admin/resolve/index", "suggest"],
            "data_access": ["indices:data/*", "crud"],
            "cluster_composite_ops": ["indices:data/write/bulk", "indices:admin/aliases*", "indices:data/write/reindex", "cluster_composite_ops_ro"],
            "cluster_manage_index_templates": ["indices:admin/template/*", "indices:admin/index_template/*", "cluster:admin/component_template/*"],
            "manage_point_in_time": ["indices:data/read/point_in_time/create", "indices:data/read/point_in_time/delete",
                                     "indices:data/read/point_in_time/readall", "indices:data/read/search", "indices:monitor/point_in_time/segments"],
            "unlimited": ["*"],
            "manage_snapshots": ["cluster:admin/snapshot/*", "cluster:admin/repository/*"],
        ]
        for (name, actions) in expected {
            #expect(catalog.staticActionGroup(named: name)?.allowedActions == actions, "\(name)")
        }
    }

    @Test("group history: 24 in Open Distro 1.13, 25 in 1.0–2.2, PIT as a cluster group in 2.3, templates widened in 2.6")
    func groupHistory() {
        let odfe = Catalog(profile: TargetProfile(parsing: "opendistro-1.13")!)
        #expect(odfe.staticActionGroups.count == 24)
        #expect(odfe.staticActionGroup(named: "manage_data_streams") == nil)
        #expect(odfe.staticActionGroup(named: "read")?.allowedActions.contains("indices:admin/resolve/index") == false)
        #expect(Catalog(profile: TargetProfile(parsing: "opensearch-1.3")!).staticActionGroups.count == 25)
        let os23 = Catalog(profile: TargetProfile(parsing: "opensearch-2.3")!)
        #expect(os23.staticActionGroup(named: "manage_point_in_time")?.type == "cluster")
        #expect(Catalog(profile: TargetProfile(parsing: "opensearch-2.4")!).staticActionGroup(named: "manage_point_in_time")?.type == "index")
        #expect(Catalog(profile: TargetProfile(parsing: "opensearch-2.5")!).staticActionGroup(named: "cluster_manage_index_templates")?.allowedActions == ["indices:admin/template/*"])
    }

    @Test("the same 8 built-in roles in every release; one global tenant")
    func roles() {
        let names = ["all_access", "kibana_server", "kibana_user", "logstash", "manage_snapshots", "own_index", "readall", "readall_and_monitor"]
        for profile in TargetProfile.named.map(\.profile) {
            let catalog = Catalog(profile: profile)
            #expect(catalog.staticRoles.map(\.name) == names, "\(profile)")
            #expect(catalog.staticTenants.map(\.name) == ["global_tenant"], "\(profile)")
        }
        let allAccess = Catalog(profile: .default).staticRole(named: "all_access")!
        #expect(allAccess.clusterPermissions == ["*"])
        #expect(allAccess.indexPermissions == [StaticIndexPermission(indexPatterns: ["*"], allowedActions: ["*"])])
        #expect(allAccess.tenantPermissions == [StaticTenantPermission(tenantPatterns: ["*"], allowedActions: ["kibana_all_write"])])
        let logstash = Catalog(profile: .default).staticRole(named: "logstash")!
        #expect(logstash.indexPermissions.first?.indexPatterns == ["logstash-*", "ecs-logstash-*"])
    }
}

@Suite("Embedded data")
struct EmbeddedDataTests {
    @Test("Generated/EmbeddedData.swift carries data/ byte for byte (run `swift run secperm-datagen` when this fails)")
    func inSync() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data")
        var files = try FileManager.default.contentsOfDirectory(atPath: data.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".tsv") }
        files += try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("samples/acme").path)
            .filter { $0.hasSuffix(".yml") }.map { "samples/acme/\($0)" }
        files.sort()
        #expect(files.sorted() == EmbeddedData.files.keys.sorted())
        for file in files {
            let onDisk = try String(contentsOf: data.appendingPathComponent(file), encoding: .utf8)
            #expect(EmbeddedData.files[file] == onDisk, "\(file) differs from its embedded copy")
        }
    }
}
