import Foundation
import PermissionCatalog

/// A configuration read from disk, with the notes and warnings found while reading it.
public struct LoadedConfig: Sendable {
    public let config: SecurityConfig
    public let diagnostics: [Diagnostic]
}

/// Reads a security configuration in any of the forms admins have at hand (§7):
/// - a securityadmin directory (`roles.yml`, `roles_mapping.yml`, … each with `_meta`);
/// - the JSON of `GET _plugins/_security/api/<type>`: a directory of `<type>.json` files, or one
///   bundle file `{"roles": {…}, "rolesmapping": {…}, …}`;
/// - `.opendistro_security` index documents: `{"roles": "<base64 JSON>", …}`, a single hit
///   `{"_id": "roles", "_source": {…}}`, or a search response with `hits.hits`.
public struct ConfigLoader: Sendable {
    public let profile: TargetProfile

    public init(profile: TargetProfile = .default) {
        self.profile = profile
    }

    /// The types a securityadmin directory must have to describe who may do what.
    static let essentialTypes: [ConfigType] = [.roles, .rolesmapping, .actiongroups, .internalusers]

    public func load(from path: String) throws(InputError) -> LoadedConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.error("\(path): no such file or directory", hint: "pass a securityadmin backup directory or a JSON bundle with --config"))
        }
        return isDirectory.boolValue ? try loadDirectory(path) : try loadFile(path)
    }

    /// Parses text already in memory, as if it were the file `name` (used by tests and stdin).
    public func load(text: String, name: String) throws(InputError) -> LoadedConfig {
        var config = SecurityConfig()
        var diagnostics: [Diagnostic] = []
        try decodeFile(text: text, name: name, into: &config, diagnostics: &diagnostics)
        return try finish(config, diagnostics)
    }

    /// The sample configuration built into the binary (data/samples/acme), with locations
    /// reported as `data/samples/acme/<file>`.
    public func loadBundledSample() throws(InputError) -> LoadedConfig {
        var config = SecurityConfig()
        var diagnostics: [Diagnostic] = []
        for (key, text) in EmbeddedData.files.sorted(by: { $0.key < $1.key }) where key.hasPrefix("samples/acme/") {
            let file = (key as NSString).lastPathComponent
            guard let type = ConfigType.allCases.first(where: { $0.fileName == file }) else { continue }
            let name = "data/" + key
            var decoder = DocumentDecoder(profile: profile, form: .securityadmin, file: name)
            decoder.decode(type, root: try parse(text, file: name), into: &config)
            diagnostics += decoder.diagnostics
        }
        return try finish(config, diagnostics)
    }

    // MARK: directories

    private func loadDirectory(_ directory: String) throws(InputError) -> LoadedConfig {
        var config = SecurityConfig()
        var diagnostics: [Diagnostic] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found = false
        for type in ConfigType.allCases {
            let yamlPath = (directory as NSString).appendingPathComponent(type.fileName)
            if entries.contains(type.fileName) {
                found = true
                let text = try read(yamlPath)
                var decoder = DocumentDecoder(profile: profile, form: .securityadmin, file: yamlPath)
                decoder.decode(type, root: try parse(text, file: yamlPath), into: &config)
                diagnostics += decoder.diagnostics
                continue
            }
            let stems = [type.rawValue, String(type.fileName.dropLast(4))] + (type == .config ? ["securityconfig"] : [])
            if let json = stems.map({ "\($0).json" }).first(where: entries.contains) {
                found = true
                let jsonPath = (directory as NSString).appendingPathComponent(json)
                try decodeFile(text: try read(jsonPath), name: jsonPath, into: &config, diagnostics: &diagnostics)
            }
        }
        guard found else {
            throw InputError(.error("\(directory) contains no security configuration files",
                                    hint: "expected securityadmin files such as roles.yml, roles_mapping.yml, action_groups.yml, internal_users.yml (or REST API JSON such as roles.json)"))
        }
        for type in Self.essentialTypes where !config.presentTypes.contains(type.rawValue) {
            diagnostics.append(.note("\(type.fileName) is missing; secperm treats it as empty", at: SourceLocation(file: directory, line: 0)))
        }
        return try finish(config, diagnostics)
    }

    // MARK: single files

    private func loadFile(_ path: String) throws(InputError) -> LoadedConfig {
        var config = SecurityConfig()
        var diagnostics: [Diagnostic] = []
        try decodeFile(text: try read(path), name: path, into: &config, diagnostics: &diagnostics)
        return try finish(config, diagnostics)
    }

    /// Decides which form a file is in and decodes it.
    private func decodeFile(text: String, name: String, into config: inout SecurityConfig, diagnostics: inout [Diagnostic]) throws(InputError) {
        guard let root = try parse(text, file: name), case .mapping(let mapping) = root else {
            throw InputError(.error("the file is empty or not a mapping", at: SourceLocation(file: name, line: 1),
                                    hint: "expected a securityadmin YAML file, a REST API JSON response or a bundle of them"))
        }
        let keys = mapping.keys.compactMap(\.string)
        let stem = ((name as NSString).lastPathComponent as NSString).deletingPathExtension

        // A search response or a single hit of the security index.
        if let hits = root[path: ["hits", "hits"]], case .sequence(let items) = hits {
            for item in items { try decodeHit(item, file: name, into: &config, diagnostics: &diagnostics) }
            return
        }
        if keys.contains("_source") {
            try decodeHit(root, file: name, into: &config, diagnostics: &diagnostics)
            return
        }
        // A securityadmin file given on its own: its _meta says what it is.
        if keys.contains("_meta"), let type = root[path: ["_meta", "type"]]?.string.flatMap(ConfigType.init(name:)) {
            var decoder = DocumentDecoder(profile: profile, form: .securityadmin, file: name)
            decoder.decode(type, root: root, into: &config)
            diagnostics += decoder.diagnostics
            return
        }
        // A bundle keyed by config type.
        let bundle = mapping.map { (type: $0.key.string.flatMap(ConfigType.init(name:)), keyNode: $0.key, value: $0.value) }
        if !bundle.isEmpty, bundle.allSatisfy({ $0.type != nil }) {
            for case let (type?, keyNode, value) in bundle {
                if case .scalar(let scalar) = value {
                    try decodeIndexDocument(type, base64: scalar.string, file: name, line: keyNode.mark.line, into: &config, diagnostics: &diagnostics)
                } else {
                    var decoder = DocumentDecoder(profile: profile, form: .restAPI, file: name)
                    decoder.decode(type, root: value, into: &config)
                    diagnostics += decoder.diagnostics
                }
            }
            return
        }
        // One REST API response named after its type (roles.json).
        if let type = ConfigType(name: stem) {
            var decoder = DocumentDecoder(profile: profile, form: .restAPI, file: name)
            decoder.decode(type, root: root, into: &config)
            diagnostics += decoder.diagnostics
            return
        }
        throw InputError(.error("cannot tell which configuration this is", at: SourceLocation(file: name, line: 1),
                                hint: "name the file after its type (roles.json, rolesmapping.json …), add a _meta section, or bundle types as {\"roles\": {…}, \"rolesmapping\": {…}}"))
    }

    private func decodeHit(_ hit: YAMLNode, file: String, into config: inout SecurityConfig, diagnostics: inout [Diagnostic]) throws(InputError) {
        guard let id = hit[path: ["_id"]]?.string, let type = ConfigType(name: id) else {
            diagnostics.append(.warning("skipped a document without a known _id", at: SourceLocation(file: file, line: hit.mark.line)))
            return
        }
        guard let field = hit[path: ["_source", id]], case .scalar(let scalar) = field else {
            throw InputError(.error("document '\(id)' has no _source.\(id) field", at: SourceLocation(file: file, line: hit.mark.line),
                                    hint: "the security index stores each type as {\"\(id)\": \"<base64 JSON>\"}"))
        }
        try decodeIndexDocument(type, base64: scalar.string, file: file, line: field.mark.line, into: &config, diagnostics: &diagnostics)
    }

    private func decodeIndexDocument(_ type: ConfigType, base64: String, file: String, line: Int, into config: inout SecurityConfig,
                                     diagnostics: inout [Diagnostic]) throws(InputError) {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), let text = String(data: data, encoding: .utf8) else {
            throw InputError(.error("the '\(type.rawValue)' document is not base64-encoded JSON", at: SourceLocation(file: file, line: line),
                                    hint: "copy the _source field of the .opendistro_security document unchanged"))
        }
        let label = "\(file)#\(type.rawValue)"
        var decoder = DocumentDecoder(profile: profile, form: .securityadmin, file: label)
        decoder.decode(type, root: try parse(text, file: label), into: &config)
        diagnostics += decoder.diagnostics
    }

    // MARK: helpers

    private func finish(_ config: SecurityConfig, _ diagnostics: [Diagnostic]) throws(InputError) -> LoadedConfig {
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw InputError(errors) }
        try FlattenedActionGroups.checkSize(config.actionGroups)
        return LoadedConfig(config: config, diagnostics: diagnostics)
    }

    private func read(_ path: String) throws(InputError) -> String {
        try InputText.read(path)
    }

    /// Parses YAML (JSON is YAML too); syntax errors and duplicate keys become diagnostics with a line.
    func parse(_ text: String, file: String) throws(InputError) -> YAMLNode? {
        try YAMLInput.compose(text, file: file)
    }
}
