@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

/// Every denial form of opensearch-security-semantics.md §5 and security-layer-responses.md.
@Suite("Probe: denial forms")
struct ProbeDenialTests {
    static let user = "User [name=probe, backend_roles=[], requestedTenant=null]"

    static func request(_ text: String) throws -> ConsoleRequest {
        try #require(try ConsoleParser.parse(text, file: "t").first)
    }

    static func forbidden(_ reason: String) -> ClusterResponse {
        ClusterResponse(status: 403, body: Array("{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"\(reason)\"}],\"type\":\"security_exception\",\"reason\":\"\(reason)\"},\"status\":403}".utf8))
    }

    static func parse(_ response: ClusterResponse, _ request: String = "GET _search") throws -> ProbeAnswer {
        ProbeDenialParser.parse(response, request: try ProbeDenialTests.request(request))
    }

    // §5 normal form; `bulk[s]` keeps its brackets (the list is split at depth one only).
    @Test func transportDenialWithShardAction() throws {
        let reason = "no permissions for [indices:data/write/bulk[s], indices:data/write/index] and \(ProbeDenialTests.user)"
        #expect(try ProbeDenialTests.parse(ProbeDenialTests.forbidden(reason)) == .denied(
            missing: [MissingAction(action: "indices:data/write/bulk[s]"), MissingAction(action: "indices:data/write/index")], form: .transport, reason: reason))
    }

    // §5: injected roles (alerting, ISM jobs) print `and associated roles [...]`.
    @Test func associatedRoles() throws {
        let reason = "no permissions for [indices:data/read/search] and associated roles [alerting_role]"
        #expect(try ProbeDenialTests.parse(ProbeDenialTests.forbidden(reason)) == .denied(
            missing: [MissingAction(action: "indices:data/read/search")], form: .associatedRoles, reason: reason))
    }

    // §5: security, system, protected index and restore denials list nothing: explained, never guessed.
    @Test func emptyListIsSpecial() throws {
        let reason = "no permissions for [] and \(ProbeDenialTests.user)"
        #expect(try ProbeDenialTests.parse(ProbeDenialTests.forbidden(reason)) == .special(.emptyList, reason: reason))
    }

    // §5: `No mapping for <user> on roles [...]` (injected role that does not exist).
    @Test func noMapping() throws {
        let reason = "No mapping for User [name=job] on roles [gone]"
        #expect(try ProbeDenialTests.parse(ProbeDenialTests.forbidden(reason)) == .special(.noMapping, reason: reason))
    }

    // §5 REST-layer NamedRoute check: the reason text with HTTP 401, `any of [a, b]` when several names are accepted.
    @Test func restLayerAnyOf() throws {
        let reason = "no permissions for [any of [cluster:views/read, cluster:views/write]] and \(ProbeDenialTests.user)"
        #expect(try ProbeDenialTests.parse(ClusterResponse(status: 401, body: Array(reason.utf8))) == .denied(
            missing: [MissingAction(action: "cluster:views/read", alternatives: ["cluster:views/read", "cluster:views/write"])], form: .restLayer, reason: reason))
    }

    // security-layer-responses.md "Authentication failures": the basic challenge body.
    @Test func unauthorized() throws {
        let response = ClusterResponse(status: 401, headers: [HTTPHeader("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"")], body: Array("Unauthorized".utf8))
        #expect(try ProbeDenialTests.parse(response) == .unauthenticated(status: 401))
    }

    // security-layer-responses.md "_bulk": item failures inside a 200, with the item's index.
    @Test func bulkItemErrors() throws {
        let reason = "no permissions for [indices:admin/create] and \(ProbeDenialTests.user)"
        let body = "{\"took\":1,\"errors\":true,\"items\":[{\"index\":{\"_index\":\"a\",\"status\":201}},{\"index\":{\"_index\":\"b\",\"_id\":\"2\",\"status\":403,\"error\":{\"type\":\"security_exception\",\"reason\":\"\(reason)\"}}}]}"
        #expect(try ProbeDenialTests.parse(ClusterResponse(status: 200, body: Array(body.utf8)), "POST _bulk\n{\"index\":{\"_index\":\"b\"}}\n{}") == .denied(
            missing: [MissingAction(action: "indices:admin/create", index: "b")], form: .items, reason: reason))
    }

    // "_msearch": denied items are error objects in `responses`, tied to their header's index.
    @Test func multiSearchItemErrors() throws {
        let reason = "no permissions for [indices:data/read/search] and \(ProbeDenialTests.user)"
        let body = "{\"took\":1,\"responses\":[{\"hits\":{}},{\"error\":{\"type\":\"security_exception\",\"reason\":\"\(reason)\"},\"status\":403}]}"
        let request = "POST _msearch\n{\"index\":\"a\"}\n{}\n{\"index\":\"b\"}\n{}"
        #expect(try ProbeDenialTests.parse(ClusterResponse(status: 200, body: Array(body.utf8)), request) == .denied(
            missing: [MissingAction(action: "indices:data/read/search", index: "b")], form: .items, reason: reason))
    }

    // "_mget": denied docs carry an `error` object.
    @Test func multiGetDocErrors() throws {
        let reason = "no permissions for [indices:data/read/mget[shard]] and \(ProbeDenialTests.user)"
        let body = "{\"docs\":[{\"_index\":\"o\",\"_id\":\"7\",\"error\":{\"type\":\"security_exception\",\"reason\":\"\(reason)\"}}]}"
        #expect(try ProbeDenialTests.parse(ClusterResponse(status: 200, body: Array(body.utf8)), "POST _mget\n{\"docs\":[{\"_index\":\"o\",\"_id\":\"7\"}]}") == .denied(
            missing: [MissingAction(action: "indices:data/read/mget[shard]", index: "o")], form: .items, reason: reason))
    }

    // "Dry-run permission check" (3.2+).
    @Test func permissionCheck() throws {
        let denied = ClusterResponse(status: 200, body: Array("{\"accessAllowed\":false,\"missingPrivileges\":[\"cluster:monitor/health\"]}".utf8))
        #expect(try ProbeDenialTests.parse(denied) == .denied(missing: [MissingAction(action: "cluster:monitor/health")], form: .permissionCheck,
                                                                reason: "missingPrivileges [\"cluster:monitor/health\"]"))
        let allowed = ClusterResponse(status: 200, body: Array("{\"accessAllowed\":true,\"missingPrivileges\":[]}".utf8))
        #expect(try ProbeDenialTests.parse(allowed) == .authorized(status: 200))
    }

    // "Security REST API": the gate's envelope.
    @Test func restAPIGate() throws {
        let message = "No permission to access REST API: User probe with Security roles [r] does not have any role privileged for admin access. No ssl info found in request."
        let response = ClusterResponse(status: 403, body: Array("{\"status\":\"FORBIDDEN\",\"message\":\"\(message)\"}".utf8))
        #expect(try ProbeDenialTests.parse(response) == .special(.restAPIGate, reason: message))
    }

    @Test func unknownDenialKeepsTheRawBody() throws {
        #expect(try ProbeDenialTests.parse(ClusterResponse(status: 403, body: Array("Forbidden by proxy".utf8))) == .unparseable(status: 403, body: "Forbidden by proxy"))
        #expect(try ProbeDenialTests.parse(ClusterResponse(status: 404, body: Array("{}".utf8))) == .authorized(status: 404))
    }

    // Console tags: the comment lines directly above a request (a blank line ends a block).
    @Test func commentTags() throws {
        let text = "# header\n\n# expect: deny\n# index-scope: logs-*, audit-*\nGET a/_search\n{}\n# index-scope: b-*\nGET b/_search\n\nGET c/_search\n"
        let requests = try ConsoleParser.parse(text, file: "t")
        #expect(requests.map(\.comments) == [["expect: deny", "index-scope: logs-*, audit-*"], ["index-scope: b-*"], []])
        let tags = ProbeTags(requests[0].comments)
        #expect(tags.expectDeny)
        #expect(tags.indexScope == ["logs-*", "audit-*"])
    }
}
