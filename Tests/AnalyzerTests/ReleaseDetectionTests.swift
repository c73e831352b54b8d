import Analyzer
import PermissionCatalog
import Testing

/// Release detection from `GET /` and the answering security prefix. Rules from
/// shared/reference/security-layer-responses.md "`GET /`" (OpenSearch names its distribution; Open
/// Distro 1.13 answers as Elasticsearch 7.10.2 and serves only /_opendistro/_security) and
/// opensearch-security-semantics.md §8 (flavors).
@Suite struct ReleaseDetectionTests {
    static let plugins = ReleaseDetection.pluginsPrefix
    static let opendistro = ReleaseDetection.opendistroPrefix

    struct Row: Sendable, CustomTestStringConvertible {
        let root: RootInfo?
        var rootForbidden = false
        let answering: Set<String>
        let expected: Result<(String, String), ReleaseDetectionFailure>
        var testDescription: String { "\(root?.distribution ?? "-") \(root?.number ?? "-") \(answering.sorted())" }
    }

    static let rows: [Row] = [
        Row(root: RootInfo(distribution: "opensearch", number: "2.19.1"), answering: [plugins], expected: .success(("opensearch-2.19", plugins))),
        Row(root: RootInfo(distribution: "opensearch", number: "2.11.0"), answering: [plugins, opendistro], expected: .success(("opensearch-2.11", plugins))),
        Row(root: RootInfo(distribution: "opensearch", number: "3.2.0"), answering: [plugins], expected: .success(("opensearch-3.2", plugins))),
        Row(root: RootInfo(distribution: "opensearch", number: "1.3.20"), answering: [opendistro], expected: .success(("opensearch-1.3", opendistro))),
        Row(root: RootInfo(distribution: "lucenia", number: "0.8.1"), answering: [plugins], expected: .success(("lucenia-0.8", plugins))),
        Row(root: RootInfo(distribution: nil, number: "7.10.2", tagline: "You Know, for Search"), answering: [opendistro], expected: .success(("opendistro-1.13", opendistro))),
        Row(root: RootInfo(distribution: nil, number: "7.10.2"), answering: [plugins, opendistro], expected: .failure(.versionHidden(number: "7.10.2"))),
        Row(root: RootInfo(distribution: "opensearch", number: "7.10.2"), answering: [plugins], expected: .failure(.versionHidden(number: "7.10.2"))),
        Row(root: RootInfo(distribution: nil, number: "7.17.3"), answering: [opendistro], expected: .failure(.elasticsearch(number: "7.17.3"))),
        Row(root: RootInfo(distribution: "opensearch", number: "2.19.1"), answering: [], expected: .failure(.noSecurityPlugin)),
        Row(root: nil, answering: [plugins], expected: .failure(.rootUnreadable)),
        Row(root: nil, rootForbidden: true, answering: [opendistro], expected: .failure(.rootForbidden)),
        Row(root: RootInfo(distribution: "elasticsearch", number: "8.1.0"), answering: [plugins], expected: .failure(.unknownDistribution("elasticsearch"))),
    ]

    @Test(arguments: rows)
    func detects(_ row: Row) {
        let result = ReleaseDetection.detect(root: row.root, rootForbidden: row.rootForbidden, answering: row.answering)
        switch (result, row.expected) {
        case (.success(let release), .success(let expected)):
            #expect(release.profile.name == expected.0)
            #expect(release.restPrefix == expected.1)
        case (.failure(let failure), .failure(let expected)):
            #expect(failure == expected)
        default:
            Issue.record("got \(result), expected \(row.expected)")
        }
    }

    @Test func rootBodyIsRead() throws {
        let body = Array(#"{"name":"n","version":{"distribution":"opensearch","number":"2.19.1"},"tagline":"The OpenSearch Project: https://opensearch.org/"}"#.utf8)
        #expect(RootInfo(body: body) == RootInfo(distribution: "opensearch", number: "2.19.1", tagline: "The OpenSearch Project: https://opensearch.org/"))
        #expect(RootInfo(body: Array("Unauthorized".utf8)) == nil)
    }

    @Test func openDistroIsProbedFirstWhenRootLooksLikeElasticsearch710() {
        #expect(ReleaseDetection.prefixesToProbe(root: RootInfo(distribution: nil, number: "7.10.2")) == [Self.opendistro, Self.plugins])
        #expect(ReleaseDetection.prefixesToProbe(root: RootInfo(distribution: "opensearch", number: "2.19.0")) == [Self.plugins, Self.opendistro])
        #expect(ReleaseDetection.prefixesToProbe(root: nil) == [Self.plugins, Self.opendistro])
    }

    /// On Open Distro `/_plugins/_security/authinfo` reaches the index layer (a 403 or 404), which
    /// must not count as the security plugin answering.
    @Test func onlyAnAuthinfoBodyCountsAsAnswer() {
        #expect(ReleaseDetection.securityAnswered(status: 200, body: Array(#"{"user_name":"admin","roles":[]}"#.utf8)))
        #expect(!ReleaseDetection.securityAnswered(status: 403, body: Array(#"{"error":{"type":"security_exception"}}"#.utf8)))
        #expect(!ReleaseDetection.securityAnswered(status: 200, body: Array(#"{"_index":"_plugins","found":false}"#.utf8)))
    }
}

/// Statuses every live command treats alike (security-layer-responses.md "Authentication failures").
@Suite struct ClusterResponseCheckTests {
    @Test func unauthorizedNamesTheUser() {
        #expect(throws: ClusterError.unauthorized(user: "bob")) {
            try ClusterError.check(ClusterResponse(status: 401, body: Array("Unauthorized".utf8)), path: "/", user: "bob", allowing: [200])
        }
    }

    @Test func securityNotInitialized() {
        #expect(throws: ClusterError.securityNotInitialized(endpoint: "/")) {
            try ClusterError.check(ClusterResponse(status: 503, body: Array("OpenSearch Security not initialized.".utf8)), path: "/", user: nil, allowing: [200])
        }
    }

    @Test func otherStatusesOutsideTheAllowedSetCarryAnExcerpt() {
        #expect(throws: ClusterError.unexpectedResponse(status: 500, path: "/x", excerpt: "boom")) {
            try ClusterError.check(ClusterResponse(status: 500, body: Array("boom\nmore".utf8)), path: "/x", user: nil, allowing: [200])
        }
    }
}
