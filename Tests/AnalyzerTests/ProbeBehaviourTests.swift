@testable import Analyzer
import Foundation
import PermissionCatalog
import Synchronization
import Testing

/// A channel that records what it sends, and can cancel the running task at the n-th request
/// (what SIGTERM does to the CLI's probe task).
final class RecordingCluster: Cluster {
    let inner: SimulatedCluster.InProcess
    let cancelAt: Int?
    let sent = Mutex<[ClusterRequest]>([])

    init(_ inner: SimulatedCluster.InProcess, cancelAt: Int? = nil) {
        self.inner = inner
        self.cancelAt = cancelAt
    }

    func send(_ request: ClusterRequest) async throws -> ClusterResponse {
        let count = sent.withLock { $0.append(request); return $0.count }
        if count == cancelAt { withUnsafeCurrentTask { $0?.cancel() } }
        return try await inner.send(request)
    }
}

@Suite("Probe loop: behaviour", .serialized)
struct ProbeBehaviourTests {
    static func loop(_ cluster: SimulatedCluster, user: any Cluster, allowWrites: Bool = true) -> ProbeLoop {
        var options = ProbeLoop.Options()
        options.allowWrites = allowWrites
        options.metadata = ProbeFixture.metadata
        return ProbeLoop(admin: cluster.inProcess(peer: PeerIdentity(clientCertificateDN: ProbeFixture.adminDN, remoteAddress: "127.0.0.1:40000", isTLS: true)),
                         user: user, catalog: cluster.catalog, options: options)
    }

    static func userChannel(_ cluster: SimulatedCluster, cancelAt: Int? = nil) -> RecordingCluster {
        RecordingCluster(cluster.inProcess(peer: PeerIdentity(remoteAddress: "127.0.0.1:40001", isTLS: true)), cancelAt: cancelAt)
    }

    // Semantics §5: before 2.19 the list holds every required index action of the failing check,
    // granted or not; only the ones the installed role lacks (evaluator re-check) are added.
    @Test func pre219ListTakesOnlyWhatIsMissing() throws {
        let cluster = try ProbeFixture.cluster("opensearch-2.11")
        let loop = ProbeBehaviourTests.loop(cluster, user: ProbeBehaviourTests.userChannel(cluster))
        let request = try #require(try ConsoleParser.parse("POST _bulk\n{\"delete\":{\"_index\":\"test-index\",\"_id\":\"1\"}}\n", file: "t").first)
        var item = loop.item(request)
        item.needs = []
        var installed = ProbeGrants()
        installed.add(ProbeGrantNeed(action: "indices:data/write/bulk[s]", level: .index, patterns: ["test-index"], checked: ["test-index"], evidence: .predicted))
        let reason = "no permissions for [indices:data/write/delete, indices:data/write/bulk[s]] and User [name=x, backend_roles=[], requestedTenant=null]"
        loop.learn(.denied(missing: [MissingAction(action: "indices:data/write/delete"), MissingAction(action: "indices:data/write/bulk[s]")], form: .transport, reason: reason),
                   into: &item, installed: installed)
        #expect(item.needs.map(\.action) == ["indices:data/write/delete"])
        #expect(item.needs.map(\.patterns) == [["test-index"]])
        #expect(item.status == nil)
        // A denial naming only what is granted is not retried.
        var again = loop.item(request)
        again.needs = []
        loop.learn(.denied(missing: [MissingAction(action: "indices:data/write/bulk[s]")], form: .transport, reason: reason), into: &again, installed: installed)
        #expect(again.status == .unparseable(status: 403, body: reason))
    }

    // Issue 11 "Must-deny": a tagged request the grown role allows is reported and breaks convergence.
    @Test func mustDenyViolation() async throws {
        let cluster = try ProbeFixture.cluster("opensearch-2.19")
        let text = "POST _bulk\n{\"delete\":{\"_index\":\"test-index\",\"_id\":\"1\"}}\n\n# expect: deny\nDELETE test-index/_doc/1\n"
        let result = try await ProbeBehaviourTests.loop(cluster, user: ProbeBehaviourTests.userChannel(cluster)).run(try ConsoleParser.parse(text, file: "t"))
        #expect(result.requests.map(\.status) == [.passed(200), .mustDenyViolated])
        #expect(result.mustDenyViolations.map(\.request.line) == [5])
        #expect(!result.converged)
        // The write was decided by the evaluator, not sent: one request went out (the bulk).
        #expect(result.requestsSent == 1)
    }

    // Issue 11 "Writes": without --allow-writes a write the dry run cannot see is not sent.
    @Test func writesNeedAllowWrites() async throws {
        let cluster = try ProbeFixture.cluster("opensearch-2.11")
        let channel = ProbeBehaviourTests.userChannel(cluster)
        let result = try await ProbeBehaviourTests.loop(cluster, user: channel, allowWrites: false).run(try ProbeFixture.requests("bulk-example"))
        #expect(result.requests.map(\.status) == [.needsAllowWrites])
        #expect(!result.converged)
        #expect(result.requestsSent == 0)
        #expect(channel.sent.withLock { $0.count } == 0)
    }

