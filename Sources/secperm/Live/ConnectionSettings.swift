import Foundation

/// Where a password comes from. Never argv: an environment variable, a file, or a prompt.
enum PasswordSource: Hashable, Sendable {
    case none
    case environment(String)
    case file(String)
    /// Ask on the terminal without echo (only when stdin is a TTY).
    case prompt
}

/// Everything needed to open a connection, as plain values: what `ConnectionOptions` parsed, or
/// what a command with prefixed options (`--from-…`, `--to-…`) builds. Opening it (reading the
/// password and the PEM files, checking the URL) is `ClusterConnection.open(_:)`.
struct ConnectionSettings: Hashable, Sendable {
    var cluster: String
    var user: String?
    var password: PasswordSource = .none
    var certificate: String?
    var key: String?
    var caCertificate: String?
    var insecure = false
    var connectTimeout: Double = 10
    var requestTimeout: Double = 30
    /// Requests per second, nil for no limit.
    var maxRate: Double?
    /// Extra attempts for idempotent requests on 429/502/503/504 and connection resets.
    var retries = 3
    /// Larger answers end in `ClusterError.responseTooLarge`.
    var maxResponseBytes = 256 * 1024 * 1024
    /// The name of the option that gave `cluster`, for messages ("--cluster", "--from-cluster").
    var optionPrefix = ""

    func option(_ name: String) -> String { "--\(optionPrefix)\(name)" }

    /// Every setting at its default: what the options start from.
    static let unset = ConnectionSettings(cluster: "")

    /// Whether any option changed a setting from its default (the URL and option names aside): a
    /// command without a cluster refuses connection options rather than ignore them.
    var changesDefaults: Bool {
        var options = self
        options.cluster = ""
        options.optionPrefix = ""
        return options != Self.unset
    }
}

/// A cluster URL checked for use: scheme, host, port, and an optional base path (a cluster behind
/// a reverse proxy at `https://host/opensearch`).
struct ClusterURL: Hashable, Sendable {
    var scheme: String
    var host: String
    var port: Int
    var basePath: String

    var isTLS: Bool { scheme == "https" }
    /// `host:port`, as messages name the endpoint.
    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    /// The URL without the base path, as `--cluster` was meant.
    var display: String { "\(scheme)://\(endpoint)\(basePath)" }

    /// Parses `--cluster`; the error says what is wrong with it.
    static func parse(_ text: String) -> Result<ClusterURL, LiveInputError> {
        func malformed(_ why: String) -> Result<ClusterURL, LiveInputError> {
            .failure(LiveInputError("malformed cluster URL '\(text)': \(why)"))
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return malformed("expected http://host:port or https://host:port")
        }
        guard scheme == "http" || scheme == "https" else { return malformed("the scheme must be http or https, not \(scheme)") }
        guard let host = components.host, !host.isEmpty else { return malformed("no host") }
        guard components.user == nil, components.password == nil else {
            return malformed("credentials do not belong in the URL (use --user with --password-env or --password-file)")
        }
        guard components.query == nil, components.fragment == nil else { return malformed("no query or fragment allowed") }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { return malformed("port \(port) is out of range") }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return .success(ClusterURL(scheme: scheme, host: host, port: port, basePath: path))
    }
}

/// Bad input to a live command (exit 2): a malformed URL, an unreadable or invalid PEM file, a
/// missing password. The message names the option or the file.
struct LiveInputError: Error, Hashable, Sendable {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
