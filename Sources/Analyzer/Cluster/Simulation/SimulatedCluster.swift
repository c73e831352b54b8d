import Foundation
import PermissionCatalog
import Synchronization

/// The logic of `secperm simulate`: a cluster that authenticates, serves the Security REST API and
/// answers data-plane requests with the plugin's decision and exact 403 bodies, for one target
/// release — all over values. The HTTP server around it lives in the executable; tests and engine
/// loops talk to it in process through ``InProcess``.
public final class SimulatedCluster: Sendable {
    public let catalog: Catalog
    public let settings: NodeSettings
    let behaviour: ReleaseBehaviour
    let authenticator: Authenticator
    let hasher: any PasswordHasher
    let planner: RequestPlanner
    let state: Mutex<State>

    /// The configuration in force: documents, the model decoded from them, the evaluator built on it.
    final class Snapshot: Sendable {
        let documents: SecurityDocuments
        let config: SecurityConfig
        let evaluator: Evaluator

        init(documents: SecurityDocuments, config: SecurityConfig, evaluator: Evaluator) {
            self.documents = documents
            self.config = config
            self.evaluator = evaluator
        }
    }

    struct State {
        var snapshot: Snapshot
        var metadata: ClusterMetadata
        /// Document ids per index, for reads, updates and deletes of single documents.
        var documentIDs: [String: Set<String>]
    }

    /// - Parameters:
    ///   - documents: the security index content (password hashes included).
    ///   - catalog: the target profile's catalog.
    ///   - settings: node settings (roles_enabled, system indices …).
    ///   - metadata: indices, aliases and data streams that exist at start.
    ///   - adminDNs: `plugins.security.authcz.admin_dn`.
    public init(documents: SecurityDocuments, catalog: Catalog, settings: NodeSettings = NodeSettings(),
                metadata: ClusterMetadata? = nil, adminDNs: [String] = [], hasher: any PasswordHasher = SystemCryptHasher()) throws(InputError) {
        self.catalog = catalog
        self.settings = settings
        self.hasher = hasher
        let behaviour = ReleaseBehaviour(profile: catalog.profile)
        self.behaviour = behaviour
        var parsedDNs: [DistinguishedName] = []
        for dn in adminDNs {
            guard let parsed = DistinguishedName(dn) else {
                throw InputError(.error("admin DN '\(dn)' is not a distinguished name", hint: "write it as in RFC 2253, e.g. CN=admin,OU=ops,O=acme"))
            }
            parsedDNs.append(parsed)
        }
        authenticator = Authenticator(adminDNs: parsedDNs, hasher: hasher, behaviour: behaviour)
        planner = RequestPlanner(catalog: catalog)
        let start = metadata ?? ClusterMetadata()
        let snapshot = try SimulatedCluster.snapshot(documents, catalog: catalog, settings: settings, metadata: start)
        state = Mutex(State(snapshot: snapshot, metadata: start, documentIDs: [:]))
    }

    /// Reads a securityadmin directory and serves it.
    public convenience init(configDirectory: String, catalog: Catalog, settings: NodeSettings = NodeSettings(),
                            metadata: ClusterMetadata? = nil, adminDNs: [String] = []) throws(InputError) {
        let documents = try SecurityDocuments.read(directory: configDirectory, profile: catalog.profile)
        try self.init(documents: documents, catalog: catalog, settings: settings, metadata: metadata, adminDNs: adminDNs)
    }

    static func snapshot(_ documents: SecurityDocuments, catalog: Catalog, settings: NodeSettings, metadata: ClusterMetadata) throws(InputError) -> Snapshot {
        let config = try documents.config(profile: catalog.profile)
        let evaluator = Evaluator(config: config, catalog: catalog, settings: settings, metadata: metadata)
        return Snapshot(documents: documents, config: config, evaluator: evaluator)
    }

    var current: Snapshot { state.withLock { $0.snapshot } }

    /// The security index documents in force (after any REST API change).
    public var documents: SecurityDocuments { current.documents }

    /// What exists now: the start metadata plus indices created and minus indices deleted.
    public var metadata: ClusterMetadata { state.withLock { $0.metadata } }

    // MARK: answering

    public func respond(to request: ClusterRequest, peer: PeerIdentity) -> SimulatedExchange {
        let snapshot = current
        switch authenticator.authenticate(request, peer: peer, documents: snapshot.documents, config: snapshot.config) {
        case .refused(let response, let reason):
            return SimulatedExchange(response: response, log: SimulationLogEntry(
                user: nil, method: request.method, path: request.path, route: nil, actionsChecked: [],
                outcome: .unauthenticated, status: response.status, forbiddenMessage: reason))
        case .authenticated(let caller):
            let context = RequestContext(request: request, peer: peer, caller: caller, snapshot: snapshot, cluster: self)
            return context.answer()
        }
    }

    /// This cluster as a ``Cluster`` seen from one peer, without sockets.
    public func inProcess(peer: PeerIdentity = PeerIdentity()) -> InProcess {
        InProcess(cluster: self, peer: peer)
    }

    public struct InProcess: Cluster {
        public let cluster: SimulatedCluster
        public let peer: PeerIdentity

        public func send(_ request: ClusterRequest) async throws -> ClusterResponse {
            cluster.respond(to: request, peer: peer).response
        }
    }

    // MARK: state changes

    /// Applies a change to the security documents; the next request sees the rebuilt evaluator.
    func update(_ change: (inout SecurityDocuments) -> Void) throws(InputError) {
        let catalog = catalog, settings = settings
        try state.withLock { (state: inout State) throws(InputError) in
            var documents = state.snapshot.documents
            change(&documents)
            // Rebuilt under the lock so that concurrent writes apply one after the other.
            state.snapshot = try SimulatedCluster.snapshot(documents, catalog: catalog, settings: settings, metadata: state.metadata)
        }
    }
}
