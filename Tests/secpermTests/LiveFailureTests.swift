import Foundation
import Testing

/// Each way a live command fails ends with one line naming the cause: exit 3 for the cluster
/// (connection, TLS, authentication, 503), exit 2 for bad options or files (CLI contract in
/// shared/DESIGN.md). Over real sockets against `secperm simulate`, or a scripted server for what
/// simulate never does.
extension LiveTests {
@Suite struct Failure {
    static func whoami(_ url: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> CLI.Result {
        try runSecperm(["whoami", "--cluster", url] + extra, environment: environment)
    }

    static func httpsServer(_ pki: LivePKI, cert: String = "server", clientCA: Bool = false) throws -> SimulateProcess {
        var arguments = ["--tls-cert", pki.path("\(cert).pem"), "--tls-key", pki.path("\(cert)-key.pem")]
        if clientCA { arguments += ["--tls-ca", pki.path("ca.pem"), "--admin-dn", LivePKI.adminDN] }
        return try SimulateProcess(arguments)
    }

    @Test func connectionRefused() throws {
        let result = try Failure.whoami("http://127.0.0.1:1")
        #expect(result.status == 3)
        #expect(result.stderr == "error: connection refused by 127.0.0.1:1: nothing listens there (check the cluster URL's host and port)\n")
        #expect(result.stdout == "")
    }

    @Test func requestTimesOutOnASilentServer() throws {
        let server = try ScriptedServer(mode: "slow")
        let result = try Failure.whoami("http://127.0.0.1:\(server.port)", ["--request-timeout", "1"])
        #expect(result.status == 3)
        #expect(result.stderr == "error: 127.0.0.1:\(server.port) did not answer within 1 s (--request-timeout)\n")
    }

    /// 503 is retried for idempotent requests (three retries by default), then reported.
    @Test func securityNotInitialized() throws {
        let server = try ScriptedServer(mode: "not-initialized")
        let result = try Failure.whoami("http://127.0.0.1:\(server.port)", ["--retries", "1"])
        #expect(result.status == 3)
        #expect(result.stderr == "error: 503 from /: Security not initialized (the security index is not loaded; run securityadmin)\n")
    }

    /// simulate answers 503 while the configuration does not load on the target: a custom role
    /// named like a built-in one before 3.4 (security-layer-responses.md "Authentication failures").
    @Test func securityNotInitializedBySimulate() throws {
        let directory = CLI.scratch.appendingPathComponent("secperm-uninit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in ["config.yml", "internal_users.yml", "roles_mapping.yml", "tenants.yml", "action_groups.yml"] {
            try FileManager.default.copyItem(atPath: SimulateProcess.config + "/" + file, toPath: directory.appendingPathComponent(file).path)
        }
        try Data("_meta:\n  type: \"roles\"\n  config_version: 2\nall_access:\n  cluster_permissions: [\"*\"]\n".utf8).write(to: directory.appendingPathComponent("roles.yml"))
        let server = try SimulateProcess(["--target", "opensearch-2.19"], config: directory.path)
        defer { server.stop() }
        let result = try Failure.whoami(server.url, ["--retries", "0", "--user", "admin", "--password-env", "PW"], environment: ["PW": "admin-pass"])
        #expect(result.status == 3)
        #expect(result.stderr == "error: 503 from /: Security not initialized (the security index is not loaded; run securityadmin)\n")
    }

    @Test func connectionResetIsRetriedThenReported() throws {
        let server = try ScriptedServer(mode: "reset")
        let result = try Failure.whoami("http://127.0.0.1:\(server.port)", ["--retries", "1"])
        #expect(result.status == 3)
        #expect(result.stderr == "error: 127.0.0.1:\(server.port) closed the connection before answering\n")
    }

    @Test func hugeResponseIsRefused() throws {
        let server = try ScriptedServer(mode: "huge")
        let result = try Failure.whoami("http://127.0.0.1:\(server.port)")
        #expect(result.status == 3)
        #expect(result.stderr == "error: the response is larger than 268435456 bytes; refusing to read it\n")
    }

    @Test func wrongPassword() throws {
        let server = try SimulateProcess()
        defer { server.stop() }
        let result = try Failure.whoami(server.url, ["--user", "alice", "--password-env", "PW"], environment: ["PW": "not-her-password"])
        #expect(result.status == 3)
        #expect(result.stderr == "error: 401 Unauthorized: the cluster rejected the credentials of user alice\n")
    }

    @Test func noCredentials() throws {
        let server = try SimulateProcess()
        defer { server.stop() }
        let result = try Failure.whoami(server.url)
        #expect(result.status == 3)
        #expect(result.stderr == "error: 401 Unauthorized: the cluster requires authentication (give --user, or --cert and --key)\n")
    }

    @Test func unknownCA() throws {
        let pki = try LivePKI.get()
        let server = try Failure.httpsServer(pki)
        defer { server.stop() }
        let endpoint = server.url.replacingOccurrences(of: "https://", with: "")
        for extra in [["--cacert", pki.path("other-ca.pem")], []] {
            let result = try Failure.whoami(server.url, extra + ["--user", "admin", "--password-env", "PW"], environment: ["PW": "admin-pass"])
            #expect(result.status == 3)
            #expect(result.stderr == "error: TLS handshake with \(endpoint) failed: the server certificate is signed by an unknown CA (give --cacert with the cluster's CA)\n")
        }
    }

    @Test func hostNameMismatch() throws {
        let pki = try LivePKI.get()
        let server = try Failure.httpsServer(pki, cert: "wronghost")
        defer { server.stop() }
        let endpoint = server.url.replacingOccurrences(of: "https://", with: "")
        let result = try Failure.whoami(server.url, ["--cacert", pki.path("ca.pem")])
        #expect(result.status == 3)
        #expect(result.stderr == "error: TLS handshake with \(endpoint) failed: the server certificate is not valid for host name 127.0.0.1\n")
    }

    @Test func expiredServerCertificate() throws {
        let pki = try LivePKI.get()
        let server = try Failure.httpsServer(pki, cert: "expired")
        defer { server.stop() }
        let endpoint = server.url.replacingOccurrences(of: "https://", with: "")
        let result = try Failure.whoami(server.url, ["--cacert", pki.path("ca.pem")])
        #expect(result.status == 3)
        #expect(result.stderr == "error: TLS handshake with \(endpoint) failed: the server certificate expired (not valid after 2020-02-01T00:00:00Z)\n")
    }

    @Test func clientCertificateRefused() throws {
        let pki = try LivePKI.get()
        let server = try Failure.httpsServer(pki, clientCA: true)
        defer { server.stop() }
        let endpoint = server.url.replacingOccurrences(of: "https://", with: "")
        let result = try Failure.whoami(server.url, ["--cacert", pki.path("ca.pem"), "--cert", pki.path("stranger.pem"), "--key", pki.path("stranger-key.pem")])
        #expect(result.status == 3)
        #expect(result.stderr == "error: TLS handshake with \(endpoint) failed: the server refused the client certificate (signed by a CA the server does not trust)\n")
    }

    @Test func httpsToAPlainHTTPServer() throws {
        let server = try SimulateProcess()
        defer { server.stop() }
        let url = server.url.replacingOccurrences(of: "http://", with: "https://")
        let result = try Failure.whoami(url)
        #expect(result.status == 3)
        #expect(result.stderr == "error: TLS handshake with \(url.dropFirst("https://".count)) failed: the server does not speak TLS on that port (try http://)\n")
    }

    @Test(arguments: [
        ("localhost:9200", "error: malformed cluster URL 'localhost:9200': the scheme must be http or https, not localhost\n"),
        ("ftp://localhost:9200", "error: malformed cluster URL 'ftp://localhost:9200': the scheme must be http or https, not ftp\n"),
        ("http://", "error: malformed cluster URL 'http://': no host\n"),
        ("http://localhost:99999", "error: malformed cluster URL 'http://localhost:99999': port 99999 is out of range\n"),
        ("http://user:pw@localhost:9200", "error: malformed cluster URL 'http://user:pw@localhost:9200': credentials do not belong in the URL (use --user with --password-env or --password-file)\n"),
    ])
    func malformedURL(_ url: String, _ message: String) throws {
        let result = try Failure.whoami(url)
        #expect(result.status == 2)
        #expect(result.stderr == message)
    }

    @Test func unreadableAndInvalidPEM() throws {
        let pki = try LivePKI.get()
        let missing = try Failure.whoami("https://127.0.0.1:1", ["--cacert", pki.path("nope.pem")])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: --cacert \(pki.path("nope.pem")): no such file\n")
        let notPEM = try Failure.whoami("https://127.0.0.1:1", ["--cacert", pki.path("index.txt")])
        #expect(notPEM.status == 2)
        #expect(notPEM.stderr == "error: --cacert \(pki.path("index.txt")): not a PEM certificate (expected -----BEGIN CERTIFICATE-----)\n")
        let keyNotPEM = try Failure.whoami("https://127.0.0.1:1", ["--cert", pki.path("admin.pem"), "--key", pki.path("admin.pem")])
        #expect(keyNotPEM.status == 2)
        #expect(keyNotPEM.stderr == "error: --key \(pki.path("admin.pem")): not a PEM private key (PKCS#8, PKCS#1 RSA or EC)\n")
        let mismatch = try Failure.whoami("https://127.0.0.1:1", ["--cert", pki.path("admin.pem"), "--key", pki.path("server-key.pem")])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.hasPrefix("error: --key \(pki.path("server-key.pem")): the private key does not match the certificate \(pki.path("admin.pem"))"))
    }

    @Test func passwordNeverPromptedWithoutATerminal() throws {
        let result = try Failure.whoami("http://127.0.0.1:1", ["--user", "alice"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: --user needs a password: give --password-env VAR or --password-file FILE (stdin is not a terminal, so secperm cannot prompt)\n")
    }

    /// A broken configuration: simulate refuses to start with the loader's file:line message.
    @Test func simulateRefusesABrokenConfig() throws {
        let directory = CLI.scratch.appendingPathComponent("secperm-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in ["config.yml", "internal_users.yml", "roles_mapping.yml", "tenants.yml", "action_groups.yml"] {
            try FileManager.default.copyItem(atPath: SimulateProcess.config + "/" + file, toPath: directory.appendingPathComponent(file).path)
        }
        try Data("_meta:\n  type: \"roles\"\n  config_version: 2\nreader:\n  cluster_permissions: [unclosed\n".utf8).write(to: directory.appendingPathComponent("roles.yml"))
        let result = try runSecperm(["simulate", "--config", directory.path, "--port", "0"])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix(directory.appendingPathComponent("roles.yml").path + ":6: error: invalid YAML"))
    }
}
}