    // Security-layer-responses.md "Dry-run permission check": on 3.2+ single-check requests go as
    // dry runs (even writes, without --allow-writes); msearch/mget are sent for real.
    @Test func dryRunOn32() async throws {
        let cluster = try ProbeFixture.cluster("opensearch-3.2")
        let channel = ProbeBehaviourTests.userChannel(cluster)
        let result = try await ProbeBehaviourTests.loop(cluster, user: channel, allowWrites: false).run(try ProbeFixture.requests("index-admin"))
        #expect(result.converged)
        let queries = channel.sent.withLock { $0.map { $0.query ?? "" } }
        #expect(queries == Array(repeating: "perform_permission_check=true", count: 6))
        #expect(cluster.metadata.indices.contains("orders-2024") == false)
        let search = ProbeBehaviourTests.userChannel(cluster)
        _ = try await ProbeBehaviourTests.loop(cluster, user: search).run(try ProbeFixture.requests("search-app"))
        #expect(search.sent.withLock { $0.map { "\($0.method) \($0.path) \($0.query ?? "")" } } == [
            "GET /products/_search q=title:shoes&perform_permission_check=true", "POST /products/_search perform_permission_check=true",
            "GET /products/_doc/1 perform_permission_check=true", "POST /_msearch ", "POST /_mget ",
        ])
        // The must-deny single-document write (auto-create unseen by the dry run) was decided by the evaluator.
    }

    // Leave-one-out (issue 11 "Result"): a grant no need depends on is dropped, and of a literal
    // and a wildcard pattern covering the same need the wildcard goes.
    @Test func leaveOneOutDropsTheBroaderDuplicate() throws {
        let checker = ProbeGrantChecker(catalog: Catalog(profile: .default), settings: NodeSettings(), metadata: ProbeFixture.metadata)
        let need = ProbeGrantNeed(action: "indices:data/read/search", level: .index, patterns: ["products"], checked: ["products"], evidence: .predicted)
        var grants = ProbeGrants([need])
        grants.add(ProbeGrantNeed(action: "indices:data/read/search", level: .index, patterns: ["prod*"], checked: [], evidence: .predicted))
        grants.add(ProbeGrantNeed(action: "cluster:monitor/health", level: .cluster, patterns: [], checked: [], evidence: .predicted))
        let (minimal, dropped) = checker.minimize(grants, needs: [need], name: "r")
        #expect(minimal == ProbeGrants([need]))
        #expect(dropped == ["cluster:monitor/health", "indices:data/read/search on prod*"])
    }

    // Issue 11: a probe stopped halfway (SIGTERM cancels the CLI's task) leaves no scratch user,
    // role or mapping.
    @Test func cancelledHalfwayLeavesNothingBehind() async throws {
        let cluster = try ProbeFixture.cluster("opensearch-2.19")
        let before = try ProbeFixture.securityState(cluster)
        let channel = ProbeBehaviourTests.userChannel(cluster, cancelAt: 2)
        let loop = ProbeBehaviourTests.loop(cluster, user: channel)
        await #expect(throws: CancellationError.self) { try await loop.run(try ProbeFixture.requests("cat-monitoring")) }
        #expect(channel.sent.withLock { $0.count } == 2)
        #expect(try ProbeFixture.securityState(cluster) == before)
    }

    // Reindex into a new index: the planner's unconditional checks pass, the cluster then denies
    // auto-create (security-layer-responses.md "_bulk": auto-create of missing target indices), which
    // is granted on the write target only; pre-seeded grants carry the leave-one-out evidence.
    @Test func reindexLearnsAutoCreateOnTheDestinationOnly() async throws {
        let cluster = try ProbeFixture.cluster("opensearch-2.19")
        let result = try await ProbeBehaviourTests.loop(cluster, user: ProbeBehaviourTests.userChannel(cluster)).run(try ProbeFixture.requests("reindex"))
        #expect(result.converged)
        #expect(ProbeFixture.grants(result.role) == [
            "cluster indices:data/write/reindex", "cluster indices:data/read/scroll", "cluster indices:data/read/scroll/clear", "cluster indices:data/write/bulk",
            "source-index indices:data/read/search",
            "dest-index indices:data/write/bulk[s]", "dest-index indices:data/write/index", "dest-index indices:admin/create",
        ])
        let needs = try #require(result.requests.first?.needed)
        let create = try #require(needs.last)
        #expect(create.action == "indices:admin/create")
        #expect(create.indices == ["dest-index"])
        guard case .denial(let reason) = create.evidence else { Issue.record("expected a denial as evidence"); return }
        #expect(reason.hasPrefix("no permissions for [indices:admin/create] and User [name=secperm-probe-"))
        #expect(needs.first?.evidence == .leaveOneOut(missing: ["indices:data/write/reindex"]))
    }
}
