@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

/// In-process probe runs against the simulated cluster of Tests/Fixtures/simulate.
enum ProbeFixture {
    static let adminDN = "CN=kirk,OU=client,O=client,L=test,C=de"
    static let sets = Paths.fixtures.appendingPathComponent("probe/sets")
    static let metadata = ClusterMetadata(indices: ["test-index", "logs-2024.01.01", "products", "orders", "orders-2023", "source-index"])
    static let targets = ["opendistro-1.13", "opensearch-2.11", "opensearch-2.19", "opensearch-3.2"]

    static func cluster(_ target: String) throws -> SimulatedCluster {
        let profile = try #require(TargetProfile(parsing: target))
        let documents = try SecurityDocuments.read(directory: Simulation.fixture, profile: profile)
        return try SimulatedCluster(documents: documents, catalog: Catalog(profile: profile), metadata: metadata, adminDNs: [adminDN],
                                    hasher: SystemCryptHasher(cost: 4))
    }

    static func loop(_ cluster: SimulatedCluster, allowWrites: Bool = true, scope: [String] = []) -> ProbeLoop {
        var options = ProbeLoop.Options()
        options.allowWrites = allowWrites
        options.metadata = metadata
        options.indexScope = scope
        return ProbeLoop(admin: cluster.inProcess(peer: PeerIdentity(clientCertificateDN: adminDN, remoteAddress: "127.0.0.1:40000", isTLS: true)),
                         user: cluster.inProcess(peer: PeerIdentity(remoteAddress: "127.0.0.1:40001", isTLS: true)),
                         catalog: cluster.catalog, options: options)
    }

    static func requests(_ set: String) throws -> [ConsoleRequest] {
        let text = try String(contentsOf: sets.appendingPathComponent(set + ".txt"), encoding: .utf8)
        return try ConsoleParser.parse(text, file: set)
    }

    static func probe(_ set: String, target: String, allowWrites: Bool = true) async throws -> (ProbeResult, SimulatedCluster) {
        let cluster = try cluster(target)
        return (try await loop(cluster, allowWrites: allowWrites).run(try requests(set)), cluster)
    }

    /// The security configuration in force, as securityadmin files (a REST API write stores full
    /// models, so the documents' raw form changes even when their content does not).
    static func securityState(_ cluster: SimulatedCluster) throws -> [String] {
        let config = try cluster.documents.config(profile: cluster.catalog.profile)
        return try ConfigWriter(config).securityadminFiles().map { $0.fileName + "\n" + $0.text }
    }

    static func grants(_ role: Role) -> [String] {
        role.clusterPermissions.map { "cluster \($0.value)" }
            + role.indexPermissions.flatMap { entry in entry.allowedActions.map { "\(entry.indexPatterns.map(\.value).joined(separator: ",")) \($0.value)" } }
    }
}

@Suite("Probe loop (in process)")
struct ProbeLoopTests {
    // Seed 004 ("Test permissions"): the bulk example needs cluster bulk, and bulk[s], delete,
    // index, update on test-index (security-layer-responses.md "_bulk"; semantics §2.4).
    @Test(arguments: ProbeFixture.targets)
    func bulkExampleConvergesInOneReplay(target: String) async throws {
        let (result, _) = try await ProbeFixture.probe("bulk-example", target: target)
        #expect(result.converged)
        #expect(result.replays == 1)
        #expect(result.requestsSent == 1)
        #expect(ProbeFixture.grants(result.role) == [
            "cluster indices:data/write/bulk",
            "test-index indices:data/write/bulk[s]", "test-index indices:data/write/delete",
            "test-index indices:data/write/index", "test-index indices:data/write/update",
        ])
    }
}

