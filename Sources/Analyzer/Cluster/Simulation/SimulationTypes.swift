/// Who is on the other end of a connection to the simulated cluster.
public struct PeerIdentity: Hashable, Sendable {
    /// The subject DN of the client certificate the TLS handshake verified (RFC 2253 text); nil
    /// without one.
    public var clientCertificateDN: String?
    /// The caller's address as `ip:port` (or a bare IP); its IP is matched against role-mapping `hosts`.
    public var remoteAddress: String
    /// Whether the connection is TLS (changes the REST API gate's message).
    public var isTLS: Bool

    public init(clientCertificateDN: String? = nil, remoteAddress: String = "127.0.0.1:0", isTLS: Bool = false) {
        self.clientCertificateDN = clientCertificateDN
        self.remoteAddress = remoteAddress
        self.isTLS = isTLS
    }

    /// The IP part of ``remoteAddress``.
    var ip: String {
        var text = Substring(remoteAddress)
        if text.hasPrefix("[") {
            text = text.dropFirst()
            return String(text.prefix { $0 != "]" })
        }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { return String(text[..<colon]) }
        return String(text)
    }
}

/// One answered request: the response and what the request log records about it.
public struct SimulatedExchange: Sendable {
    public let response: ClusterResponse
    public let log: SimulationLogEntry
}

/// A request log entry (the `--log` JSON lines): who asked, which route, which actions were
/// checked, the decision and the 403 text. Never a password or hash.
public struct SimulationLogEntry: Hashable, Sendable {
    public enum Outcome: String, Sendable {
        case allowed, denied, unauthenticated, invalid
    }

    /// The authenticated user; nil when authentication failed or was not attempted.
    public let user: String?
    public let method: String
    public let path: String
    /// The route template that answered (`GET /{index}/_search`); nil for unknown routes.
    public let route: String?
    public let actionsChecked: [String]
    public let outcome: Outcome
    public let status: Int
    /// The reason of the 403 (or 401) the cluster sent.
    public let forbiddenMessage: String?

    /// One JSON object on one line.
    public var jsonLine: String {
        var pairs: [(String, JSON)] = [("user", user.map(JSON.string) ?? .null), ("method", .string(method)), ("path", .string(path)),
                                       ("route", route.map(JSON.string) ?? .null), ("actions", JSON.strings(actionsChecked)),
                                       ("decision", .string(outcome.rawValue)), ("status", .number(Double(status)))]
        if let forbiddenMessage { pairs.append(("reason", .string(forbiddenMessage))) }
        return JSON.object(pairs).text
    }
}
