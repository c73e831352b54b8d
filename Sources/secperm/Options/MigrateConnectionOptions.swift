import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

/// The connection options of one side of `migrate`, with its prefix (`--from-…` / `--to-…`):
/// ConnectionOptions' names, declared per side so both can be given at once.
struct FromConnection: ParsableArguments {
    @Option(name: .customLong("from-user"), help: ArgumentHelp("Basic-auth user on SRC.", valueName: "name")) var user: String?
    @Option(name: .customLong("from-password-env"), help: ArgumentHelp("SRC password from this environment variable.", valueName: "var")) var passwordEnv: String?
    @Option(name: .customLong("from-password-file"), help: ArgumentHelp("SRC password from the first line of this file.", valueName: "file")) var passwordFile: String?
    @Option(name: .customLong("from-cert"), help: ArgumentHelp("Client certificate for SRC (PEM), e.g. the admin certificate.", valueName: "pem")) var cert: String?
    @Option(name: .customLong("from-key"), help: ArgumentHelp("Private key of --from-cert (PEM).", valueName: "pem")) var key: String?
    @Option(name: .customLong("from-cacert"), help: ArgumentHelp("CA certificate(s) to trust for SRC (PEM).", valueName: "pem")) var cacert: String?
    @Flag(name: .customLong("from-insecure"), help: "Do not verify SRC's certificate or host name.") var insecure = false

    var given: Bool { settings("").changesDefaults }

    func settings(_ url: String) -> ConnectionSettings {
        MigrationConnection.settings(url, prefix: "from-", user: user, passwordEnv: passwordEnv, passwordFile: passwordFile,
                                     cert: cert, key: key, cacert: cacert, insecure: insecure)
    }
}

struct ToConnection: ParsableArguments {
    @Option(name: .customLong("to-user"), help: ArgumentHelp("Basic-auth user on DST.", valueName: "name")) var user: String?
    @Option(name: .customLong("to-password-env"), help: ArgumentHelp("DST password from this environment variable.", valueName: "var")) var passwordEnv: String?
    @Option(name: .customLong("to-password-file"), help: ArgumentHelp("DST password from the first line of this file.", valueName: "file")) var passwordFile: String?
    @Option(name: .customLong("to-cert"), help: ArgumentHelp("Client certificate for DST (PEM), e.g. the admin certificate.", valueName: "pem")) var cert: String?
    @Option(name: .customLong("to-key"), help: ArgumentHelp("Private key of --to-cert (PEM).", valueName: "pem")) var key: String?
    @Option(name: .customLong("to-cacert"), help: ArgumentHelp("CA certificate(s) to trust for DST (PEM).", valueName: "pem")) var cacert: String?
    @Flag(name: .customLong("to-insecure"), help: "Do not verify DST's certificate or host name.") var insecure = false

    var given: Bool { settings("").changesDefaults }

    func settings(_ url: String) -> ConnectionSettings {
        MigrationConnection.settings(url, prefix: "to-", user: user, passwordEnv: passwordEnv, passwordFile: passwordFile,
                                     cert: cert, key: key, cacert: cacert, insecure: insecure)
    }
}

enum MigrationConnection {
    static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    static func settings(_ url: String, prefix: String, user: String?, passwordEnv: String?, passwordFile: String?, cert: String?, key: String?,
                         cacert: String?, insecure: Bool) -> ConnectionSettings {
        var settings = ConnectionSettings(cluster: url)
        settings.optionPrefix = prefix
        settings.user = user
        if let passwordEnv { settings.password = .environment(passwordEnv) }
        if let passwordFile { settings.password = .file(passwordFile) }
        settings.certificate = cert
        settings.key = key
        settings.caCertificate = cacert
        settings.insecure = insecure
        return settings
    }

    static func validate(prefix: String, user: String?, passwordEnv: String?, passwordFile: String?) throws {
        if passwordEnv != nil && passwordFile != nil { throw ValidationError("give --\(prefix)password-env or --\(prefix)password-file, not both") }
        if (passwordEnv != nil || passwordFile != nil) && user == nil { throw ValidationError("--\(prefix)password-env/--\(prefix)password-file need --\(prefix)user") }
    }
}
