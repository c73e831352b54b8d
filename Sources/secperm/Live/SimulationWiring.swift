import Analyzer
import ArgumentParser
import PermissionCatalog

/// Builds the simulated cluster `simulate` serves; a broken configuration ends the command with
/// the loader's file:line diagnostics and exit 2.
enum SimulationWiring {
    /// `hashCost`: bcrypt cost of passwords set through the Security REST API (the plugin's 12 by default).
    static func cluster(configDirectory: String, profile: TargetProfile, context: ClusterContextOptions, adminDNs: [String],
                        hashCost: Int = 12) throws -> SimulatedCluster {
        do {
            let settings = try InputFiles.nodeSettings(path: context.opensearchYML, overrides: context.settings, profile: profile)
            let metadata = try context.clusterMetadata.map(InputFiles.clusterMetadata(path:))
            // Admin certificates: plugins.security.authcz.admin_dn of --opensearch-yml, plus --admin-dn.
            let admins = try SimulatedCluster.adminDNs(settingsFile: context.opensearchYML, profile: profile) + adminDNs
            let cluster = try SimulatedCluster(configDirectory: configDirectory, catalog: Catalog(profile: profile), settings: settings, metadata: metadata,
                                               adminDNs: admins, hasher: SystemCryptHasher(cost: hashCost))
            // As on a real node: a configuration the release cannot load leaves security
            // uninitialized, and every request is answered 503. Say why, once, at start.
            Diagnostics.printToStandardError(cluster.initializationProblems)
            return cluster
        } catch {
            Diagnostics.printToStandardError(error.diagnostics)
            throw ExitStatus.inputError.exitCode
        }
    }

    /// `delay` (seconds, hidden `--response-delay`) holds every answer back that long.
    static func responder(_ cluster: SimulatedCluster, delay: Double = 0) -> SimulateResponder {
        let pause = UInt64(HTTPCluster.nanoseconds(delay))
        return { request, peer in
            if pause > 0 { try? await Task.sleep(nanoseconds: pause) }
            let exchange = cluster.respond(to: request, peer: peer)
            return (exchange.response, exchange.log.jsonLine)
        }
    }
}
