import Foundation
import Testing

/// Runs the built `secperm` binary, as a user would.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = packageRoot.appendingPathComponent("data/samples/acme").path
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// One folder per test process for the files tests write (cases, configurations, logs,
    /// certificates), removed when the process ends so that test runs leave nothing behind.
    static let scratch: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secperm-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: CLI.scratch) }
        return folder
    }()

    static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("secperm"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("secperm"),
            packageRoot.appendingPathComponent(".build/debug/secperm"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], executable: URL? = nil, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// Golden files under Tests/Fixtures/golden. Set SECPERM_RECORD_GOLDEN=1 to re-record on purpose;
/// the test then fails once so a recording never passes silently.
enum Golden {
    static func check(_ actual: String, _ name: String) throws {
        let url = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/golden/\(name)")
        if ProcessInfo.processInfo.environment["SECPERM_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name); run again without SECPERM_RECORD_GOLDEN")
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "output differs from golden file \(name)")
    }
}
