import Foundation

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = packageRoot.appendingPathComponent("data/samples/acme").path
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
}
