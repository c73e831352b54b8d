/// The one line a live command prints before exit 3 (or 2 when the release cannot be told).
public enum ClusterErrorReport {
    /// - Parameter optionPrefix: how the side's connection options are spelled (`from-` for
    ///   `--from-cacert`), so that hints name the option the user can give.
    public static func line(_ error: ClusterError, optionPrefix: String = "") -> String {
        let option = { (name: String) in "--\(optionPrefix)\(name)" }
        switch error {
        case .connectionRefused(let endpoint):
            return "error: connection refused by \(endpoint): nothing listens there (check the cluster URL's host and port)"
        case .hostNotFound(let host):
            return "error: host \(host) not found (the name does not resolve)"
        case .connectTimedOut(let endpoint, let seconds):
            return "error: connecting to \(endpoint) timed out after \(format(seconds)) s\(optionPrefix.isEmpty ? " (--connect-timeout)" : "")"
        case .requestTimedOut(let endpoint, let seconds):
            return "error: \(endpoint) did not answer within \(format(seconds)) s\(optionPrefix.isEmpty ? " (--request-timeout)" : "")"
        case .connectionClosed(let endpoint):
            return "error: \(endpoint) closed the connection before answering"
        case .tls(let failure, let endpoint):
            return "error: TLS handshake with \(endpoint) failed: \(tlsReason(failure, cacert: option("cacert")))"
        case .unauthorized(let user?):
            return "error: 401 Unauthorized: the cluster rejected the credentials of user \(user)"
        case .unauthorized(nil):
            return "error: 401 Unauthorized: the cluster requires authentication (give \(option("user")), or \(option("cert")) and \(option("key")))"
        case .securityNotInitialized(let endpoint):
            return "error: 503 from \(endpoint): Security not initialized (the security index is not loaded; run securityadmin)"
        case .responseTooLarge(let limit):
            return "error: the response is larger than \(limit) bytes; refusing to read it"
        case .unexpectedResponse(let status, let path, let excerpt):
            return "error: unexpected answer \(status) to \(path)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        }
    }

    static func tlsReason(_ failure: TLSFailure, cacert: String) -> String {
        switch failure {
        case .unknownCA:
            return "the server certificate is signed by an unknown CA (give \(cacert) with the cluster's CA)"
        case .hostNameMismatch(let host):
            return "the server certificate is not valid for host name \(host)"
        case .certificateExpired(let notAfter):
            return "the server certificate expired (not valid after \(notAfter))"
        case .certificateNotYetValid(let notBefore):
            return "the server certificate is not valid yet (not valid before \(notBefore))"
        case .clientCertificateRefused(let alert):
            return "the server refused the client certificate (\(alert))"
        case .notTLS:
            return "the server does not speak TLS on that port (try http://)"
        case .other(let reason):
            return reason
        }
    }

    public static func line(_ failure: ReleaseDetectionFailure) -> String {
        "error: " + reason(failure)
    }

    /// Why the release is unknown, without the `error:` lead (whoami prints it as a field).
    public static func reason(_ failure: ReleaseDetectionFailure) -> String {
        let hint = "; give --target"
        switch failure {
        case .rootForbidden:
            return "GET / was refused (403: the user lacks cluster:monitor/main), so the version is unknown" + hint
        case .noSecurityPlugin:
            return "neither /_plugins/_security nor /_opendistro/_security answered: is the security plugin installed?"
        case .elasticsearch(let number):
            return "the cluster answers as Elasticsearch \(number), which secperm does not model" + hint
        case .versionHidden(let number):
            return "the cluster hides its version (answers \(number), compatibility.override_main_response_version)" + hint
        case .rootUnreadable:
            return "GET / did not say which release this is" + hint
        case .unknownDistribution(let name):
            return "unknown distribution \"\(name)\" in GET /" + hint
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
