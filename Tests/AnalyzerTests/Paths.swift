import Foundation

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = packageRoot.appendingPathComponent("data/samples/acme").path
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// The engine tests' files go into one folder per test process, removed at exit.
    static let scratch: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secperm-engine-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Paths.scratch) }
        return folder
    }()
}
