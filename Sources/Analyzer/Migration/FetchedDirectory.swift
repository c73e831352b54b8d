import Foundation
import PermissionCatalog

/// The fetch format on disk: what `--config DIR` reads (securityadmin files with `_meta`), plus
/// `cluster.json` (flavor, release, REST prefix, fetched-at, how it was read) and
/// `cluster_metadata.json` (what `--metadata` reads). Used by `secperm fetch --out`, the backup of
/// `migrate --apply`, and a directory target of `migrate`.
///
/// Files are written into a temporary folder beside the destination and moved into place at the
/// end, so a destination is either complete or absent; every file is 0600 and the folder 0700
/// (internal_users.yml carries password hashes).
public enum FetchedDirectory {
    public static let clusterFile = "cluster.json"
    public static let metadataFile = "cluster_metadata.json"

    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Writes a fetched configuration.
    public static func write(_ fetched: FetchedConfiguration, to directory: String) throws(WriteError) {
        var extra: [(String, String)] = [(clusterFile, clusterJSON(fetched).text + "\n")]
        if let metadata = fetched.metadata { extra.append((metadataFile, metadataJSON(metadata).text + "\n")) }
        try write(fetched.config, extraFiles: extra, to: directory, replacing: false)
    }

    /// Writes a configuration as securityadmin files (and any extra files). `replacing`: an existing
    /// destination is swapped out for the new one (a directory target of migrate); otherwise it
    /// must not exist or be empty.
    public static func write(_ config: SecurityConfig, extraFiles: [(String, String)] = [], to directory: String, replacing: Bool) throws(WriteError) {
        let manager = FileManager.default
        let destination = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw WriteError(description: "\(directory) exists and is not a directory") }
            let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? []
            guard replacing || contents.isEmpty else {
                throw WriteError(description: "\(directory) already exists and is not empty")
            }
        }
        let files: [(fileName: String, text: String)]
        do {
            files = try ConfigWriter(config).securityadminFiles() + extraFiles.map { (fileName: $0.0, text: $0.1) }
        } catch {
            throw WriteError(description: "cannot write the configuration: \(error.description)")
        }
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).secperm-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for file in files {
                let url = temporary.appendingPathComponent(file.fileName)
                guard manager.createFile(atPath: url.path, contents: Data(file.text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw WriteError(description: "cannot create \(url.path)")
                }
            }
            if exists {
                let old = temporary.appendingPathExtension("old")
                try manager.moveItem(at: destination, to: old)
                try manager.moveItem(at: temporary, to: destination)
                try? manager.removeItem(at: old)
            } else {
                try manager.moveItem(at: temporary, to: destination)
            }
        } catch let error as WriteError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw WriteError(description: "cannot write \(directory): \(error.localizedDescription)")
        }
    }

    static func clusterJSON(_ fetched: FetchedConfiguration) -> JSON {
        let info = fetched.info
        return .object([
            ("flavor", .string(info.profile.flavor.rawValue)),
            ("target", .string(info.profile.name)),
            ("version", .string(info.versionNumber)),
            ("rest_prefix", .string(info.restPrefix)),
            ("fetched_at", .string(ISO8601DateFormatter().string(from: info.fetchedAt))),
            ("read_from", .string(fetched.access.rawValue)),
            ("password_hashes", .bool(fetched.hasPasswordHashes)),
            ("unavailable_types", .array(fetched.unavailableTypes.map { .string($0.rawValue) })),
        ])
    }

    /// secperm's metadata form, which `InputFiles.clusterMetadata` reads.
    static func metadataJSON(_ metadata: ClusterMetadata) -> JSON {
        func names(_ set: Set<String>) -> JSON { .array(set.sorted().map(JSON.string)) }
        func groups(_ map: [String: [String]]) -> JSON {
            .object(map.keys.sorted().map { ($0, .array((map[$0] ?? []).map(JSON.string))) })
        }
        return .object([("indices", names(metadata.indices)), ("hidden_indices", names(metadata.hiddenIndices)),
                        ("aliases", groups(metadata.aliases)), ("data_streams", groups(metadata.dataStreams))])
    }

    /// Reads `cluster.json` of a fetched directory: the release it was fetched from, when present.
    public static func recordedProfile(in directory: String) -> TargetProfile? {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(clusterFile).path
        guard let value = try? InputFiles.readJSONValue(path), let name = value.map?["target"]?.string else { return nil }
        return TargetProfile(parsing: name)
    }
}
