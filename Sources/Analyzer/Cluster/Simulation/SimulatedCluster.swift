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
        /// Why the plugin would refuse to load this configuration (a custom entry named like a
        /// built-in one before 3.4); while non-empty every request gets 503.
        let loadErrors: [Diagnostic]

        init(documents: SecurityDocuments, config: SecurityConfig, evaluator: Evaluator, loadErrors: [Diagnostic]) {
            self.documents = documents
            self.config = config
            self.evaluator = evaluator
            self.loadErrors = loadErrors
        }
    }

    struct State {
        var snapshot: Snapshot
        var metadata: ClusterMetadata
        /// Document ids per index, for reads, updates and deletes of single documents.
        var documentIDs: [String: Set<String>]
        /// Mapped field paths of the indices created while serving (their mapping is known from
        /// the start); indices that existed at start have none here, their mapping is unknown.
        var mappedFields: [String: Set<String>] = [:]
        /// The metadata changed since the evaluator was built.
        var metadataChanged = false
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
        planner = RequestPlanner(catalog: catalog, settings: settings)
        let start = metadata ?? ClusterMetadata()
        let snapshot = try SimulatedCluster.snapshot(documents, catalog: catalog, settings: settings, metadata: start)
        state = Mutex(State(snapshot: snapshot, metadata: start, documentIDs: [:]))
    }

    /// Reads a securityadmin directory and serves it.
    public convenience init(configDirectory: String, catalog: Catalog, settings: NodeSettings = NodeSettings(),
                            metadata: ClusterMetadata? = nil, adminDNs: [String] = [], hasher: any PasswordHasher = SystemCryptHasher()) throws(InputError) {
        let documents = try SecurityDocuments.read(directory: configDirectory, profile: catalog.profile)
        try self.init(documents: documents, catalog: catalog, settings: settings, metadata: metadata, adminDNs: adminDNs, hasher: hasher)
    }

    static func snapshot(_ documents: SecurityDocuments, catalog: Catalog, settings: NodeSettings, metadata: ClusterMetadata) throws(InputError) -> Snapshot {
        let config = try documents.config(profile: catalog.profile)
        let evaluator = Evaluator(config: config, catalog: catalog, settings: settings, metadata: metadata)
        let loadErrors = config.withStatics(from: catalog).diagnostics.filter { $0.severity == .error }
        return Snapshot(documents: documents, config: config, evaluator: evaluator, loadErrors: loadErrors)
    }

    /// The configuration in force, its evaluator rebuilt first when indices or aliases changed.
    var current: Snapshot {
        let catalog = catalog, settings = settings
        return state.withLock { state in
            if state.metadataChanged {
                let old = state.snapshot
                let evaluator = Evaluator(config: old.config, catalog: catalog, settings: settings, metadata: state.metadata)
                state.snapshot = Snapshot(documents: old.documents, config: old.config, evaluator: evaluator, loadErrors: old.loadErrors)
                state.metadataChanged = false
            }
            return state.snapshot
        }
    }

    /// Why the configuration in force does not load on the target release (then every request is
    /// answered 503 "… Security not initialized."); empty when it loads.
    public var initializationProblems: [Diagnostic] { current.loadErrors }

    /// The security index documents in force (after any REST API change).
    public var documents: SecurityDocuments { current.documents }

    /// What exists now: the start metadata plus indices created and minus indices deleted.
    public var metadata: ClusterMetadata { state.withLock { $0.metadata } }

    // MARK: answering

    public func respond(to request: ClusterRequest, peer: PeerIdentity) -> SimulatedExchange {
        if let unauthenticated = health(request, peer: peer) { return unauthenticated }
        let snapshot = current
        if !snapshot.loadErrors.isEmpty {
            // BackendRegistry: the security index did not load, nothing is authenticated.
            let message = "\(behaviour.isOpenDistro ? "Open Distro" : "OpenSearch") Security not initialized."
            let response = Responses.text(503, message)
            return SimulatedExchange(response: response, log: SimulationLogEntry(
                user: nil, method: request.method, path: request.path, route: nil, actionsChecked: [],
                outcome: .invalid, status: 503, forbiddenMessage: message))
        }
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

    /// `{prefix}/health` and `{prefix}/whoami` answer without authentication (SecurityRestUtils:
    /// the plugin skips authentication for these suffixes). whoami reads the TLS peer only:
    /// `SecurityWhoAmIAction` (node certificate DNs are not modelled: always false).
    private func health(_ request: ClusterRequest, peer: PeerIdentity) -> SimulatedExchange? {
        guard ["GET", "POST"].contains(request.method) else { return nil }
        let response: ClusterResponse
        let route: String
        if behaviour.prefixes.contains(where: { request.path == $0 + "/health" }) {
            route = "\(request.method) {prefix}/health"
            response = Responses.json(200, .object([("message", .null), ("mode", .string("strict")), ("status", .string("UP"))]))
        } else if behaviour.prefixes.contains(where: { request.path == $0 + "/whoami" }) {
            route = "\(request.method) {prefix}/whoami"
            if peer.isTLS {
                let dn = peer.clientCertificateDN
                let isAdmin = dn.flatMap(DistinguishedName.init).map { authenticator.adminDNs.contains($0) } ?? false
                response = Responses.json(200, .object([("dn", dn.map(JSON.string) ?? .null), ("is_admin", .bool(isAdmin)),
                                                        ("is_node_certificate_request", .bool(false))]))
            } else {
                response = Responses.text(403, "No security data")
            }
        } else {
            return nil
        }
        return SimulatedExchange(response: response, log: SimulationLogEntry(
            user: nil, method: request.method, path: request.path, route: route, actionsChecked: [],
            outcome: response.status == 200 ? .allowed : .denied, status: response.status, forbiddenMessage: nil))
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
            state.metadataChanged = false
        }
    }
}
