import Foundation
import PermissionCatalog

/// A directory as the target of `migrate`: the configuration it holds now (empty when it does not
/// exist yet), and the plan carried out by rewriting it (a backup of what was there first).
public struct DirectoryTarget: Sendable {
    public let path: String
    public let profile: TargetProfile
    /// The configuration in the directory now.
    public let current: SecurityConfig
    public let exists: Bool

    public init(path: String, profile: TargetProfile) throws(InputError) {
        self.path = path
        self.profile = profile
        var isDirectory: ObjCBool = false
        exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let empty = exists && isDirectory.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty
        current = exists && !empty ? try ConfigLoader(profile: profile).load(from: path).config : SecurityConfig()
    }

    /// Writes a backup of the directory's configuration to `backupDirectory` (when it exists),
    /// then the directory with the plan's writes made.
    public func apply(_ plan: MigrationPlan, backupDirectory: String?) -> MigrationOutcome {
        var backup: String?
        // Nothing to write, nothing to back up: a completed migration run again leaves no trace.
        if exists, !plan.writes.isEmpty, let backupDirectory {
            do {
                try FetchedDirectory.write(current, to: backupDirectory, replacing: false)
                backup = backupDirectory
            } catch {
                return MigrationOutcome(backupDirectory: nil, written: [], failedEntry: nil,
                                        failure: .unexpected(.target, request: "backup to \(backupDirectory)", status: 0, message: error.description))
            }
        }
        guard !plan.writes.isEmpty else { return MigrationOutcome(backupDirectory: backup, written: [], failedEntry: nil, failure: nil) }
        let result = MigrationApplier().apply(plan, to: current)
        do {
            try FetchedDirectory.write(result, to: path, replacing: true)
        } catch {
            return MigrationOutcome(backupDirectory: backup, written: [], failedEntry: plan.writes.first,
                                    failure: .unexpected(.target, request: "write \(path)", status: 0, message: error.description))
        }
        return MigrationOutcome(backupDirectory: backup, written: plan.writes, failedEntry: nil, failure: nil)
    }
}
