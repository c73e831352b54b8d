import Foundation
import PermissionCatalog
import Yams

/// Reads the small side inputs of an evaluation: cluster metadata and node settings.
public enum InputFiles {
    static func readValue(_ path: String) throws(InputError) -> ConfigValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.error("\(path): cannot be read", hint: "check that the file exists and is readable"))
        }
        let text = String(decoding: data, as: UTF8.self)
        do {
            guard let node = try Yams.compose(yaml: text) else { return .map([:]) }
            return NodeReader.value(node)
        } catch let error as YamlError {
            throw InputError(YAMLErrorDescription.diagnostic(for: error, file: path))
        } catch {
            throw InputError(.error("\(path): cannot parse: \(error)"))
        }
    }

    /// Node settings from an opensearch.yml (flat dotted keys or nested maps).
    public static func nodeSettings(path: String?, overrides: [String], profile: TargetProfile) throws(InputError) -> NodeSettings {
        var values: [String: ConfigValue] = [:]
        if let path { values = NodeSettings.flatten(try readValue(path)) }
        for override in overrides {
            guard let equals = override.firstIndex(of: "=") else {
                throw InputError(.error("--setting \(override): expected KEY=VALUE", hint: "e.g. --setting plugins.security.system_indices.enabled=true"))
            }
            let key = String(override[..<equals]), raw = String(override[override.index(after: equals)...])
            let value: ConfigValue = (try? Yams.compose(yaml: raw)).flatMap { $0 }.map(NodeReader.value) ?? .string(raw)
            values[key] = value == .null ? .string(raw) : value
        }
        return try NodeSettings(values: values, profile: profile, origin: path ?? "--setting")
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
