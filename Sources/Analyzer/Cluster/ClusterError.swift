/// Why talking to a cluster failed, as a value: the live commands end with exit 3 and one line per
/// case (Reporting/ClusterErrorReport.swift), and loops over `Cluster` (probe, fetch) can tell a
/// refused connection from a denial without reading sentences.
public enum ClusterError: Error, Hashable, Sendable {
    /// Nothing listens on the address (ECONNREFUSED).
    case connectionRefused(endpoint: String)
    /// The host name does not resolve.
    case hostNotFound(host: String)
    /// No connection within the connect timeout.
    case connectTimedOut(endpoint: String, seconds: Double)
    /// Connected, but the whole answer did not arrive within the request timeout.
    case requestTimedOut(endpoint: String, seconds: Double)
    /// The server closed or reset the connection before answering (after the retries allowed).
    case connectionClosed(endpoint: String)
    /// The TLS handshake failed, for the reason given.
    case tls(TLSFailure, endpoint: String)
    /// 401: the cluster did not accept the credentials (or none were given).
    case unauthorized(user: String?)
    /// 503 "… Security not initialized.": the security index is not loaded yet.
    case securityNotInitialized(endpoint: String)
    /// The body was larger than the client accepts.
    case responseTooLarge(limitBytes: Int)
    /// An answer the command cannot use: its status, the request path, and a short excerpt.
    case unexpectedResponse(status: Int, path: String, excerpt: String)
}

/// The reasons a TLS handshake fails that a user can act on.
public enum TLSFailure: Hashable, Sendable {
    /// The server's certificate does not chain to a trusted CA (give --cacert).
    case unknownCA
    /// The certificate is valid but not for the host name in the URL.
    case hostNameMismatch(host: String)
    /// A certificate of the server's chain is outside its validity period.
    case certificateExpired(notAfter: String)
    /// A certificate of the server's chain is not valid yet.
    case certificateNotYetValid(notBefore: String)
    /// The server refused the client certificate (or required one and got none).
    case clientCertificateRefused(alert: String)
    /// The server does not speak TLS on that port (an `https://` URL for a plain-HTTP server).
    case notTLS
    /// Any other handshake failure, with the TLS library's reason.
    case other(String)
}
