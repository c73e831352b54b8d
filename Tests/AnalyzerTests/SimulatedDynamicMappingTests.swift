@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

/// Dynamic mapping in the simulated data plane: rest-actions.md §3.1 ("Renames before evaluation":
/// `indices:admin/mapping/auto_put` → `indices:admin/mapping/put`) and §4, rest-actions-conditional.tsv
/// ("document introduces new fields"), security-layer-responses.md "_bulk": a write that brings new
/// fields is authorized for the mapping update on its index; a denial fails the item (bulk) or the
/// request (single-document write).
@Suite("Simulated cluster: dynamic mapping")
struct SimulatedDynamicMappingTests {
    static let admin = PeerIdentity(clientCertificateDN: Simulation.adminDN, remoteAddress: "127.0.0.1:50001", isTLS: true)

    /// The fixture plus `carl` (password carl-pass-1) holding `indexer`: bulk, and on new-* or
    /// test-index bulk[s], index and create, with `indices:admin/mapping/put` when `mapping`.
    static func cluster(mapping: Bool) throws -> SimulatedCluster {
        let profile = try #require(TargetProfile(parsing: "opensearch-2.19"))
        let documents = try SecurityDocuments.read(directory: Simulation.fixture, profile: profile)
        let cluster = try SimulatedCluster(documents: documents, catalog: Catalog(profile: profile), metadata: ClusterMetadata(indices: ["test-index"]),
                                           adminDNs: [Simulation.adminDN], hasher: SystemCryptHasher(cost: 4))
        let actions = ["indices:data/write/bulk[s]", "indices:data/write/index", "indices:admin/create"] + (mapping ? ["indices:admin/mapping/put"] : [])
        let role = try JSONSerialization.data(withJSONObject: ["cluster_permissions": ["indices:data/write/bulk"],
                                                               "index_permissions": [["index_patterns": ["new-*", "test-index"], "allowed_actions": actions]]])
        for (path, body) in [("/_plugins/_security/api/internalusers/carl", "{\"password\":\"carl-pass-1\"}"),
                             ("/_plugins/_security/api/roles/indexer", String(decoding: role, as: UTF8.self)),
                             ("/_plugins/_security/api/rolesmapping/indexer", "{\"users\":[\"carl\"]}")] {
            let answer = cluster.respond(to: Simulation.request("PUT", path, body: body), peer: admin)
            #expect(answer.response.status == 200 || answer.response.status == 201, "\(Simulation.text(answer.response))")
        }
        return cluster
    }

    static func send(_ cluster: SimulatedCluster, _ method: String, _ target: String, body: String) -> SimulatedExchange {
        cluster.respond(to: Simulation.request(method, target, user: "carl", password: "carl-pass-1", body: body),
                        peer: PeerIdentity(remoteAddress: "127.0.0.1:50002"))
    }

    static let reason = "no permissions for [indices:admin/mapping/put] and User [name=carl, backend_roles=[], requestedTenant=null]"

