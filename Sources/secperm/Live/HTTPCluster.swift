import Analyzer
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// `Cluster` over HTTP(S) with async-http-client: TLS with a private CA and a client certificate,
/// basic auth, timeouts, retries of idempotent requests, `--max-rate`, and a cap on response size.
/// Failures are thrown as `ClusterError` values. Open one with `HTTPCluster.with(_:_:)`, which
/// shuts the client down afterwards.
final class HTTPCluster: Cluster {
    let url: ClusterURL
    let user: String?
    private let settings: ConnectionSettings
    private let tls: TLSConfiguration?
    private let client: HTTPClient
    private let authorization: String?
    private let retry: RetryPolicy
    private let limiter: RateLimiter?

    private init(url: ClusterURL, settings: ConnectionSettings, tls: TLSConfiguration?, password: String?) {
        self.url = url
        self.user = settings.user
        self.settings = settings
        self.tls = tls
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        configuration.redirectConfiguration = .disallow
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: .nanoseconds(Self.nanoseconds(settings.connectTimeout)), read: .nanoseconds(Self.nanoseconds(settings.requestTimeout)))
        // Connection failures are classified and retried here (idempotent requests only), not
        // retried silently by the pool until the request deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if let user = settings.user {
            authorization = "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        retry = RetryPolicy(retries: max(0, settings.retries))
        limiter = RateLimiter(requestsPerSecond: settings.maxRate)
    }

    /// Checks the settings (URL, password, PEM files), runs `body` with the connection, and shuts
    /// the client down whatever `body` does. `password` is for a user secperm made itself (the
    /// probe's scratch user): given, it is used instead of `settings.password`, and never read
    /// from or shown anywhere else.
    static func with<T: Sendable>(_ settings: ConnectionSettings, password given: String? = nil,
                                  _ body: (HTTPCluster) async throws -> T) async throws -> T {
        let url = try ClusterURL.parse(settings.cluster).get()
        let tlsOptionsGiven = settings.caCertificate != nil || settings.certificate != nil || settings.key != nil
        if !url.isTLS && tlsOptionsGiven {
            throw LiveInputError("\(settings.option("cacert"))/\(settings.option("cert"))/\(settings.option("key")) need an https:// cluster URL, not \(settings.cluster)")
        }
        let tls = url.isTLS ? try TLSMaterial.configuration(for: settings) : nil
        var source = settings.password
        if settings.user != nil, source == .none { source = .prompt }
        let password = try given ?? Password.read(source, user: settings.user ?? "", settings: settings)
        let cluster = HTTPCluster(url: url, settings: settings, tls: tls, password: password)
        do {
            let result = try await body(cluster)
            try? await cluster.client.shutdown()
            return result
        } catch {
            try? await cluster.client.shutdown()
            throw error
        }
    }

    func send(_ request: ClusterRequest) async throws -> ClusterResponse {
        var attempt = 0
        while true {
            if let limiter { try await limiter.acquire() }
            do {
                let response = try await sendOnce(request)
                guard RetryPolicy.retriedStatuses.contains(response.status), retry.mayRetry(method: request.method, attempt: attempt) else {
                    return response
                }
                try await pause(retry.delay(afterAttempt: attempt, retryAfter: response.header("Retry-After")))
            } catch let error as ClusterError {
                guard case .connectionClosed = error, retry.mayRetry(method: request.method, attempt: attempt) else { throw error }
                try await pause(retry.delay(afterAttempt: attempt, retryAfter: nil))
            }
            attempt += 1
        }
    }

    private func sendOnce(_ request: ClusterRequest) async throws -> ClusterResponse {
        var outgoing = HTTPClientRequest(url: target(of: request))
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        for header in request.headers where header.name.lowercased() != "authorization" {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let authorization { outgoing.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        if !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
            if outgoing.headers["Content-Type"].isEmpty { outgoing.headers.add(name: "Content-Type", value: "application/json") }
        }
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(Self.nanoseconds(settings.requestTimeout)))
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > settings.maxResponseBytes {
                throw ClusterError.responseTooLarge(limitBytes: settings.maxResponseBytes)
            }
            let body = try await response.body.collect(upTo: settings.maxResponseBytes)
            return ClusterResponse(
                status: Int(response.status.code),
                headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                body: Array(body.readableBytesView))
        } catch let error as ClusterError {
            throw error
        } catch is NIOTooManyBytesError {
            throw ClusterError.responseTooLarge(limitBytes: settings.maxResponseBytes)
        } catch {
            throw await FailureClassifier(url: url, settings: settings, tls: tls).classify(error)
        }
    }

    private func target(of request: ClusterRequest) -> String {
        var text = "\(url.scheme)://\(url.endpoint)\(url.basePath)\(request.path.hasPrefix("/") ? "" : "/")\(request.path)"
        if let query = request.query { text += "?\(query)" }
        return text
    }

    private func pause(_ seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(Self.nanoseconds(seconds)))
    }

    /// Seconds to nanoseconds for timeouts given on the command line, clamped to a day.
    static func nanoseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int64(min(seconds, 86_400) * 1_000_000_000)
    }
}
