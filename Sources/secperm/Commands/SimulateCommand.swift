import Analyzer
import ArgumentParser
import Foundation
import NIOSSL
import PermissionCatalog
import Synchronization

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a loopback cluster that answers exactly like the security plugin.",
        discussion: """
            Listens on 127.0.0.1 only. Authenticates by basic auth against the internal users' hashes and by the admin certificate (--admin-dn), serves GET /, authinfo, the Security REST API and the data-plane routes for --target, decided by secperm's planner and evaluator.

            The first line on stdout is JSON: {"listening":"https://127.0.0.1:PORT",…}, so scripts can use --port 0. A request log (JSON lines) goes to stderr or --log FILE; --record FILE appends every request in Dev Tools console syntax. SIGINT or SIGTERM stops it.

            Examples:
              secperm simulate --config ./securityconfig --port 9200
              secperm simulate --config ./securityconfig --port 0 --tls-cert node.pem \\
                  --tls-key node-key.pem --tls-ca ca.pem --admin-dn 'CN=admin,OU=ops,O=example'

            Exit status: 0 stopped by a signal, 2 bad options or configuration (with file:line).
            """)

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var target: TargetOption
    @OptionGroup var context: ClusterContextOptions

    @Option(name: .long, help: ArgumentHelp("Port on 127.0.0.1 (0: any free port).", valueName: "n"))
    var port: Int = 9200

    @Option(name: .long, help: ArgumentHelp("Serve HTTPS with this certificate (PEM); needs --tls-key.", valueName: "pem"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("Private key of --tls-cert (PEM).", valueName: "pem"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("CA that signs client certificates; with it, clients may present one.", valueName: "pem"))
    var tlsCa: String?

    @Option(name: .long, help: ArgumentHelp("Subject DN of an admin (super admin) certificate, RFC 2253 (repeatable); added to authcz.admin_dn of --opensearch-yml.", valueName: "dn"))
    var adminDn: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the request log (JSON lines) to this file instead of stderr.", valueName: "file"))
    var log: String?

    @Option(name: .long, help: ArgumentHelp("Append every request to this file in Dev Tools console syntax.", valueName: "file"))
    var record: String?

    /// For tests that must act while a client is midway (the probe's SIGTERM test): every answer
    /// waits this long. Not for users, so not in --help.
    @Option(name: .customLong("response-delay"), help: .hidden)
    var responseDelay: Double = 0

    /// bcrypt cost of passwords set through the Security REST API. Tests that create many users
    /// lower it (the plugin's default 12 costs a noticeable fraction of a second per user).
    @Option(name: .customLong("hash-cost"), help: .hidden)
    var hashCost = 12

    func validate() throws {
        if !(4...31).contains(hashCost) { throw ValidationError("--hash-cost must be between 4 and 31") }
        if !(responseDelay >= 0 && responseDelay <= 60) { throw ValidationError("--response-delay must be between 0 and 60 seconds") }
        if configOption.config == nil { throw ValidationError("--config is required: the security configuration to serve") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCa != nil && tlsCert == nil { throw ValidationError("--tls-ca needs --tls-cert and --tls-key (client certificates need HTTPS)") }
    }

    func run() async throws {
        let profile = target.target
        let cluster = try SimulationWiring.cluster(configDirectory: configOption.config ?? "", profile: profile, context: context, adminDNs: adminDn, hashCost: hashCost)
        let responder = SimulationWiring.responder(cluster, delay: responseDelay)
        let tls = try serverTLS()
        let events = try SimulateEvents(logPath: log, recordPath: record)
        let server = SimulateServer(tls: tls, responder: responder, events: events)
        let scheme = tls == nil ? "http" : "https"
        // Signals are taken over before the listening line is printed: a script may send one
        // as soon as it has read that line.
        let handle = ServingHandle()
        let stop = SignalStop { handle.cancel() }
        defer { withExtendedLifetime(stop) {} }
        let serving = Task {
            try await server.run(port: port) { bound in
                emit(SimulateBanner.line(url: "\(scheme)://127.0.0.1:\(bound)", profile: profile, clientCertificates: tlsCa != nil))
            }
        }
        handle.set(serving)
        do {
            try await serving.value
        } catch is CancellationError {
            return
        } catch {
            if serving.isCancelled { return }
            throw CommandFailure.input("cannot serve on 127.0.0.1:\(port): \(error)")
        }
    }

    private func serverTLS() throws(LiveInputError) -> NIOSSLContext? {
        guard let tlsCert, let tlsKey else { return nil }
        let chain = try TLSMaterial.certificates(tlsCert, option: "--tls-cert")
        let key = try TLSMaterial.privateKey(tlsKey, option: "--tls-key")
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        if let tlsCa {
            configuration.trustRoots = .certificates(try TLSMaterial.certificates(tlsCa, option: "--tls-ca"))
            // Ask for a client certificate, verify it when one comes, accept connections without.
            configuration.certificateVerification = .optionalVerification
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw LiveInputError("--tls-key \(tlsKey): does not match --tls-cert \(tlsCert) (\(error))")
        }
    }
}

/// The serving task, cancelled by a signal that may arrive before the task exists.
final class ServingHandle: Sendable {
    private let state = Mutex<(task: Task<Void, Error>?, cancelled: Bool)>((nil, false))

    func set(_ task: Task<Void, Error>) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// The first stdout line of `simulate`.
enum SimulateBanner {
    static func line(url: String, profile: TargetProfile, clientCertificates: Bool) -> String {
        struct Banner: Encodable {
            let listening: String
            let target: String
            let clientCertificates: Bool
            let pid: Int32
        }
        return JSONOutput.line(Banner(listening: url, target: profile.name, clientCertificates: clientCertificates, pid: ProcessInfo.processInfo.processIdentifier))
    }
}
