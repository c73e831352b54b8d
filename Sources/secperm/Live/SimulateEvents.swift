import Analyzer
import Foundation

/// Where `simulate` writes as it serves: the request log (JSON lines, stderr or `--log FILE`) and
/// the `--record FILE` console transcript. Files are appended to, one writer at a time.
actor SimulateEvents {
    private let log: FileHandle
    private let record: FileHandle?

    init(logPath: String?, recordPath: String?) throws(LiveInputError) {
        log = try logPath.map { path throws(LiveInputError) in try Self.append(path, option: "--log") } ?? FileHandle.standardError
        record = try recordPath.map { path throws(LiveInputError) in try Self.append(path, option: "--record") }
    }

    func log(_ line: String) {
        // A log or transcript that cannot be written (a full disk, a closed stderr) must not stop
        // the server: the throwing write reports it, and the request is still answered.
        try? log.write(contentsOf: Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }

    func record(_ request: ClusterRequest) {
        try? record?.write(contentsOf: Data(request.consoleText.utf8))
    }

    var isRecording: Bool { record != nil }

    private static func append(_ path: String, option: String) throws(LiveInputError) -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw LiveInputError("\(option) \(path): cannot create the file")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw LiveInputError("\(option) \(path): cannot open the file for writing") }
        _ = try? handle.seekToEnd()
        return handle
    }
}
