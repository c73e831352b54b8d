import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

extension TargetProfile: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var defaultCompletionKind: CompletionKind {
        .list(TargetProfile.named.map(\.name))
    }
}

/// `--target`: the plugin release to reason about.
struct TargetOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Plugin release: opendistro-1.13, opensearch-1.3, opensearch-2.11, opensearch-2.19, opensearch-3 (default), lucenia, or any flavor-version.",
        valueName: "profile"))
    var target: TargetProfile = .default
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--format text|json`.
struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: text (for people) or json (for scripts; carries schemaVersion).")
    var format: OutputFormat = .text
}

/// `--config DIR|FILE`: where the security configuration is.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A securityadmin directory (roles.yml …), a REST API JSON bundle or directory, or security index documents.",
        valueName: "path"))
    var config: String?

    /// Loads the configuration, printing warnings to stderr; an input error is thrown
    /// (the entry point prints it, exit 2).
    func load(profile: TargetProfile) throws(InputError) -> SecurityConfig {
        guard let config else { return SecurityConfig() }
        return Self.config(of: try ConfigLoader(profile: profile).load(from: config))
    }

    /// The configuration of a load, its warnings printed to stderr.
    static func config(of loaded: LoadedConfig) -> SecurityConfig {
        Diagnostics.printToStandardError(loaded.diagnostics.filter { $0.severity >= .warning })
        return loaded.config
    }
}

enum Diagnostics {
    static func printToStandardError(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let text = diagnostics.map(\.description).joined(separator: "\n") + "\n"
        try? StandardStream.error.write(text)
    }
}
