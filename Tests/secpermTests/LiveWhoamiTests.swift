import Foundation
import Testing

/// `secperm whoami` end to end over real sockets against `secperm simulate` (HTTP and HTTPS with
/// client certificates generated at test time). Identity fields follow the plugin's authinfo
/// (shared/reference/security-layer-responses.md "authinfo"); release detection follows its "`GET /`".
extension LiveTests {
@Suite struct Whoami {
    @Test func basicAuthOverHTTP() throws {
        let server = try SimulateProcess()
        defer { server.stop() }
        let result = try runSecperm(["whoami", "--cluster", server.url, "--user", "admin", "--password-env", "SECPERM_TEST_PW"], environment: ["SECPERM_TEST_PW": "admin-pass"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout == """
            cluster:        \(server.url)
            release:        opensearch-3.8 (opensearch 3.8.0)
            REST prefix:    /_plugins/_security
            user:           admin
            backend roles:  admin
            roles:          all_access
            tenants:        admin (read-write), analytics (read-write), global_tenant (read-write)
            super admin:    unknown (whoami endpoint did not answer)

            """)
    }

    @Test func detectsOpenDistroAndItsPrefix() throws {
        let server = try SimulateProcess(["--target", "opendistro-1.13"])
        defer { server.stop() }
        let result = try runSecperm(["whoami", "--cluster", server.url, "--user", "admin", "--password-env", "PW", "--format", "json"], environment: ["PW": "admin-pass"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["target"] as? String == "opendistro-1.13")
        #expect(json["detectedFrom"] as? String == "version 7.10.2 (Open Distro)")
        #expect(json["restPrefix"] as? String == "/_opendistro/_security")
    }

    /// A user without cluster:monitor/main is refused GET / (security-layer-responses.md "`GET /`":
    /// it needs cluster:monitor/main like any other action); whoami still tells who they are.
    @Test func basicAuthOverHTTPSWithPasswordFileAndLimitedUser() throws {
        let pki = try LivePKI.get()
        let server = try SimulateProcess(["--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem")])
        defer { server.stop() }
        #expect(server.url.hasPrefix("https://127.0.0.1:"))
        let passwordFile = pki.path("alice.pw")
        try Data("alice-pass\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let result = try runSecperm(["whoami", "--cluster", server.url, "--cacert", pki.path("ca.pem"), "--user", "alice", "--password-file", passwordFile, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["user"] as? String == "alice")
        #expect(json["backendRoles"] as? [String] == ["analysts", "eu-staff"])
        #expect(json["roles"] as? [String] == ["analyst"])
        #expect(json["tenants"] as? [String: String] == ["alice": "read-write", "analytics": "read-only"])
        #expect(json["target"] is NSNull)
        #expect(json["targetSource"] as? String == "unknown")
        #expect(json["releaseProblem"] as? String == "GET / was refused (403: the user lacks cluster:monitor/main), so the version is unknown; give --target")
        #expect(json["restPrefix"] as? String == "/_plugins/_security")
    }

    /// The admin certificate (PKCS#1 RSA key) authenticates without a password; its DN arrives in
    /// RFC 2253 form, most specific RDN first (the plugin's principal, X500Principal.getName()).
    @Test(arguments: ["--admin-dn", "--opensearch-yml"])
    func adminCertificateOverHTTPS(_ adminSource: String) throws {
        let pki = try LivePKI.get()
        let settings = pki.path("opensearch.yml")
        try Data("plugins.security.authcz.admin_dn:\n  - \"\(LivePKI.adminDN)\"\n".utf8).write(to: URL(fileURLWithPath: settings))
        let server = try SimulateProcess(["--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"),
                                          "--tls-ca", pki.path("ca.pem"), adminSource, adminSource == "--admin-dn" ? LivePKI.adminDN : settings])
        defer { server.stop() }
        #expect(server.banner["clientCertificates"] as? Bool == true)
        let result = try runSecperm(["whoami", "--cluster", server.url, "--cacert", pki.path("ca.pem"),
                                     "--cert", pki.path("admin.pem"), "--key", pki.path("admin-key.pem"), "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["user"] as? String == LivePKI.adminDN)
        #expect(json["principal"] as? String == LivePKI.adminDN)
        #expect(json["target"] as? String == "opensearch-3.8")
        // {prefix}/whoami: is_admin for an admin_dn certificate (SecurityWhoAmIAction).
        #expect(json["superAdmin"] as? Bool == true)
    }

    /// EC and PKCS#8 client keys are accepted; a client certificate that is not an admin's still
    /// lets basic auth decide who the user is.
    @Test(arguments: ["alice-ec", "alice-p8"])
    func clientKeyFormats(_ name: String) throws {
        let pki = try LivePKI.get()
        let server = try SimulateProcess(["--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server-key.pem"),
                                          "--tls-ca", pki.path("ca.pem"), "--admin-dn", LivePKI.adminDN])
        defer { server.stop() }
        let result = try runSecperm(["whoami", "--cluster", server.url.replacingOccurrences(of: "127.0.0.1", with: "localhost"), "--cacert", pki.path("ca.pem"),
                                     "--cert", pki.path("\(name).pem"), "--key", pki.path("\(name)-key.pem"),
                                     "--user", "alice", "--password-env", "PW", "--format", "json"], environment: ["PW": "alice-pass"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["user"] as? String == "alice")
        #expect(json["superAdmin"] as? Bool == false)
    }

    @Test func insecureWarnsOnEveryRun() throws {
        let pki = try LivePKI.get()
        let server = try SimulateProcess(["--tls-cert", pki.path("expired.pem"), "--tls-key", pki.path("expired-key.pem")])
        defer { server.stop() }
        for _ in 0..<2 {
            let result = try runSecperm(["whoami", "--cluster", server.url, "--insecure", "--user", "admin", "--password-env", "PW"], environment: ["PW": "admin-pass"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr == "warning: --insecure: the server's certificate and host name are NOT verified\n")
        }
    }

    /// `--record` appends each request in console syntax; `--log` gets one JSON line per request.
    @Test func recordAndLog() throws {
        let record = CLI.scratch.appendingPathComponent("secperm-record-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: record) }
        let server = try SimulateProcess(["--record", record.path])
        let result = try runSecperm(["whoami", "--cluster", server.url, "--user", "admin", "--password-env", "PW"], environment: ["PW": "admin-pass"])
        #expect(result.status == 0, "\(result.stderr)")
        let log = try String(contentsOf: server.logFile, encoding: .utf8)
        server.stop()
        #expect(try String(contentsOf: record, encoding: .utf8) == "GET /\n\nGET /_plugins/_security/authinfo\n\nGET /_plugins/_security/whoami\n\n")
        let lines = log.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 3)
        #expect(lines.first??["user"] as? String == "admin")
        #expect(lines.first??["actions"] as? [String] == ["cluster:monitor/main"])
        #expect(!log.contains("admin-pass"))
    }

    /// `--max-rate 4`: the three requests of whoami start at least a quarter second apart.
    @Test func maxRateSpacesRequests() throws {
        let server = try SimulateProcess()
        defer { server.stop() }
        let start = Date()
        let result = try runSecperm(["whoami", "--cluster", server.url, "--max-rate", "4", "--user", "admin", "--password-env", "PW"], environment: ["PW": "admin-pass"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(start) >= 0.5)
    }

    @Test func simulateStopsCleanlyOnSIGTERMAndSIGINT() throws {
        for signal in [SIGTERM, SIGINT] {
            let server = try SimulateProcess()
            kill(server.process.processIdentifier, signal)
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .exit)
            #expect(server.process.terminationStatus == 0)
        }
    }
}
}