    @Test func bulkItemWithNewFieldsNeedsMappingPut() throws {
        let cluster = try Self.cluster(mapping: false)
        let body = "{\"index\":{\"_index\":\"new-1\",\"_id\":\"1\"}}\n{\"title\":\"Rush\",\"meta\":{\"year\":2013}}\n"
        let denied = Self.send(cluster, "POST", "/_bulk", body: body)
        #expect(denied.response.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(denied.response.body)) as? [String: Any])
        #expect(json["errors"] as? Bool == true)
        let item = try #require(((json["items"] as? [[String: Any]])?.first?["index"]) as? [String: Any])
        #expect(item["status"] as? Int == 403)
        #expect((item["error"] as? [String: Any])?["reason"] as? String == Self.reason)
        #expect(denied.log.actionsChecked == ["indices:data/write/bulk", "indices:admin/create", "indices:data/write/bulk[s]", "indices:data/write/index",
                                              "indices:admin/mapping/put"])
        // The auto-created index stays (its creation was authorized); a document without fields
        // maps nothing and goes through.
        #expect(cluster.exists("new-1"))
        let empty = Self.send(cluster, "POST", "/_bulk", body: "{\"index\":{\"_index\":\"new-1\",\"_id\":\"2\"}}\n{}\n")
        #expect(Simulation.text(empty.response).contains("\"status\":201"))
        // An index that existed at start has an unknown mapping: no update is checked there.
        let existing = Self.send(cluster, "POST", "/_bulk", body: "{\"index\":{\"_index\":\"test-index\",\"_id\":\"1\"}}\n{\"title\":\"Rush\"}\n")
        #expect(existing.log.actionsChecked == ["indices:data/write/bulk", "indices:data/write/bulk[s]", "indices:data/write/index"])
        #expect(Simulation.text(existing.response).contains("\"errors\":false"))
    }

    @Test func grantedMappingPutIsCheckedOnceThenTheFieldsAreMapped() throws {
        let cluster = try Self.cluster(mapping: true)
        let body = "{\"index\":{\"_index\":\"new-2\",\"_id\":\"1\"}}\n{\"title\":\"Rush\"}\n"
        let first = Self.send(cluster, "POST", "/_bulk", body: body)
        #expect(first.log.actionsChecked.last == "indices:admin/mapping/put")
        #expect(Simulation.text(first.response).contains("\"errors\":false"))
        let second = Self.send(cluster, "POST", "/_bulk", body: "{\"index\":{\"_index\":\"new-2\",\"_id\":\"2\"}}\n{\"title\":\"Prisoners\"}\n")
        #expect(second.log.actionsChecked == ["indices:data/write/bulk", "indices:data/write/bulk[s]", "indices:data/write/index"])
    }

    // A single-document write answers the mapping denial as its top-level 403; fields of the
    // create request's explicit mapping need no update.
    @Test func singleDocumentWriteAndExplicitMapping() throws {
        let cluster = try Self.cluster(mapping: false)
        let denied = Self.send(cluster, "PUT", "/new-3/_doc/1", body: "{\"title\":\"Rush\"}")
        #expect(denied.response.status == 403)
        #expect(Simulation.text(denied.response).contains(Self.reason))
        let created = cluster.respond(to: Simulation.request("PUT", "/new-4", body: "{\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"}}}}"), peer: Self.admin)
        #expect(created.response.status == 200)
        let mapped = Self.send(cluster, "PUT", "/new-4/_doc/1", body: "{\"title\":\"Rush\"}")
        #expect(mapped.response.status == 201, "\(Simulation.text(mapped.response))")
    }

    // The probe learns auto-create, then the mapping update its denial hid (one replay each: the
    // cluster reports only the first failure), on the written index only; create + mapping/put is
    // exactly the built-in group create_index, so the role names that.
    @Test func probeLearnsMappingPut() async throws {
        let cluster = try ProbeFixture.cluster("opensearch-2.19")
        let requests = try ConsoleParser.parse("POST _bulk\n{\"index\":{\"_index\":\"fresh-index\",\"_id\":\"1\"}}\n{\"title\":\"Rush\"}\n", file: "mapping")
        let result = try await ProbeFixture.loop(cluster).run(requests)
        #expect(result.converged)
        #expect(result.replays == 3)
        #expect(result.requestsSent == 3)
        #expect(ProbeFixture.grants(result.role) == [
            "cluster indices:data/write/bulk", "fresh-index create_index", "fresh-index indices:data/write/bulk[s]", "fresh-index indices:data/write/index",
        ])
        let mapping = try #require(result.requests.first?.needed.first { $0.action == "indices:admin/mapping/put" })
        #expect(mapping.indices == ["fresh-index"])
        guard case .denial(let reason) = mapping.evidence else {
            Issue.record("mapping/put was not proven by a denial: \(mapping.evidence)")
            return
        }
        #expect(reason.hasPrefix("no permissions for [indices:admin/mapping/put] and User [name=secperm-probe-"), "\(reason)")
    }
}
