import Foundation
import PermissionCatalog

/// The configuration documents of the simulated cluster's security index, as the plugin stores
/// them (§7): one document per type, `_meta` included, password hashes included, no built-in
/// entries. They are the source of truth: the ``SecurityConfig`` and the evaluator are rebuilt
/// from them after every change.
public struct SecurityDocuments: Hashable, Sendable {
    public private(set) var documents: [ConfigType: ConfigValue]
    /// `_version` of each document in the index (1 when loaded, +1 per REST API write).
    public private(set) var versions: [ConfigType: Int]

    public init(documents: [ConfigType: ConfigValue]) {
        self.documents = documents
        versions = documents.mapValues { _ in 1 }
    }

    /// Reads a securityadmin directory (`roles.yml` …, each with `_meta`), after checking it with
    /// the ``ConfigLoader`` so that a broken file is refused with its file:line message.
    public static func read(directory: String, profile: TargetProfile) throws(InputError) -> SecurityDocuments {
        let loader = ConfigLoader(profile: profile)
        _ = try loader.load(from: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(.error("\(directory): simulate reads a securityadmin directory (roles.yml, internal_users.yml …)",
                                    hint: "write the configuration out with `securityadmin.sh -backup DIR` and pass that directory"))
        }
        var documents: [ConfigType: ConfigValue] = [:]
        for type in ConfigType.allCases {
            let path = (directory as NSString).appendingPathComponent(type.fileName)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            guard let node = try loader.parse(text, file: path) else { continue }
            documents[type] = NodeReader.value(node)
        }
        return SecurityDocuments(documents: documents)
    }

    /// The documents decoded as the plugin would load them; errors carry the type's name.
    public func config(profile: TargetProfile) throws(InputError) -> SecurityConfig {
        var config = SecurityConfig()
        var diagnostics: [Diagnostic] = []
        let loader = ConfigLoader(profile: profile)
        for (type, document) in documents.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let label = "\(SecurityDocuments.indexName)#\(type.rawValue)"
            var decoder = DocumentDecoder(profile: profile, form: .securityadmin, file: label)
            decoder.decode(type, root: try loader.parse(document.jsonText, file: label), into: &config)
            diagnostics += decoder.diagnostics
        }
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw InputError(errors) }
        return config
    }

    static let indexName = ".opendistro_security"

    /// The entries of a type without `_meta`.
    func entries(_ type: ConfigType) -> [String: ConfigValue] {
        var map = documents[type]?.map ?? [:]
        map["_meta"] = nil
        return map
    }

    /// Replaces the entries of a type, keeping (or adding) its `_meta`, and counts a new version.
    mutating func setEntries(_ type: ConfigType, _ entries: [String: ConfigValue]) {
        var map = entries
        map["_meta"] = documents[type]?.map?["_meta"] ?? .map(["type": .string(type.rawValue), "config_version": .number(2)])
        documents[type] = .map(map)
        versions[type, default: 0] += 1
    }

    /// The stored bcrypt hash of an internal user.
    func passwordHash(of user: String) -> String? {
        entries(.internalusers)[user]?.map?["hash"]?.string
    }
}