/// The one-403-at-a-time loop people run by hand (seed 004, "Test permissions"): real requests
/// only, starting from an empty role, adding what each 403 names on the request's index, resending.
enum NaiveLoop {
    static func run(_ cluster: SimulatedCluster, requests: [ConsoleRequest]) async throws -> Int {
        let loop = ProbeFixture.loop(cluster)
        var scratch = ProbeLoop.Scratch(user: "naive-user", role: "naive_role", password: "Naive-pass-123!")
        var grants = ProbeGrants()
        try await loop.setUp(&scratch, grants: grants)
        var sent = 0
        for request in requests where !ProbeTags(request.comments).expectDeny {
            let item = loop.item(request)
            for _ in 0..<12 {
                let answer = try await loop.send(item, mode: .real, scratch: scratch)
                sent += 1
                guard case .denied(let missing, _, let reason) = answer else { break }
                let before = grants
                for entry in missing {
                    grants.add(loop.need(for: entry, in: item, evidence: .denial(reason)))
                }
                if grants == before { break }
                try await loop.putRole(scratch.role, grants: grants, step: "update")
            }
        }
        _ = await loop.cleanUp(scratch)
        return sent
    }
}

@Suite("Probe loop: request sets per release", .serialized)
struct ProbeRequestSetTests {
    static let sets = ["log-shipper", "search-app", "dashboard-reader", "index-admin", "snapshot-restore", "reindex", "cat-monitoring", "bulk-example"]
    /// (replays, requests sent as the scratch user) per set: one replay where the planner's
    /// prediction is complete; reindex to a new index learns auto-create (`indices:admin/create` on
    /// dest-index) in a second one. Must-deny checks count when sent: a must-deny write is sent only
    /// as a dry run (3.2+, single check: log-shipper's DELETE index), else decided by the evaluator.
    static func expected(_ set: String, target: String) -> (replays: Int, sent: Int)? {
        let dryRun = target == "opensearch-3.2"
        let table: [String: (replays: Int, sent: Int)] = [
            "log-shipper": (1, dryRun ? 4 : 3), "search-app": (1, 5), "dashboard-reader": (1, 4), "index-admin": (1, 6),
            "snapshot-restore": (1, 3), "reindex": (2, 2), "cat-monitoring": (1, 6), "bulk-example": (1, 1),
        ]
        return table[set]
    }

    /// Installs `role` for a fresh user on a fresh cluster and replays every request that is not
    /// tagged `expect: deny`: each must pass authorization.
    static func replayWithFreshUser(_ role: Role, target: String, requests: [ConsoleRequest]) async throws -> [String] {
        let cluster = try ProbeFixture.cluster(target)
        let loop = ProbeFixture.loop(cluster)
        var scratch = ProbeLoop.Scratch(user: "fresh-user", role: "fresh_role", password: "Fresh-pass-123!")
        try await loop.setUp(&scratch, grants: ProbeGrants())
        try await loop.putRole("fresh_role", role: role, step: "install")
        var failures: [String] = []
        for request in requests where !ProbeTags(request.comments).expectDeny {
            let answer = try await loop.send(loop.item(request), mode: .real, scratch: scratch)
            if case .authorized = answer { continue }
            failures.append("line \(request.line): \(answer)")
        }
        return failures
    }

    @Test(arguments: ProbeFixture.targets)
    func everySetConvergesSufficesAndLeavesNothingBehind(target: String) async throws {
        var rows: [String] = []
        for set in ProbeRequestSetTests.sets {
            let requests = try ProbeFixture.requests(set)
            let cluster = try ProbeFixture.cluster(target)
            let before = try ProbeFixture.securityState(cluster)
            let result = try await ProbeFixture.loop(cluster).run(requests)
            #expect(result.converged, "\(set) on \(target): \(result.requests.map(\.status))")
            #expect(result.replays == ProbeRequestSetTests.expected(set, target: target)?.replays, "\(set) on \(target)")
            #expect(result.requestsSent == ProbeRequestSetTests.expected(set, target: target)?.sent, "\(set) on \(target)")
            #expect(result.mustDenyViolations.isEmpty)
            #expect(result.cleanupProblems.isEmpty)
            #expect(try ProbeFixture.securityState(cluster) == before, "\(set) on \(target): security state changed")
            let failures = try await ProbeRequestSetTests.replayWithFreshUser(result.role, target: target, requests: requests)
            #expect(failures.isEmpty, "\(set) on \(target): \(failures)")
            let naive = try await NaiveLoop.run(try ProbeFixture.cluster(target), requests: requests)
            let size = requests.count
            rows.append("| \(target) | \(set) | \(size) | \(result.replays) | \(result.requestsSent) | \(naive) |")
        }
        print(rows.joined(separator: "\n"))
    }
}
