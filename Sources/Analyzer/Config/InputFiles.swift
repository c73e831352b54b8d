import Foundation
import PermissionCatalog

/// Reads the small side inputs of an evaluation: cluster metadata and node settings.
public enum InputFiles {
    static func readValue(_ path: String, settings: Bool = false) throws(InputError) -> ConfigValue {
        let text = try InputText.read(path)
        guard let node = try YAMLInput.compose(text, file: path) else { return .map([:]) }
        return settings ? NodeReader.settingsValue(node) : NodeReader.value(node)
    }

    /// Node settings from an opensearch.yml (flat dotted keys or nested maps).
    public static func nodeSettings(path: String?, overrides: [String], profile: TargetProfile) throws(InputError) -> NodeSettings {
        var values: [String: ConfigValue] = [:]
        var locations: [String: SourceLocation] = [:]
        if let path, let node = try YAMLInput.compose(try InputText.read(path), file: path) {
            values = NodeSettings.flatten(NodeReader.settingsValue(node))
            locations = NodeReader.settingLines(node).mapValues { SourceLocation(file: path, line: $0) }
        }
        for override in overrides {
            guard let equals = override.firstIndex(of: "=") else {
                throw InputError(.error("--setting \(override): expected KEY=VALUE", hint: "e.g. --setting plugins.security.system_indices.enabled=true"))
            }
            let key = String(override[..<equals]), raw = String(override[override.index(after: equals)...])
            // OpenSearch keeps a setting's text as written (`.inf` is the name ".inf", not a number):
            // only a list (`[a, b]`) is read as structure.
            let value = (try? YAMLInput.compose(raw, file: "--setting")).flatMap { $0 }.map(NodeReader.settingsValue)
            values[key] = value?.list != nil ? value : .string(raw)
            locations[key] = SourceLocation(file: "--setting", line: 1)
        }
        return try NodeSettings(values: values, profile: profile, origin: path ?? "--setting", locations: locations)
    }

    /// Cluster metadata in secperm's format (`indices`, `hidden_indices`, `aliases`, `data_streams`,
    /// `system_indices`) or the verbatim body of `GET _alias?expand_wildcards=all`.
    public static func clusterMetadata(path: String) throws(InputError) -> ClusterMetadata {
        let value = try readValue(path)
        guard let map = value.map else {
            throw InputError(.error("\(path): cluster metadata must be a JSON object", hint: "use the output of `GET _alias?expand_wildcards=all`, or {\"indices\": [...], \"aliases\": {...}}"))
        }
        if map["indices"]?.list != nil {
            func strings(_ key: String) -> [String] { map[key]?.list?.compactMap(\.string) ?? [] }
            func groups(_ key: String) -> [String: [String]] {
                (map[key]?.map ?? [:]).mapValues { $0.list?.compactMap(\.string) ?? [] }
            }
            var indices = Set(strings("indices"))
            if let security = map["security_index"]?.string { indices.insert(security) }
            return ClusterMetadata(indices: indices, hiddenIndices: Set(strings("hidden_indices")), aliases: groups("aliases"),
                                   dataStreams: groups("data_streams"), systemIndices: Set(strings("system_indices")))
        }
        // GET _alias?expand_wildcards=all: {"<index>": {"aliases": {"<alias>": {…}}}}
        var indices = Set<String>(), aliases: [String: [String]] = [:], streams: [String: [String]] = [:]
        for (index, body) in map {
            guard let aliasMap = body.map?["aliases"]?.map else {
                throw InputError(.error("\(path): entry '\(index)' has no \"aliases\" object",
                                        hint: "expected the body of GET _alias?expand_wildcards=all, or secperm's {\"indices\": [...]} form"))
            }
            indices.insert(index)
            for alias in aliasMap.keys { aliases[alias, default: []].append(index) }
            // Backing indices are named .ds-<stream>-<generation>.
            if index.hasPrefix(".ds-"), let dash = index.lastIndex(of: "-"), dash > index.index(index.startIndex, offsetBy: 4) {
                let stream = String(index[index.index(index.startIndex, offsetBy: 4)..<dash])
                streams[stream, default: []].append(index)
            }
        }
        // The _alias body does not say which indices are hidden; data stream backing indices always are.
        let hidden = Set(indices.filter { $0.hasPrefix(".ds-") })
        return ClusterMetadata(indices: indices, hiddenIndices: hidden, aliases: aliases.mapValues { $0.sorted() },
                               dataStreams: streams.mapValues { $0.sorted() })
    }
}

extension InputFiles {
    /// A JSON (or YAML) document as a ``ConfigValue``, e.g. JWT claims.
    public static func readJSONValue(_ path: String) throws(InputError) -> ConfigValue {
        try readValue(path)
    }
}

/// The one way secperm reads an input file (configuration, cases, console requests, metadata):
/// bounded in size and strictly UTF-8, with the line of the first bad byte when it is not.
public enum InputText {
    /// Far beyond any real security configuration, cases or console file (the largest
    /// production role sets are a few MiB); reading stops here instead of exhausting memory.
    public static let maximumBytes = 256 << 20

    /// Reads `path` (a file, a FIFO, or `-` for standard input).
    public static func read(_ path: String, maximumBytes: Int = maximumBytes) throws(InputError) -> String {
        let name = path == "-" ? "<stdin>" : path
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(.error("no such file", at: SourceLocation(file: path, line: 0), hint: "check the path"))
            }
            guard !isDirectory.boolValue, let opened = FileHandle(forReadingAtPath: path) else {
                throw InputError(.error("cannot be read", at: SourceLocation(file: path, line: 0),
                                        hint: isDirectory.boolValue ? "this is a directory; give a file" : "check that the file is readable"))
            }
            handle = opened
            // A regular file says its size: refuse a large one before reading any of it.
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.int64Value > Int64(maximumBytes) {
                try? opened.close()
                throw tooLarge(name, maximumBytes)
            }
        }
        defer { if path != "-" { try? handle.close() } }
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                guard data.count <= maximumBytes - chunk.count else { throw tooLarge(name, maximumBytes) }
                data.append(chunk)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(.error("cannot be read: \(error.localizedDescription)", at: SourceLocation(file: name, line: 0)))
        }
        return try decode(data, file: name)
    }

    private static func tooLarge(_ name: String, _ maximumBytes: Int) -> InputError {
        InputError(.error("larger than \(maximumBytes >> 20) MiB; secperm does not read inputs this large", at: SourceLocation(file: name, line: 0),
                          hint: "split the file, or check that this is the file you meant"))
    }

    /// `data` as UTF-8 text; otherwise an error at the line of the first invalid byte.
    public static func decode(_ data: Data, file: String) throws(InputError) -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        throw InputError(.error("not UTF-8 text: the first invalid byte is on this line", at: SourceLocation(file: file, line: firstInvalidLine(data)),
                                hint: "save the file as UTF-8 (security configurations, cases and console files are UTF-8 text)"))
    }

    /// The 1-based line holding the first byte sequence that is not UTF-8.
    static func firstInvalidLine(_ data: Data) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var line = 1
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar): if scalar.count == 1 && scalar.first == 0x0A { line += 1 }
            case .emptyInput, .error: return line
            }
        }
    }
}
