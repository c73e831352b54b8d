import Foundation

/// A benchmark workload written as files (`bench --batch`, `bench --diff`), so that anyone can
/// re-run the measured command on them.
public protocol WorkloadFiles {
    /// File names and their text, in the order written.
    func files() throws -> [(fileName: String, text: String)]
}

extension WorkloadFiles {

    /// Writes the files into `directory` (created when missing) and returns their paths.
    public func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (name, text) in try files() {
            let path = (directory as NSString).appendingPathComponent(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }
}
