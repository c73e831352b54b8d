@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

/// Shared set-up: the fixture configuration served for one release, and requests as values.
enum Simulation {
    static let fixture = Paths.fixtures.appendingPathComponent("simulate").path
    static let adminDN = "CN=kirk,OU=client,O=client,L=test,C=de"

    static func cluster(_ target: String, settings: NodeSettings = NodeSettings(), adminDNs: [String] = [adminDN]) throws -> SimulatedCluster {
        let profile = try #require(TargetProfile(parsing: target))
        return try SimulatedCluster(configDirectory: fixture, catalog: Catalog(profile: profile), settings: settings, adminDNs: adminDNs)
    }

    static func request(_ method: String, _ target: String, user: String? = nil, password: String = "", body: String = "") -> ClusterRequest {
        let pieces = target.split(separator: "?", maxSplits: 1).map(String.init)
        var headers: [HTTPHeader] = []
        if let user { headers.append(HTTPHeader("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())) }
        if !body.isEmpty { headers.append(HTTPHeader("Content-Type", "application/json")) }
        return ClusterRequest(method: method, path: pieces[0], query: pieces.count == 2 ? pieces[1] : nil, headers: headers, body: Array(body.utf8))
    }

    static let passwords = ["alice": "alice-pw", "bob": "bob-pw", "admin": "admin-pw", "disabled_user": "bob-pw", "hidden_user": "bob-pw", "dora": "bob-pw"]

    /// Sends as an internal user of the fixture (its password looked up), or unauthenticated.
    static func send(_ cluster: SimulatedCluster, _ method: String, _ target: String, as user: String?, body: String = "",
                     peer: PeerIdentity = PeerIdentity(remoteAddress: "127.0.0.1:50000")) -> SimulatedExchange {
        cluster.respond(to: request(method, target, user: user, password: user.flatMap { passwords[$0] } ?? "", body: body), peer: peer)
    }

    static func text(_ response: ClusterResponse) -> String { String(decoding: response.body, as: UTF8.self) }
}

@Suite("Simulated cluster: passwords through crypt(3)")
struct SimulatedPasswordTests {
    let hasher = SystemCryptHasher(cost: 4)

    // data/samples/acme/internal_users.yml: admin's hash is the demo configuration's hash of "admin".
    @Test func bundledSampleAdminHashVerifies() {
        let hash = "$2y$12$VcCDgh2NDk07JGN0rjGbM.Ad41qVR/YFJcgHp0UGns5JDymv..TOG"
        #expect(hasher.verify("admin", against: hash))
        #expect(!hasher.verify("Admin", against: hash))
    }

    // The OpenWall crypt_blowfish test vector ("U*U", cost 5, $2a$).
    @Test func publicBcryptVector() {
        #expect(hasher.verify("U*U", against: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
        #expect(!hasher.verify("U*V", against: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
    }

    @Test func hashRoundTripWithThePluginsPrefix() throws {
        let hash = try #require(hasher.hash("s3cret!"))
        #expect(hash.hasPrefix("$2y$04$"))
        #expect(hash.utf8.count == 60)
        #expect(hasher.verify("s3cret!", against: hash))
        #expect(!hasher.verify("s3cret", against: hash))
        #expect(hasher.hash("s3cret!") != hash)
    }

    @Test func nonBcryptHashesNeverMatch() {
        // A DES crypt of "password" with salt "ab": crypt(3) would accept it, the plugin would not.
        #expect(!hasher.verify("password", against: "abJnggxhB/yWI"))
        #expect(!hasher.verify("", against: ""))
    }
}

@Suite("Simulated cluster: GET /, authentication, authinfo")
struct SimulatedAuthenticationTests {
    // security-layer-responses.md "GET /": distribution and number per release; Open Distro answers as 7.10.2.
    @Test(arguments: [
        ("opendistro-1.13", "{\n  \"name\" : \"secperm-simulate\",\n  \"cluster_name\" : \"secperm-simulate\",\n  \"cluster_uuid\" : \"c2VjcGVybS1zaW11bGF0ZQ\",\n  \"version\" : {\n    \"number\" : \"7.10.2\",\n    \"build_flavor\" : \"oss\",\n    \"build_type\" : \"tar\",\n    \"build_hash\" : \"0000000000000000000000000000000000000000\",\n    \"build_date\" : \"2026-01-01T00:00:00.000000Z\",\n    \"build_snapshot\" : false,\n    \"lucene_version\" : \"8.7.0\",\n    \"minimum_wire_compatibility_version\" : \"6.8.0\",\n    \"minimum_index_compatibility_version\" : \"6.0.0-beta1\"\n  },\n  \"tagline\" : \"You Know, for Search\"\n}\n"),
        ("opensearch-2.11", "{\n  \"name\" : \"secperm-simulate\",\n  \"cluster_name\" : \"secperm-simulate\",\n  \"cluster_uuid\" : \"c2VjcGVybS1zaW11bGF0ZQ\",\n  \"version\" : {\n    \"distribution\" : \"opensearch\",\n    \"number\" : \"2.11.0\",\n    \"build_type\" : \"tar\",\n    \"build_hash\" : \"0000000000000000000000000000000000000000\",\n    \"build_date\" : \"2026-01-01T00:00:00.000000Z\",\n    \"build_snapshot\" : false,\n    \"lucene_version\" : \"9.7.0\",\n    \"minimum_wire_compatibility_version\" : \"7.10.0\",\n    \"minimum_index_compatibility_version\" : \"7.0.0\"\n  },\n  \"tagline\" : \"The OpenSearch Project: https://opensearch.org/\"\n}\n"),
    ])
    func mainEndpoint(target: String, expected: String) throws {
        let cluster = try Simulation.cluster(target)
        let exchange = Simulation.send(cluster, "GET", "/", as: "admin")
        #expect(exchange.response.status == 200)
        #expect(Simulation.text(exchange.response) == expected)
        #expect(exchange.log.actionsChecked == ["cluster:monitor/main"])
    }

    @Test func mainEndpointOpenSearch3() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let text = Simulation.text(Simulation.send(cluster, "GET", "/?pretty=false", as: "admin").response)
        #expect(text.contains("\"version\":{\"distribution\":\"opensearch\",\"number\":\"3.8.0\""))
        #expect(text.hasSuffix("\"tagline\":\"The OpenSearch Project: https://opensearch.org/\"}"))
    }

    // security-layer-responses.md "Authentication failures": 401, realm per flavor, body Unauthorized.
    @Test(arguments: [("opensearch-2.11", "OpenSearch Security"), ("opendistro-1.13", "Open Distro Security")])
    func missingOrWrongCredentials(target: String, realm: String) throws {
        let cluster = try Simulation.cluster(target)
        for request in [Simulation.request("GET", "/"), Simulation.request("GET", "/", user: "alice", password: "wrong"),
                        Simulation.request("GET", "/", user: "nobody", password: "x"),
                        Simulation.request("GET", "/", user: "disabled_user", password: "bob-pw")] {
            let exchange = cluster.respond(to: request, peer: PeerIdentity())
            #expect(exchange.response.status == 401)
            #expect(exchange.response.header("www-authenticate") == "Basic realm=\"\(realm)\"")
            #expect(Simulation.text(exchange.response) == "Unauthorized")
            #expect(exchange.log.outcome == .unauthenticated)
            #expect(exchange.log.user == nil)
        }
    }

    // Admin DN match: javax.naming.ldap.LdapName equality (case, spaces around separators).
    @Test func adminCertificateIsSuperAdmin() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let peer = PeerIdentity(clientCertificateDN: "cn=KIRK, ou=client,o=client, l=test,c=DE", remoteAddress: "127.0.0.1:4000", isTLS: true)
        let exchange = cluster.respond(to: Simulation.request("GET", "/_plugins/_security/authinfo"), peer: peer)
        #expect(exchange.response.status == 200)
        let text = Simulation.text(exchange.response)
        #expect(text.contains("\"principal\":\"cn=KIRK, ou=client,o=client, l=test,c=DE\",\"peer_certificates\":\"1\""))
        let other = PeerIdentity(clientCertificateDN: "CN=spock,OU=client,O=client,L=test,C=de", remoteAddress: "127.0.0.1:4000", isTLS: true)
        #expect(cluster.respond(to: Simulation.request("GET", "/"), peer: other).response.status == 401)
    }

    // rest/SecurityInfoAction.java: field order; lists in HashSet/HashMap order before 3.1 (the
    // orders below were checked with java.util.HashSet/HashMap in jshell).
    @Test func authinfoForAnInternalUser() throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let exchange = Simulation.send(cluster, "GET", "/_plugins/_security/authinfo", as: "alice")
        #expect(exchange.response.status == 200)
        #expect(Simulation.text(exchange.response) == """
            {"user":"User [name=alice, backend_roles=[analysts, eu-staff], requestedTenant=null]","user_name":"alice","user_requested_tenant":null,\
            "remote_address":"127.0.0.1:50000","backend_roles":["analysts","eu-staff"],"custom_attribute_names":["attr.internal.department"],\
            "roles":["analyst"],"tenants":{"analytics":true,"global_tenant":false,"alice":true},"principal":null,"peer_certificates":"0","sso_logout_url":null}
            """)
    }

    @Test func accountForAnInternalUser() throws {
        let cluster = try Simulation.cluster("opensearch-3")
        let exchange = Simulation.send(cluster, "GET", "/_plugins/_security/api/account", as: "bob")
        #expect(Simulation.text(exchange.response) == """
            {"user_name":"bob","is_reserved":false,"is_hidden":false,"is_internal_user":true,"user_requested_tenant":null,\
            "backend_roles":["writers"],"custom_attribute_names":[],"tenants":{"bob":true},"roles":["writer"]}
            """)
    }

    @Test func inProcessClusterConformsToTheSeam() async throws {
        let cluster = try Simulation.cluster("opensearch-2.11")
        let client: any Cluster = cluster.inProcess()
        let response = try await client.send(Simulation.request("GET", "/_plugins/_security/authinfo", user: "bob", password: "bob-pw"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=UTF-8")
    }
}

@Suite("Simulated cluster: Java hash order")
struct JavaHashOrderTests {
    // Checked against java.util.HashSet in jshell: 13 keys force a resize to 32 buckets.
    @Test func matchesJavaHashSetIteration() {
        let keys = ["eu-staff", "analysts", "alice", "global_tenant", "analytics"]
        #expect(JavaHashOrder.order(keys) == ["analytics", "analysts", "global_tenant", "eu-staff", "alice"])
        let roles = (0..<13).map { "role\($0)" }
        #expect(JavaHashOrder.order(roles) == ["role0", "role12", "role1", "role11", "role10", "role4", "role5", "role2", "role3", "role8", "role9", "role6", "role7"])
    }
}

@Suite("Simulated cluster: configuration that does not load")
struct SimulatedInitializationTests {
    // security-layer-responses.md "Authentication failures": a dynamic entry named like a static one
    // stops the configuration from loading before 3.4 (503); from 3.4 the static entry wins.
    @Test(arguments: [("opensearch-2.11", 503), ("opensearch-3", 200)])
    func customEntryNamedLikeAStaticOne(target: String, status: Int) throws {
        let profile = try #require(TargetProfile(parsing: target))
        var documents = try SecurityDocuments.read(directory: Simulation.fixture, profile: profile)
        var roles = documents.entries(.roles)
        roles["kibana_user"] = .map(["cluster_permissions": .list([.string("*")])])
        documents.setEntries(.roles, roles)
        let cluster = try SimulatedCluster(documents: documents, catalog: Catalog(profile: profile), adminDNs: [])
        let exchange = Simulation.send(cluster, "GET", "/", as: "admin")
        #expect(exchange.response.status == status)
        #expect(cluster.initializationProblems.isEmpty == (status == 200))
        if status == 503 { #expect(Simulation.text(exchange.response) == "OpenSearch Security not initialized.") }
    }
}

@Suite("Simulated cluster: the bundled sample")
struct SimulatedSampleTests {
    // data/samples/acme: admin's hash is the demo configuration's hash of "admin" (cost 12).
    @Test func adminLogsInWithTheDemoPassword() throws {
        let cluster = try SimulatedCluster(configDirectory: Paths.sample, catalog: Catalog(profile: .default))
        let exchange = cluster.respond(to: Simulation.request("GET", "/_plugins/_security/authinfo", user: "admin", password: "admin"),
                                       peer: PeerIdentity(remoteAddress: "127.0.0.1:9"))
        #expect(exchange.response.status == 200)
        let text = Simulation.text(exchange.response)
        #expect(text.hasPrefix("{\"user\":\"User [name=admin, backend_roles=[admin], requestedTenant=null]\",\"user_name\":\"admin\""))
        #expect(text.contains("\"roles\":[\"all_access\",\"public_reader\"]"))
        #expect(exchange.log.jsonLine == "{\"user\":\"admin\",\"method\":\"GET\",\"path\":\"/_plugins/_security/authinfo\",\"route\":\"GET {prefix}/authinfo\",\"actions\":[],\"decision\":\"allowed\",\"status\":200}")
    }
}

@Suite("Simulated cluster: tenants in authinfo")
struct SimulatedTenantTests {
    // Before 3.1 (ConfigModelV7.mapTenants, also Open Distro) all_access / kibana_user add
    // global_tenant: true; bob (no tenant permissions) sees only his private tenant.
    @Test(arguments: [("opendistro-1.13", "{\"bob\":true}"), ("opensearch-3", "{\"bob\":true}")])
    func privateTenantOnly(target: String, expected: String) throws {
        let cluster = try Simulation.cluster(target)
        let prefix = target.hasPrefix("opendistro") ? "/_opendistro/_security" : "/_plugins/_security"
        let text = Simulation.text(Simulation.send(cluster, "GET", prefix + "/authinfo", as: "bob").response)
        #expect(text.contains("\"tenants\":\(expected),"))
    }

    // The authinfo table is the one the tenant decisions read (TenantRules.table()): 3.1+
    // `TenantPrivileges.tenantMap` asks `hasTenantPrivilege` per defined tenant, whose legacy block
    // (3.1.0.0 line 200; 3.7+ with the legacy evaluator) opens global_tenant to kibana_user without
    // a read grant — so 3.x lists it too, as `check --tenant global_tenant` allows it.
    @Test(arguments: [("opensearch-2.11", "{\"global_tenant\":true,\"dora\":true}"), ("opendistro-1.13", "{\"global_tenant\":true,\"dora\":true}"),
                      ("opensearch-3", "{\"global_tenant\":true,\"dora\":true}")])
    func legacyGlobalTenantForKibanaUser(target: String, expected: String) throws {
        let cluster = try Simulation.cluster(target)
        let prefix = target.hasPrefix("opendistro") ? "/_opendistro/_security" : "/_plugins/_security"
        let text = Simulation.text(Simulation.send(cluster, "GET", prefix + "/authinfo", as: "dora").response)
        #expect(text.contains("\"roles\":[\"kibana_user\"],\"tenants\":\(expected),"))
    }
}

@Suite("Simulated cluster: documents from a model")
struct SimulatedModelDocumentsTests {
    // A synthetic configuration (the benchmark's) served with one known hash for every user: the
    // roles authinfo reports are the ones the evaluator maps for the same subject.
    @Test func syntheticConfigurationServes() throws {
        var size = SyntheticConfig.Size()
        size.roles = 40
        size.patterns = 200
        size.users = 30
        size.actionGroups = 10
        size.backendRoles = 15
        let synthetic = SyntheticConfig(size: size)
        let hash = "$2b$04$XfuuyMldyqNIbY5U4/Nt5uZX9aMGyqJJLqNOVCQs7jKzgIlVEREU6"
        let hashes = Dictionary(uniqueKeysWithValues: synthetic.config.internalUsers.keys.map { ($0, hash) })
        let documents = SecurityDocuments(config: synthetic.config, passwordHashes: hashes)
        let catalog = Catalog(profile: .default)
        let cluster = try SimulatedCluster(documents: documents, catalog: catalog)
        let evaluator = Evaluator(config: synthetic.config, catalog: catalog)
        let user = try #require(synthetic.config.internalUsers.keys.sorted().first)
        let exchange = cluster.respond(to: Simulation.request("GET", "/_plugins/_security/authinfo", user: user, password: "bob-pw"), peer: PeerIdentity())
        #expect(exchange.response.status == 200)
        let subject = try SubjectResolver.resolve(SubjectRequest(user: user), config: evaluator.config).subject
        let expected = evaluator.context(for: subject).mapped.map(\.name)
        let body = try #require(ConfigValue.parseJSON(exchange.response.body))
        #expect(body.map?["roles"]?.list?.compactMap(\.string) == expected)
        #expect(cluster.documents.documents[.roles]?.map?.count == synthetic.config.roles.count + 1)
    }
}

@Suite("Simulated cluster: admin DNs from node settings")
struct SimulatedAdminDNTests {
    @Test func readsTheProfilesKey() throws {
        let file = Paths.scratch.appendingPathComponent("secperm-sim-\(UUID().uuidString).yml")
        try Data("plugins.security.authcz.admin_dn:\n  - \"CN=kirk,OU=client,O=client,L=test,C=de\"\nopendistro_security.authcz.admin_dn: [\"CN=old\"]\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try SimulatedCluster.adminDNs(settingsFile: file.path, profile: .default) == ["CN=kirk,OU=client,O=client,L=test,C=de"])
        let odfe = try #require(TargetProfile(parsing: "opendistro-1.13"))
        #expect(try SimulatedCluster.adminDNs(settingsFile: file.path, profile: odfe) == ["CN=old"])
        #expect(try SimulatedCluster.adminDNs(settingsFile: nil, profile: .default) == [])
    }
}

@Suite("Simulated cluster: a broken configuration")
struct SimulatedBrokenConfigTests {
    // simulate refuses to start with the loader's file:line message.
    @Test func refusesWithTheLoadersMessage() throws {
        let directory = Paths.scratch.appendingPathComponent("secperm-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("_meta:\n  type: \"roles\"\n  config_version: 2\nreader:\n  cluster_permissions: [\"a\"\n".utf8)
            .write(to: directory.appendingPathComponent("roles.yml"))
        do {
            _ = try SimulatedCluster(configDirectory: directory.path, catalog: Catalog(profile: .default))
            Issue.record("a broken roles.yml was accepted")
        } catch {
            let first = try #require(error.diagnostics.first)
            #expect(first.severity == .error)
            #expect(first.location?.file == directory.appendingPathComponent("roles.yml").path)
            #expect((first.location?.line ?? 0) >= 5)
        }
    }
}
