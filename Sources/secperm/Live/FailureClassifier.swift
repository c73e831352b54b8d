import Analyzer
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Turns what async-http-client and NIO throw into a `ClusterError` a user can act on. A failed
/// certificate verification is diagnosed with extra handshakes (`TLSDiagnosis`), because the TLS
/// library reports only "verify failed" without saying why.
struct FailureClassifier: Sendable {
    let url: ClusterURL
    let settings: ConnectionSettings
    let tls: TLSConfiguration?

    func classify(_ error: Error) async -> ClusterError {
        let endpoint = url.endpoint
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .connectTimedOut(endpoint: endpoint, seconds: settings.connectTimeout)
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .requestTimedOut(endpoint: endpoint, seconds: settings.requestTimeout)
            case .tlsHandshakeTimeout: return .connectTimedOut(endpoint: endpoint, seconds: settings.connectTimeout)
            case .remoteConnectionClosed: return .connectionClosed(endpoint: endpoint)
            default: return .unexpectedResponse(status: 0, path: url.display, excerpt: String(describing: error))
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil { return .hostNotFound(host: url.host) }
            for failure in error.connectionErrors {
                if let classified = classifySocket(failure.error) { return classified }
            }
            return .connectionRefused(endpoint: endpoint)
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .connectTimedOut(endpoint: endpoint, seconds: settings.connectTimeout)
            case .ioOnClosedChannel, .eof, .outputClosed, .alreadyClosed: return .connectionClosed(endpoint: endpoint)
            default: break
            }
        }
        if let classified = classifySocket(error) { return classified }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return .tls(.hostNameMismatch(host: url.host), endpoint: endpoint)
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tls(await classifyTLS(error), endpoint: endpoint)
        }
        if error is NIOSSLCloseTimedOutError {
            return .tls(.other(String(describing: error)), endpoint: endpoint)
        }
        return .unexpectedResponse(status: 0, path: url.display, excerpt: String(describing: error))
    }

    private func classifySocket(_ error: Error) -> ClusterError? {
        guard let error = error as? IOError else {
            if let error = error as? ChannelError, case .connectTimeout = error {
                return .connectTimedOut(endpoint: url.endpoint, seconds: settings.connectTimeout)
            }
            return nil
        }
        switch error.errnoCode {
        case ECONNREFUSED: return .connectionRefused(endpoint: url.endpoint)
        case ECONNRESET, EPIPE: return .connectionClosed(endpoint: url.endpoint)
        case ETIMEDOUT: return .connectTimedOut(endpoint: url.endpoint, seconds: settings.connectTimeout)
        case EHOSTUNREACH, ENETUNREACH: return .connectionRefused(endpoint: url.endpoint)
        default: return nil
        }
    }

    private func classifyTLS(_ error: Error) async -> TLSFailure {
        let reason = String(describing: error)
        if reason.contains("WRONG_VERSION_NUMBER") || reason.contains("HTTP_REQUEST") { return .notTLS }
        if let alert = Self.alert(in: reason) { return .clientCertificateRefused(alert: alert) }
        if reason.contains("CERTIFICATE_VERIFY_FAILED"), let tls {
            return await TLSDiagnosis(url: url, tls: tls, timeout: settings.connectTimeout).diagnose()
        }
        if let error = error as? NIOSSLError, case .uncleanShutdown = error, settings.certificate == nil {
            return .other("the server closed the connection during the handshake")
        }
        return .other(reason)
    }

    /// An alert the server sent about our certificate: it did not accept the client certificate.
    static func alert(in reason: String) -> String? {
        let refusals = [
            "TLSV1_ALERT_UNKNOWN_CA": "signed by a CA the server does not trust",
            "SSLV3_ALERT_BAD_CERTIFICATE": "bad certificate",
            "SSLV3_ALERT_CERTIFICATE_EXPIRED": "the client certificate expired",
            "SSLV3_ALERT_CERTIFICATE_UNKNOWN": "certificate unknown",
            "TLSV1_ALERT_ACCESS_DENIED": "access denied",
            "TLSV1_CERTIFICATE_REQUIRED": "the server requires a client certificate (give --cert and --key)",
            "TLSV13_ALERT_CERTIFICATE_REQUIRED": "the server requires a client certificate (give --cert and --key)",
        ]
        return refusals.first { reason.contains($0.key) }?.value
    }
}
