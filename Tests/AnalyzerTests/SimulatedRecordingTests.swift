@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

@Suite("Simulated cluster: security index documents and --record")
struct SimulatedRecordingTests {
    // security-layer-responses.md "The security index": base64 JSON documents for the admin certificate.
    @Test func securityIndexDocumentForTheSuperAdmin() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let peer = PeerIdentity(clientCertificateDN: Simulation.adminDN, remoteAddress: "127.0.0.1:1", isTLS: true)
        let exchange = cluster.respond(to: Simulation.request("GET", "/.opendistro_security/_doc/roles"), peer: peer)
        #expect(exchange.response.status == 200)
        let text = Simulation.text(exchange.response)
        #expect(text.hasPrefix("{\"_index\":\".opendistro_security\",\"_id\":\"roles\",\"_version\":1,\"_seq_no\":0,\"_primary_term\":1,\"found\":true,\"_source\":{\"roles\":\""))
        // The loader reads the response back, as it reads any security index hit.
        let file = Paths.scratch.appendingPathComponent("secperm-sim-\(UUID().uuidString).json")
        try Data(exchange.response.body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let loaded = try ConfigLoader(profile: TargetProfile(parsing: "opensearch-2.11")!).load(from: file.path)
        #expect(loaded.config.roles.keys.sorted() == ["analyst", "secret_role", "writer"])
        let odfe = try Simulation.cluster("opendistro-1.13")
        let legacy = Simulation.text(odfe.respond(to: Simulation.request("GET", "/.opendistro_security/_doc/tenants"), peer: peer).response)
        #expect(legacy.hasPrefix("{\"_index\":\".opendistro_security\",\"_type\":\"_doc\",\"_id\":\"tenants\""))
        #expect(Simulation.text(cluster.respond(to: Simulation.request("GET", "/.opendistro_security/_doc/nodesdn"), peer: peer).response)
            == "{\"_index\":\".opendistro_security\",\"_id\":\"nodesdn\",\"found\":false}")
    }

    @Test func securityIndexForOtherUsers() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        // all_access reads an empty index; without the read permission it is the normal 403.
        let admin = Simulation.send(cluster, "GET", "/.opendistro_security/_doc/roles", as: "admin")
        #expect(admin.response.status == 404)
        #expect(Simulation.text(admin.response) == "{\"_index\":\".opendistro_security\",\"_id\":\"roles\",\"found\":false}")
        #expect(Simulation.send(cluster, "GET", "/.opendistro_security/_doc/roles", as: "bob").response.status == 403)
    }

    // The console form read back by ConsoleParser gives the same request.
    @Test(arguments: [
        ClusterRequest(method: "GET", path: "/"),
        ClusterRequest(method: "GET", path: "/logs-*/_search", query: "size=0&q=a%20b", body: Array("{\n  \"query\": {\"match_all\": {}}\n}".utf8)),
        ClusterRequest(method: "POST", path: "/_bulk", body: Array("{\"index\":{\"_index\":\"a\",\"_id\":\"1\"}}\n{\"f\":\"x\\ny\"}\n{\"delete\":{\"_index\":\"a\",\"_id\":\"2\"}}\n".utf8)),
        ClusterRequest(method: "PUT", path: "/my%2Cindex", body: Array("{\"settings\":{}}".utf8)),
        ClusterRequest(method: "POST", path: "/_msearch", body: Array("{}\n{\"query\":{}}\n\n".utf8)),
    ])
    func consoleRoundTrip(request: ClusterRequest) throws {
        let text = request.consoleText + request.consoleText
        let parsed = try ConsoleParser.parse(text, file: "recorded.txt")
        #expect(parsed.count == 2)
        let first = try #require(parsed.first)
        #expect(first.method == request.method)
        #expect(first.path == request.path)
        #expect(first.query == RequestContext.parameters(request.query))
        let expected = SimulatedRecordingTests.bodyValues(request)
        #expect(first.body.map(\.value) == expected)
    }

    static func bodyValues(_ request: ClusterRequest) -> [ConfigValue] {
        let text = String(decoding: request.body, as: UTF8.self)
        if ConsoleParser.isNDJSON(request.path) {
            return text.split(separator: "\n").compactMap { ConfigValue.parseJSON(Array($0.utf8)) }
        }
        return ConfigValue.parseJSON(request.body).map { [$0] } ?? []
    }

    @Test func exactConsoleText() {
        let request = ClusterRequest(method: "POST", path: "/_bulk", query: "refresh=true", body: Array("{\"index\":{\"_index\":\"a\"}}\r\n{\"x\":1}\n".utf8))
        #expect(request.consoleText == "POST /_bulk?refresh=true\n{\"index\":{\"_index\":\"a\"}}\n{\"x\":1}\n\n")
    }

    // No secret in logs: a Security API write of a user or the account carries a password (the
    // probe's scratch user is created this way); its body never reaches the transcript.
    @Test func passwordBodiesAreLeftOutOfTheTranscript() {
        let body = Array("{\"password\":\"s3cret-Scratch\",\"backend_roles\":[]}".utf8)
        for (method, path) in [("PUT", "/_plugins/_security/api/internalusers/scratch"), ("PATCH", "/_opendistro/_security/api/internalusers"),
                               ("PUT", "/_plugins/_security/api/account")] {
            let request = ClusterRequest(method: method, path: path, body: body)
            #expect(request.consoleText == "\(method) \(path)\n# body left out: it carries a password (\(body.count) bytes)\n\n")
        }
        let role = ClusterRequest(method: "PUT", path: "/_plugins/_security/api/roles/r", body: Array("{\"cluster_permissions\":[]}".utf8))
        #expect(role.consoleText == "PUT /_plugins/_security/api/roles/r\n{\"cluster_permissions\":[]}\n\n")
    }
}
