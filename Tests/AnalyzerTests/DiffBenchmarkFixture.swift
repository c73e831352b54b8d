import Foundation
import Testing
@testable import Analyzer

/// The configurations `secperm diff` is timed on (`secperm bench --diff DIR`, README figures):
/// the bench generator's configuration, a migrated copy of it and an unrelated one. The writing
/// test only runs when SECPERM_DIFF_BENCH_DIR names a directory; never a timing assertion.
@Suite("Diff: benchmark inputs")
struct DiffBenchmarkFixture {
    @Test("write the benchmark configurations", .enabled(if: ProcessInfo.processInfo.environment["SECPERM_DIFF_BENCH_DIR"] != nil))
    func write() throws {
        let directory = try #require(ProcessInfo.processInfo.environment["SECPERM_DIFF_BENCH_DIR"])
        let paths = try DiffWorkload().write(to: directory)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["a.json", "migrated.json", "b.json"])
    }

    /// What the migrated copy plants, on a small instance: every role renamed, every 50th role's
    /// first `…-*` pattern narrowed, every 100th mapping without backend roles.
    @Test("the migrated copy renames, narrows and drops what it says")
    func migratedCopy() throws {
        var size = SyntheticConfig.Size()
        size.roles = 200
        size.patterns = 600
        size.users = 50
        size.actionGroups = 20
        let workload = DiffWorkload(size: size)
        let base = workload.base.config
        let migrated = DiffWorkload.migrated(base)
        #expect(Set(migrated.roles.keys) == Set(base.roles.keys.map { "migrated_" + $0 }))
        #expect(Set(migrated.roleMappings.keys) == Set(migrated.roles.keys))
        let names = base.roles.keys.sorted()
        var narrowed: [String] = [], dropped: [String] = []
        for (offset, name) in names.enumerated() {
            let before = try #require(base.roles[name]), after = try #require(migrated.roles["migrated_" + name])
            let beforePatterns = before.indexPermissions.flatMap { $0.indexPatterns.map(\.value) }
            let afterPatterns = after.indexPermissions.flatMap { $0.indexPatterns.map(\.value) }
            if beforePatterns != afterPatterns { narrowed.append(name) }
            #expect(offset.isMultiple(of: 50) || beforePatterns == afterPatterns)
            if migrated.roleMappings["migrated_" + name]?.backendRoles.isEmpty == true, base.roleMappings[name]?.backendRoles.isEmpty == false {
                dropped.append(name)
            }
        }
        #expect(dropped == [names[0], names[100]])
        for name in narrowed {
            let before = try #require(base.roles[name]?.indexPermissions.first?.indexPatterns.map(\.value))
            let after = try #require(migrated.roles["migrated_" + name]?.indexPermissions.first?.indexPatterns.map(\.value))
            #expect(zip(before, after).allSatisfy { $0 == $1 || ($0.hasSuffix("-*") && String($0.dropLast()) + "1*" == $1) })
        }
        #expect(!narrowed.isEmpty)
        // The bundle carries every role, mapping and user, attributes included.
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(DiffWorkload.bundle(migrated).utf8)) as? [String: Any])
        #expect((bundle["roles"] as? [String: Any])?.count == 200 && (bundle["rolesmapping"] as? [String: Any])?.count == 200)
        let users = try #require(bundle["internalusers"] as? [String: [String: Any]])
        #expect(users.count == 50 && users.values.allSatisfy { ($0["attributes"] as? [String: String])?["dept"]?.hasPrefix("d") == true })
        // The unrelated side is another seed of the same shape.
        #expect(workload.other.config.roles.count == 200 && workload.other.config.roles != base.roles)
    }
}
