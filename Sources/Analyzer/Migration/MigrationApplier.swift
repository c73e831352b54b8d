import Foundation
import PermissionCatalog

/// What an `--apply` did: the entries written, in order, and where and why it stopped if it did.
public struct MigrationOutcome: Sendable {
    /// The folder the target's configuration was backed up to before the first write.
    public let backupDirectory: String?
    public let written: [MigrationPlan.Entry]
    /// The entry whose write failed and why; nil when every write succeeded.
    public let failedEntry: MigrationPlan.Entry?
    public let failure: MigrationError?

    public var completed: Bool { failure == nil }
}

/// Carries out a plan: on a cluster with `PUT {prefix}/api/<type>/<name>` per entry in plan
/// order, each answer checked (200 updated / 201 created), stopping at the first failure; or on
/// a configuration value (a directory target).
///
/// A stopped run is resumable by planning again: entries already written are then `unchanged`
/// (a PUT replaces the entry as a whole, so writing one twice cannot double anything), and a
/// completed run planned again has nothing to write.
///
/// What is written is the plan's ``MigrationPlan/source``: the source entries with the
/// translations for the target release made.
public struct MigrationApplier: Sendable {
    public init() {}

    /// Backs the target up (the fetch format) into `backupDirectory`, then applies the plan. A plan
    /// without writes sends nothing and backs nothing up.
    public func apply(_ plan: MigrationPlan, to cluster: any Cluster, current: FetchedConfiguration, backupDirectory: String?) async -> MigrationOutcome {
        guard !plan.writes.isEmpty else { return MigrationOutcome(backupDirectory: nil, written: [], failedEntry: nil, failure: nil) }
        if let backupDirectory {
            do {
                try FetchedDirectory.write(current, to: backupDirectory)
            } catch {
                return MigrationOutcome(backupDirectory: nil, written: [], failedEntry: nil,
                                        failure: .unexpected(.target, request: "backup to \(backupDirectory)", status: 0, message: error.description))
            }
        }
        var written: [MigrationPlan.Entry] = []
        let bodies = restBodies(plan.source)
        for entry in plan.writes {
            let path = "\(current.info.restPrefix)/api/\(entry.type.rawValue)/\(Self.pathSegment(entry.name))"
            guard let body = bodies[entry.type]?[entry.name] else {
                let failure = MigrationError.unexpected(.target, request: "PUT \(path)", status: 0, message: "the entry could not be written as JSON")
                return MigrationOutcome(backupDirectory: backupDirectory, written: written, failedEntry: entry, failure: failure)
            }
            let request = ClusterRequest(method: "PUT", path: path, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body.utf8))
            do {
                let response = try await MigrationRequests.send(cluster, side: .target, request)
                guard response.status == 200 || response.status == 201 else {
                    let failure = MigrationRequests.failure(side: .target, request: "PUT \(path)", status: response.status,
                                                            message: MigrationRequests.message(response))
                    return MigrationOutcome(backupDirectory: backupDirectory, written: written, failedEntry: entry, failure: failure)
                }
            } catch {
                return MigrationOutcome(backupDirectory: backupDirectory, written: written, failedEntry: entry, failure: error)
            }
            written.append(entry)
        }
        return MigrationOutcome(backupDirectory: backupDirectory, written: written, failedEntry: nil, failure: nil)
    }

    /// The target configuration with the plan's writes made: each written entry replaced by the (translated) source's.
    public func apply(_ plan: MigrationPlan, to target: SecurityConfig) -> SecurityConfig {
        let source = plan.source
        var result = target
        for entry in plan.writes {
            result.presentTypes.insert(entry.type.rawValue)
            switch entry.type {
            case .roles: result.roles[entry.name] = source.roles[entry.name]
            case .rolesmapping: result.roleMappings[entry.name] = source.roleMappings[entry.name]
            case .actiongroups: result.actionGroups[entry.name] = source.actionGroups[entry.name]
            case .internalusers: result.internalUsers[entry.name] = source.internalUsers[entry.name]
            case .tenants: result.tenants[entry.name] = source.tenants[entry.name]
            default: break
            }
        }
        return result
    }

    private func restBodies(_ source: SecurityConfig) -> [ConfigType: [String: String]] {
        let writer = ConfigWriter(source)
        var result: [ConfigType: [String: String]] = [:]
        for type in MigrationPlan.typeOrder {
            // Values read from a configuration always encode; a failure leaves the type out and its writes fail.
            guard let bodies = try? writer.restBodies(type, asAdmin: false) else { continue }
            result[type] = Dictionary(bodies.map { ($0.name, $0.body) }) { first, _ in first }
        }
        return result
    }

    /// An entry name as one path segment.
    static func pathSegment(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }
}
