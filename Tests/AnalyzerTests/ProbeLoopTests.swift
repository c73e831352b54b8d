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
