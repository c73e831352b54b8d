import ArgumentParser

/// The connection options of every live command. Parsing only: `settings` turns them into plain
/// values, and `HTTPCluster.with(_:_:)` opens the connection, so a command that talks to two
/// clusters (migrate: `--from-…`, `--to-…`) can declare its own options and reuse the rest.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The cluster, e.g. https://localhost:9200.", valueName: "url"))
    var cluster: String

    @OptionGroup var access: ClusterAccessOptions

    var settings: ConnectionSettings { access.settings(cluster) }
}

/// How to reach and authenticate to a cluster, without the URL: shared by ConnectionOptions
/// (`--cluster` required) and probe (`--cluster` or `--config`).
struct ClusterAccessOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Basic-auth user. The password comes from --password-env, --password-file, or a prompt on a terminal.", valueName: "name"))
    var user: String?

    @Option(name: .long, help: ArgumentHelp("Read the password from this environment variable.", valueName: "var"))
    var passwordEnv: String?

    @Option(name: .long, help: ArgumentHelp("Read the password from the first line of this file.", valueName: "file"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("Client certificate (PEM), e.g. the admin certificate; needs --key.", valueName: "pem"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("Private key of --cert (PEM: PKCS#8, PKCS#1 RSA or EC; unencrypted).", valueName: "pem"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("CA certificate(s) to trust instead of the system's (PEM).", valueName: "pem"))
    var cacert: String?

    @Flag(name: .long, help: "Do not verify the server's certificate or host name (prints a warning on every run).")
    var insecure = false

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for a connection.", valueName: "seconds"))
    var connectTimeout: Double = ConnectionSettings.unset.connectTimeout

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for a whole answer.", valueName: "seconds"))
    var requestTimeout: Double = ConnectionSettings.unset.requestTimeout

    @Option(name: .long, help: ArgumentHelp("At most this many requests per second.", valueName: "n"))
    var maxRate: Double?

    @Option(name: .long, help: ArgumentHelp("Retries of idempotent requests on 429/502/503/504 or a reset connection.", valueName: "n"))
    var retries: Int = ConnectionSettings.unset.retries

    /// Whether any of these options was given (a command without a cluster refuses them).
    var given: Bool { settings("").changesDefaults }

    func validate() throws {
        if passwordEnv != nil && passwordFile != nil { throw ValidationError("give --password-env or --password-file, not both") }
        if (passwordEnv != nil || passwordFile != nil) && user == nil { throw ValidationError("--password-env/--password-file need --user") }
        for (name, value) in [("--connect-timeout", connectTimeout), ("--request-timeout", requestTimeout)] where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) must be a number of seconds between 0 and 86400")
        }
        if let maxRate, !(maxRate > 0 && maxRate.isFinite) { throw ValidationError("--max-rate must be a positive number of requests per second") }
        if !(0...20).contains(retries) { throw ValidationError("--retries must be between 0 and 20") }
    }

    func settings(_ cluster: String) -> ConnectionSettings {
        var settings = ConnectionSettings(cluster: cluster)
        settings.user = user
        if let passwordEnv { settings.password = .environment(passwordEnv) }
        if let passwordFile { settings.password = .file(passwordFile) }
        settings.certificate = cert
        settings.key = key
        settings.caCertificate = cacert
        settings.insecure = insecure
        settings.connectTimeout = connectTimeout
        settings.requestTimeout = requestTimeout
        settings.maxRate = maxRate
        settings.retries = retries
        return settings
    }
}
