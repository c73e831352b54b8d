@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

@Suite("Simulated cluster: data plane")
struct SimulatedDataPlaneTests {
    static func forbidden(_ reason: String) -> String {
        "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"\(reason)\"}],\"type\":\"security_exception\",\"reason\":\"\(reason)\"},\"status\":403}"
    }

    // opensearch-security-semantics.md §5 / security-layer-responses.md "Transport-level denials": the
    // body shape, and backend roles in HashSet order before 3.1 (Open Distro, 2.11), insertion order from 3.1.
    @Test(arguments: [
        ("opendistro-1.13", "backend_roles=[analysts, eu-staff]"),
        ("opensearch-2.11", "backend_roles=[analysts, eu-staff]"),
        ("opensearch-3", "backend_roles=[eu-staff, analysts]"),
    ])
    func deniedSearchBody(target: String, roles: String) throws {
        let cluster = try Simulation.cluster(target)
        let exchange = Simulation.send(cluster, "GET", "/logs-1/_search", as: "alice")
        let reason = "no permissions for [indices:data/read/search] and User [name=alice, \(roles), requestedTenant=null]"
        #expect(exchange.response.status == 403)
        #expect(Simulation.text(exchange.response) == SimulatedDataPlaneTests.forbidden(reason))
        #expect(exchange.log.outcome == .denied)
        #expect(exchange.log.forbiddenMessage == reason)
        #expect(exchange.log.actionsChecked == ["indices:data/read/search"])
    }

    @Test func allowedSearchOnAnExistingIndexAndMissingIndex() throws {
        let cluster = try Simulation.cluster("opensearch-2.11", adminDNs: [])
        let missing = Simulation.send(cluster, "GET", "/sales-1/_search", as: "alice")
        #expect(missing.response.status == 404)
        #expect(Simulation.text(missing.response).contains("\"type\":\"index_not_found_exception\",\"reason\":\"no such index [sales-1]\""))
        #expect(Simulation.send(cluster, "PUT", "/sales-1/_doc/1", as: "admin", body: "{\"a\":1}").response.status == 201)
        let found = Simulation.send(cluster, "GET", "/sales-1/_search", as: "alice")
        #expect(found.response.status == 200)
        #expect(Simulation.text(found.response).contains("\"hits\":{\"total\":{\"value\":0,\"relation\":\"eq\"}"))
        #expect(Simulation.send(cluster, "GET", "/sales-1/_doc/1", as: "alice").response.status == 200)
        #expect(Simulation.send(cluster, "GET", "/sales-1/_doc/2", as: "alice").response.status == 404)
    }

