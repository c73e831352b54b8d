import Foundation
import Testing

/// Every live test runs one at a time: each starts servers as subprocesses, and a subprocess
/// started while another test reads a child's pipes could hold that pipe open.
@Suite(.serialized) enum LiveTests {}

/// Certificates generated at test time with the `openssl` CLI: a CA, a server certificate for
/// 127.0.0.1 and localhost, one for another host name, an expired one, client certificates with
/// PKCS#1 RSA, PKCS#8 and EC keys, and a second CA with its own client and server certificates.
struct LivePKI: Sendable {
    let directory: URL

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static let adminDN = "CN=admin,OU=ops,O=example"

    /// Generated once per test process.
    static let shared: Result<LivePKI, LiveSetupError> = Result { () throws(LiveSetupError) in try generate() }

    static func get() throws -> LivePKI { try shared.get() }

    private static func generate() throws(LiveSetupError) -> LivePKI {
        let directory = CLI.scratch.appendingPathComponent("secperm-live-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("newcerts"), withIntermediateDirectories: true)
            try Data().write(to: directory.appendingPathComponent("index.txt"))
            try Data("1000\n".utf8).write(to: directory.appendingPathComponent("serial"))
            try Data(caConfig.utf8).write(to: directory.appendingPathComponent("ca.cnf"))
        } catch {
            throw LiveSetupError("cannot prepare \(directory.path): \(error)")
        }
        let pki = LivePKI(directory: directory)
        for ca in ["ca", "other-ca"] {
            try pki.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(ca)-key.pem", "-out", "\(ca).pem", "-days", "30",
                             "-subj", "/CN=secperm test \(ca)", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        let serverSAN = "subjectAltName=IP:127.0.0.1,DNS:localhost"
        try pki.key("server-key.pem", kind: .pkcs8)
        try pki.sign("server", key: "server-key.pem", subject: "/CN=127.0.0.1", san: serverSAN, ca: "ca")
        try pki.key("wronghost-key.pem", kind: .pkcs8)
        try pki.sign("wronghost", key: "wronghost-key.pem", subject: "/CN=wrong.example", san: "subjectAltName=DNS:wrong.example", ca: "ca")
        try pki.key("expired-key.pem", kind: .pkcs8)
        try pki.signExpired("expired", key: "expired-key.pem", subject: "/CN=127.0.0.1", san: serverSAN)
        try pki.key("admin-key.pem", kind: .pkcs1)
        try pki.sign("admin", key: "admin-key.pem", subject: "/O=example/OU=ops/CN=admin", san: nil, ca: "ca")
        try pki.key("alice-ec-key.pem", kind: .ec)
        try pki.sign("alice-ec", key: "alice-ec-key.pem", subject: "/O=example/CN=alice", san: nil, ca: "ca")
        try pki.key("alice-p8-key.pem", kind: .pkcs8)
        try pki.sign("alice-p8", key: "alice-p8-key.pem", subject: "/O=example/CN=alice", san: nil, ca: "ca")
        try pki.key("stranger-key.pem", kind: .pkcs8)
        try pki.sign("stranger", key: "stranger-key.pem", subject: "/CN=stranger", san: nil, ca: "other-ca")
        return pki
    }

    enum KeyKind { case pkcs1, pkcs8, ec }

    private func key(_ name: String, kind: KeyKind) throws(LiveSetupError) {
        switch kind {
        case .pkcs1: try openssl(["genrsa", "-traditional", "-out", name, "2048"])
        case .pkcs8: try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name])
        case .ec: try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name])
        }
    }

    private func request(_ name: String, key: String, subject: String, san: String?) throws(LiveSetupError) {
        var arguments = ["req", "-new", "-key", key, "-out", "\(name).csr", "-subj", subject]
        if let san { arguments += ["-addext", san] }
        try openssl(arguments)
    }

    private func sign(_ name: String, key: String, subject: String, san: String?, ca: String) throws(LiveSetupError) {
        try request(name, key: key, subject: subject, san: san)
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca)-key.pem", "-CAcreateserial",
                     "-days", "30", "-copy_extensions", "copy", "-out", "\(name).pem"])
    }

    /// Valid from 2020-01-01 to 2020-02-01: `openssl ca` sets dates in the past.
    private func signExpired(_ name: String, key: String, subject: String, san: String) throws(LiveSetupError) {
        try request(name, key: key, subject: subject, san: san)
        try openssl(["ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca-key.pem", "-in", "\(name).csr",
                     "-out", "\(name).pem", "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-notext"])
    }

    private func openssl(_ arguments: [String]) throws(LiveSetupError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw LiveSetupError("cannot run openssl: \(error)") }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LiveSetupError("openssl \(arguments.joined(separator: " ")) failed: \(text)") }
    }

    private static let caConfig = """
        [ ca ]
        default_ca = test_ca
        [ test_ca ]
        database = index.txt
        new_certs_dir = newcerts
        serial = serial
        default_md = sha256
        policy = any_name
        copy_extensions = copy
        unique_subject = no
        [ any_name ]
        commonName = supplied

        """
}

struct LiveSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `secperm simulate` started as a subprocess on a free port, stopped with SIGTERM.
final class SimulateProcess {
    let process: Process
    let url: String
    let banner: [String: Any]
    let logFile: URL

    static let config = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/live/config").path

    /// Starts `simulate --config <fixture> --port 0` with `arguments` and waits for its first line.
    init(_ arguments: [String] = [], config: String = SimulateProcess.config) throws {
        logFile = CLI.scratch.appendingPathComponent("secperm-simulate-\(UUID().uuidString).log")
        process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["simulate", "--config", config, "--port", "0", "--log", logFile.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = Self.firstLine(out.fileHandleForReading)
        guard let banner = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let url = banner["listening"] as? String else {
            process.terminate()
            throw LiveSetupError("simulate did not print its listening line; got \(line.debugDescription)")
        }
        self.banner = banner
        self.url = url
    }

    /// Stops the server with SIGTERM and returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    private static func firstLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes += chunk
            if bytes.contains(UInt8(ascii: "\n")) { break }
        }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}

/// A misbehaving HTTP server (Tests/Fixtures/live/scripted_server.py) for failures `simulate`
/// does not produce: a server that never answers, a 503 "Security not initialized", resets.
final class ScriptedServer {
    let process: Process
    let port: Int

    init(mode: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.packageRoot.appendingPathComponent("Tests/Fixtures/live/scripted_server.py").path, mode]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.availableData
        guard let port = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw LiveSetupError("scripted server did not print its port")
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

/// Runs `secperm` with environment additions (passwords never go on argv).
func runSecperm(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Result {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}
