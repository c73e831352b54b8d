import Foundation

/// The decoded contents of `data/`, carried inside the binary by `Generated/EmbeddedData.swift`.
/// Decoded once per process.
enum CatalogData {
    static let permissions: [PermissionRecord] = decode(PermissionsFile.self, "permissions.json").permissions
    static let staticConfig: StaticConfigFile = decode(StaticConfigFile.self, "static_config.json")
    /// Permission name (vendor segment filled in) → where it exists, per vendor segment.
    private static let availabilityByVendor: [String: [String: Availability]] = Dictionary(
        uniqueKeysWithValues: ["opensearch", "lucenia"].map { vendor in
            (vendor, Dictionary(permissions.map { ($0.name(vendor: vendor), $0.resolvedAvailability) }, uniquingKeysWith: { first, _ in first }))
        })

    static func availability(vendor: String) -> [String: Availability] { availabilityByVendor[vendor] ?? [:] }

    private static func decode<T: Decodable>(_ type: T.Type, _ file: String) -> T {
        guard let text = EmbeddedData.files[file] else {
            fatalError("data/\(file) is not embedded; run `swift run secperm-datagen`")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            fatalError("embedded data/\(file) does not decode: \(error); run `swift run secperm-datagen`")
        }
    }
}

struct PermissionsFile: Decodable, Sendable {
    let permissions: [PermissionRecord]
}

struct PermissionRecord: Decodable, Sendable {
    struct Range: Decodable, Sendable {
        let since: String
        let until: String?
    }

    let name: String
    let kind: PermissionKind
    let description: String
    let pattern: Bool?
    let availability: [String: Range]?

    /// The name as a role file spells it where the plugin's vendor segment is `vendor`.
    func name(vendor: String) -> String { name.replacingOccurrences(of: "{vendor}", with: vendor) }

    var resolvedAvailability: Availability {
        guard let availability else { return .everywhere }
        guard let parsed = Availability(parsing: availability.mapValues { ($0.since, $0.until) }) else {
            fatalError("data/permissions.json: bad availability for \(name)")
        }
        return parsed
    }
}

struct StaticConfigFile: Decodable, Sendable {
    struct Snapshot<Entry: Decodable & Sendable>: Decodable, Sendable {
        let flavor: Flavor
        let since: String
        let entries: [String: Entry]
    }

    struct GroupEntry: Decodable, Sendable {
        let allowed_actions: [String]?
        let type: String?
        let description: String?
    }

    struct IndexPermissionEntry: Decodable, Sendable {
        let index_patterns: [String]?
        let allowed_actions: [String]?
    }

    struct TenantPermissionEntry: Decodable, Sendable {
        let tenant_patterns: [String]?
        let allowed_actions: [String]?
    }

    struct RoleEntry: Decodable, Sendable {
        let description: String?
        let cluster_permissions: [String]?
        let index_permissions: [IndexPermissionEntry]?
        let tenant_permissions: [TenantPermissionEntry]?
    }

    struct TenantEntry: Decodable, Sendable {
        let description: String?
    }

    let actionGroups: [Snapshot<GroupEntry>]
    let roles: [Snapshot<RoleEntry>]
    let tenants: [Snapshot<TenantEntry>]

    /// The snapshot with the greatest `since` not above `version`.
    static func applicable<Entry>(_ snapshots: [Snapshot<Entry>], flavor: Flavor, version: Version) -> [String: Entry] {
        snapshots
            .filter { $0.flavor == flavor && Version($0.since).map { $0 <= version } == true }
            .max { (Version($0.since) ?? Version([0])) < (Version($1.since) ?? Version([0])) }?
            .entries ?? [:]
    }
}
