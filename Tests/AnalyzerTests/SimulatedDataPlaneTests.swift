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
        #expect(exchange.log.actionsChecked == ["indices:data/write/bulk", "indices:admin/create", "indices:data/write/bulk[s]", "indices:data/write/index", "indices:admin/create"])
        #expect(cluster.metadata.indices == ["logs-a"])
        // The index exists now: a second write does not need create_index.
        let again = Simulation.send(cluster, "POST", "/_bulk", as: "bob", body: "{\"index\":{\"_index\":\"logs-a\",\"_id\":\"1\"}}\n{}\n")
        #expect(again.log.actionsChecked == ["indices:data/write/bulk", "indices:data/write/bulk[s]", "indices:data/write/index"])
        #expect(Simulation.text(again.response).contains("\"result\":\"updated\""))
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

    @Test func unknownRoutes() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let unknown = Simulation.send(cluster, "GET", "/_nothing/here/at/all", as: "alice")
        #expect(unknown.response.status == 400)
        #expect(Simulation.text(unknown.response) == "{\"error\":\"no handler found for uri [/_nothing/here/at/all] and method [GET]\"}")
    }
}