    // security-layer-responses.md "_bulk": cluster bulk first, then per index auto-create and
    // bulk[s] with the item actions; item failures inside a 200.
    @Test func bulkItemErrorsInsideA200() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let body = """
            {"index":{"_index":"logs-a","_id":"1"}}
            {"message":"ok"}
            {"index":{"_index":"sales-1","_id":"2"}}
            {"message":"no"}

            """
        let exchange = Simulation.send(cluster, "POST", "/_bulk", as: "bob", body: body)
        #expect(exchange.response.status == 200)
        let reason = "no permissions for [indices:admin/create] and User [name=bob, backend_roles=[writers], requestedTenant=null]"
        #expect(Simulation.text(exchange.response) == """
            {"took":1,"errors":true,"items":[{"index":{"_index":"logs-a","_id":"1","_version":1,"result":"created",\
            "_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},\
            {"index":{"_index":"sales-1","_id":"2","status":403,"error":{"type":"security_exception","reason":"\(reason)"}}}]}
            """)
        // The new index logs-a gets the field `message` mapped by the write: the dynamic mapping
        // update is checked last, when the item runs (SimulatedDynamicMappingTests).
        #expect(exchange.log.actionsChecked == ["indices:data/write/bulk", "indices:admin/create", "indices:data/write/bulk[s]", "indices:data/write/index", "indices:admin/create",
                                                "indices:admin/mapping/put"])
        #expect(cluster.metadata.indices == ["logs-a"])
        // The index exists now: a second write does not need create_index.
        let again = Simulation.send(cluster, "POST", "/_bulk", as: "bob", body: "{\"index\":{\"_index\":\"logs-a\",\"_id\":\"1\"}}\n{}\n")
        #expect(again.log.actionsChecked == ["indices:data/write/bulk", "indices:data/write/bulk[s]", "indices:data/write/index"])
        #expect(Simulation.text(again.response).contains("\"result\":\"updated\""))
    }

    // Before 2.19 the missing set is a java.util.HashSet (order checked with java); from 2.19 the
    // shard request's order: bulk[s], then the items' operations as the items bring them.
    @Test(arguments: [
        ("opensearch-2.11", "indices:data/write/index, indices:data/write/delete, indices:data/write/bulk[s]"),
        ("opensearch-3", "indices:data/write/bulk[s], indices:data/write/index, indices:data/write/delete"),
    ])
    func bulkShardDenialListsTheItemActions(target: String, missing: String) throws {
        let cluster = try Simulation.cluster(target)
        #expect(Simulation.send(cluster, "PUT", "/sales-1", as: "admin").response.status == 200)
        let body = "{\"index\":{\"_index\":\"sales-1\",\"_id\":\"1\"}}\r\n{}\r\n{\"delete\":{\"_index\":\"sales-1\",\"_id\":\"2\"}}\r\n"
        let exchange = Simulation.send(cluster, "POST", "/_bulk", as: "bob", body: body)
        let reason = "no permissions for [\(missing)] and User [name=bob, backend_roles=[writers], requestedTenant=null]"
        let error = "\"status\":403,\"error\":{\"type\":\"security_exception\",\"reason\":\"\(reason)\"}"
        #expect(Simulation.text(exchange.response) == """
            {"took":1,"errors":true,"items":[{"index":{"_index":"sales-1","_id":"1",\(error)}},{"delete":{"_index":"sales-1","_id":"2",\(error)}}]}
            """)
    }

    @Test func bulkDeniedAtTheClusterLevelIsATopLevel403() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let exchange = Simulation.send(cluster, "POST", "/_bulk", as: "alice", body: "{\"index\":{\"_index\":\"sales-1\"}}\n{}\n")
        #expect(exchange.response.status == 403)
        #expect(Simulation.text(exchange.response) == SimulatedDataPlaneTests.forbidden(
            "no permissions for [indices:data/write/bulk] and User [name=alice, backend_roles=[analysts, eu-staff], requestedTenant=null]"))
    }

    // security-layer-responses.md "_msearch": one search check per item, denied items as error objects.
    @Test func multiSearchItemErrors() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let body = "{\"index\":\"sales-*\"}\n{\"query\":{\"match_all\":{}}}\n{\"index\":\"logs-1\"}\n{}\n"
        let exchange = Simulation.send(cluster, "POST", "/_msearch", as: "alice", body: body)
        #expect(exchange.response.status == 200)
        let reason = "no permissions for [indices:data/read/search] and User [name=alice, backend_roles=[eu-staff, analysts], requestedTenant=null]"
        #expect(Simulation.text(exchange.response) == """
            {"took":1,"responses":[{"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},\
            "hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]},"status":200},\
            \(SimulatedDataPlaneTests.forbidden(reason))]}
            """)
    }

    // security-layer-responses.md "Dry-run permission check": 3.2+ only; the first transport action only.
    @Test func permissionCheckFrom32() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let denied = Simulation.send(cluster, "GET", "/logs-1/_search?perform_permission_check=true", as: "alice")
        #expect(Simulation.text(denied.response) == "{\"accessAllowed\":false,\"missingPrivileges\":[\"indices:data/read/search\"]}")
        let allowed = Simulation.send(cluster, "GET", "/sales-1/_search?perform_permission_check=true", as: "alice")
        #expect(Simulation.text(allowed.response) == "{\"accessAllowed\":true,\"missingPrivileges\":[]}")
        // Nothing executes: the missing index is not reported.
        #expect(allowed.response.status == 200)
        let bulk = Simulation.send(cluster, "POST", "/_bulk?perform_permission_check=true", as: "bob", body: "{\"index\":{\"_index\":\"x\"}}\n{}\n")
        #expect(Simulation.text(bulk.response) == "{\"accessAllowed\":true,\"missingPrivileges\":[]}")
        #expect(cluster.metadata.indices.isEmpty)
    }

    @Test func permissionCheckBefore32IsAnUnknownParameter() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let exchange = Simulation.send(cluster, "GET", "/sales-1/_search?perform_permission_check=true", as: "alice")
        #expect(exchange.response.status == 400)
        #expect(Simulation.text(exchange.response) == """
            {"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"request [/sales-1/_search] contains unrecognized parameter: [perform_permission_check]"}],\
            "type":"illegal_argument_exception","reason":"request [/sales-1/_search] contains unrecognized parameter: [perform_permission_check]"},"status":400}
            """)
    }

    @Test func createAndDeleteIndexChangeWhatExists() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        #expect(Simulation.send(cluster, "PUT", "/logs-b", as: "bob").response.status == 200)
        #expect(Simulation.send(cluster, "PUT", "/logs-b", as: "bob").response.status == 400)
        #expect(cluster.metadata.indices == ["logs-b"])
        #expect(Simulation.send(cluster, "DELETE", "/logs-b", as: "admin").response.status == 200)
        #expect(cluster.metadata.indices.isEmpty)
        #expect(Simulation.send(cluster, "DELETE", "/logs-b", as: "admin").response.status == 404)
    }

    // A privilege on an alias covers its member indices (DESIGN.md): an alias created by a request
    // counts from the next request on.
    @Test func aliasesCreatedByRequestsCount() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        #expect(Simulation.send(cluster, "PUT", "/archive-1", as: "admin").response.status == 200)
        #expect(Simulation.send(cluster, "GET", "/archive-1/_search", as: "alice").response.status == 403)
        #expect(Simulation.send(cluster, "PUT", "/archive-1/_alias/sales-archive", as: "admin").response.status == 200)
        #expect(cluster.metadata.aliases == ["sales-archive": ["archive-1"]])
        #expect(Simulation.send(cluster, "GET", "/sales-archive/_search", as: "alice").response.status == 200)
        #expect(Simulation.send(cluster, "DELETE", "/archive-1/_alias/sales-archive", as: "admin").response.status == 200)
        #expect(Simulation.send(cluster, "DELETE", "/archive-1/_alias/sales-archive", as: "admin").response.status == 404)
        #expect(cluster.metadata.aliases.isEmpty)
    }

    @Test func unknownRoutes() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let unknown = Simulation.send(cluster, "GET", "/_nothing/here/at/all", as: "alice")
        #expect(unknown.response.status == 400)
        #expect(Simulation.text(unknown.response) == "{\"error\":\"no handler found for uri [/_nothing/here/at/all] and method [GET]\"}")
    }

    // rest-actions.md §3.3: NamedRoutes (views) are authorized at the REST layer; a denial is a 401.
    @Test func namedRouteDenialIsA401() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let exchange = Simulation.send(cluster, "GET", "/views/v1", as: "bob")
        #expect(exchange.response.status == 401)
        #expect(Simulation.text(exchange.response) == "no permissions for [views:data/read/get] and User [name=bob, backend_roles=[writers], requestedTenant=null]")
        #expect(Simulation.send(cluster, "GET", "/views/v1", as: "admin").response.status == 200)
    }

    // SnapshotRestoreEvaluator: include_global_state is refused before privileges, with an empty list.
    @Test func restoreWithGlobalState() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let body = "{\"indices\":\"logs-1\",\"include_global_state\":true}"
        let exchange = Simulation.send(cluster, "POST", "/_snapshot/repo/snap/_restore", as: "admin", body: body)
        #expect(exchange.response.status == 403)
        #expect(Simulation.text(exchange.response) == SimulatedDataPlaneTests.forbidden("no permissions for [] and User [name=admin, backend_roles=[admin], requestedTenant=null]"))
        let plain = Simulation.send(cluster, "POST", "/_snapshot/repo/snap/_restore", as: "admin", body: "{\"indices\":\"logs-1\"}")
        #expect(plain.response.status == 200)
        #expect(plain.log.actionsChecked == ["cluster:admin/snapshot/restore", "indices:admin/create", "indices:data/write/index"])
    }

    @Test func plausibleBodiesForCommonReads() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let health = Simulation.send(cluster, "GET", "/_cluster/health", as: "admin")
        #expect(Simulation.text(health.response).hasPrefix("{\"cluster_name\":\"secperm-simulate\",\"status\":\"green\","))
        #expect(Simulation.text(Simulation.send(cluster, "GET", "/_cat/indices?format=json", as: "admin").response) == "[]")
        #expect(Simulation.send(cluster, "GET", "/_cat/indices", as: "admin").response.header("content-type") == "text/plain; charset=UTF-8")
    }
}

@Suite("Simulated cluster: concurrent requests")
struct SimulatedConcurrencyTests {
    // Writes of documents, indices and security entries from many tasks at once all land.
    @Test func concurrentWritesAllLand() async throws {
        var settings = NodeSettings()
        settings.restRolesEnabled = ["all_access"]
        let cluster = try Simulation.cluster("opensearch-3", settings: settings)
        await withTaskGroup(of: Int.self) { group in
            for number in 0..<40 {
                group.addTask {
                    let body = "{\"index\":{\"_index\":\"logs-\(number % 5)\",\"_id\":\"\(number)\"}}\n{}\n"
                    return Simulation.send(cluster, "POST", "/_bulk", as: "bob", body: body).response.status
                }
                group.addTask {
                    Simulation.send(cluster, "PUT", "/_plugins/_security/api/tenants/t\(number)", as: "admin", body: "{\"description\":\"x\"}").response.status
                }
            }
            for await status in group { #expect(status == 200 || status == 201) }
        }
        #expect(cluster.metadata.indices == Set((0..<5).map { "logs-\($0)" }))
        #expect(cluster.documents.documents[.tenants]?.map?.count == 40 + 2)
        for number in 0..<40 {
            #expect(Simulation.send(cluster, "GET", "/logs-\(number % 5)/_doc/\(number)", as: "admin").response.status == 200)
        }
    }
}
