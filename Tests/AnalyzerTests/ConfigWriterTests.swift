import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// Load → write → load gives the same model, for every configuration the tests have.
@Suite("Config writer round trip")
struct ConfigWriterRoundTripTests {
    /// Every folder under Tests/Fixtures that holds securityadmin files, with the profile its
    /// scenario pins in a `target` file beside it (else the default).
    static let fixtureDirectories: [String] = {
        let root = Paths.fixtures
        let names = Set(ConfigType.allCases.map(\.fileName))
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var directories = Set<String>()
        while let url = walker?.nextObject() as? URL {
            if names.contains(url.lastPathComponent) { directories.insert(url.deletingLastPathComponent().path) }
        }
        return directories.sorted()
    }()

    static func profile(for directory: String) throws -> TargetProfile {
        let target = URL(fileURLWithPath: directory).deletingLastPathComponent().appendingPathComponent("target")
        guard let text = try? String(contentsOf: target, encoding: .utf8) else { return .default }
        return try #require(TargetProfile(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Writes the securityadmin files into a fresh directory and loads them again.
    static func reload(_ config: SecurityConfig, profile: TargetProfile = .default) throws -> (config: SecurityConfig, files: [String: String]) {
        let url = Paths.scratch.appendingPathComponent("secperm-written-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        var files: [String: String] = [:]
        for (name, text) in try ConfigWriter(config).securityadminFiles() {
            files[name] = text
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        do {
            return (try ConfigLoader(profile: profile).load(from: url.path).config, files)
        } catch {
            Issue.record("the written files do not load: \(error.diagnostics.map(\.description))\n\(files)")
            throw error
        }
    }

    static func expectRoundTrip(_ config: SecurityConfig, profile: TargetProfile = .default, _ label: String) throws {
        let (reloaded, files) = try reload(config, profile: profile)
        #expect(ModelDump.text(reloaded) == ModelDump.text(config), "\(label): the model changed through write + load")
        // Writing what was read back gives the same text: nothing drifts on a second pass.
        let (_, again) = try reload(reloaded, profile: profile)
        #expect(again == files, "\(label): a second write differs from the first")
    }

    @Test("every field of every type, in file order, with strings YAML reads specially")
    func everyField() throws {
        let directory = Paths.fixtures.appendingPathComponent("writer/every_field").path
        let config = try ConfigLoader().load(from: directory).config
        #expect(config.presentTypes.count == 9)
        try Self.expectRoundTrip(config, "every_field")
    }

    @Test("the bundled sample (data/samples/acme)")
    func bundledSample() throws {
        try Self.expectRoundTrip(try ConfigLoader().load(from: Paths.sample).config, "sample")
        try Self.expectRoundTrip(try ConfigLoader().loadBundledSample().config, "embedded sample")
    }

    @Test("every configuration folder under Tests/Fixtures (scenarios, conformance, writer)", arguments: fixtureDirectories)
    func fixture(_ directory: String) throws {
        let profile = try Self.profile(for: directory)
        try Self.expectRoundTrip(try ConfigLoader(profile: profile).load(from: directory).config, profile: profile, directory)
    }

    @Test("a configuration read from security index documents (base64 JSON) round-trips too")
    func indexDocuments() throws {
        let writer = ConfigWriter(try ConfigLoader().load(from: Paths.sample).config)
        var documents: [String] = []
        for type in [ConfigType.roles, .rolesmapping, .actiongroups, .internalusers, .tenants, .config] {
            // An index document is the securityadmin document as JSON: _meta, then the entries.
            var members = ["\"_meta\": {\"type\": \"\(type.rawValue)\", \"config_version\": 2}"]
            members += try writer.restBodies(type, asAdmin: true).map { "\"\($0.name)\": \($0.body)" }
            documents.append("\"\(type.rawValue)\": \"\(Data("{\(members.joined(separator: ", "))}".utf8).base64EncodedString())\"")
        }
        let loaded = try ConfigLoader().load(text: "{\(documents.joined(separator: ", "))}", name: "docs.json").config
        #expect(loaded.roles.count == 11 && loaded.internalUsers["alice"]?.hasPasswordHash == true)
        #expect(loaded.roles.keys == writer.config.roles.keys)
        try Self.expectRoundTrip(loaded, "index documents")
    }

    @Test("the fixture walk finds the scenario and writer folders")
    func fixtureWalk() {
        let relative = Self.fixtureDirectories.map { String($0.dropFirst(Paths.fixtures.path.count + 1)) }
        #expect(relative.contains("writer/every_field"))
        #expect(relative.contains("scenarios/service_and_disabled_users/config"))
        #expect(relative.count >= 12)
    }

    @Test("the bench generator's configuration")
    func synthetic() throws {
        var config = SyntheticConfig().config
        #expect(config.roles.count == 1_000 && config.internalUsers.count == 5_000)
        // Generated, not read: the reload knows which files it read.
        config.presentTypes = Set(ConfigWriter(config).writtenTypes.map(\.rawValue))
        try Self.expectRoundTrip(config, "synthetic")
    }

    @Test("the round trip sees a lost field: a mutated model does not compare equal")
    func dumpSeesChanges() throws {
        let config = try ConfigLoader().load(from: Paths.sample).config
        var changed = config
        let alice = try #require(config.internalUsers["alice"])
        changed.internalUsers["alice"] = InternalUser(name: alice.name, location: alice.location, flags: alice.flags,
                                                      passwordHash: Secret("other"), backendRoles: alice.backendRoles,
                                                      attributes: alice.attributes, description: alice.description)
        #expect(ModelDump.text(changed) != ModelDump.text(config))
        var reordered = config
        let first = try #require(config.roles.keys.first)
        reordered.roles[first] = nil
        reordered.roles[first] = config.roles[first]
        #expect(ModelDump.text(reordered) != ModelDump.text(config))
    }
}

/// The round trip compares a model with itself; this pins what loading keeps in the first place.
@Suite("Config loading keeps every field")
struct LosslessLoadingTests {
    @Test("every key of every type in writer/every_field is in the model, in file order")
    func everyField() throws {
        let directory = Paths.fixtures.appendingPathComponent("writer/every_field").path
        let config = try ConfigLoader().load(from: directory).config
        #expect(config.roles.keys == ["zeta_reader", "alpha_writer", "yes", "5", "empty_role"])
        let zeta = try #require(config.roles["zeta_reader"])
        #expect(zeta.flags == EntryFlags(reserved: true, hidden: true, isStatic: false))
        #expect(zeta.indexPermissions[0].maskedFields == ["email::SHA-512", "phone"])
        #expect(zeta.indexPermissions[0].fls == ["~ssn", "name"])
        #expect(zeta.indexPermissions[0].dls == #"{"bool": {"must": {"match": {"owner": "${user.name}"}}}}"#)
        #expect(zeta.indexPermissions[1].dls == "{\n  \"term\": { \"region\": \"eu\" }\n}\n")
        #expect(zeta.indexPermissions[2].indexPatterns.map(\.value).prefix(6) == ["&weird", "*", "yes", "no", "on", "off"])
        #expect(zeta.tenantPermissions[0].tenantPatterns.map(\.value) == ["analytics", "human_resources"])
        #expect(config.roles["alpha_writer"]?.flags.isStatic == true)

        let mapping = try #require(config.roleMappings["zeta_reader"])
        #expect(mapping.description == "everything a mapping has" && mapping.flags.hidden)
        #expect(config.roleMappings.keys == ["zeta_reader", "alpha_writer", "yes"])

        #expect(config.actionGroups.keys == ["zz_group", "aa_group", "no_actions"])
        #expect(config.actionGroups["zz_group"]?.type == "index" && config.actionGroups["zz_group"]?.description == "nested: a group in a group")

        let zed = try #require(config.internalUsers["zed"])
        #expect(zed.passwordHash?.reveal() == "$2y$12$J1vSLYrbbG9N9ZqGmE5aUOUK1cy0W0EUmPPFqsCE0dHtFR0kEkZ5a")
        #expect(zed.attributes.keys == ["zone", "department", "level", "flag"])
        #expect(zed.attributes.values == ["eu", "sales", "5", "no"])
        #expect(zed.flags == EntryFlags(reserved: true, hidden: true, isStatic: true))
        #expect(config.internalUsers["svc"]?.passwordHash?.reveal() == "")
        #expect(config.internalUsers["plain"]?.password?.reveal() == "a clear-text password: only REST PUT accepts it")

        #expect(config.tenants.keys == ["human_resources", "analytics"])
        #expect(config.nodesDN.keys == ["cluster_b", "cluster_a"])
        #expect(config.nodesDN["cluster_a"]?.nodesDN.map(\.value) == ["CN=node1.a.example.com", "CN=node2.a.example.com"])
        #expect(config.audit?.content[path: "config.compliance.read_watched_fields"] == .map(["customers*": .list([.string("ssn")])]))
        #expect(config.allowlist?.content[path: "config.enabled"] == .bool(false))
        #expect(config.allowlist?.content[path: "config.requests"]?.map?.keys.sorted() == ["/_cat/nodes", "/_cluster/settings"])
        #expect(config.dynamic.raw[path: "authz.roles_from_myldap.authorization_backend.config.hosts"] == .list([.string("localhost:8389"), .string("yes")]))
    }

    @Test("nodes_dn entries accept only nodes_dn (upstream NodesDn)")
    func nodesDNKeys() {
        let text = "_meta:\n  type: \"nodesdn\"\n  config_version: 2\nc1:\n  nodes_dn: [\"CN=a\"]\n  nodes: [\"CN=b\"]\n"
        #expect(throws: InputError.self) { try ConfigLoader().load(text: text, name: "nodes_dn.yml") }
    }
}

@Suite("Config writer output")
struct ConfigWriterOutputTests {
    static let here = SourceLocation(file: "test", line: 1)

    static func located(_ values: [String]) -> [Located<String>] { values.map { Located($0, at: here) } }

    @Test("entries keep file order through load, and are written in that order")
    func order() throws {
        let text = "_meta:\n  type: \"roles\"\n  config_version: 2\nzulu: {}\nalpha: {}\nmike: {}\n"
        let config = try ConfigLoader().load(text: text, name: "roles.yml").config
        #expect(config.roles.keys == ["zulu", "alpha", "mike"])
        #expect(config.roles.values.map(\.name) == ["zulu", "alpha", "mike"])
        #expect(try ConfigWriter(config).securityadminFile(.roles) == """
            _meta:
              type: roles
              config_version: 2

            zulu: {}

            alpha: {}

            mike: {}

            """)
    }

    @Test("strings YAML would read as something else are quoted; regexes are written as they are")
    func quoting() throws {
        let role = Role(name: "yes", location: Self.here, description: "a: b # c",
                        clusterPermissions: Self.located(["on", "5", "null", "&anchor", "*", "1:20", "<<", "indices:data/read/*"]),
                        indexPermissions: [IndexPermission(location: Self.here, indexPatterns: Self.located(["/metrics-\\d{4}/", "2024-01-01"]),
                                                           allowedActions: Self.located(["read"]), dls: "{\"term\": {\"a\": 1}}"),
                                           IndexPermission(location: Self.here, indexPatterns: Self.located(["x"]), allowedActions: Self.located(["read"]),
                                                           dls: "{\n  \"term\": {\"a\": 1}\n}\n")])
        #expect(try ConfigWriter.rolesSnippet([role]) == """
            'yes':
              description: 'a: b # c'
              cluster_permissions:
              - 'on'
              - '5'
              - 'null'
              - '&anchor'
              - '*'
              - '1:20'
              - '<<'
              - indices:data/read/*
              index_permissions:
              - index_patterns:
                - /metrics-\\d{4}/
                - '2024-01-01'
                dls: '{"term": {"a": 1}}'
                allowed_actions:
                - read
              - index_patterns:
                - x
                dls: |
                  {
                    "term": {"a": 1}
                  }
                allowed_actions:
                - read

            """)
    }

    @Test("_meta names the type and config_version 2 (reference §7)")
    func meta() throws {
        var config = SecurityConfig()
        config.presentTypes = ["rolesmapping", "nodesdn"]
        let writer = ConfigWriter(config)
        #expect(writer.writtenTypes == [.rolesmapping, .nodesdn])
        #expect(try writer.securityadminFile(.rolesmapping) == "_meta:\n  type: rolesmapping\n  config_version: 2\n")
        #expect(try writer.securityadminFiles().map(\.fileName) == ["roles_mapping.yml", "nodes_dn.yml"])
    }

    @Test("a service account keeps enabled; a disabled user says so; others leave enabled out (upstream InternalUserV7)")
    func userEnabled() throws {
        var config = SecurityConfig()
        config.internalUsers["svc"] = InternalUser(name: "svc", location: Self.here, passwordHash: Secret(""), isService: true)
        config.internalUsers["gone"] = InternalUser(name: "gone", location: Self.here, enabled: false)
        config.internalUsers["plain"] = InternalUser(name: "plain", location: Self.here, attributes: ["z": "1", "a": "yes"])
        #expect(try ConfigWriter(config).securityadminFile(.internalusers) == """
            _meta:
              type: internalusers
              config_version: 2

            svc:
              hash: ''
              service: true
              enabled: true

            gone:
              enabled: false

            plain:
              attributes:
                z: '1'
                a: 'yes'

            """)
    }
}

@Suite("Config writer: REST API bodies")
struct ConfigWriterRESTTests {
    static let here = SourceLocation(file: "test", line: 1)

    static func sampleConfig() throws -> SecurityConfig {
        try ConfigLoader().load(from: Paths.fixtures.appendingPathComponent("writer/every_field").path).config
    }

    @Test("a role's PUT body has only the keys RolesApiAction accepts; reserved and hidden only as admin")
    func roleBody() throws {
        let config = try Self.sampleConfig()
        let writer = ConfigWriter(config)
        let asUser = try writer.restBodies(.roles, asAdmin: false)
        // alpha_writer is static: the API refuses to change it.
        #expect(asUser.map(\.name) == ["zeta_reader", "yes", "5", "empty_role"])
        #expect(asUser[1].body == """
            {
              "cluster_permissions" : [
                "cluster_monitor"
              ],
              "description" : "a role named yes"
            }
            """)
        let asAdmin = try writer.restBodies(.roles, asAdmin: true)
        let adminKeys = try Self.keys(asAdmin[0].body), userKeys = try Self.keys(asUser[0].body)
        #expect(adminKeys == ["cluster_permissions", "description", "hidden", "index_permissions", "reserved", "tenant_permissions"])
        #expect(userKeys == ["cluster_permissions", "description", "index_permissions", "tenant_permissions"])
    }

    @Test("a user's PUT body carries the hash (InternalUsersApiAction accepts hash and password), never enabled/service/static")
    func userBody() throws {
        let bodies = try ConfigWriter(try Self.sampleConfig()).restBodies(.internalusers, asAdmin: true)
        #expect(bodies.map(\.name) == ["svc", "gone", "plain"])
        #expect(bodies[1].body == """
            {
              "hash" : "$2y$12$abc"
            }
            """)
        #expect(try Self.keys(bodies[2].body) == ["password"])
    }

    @Test("settings bodies: securityconfig {dynamic}, audit and allowlist their config object")
    func settingsBodies() throws {
        let writer = ConfigWriter(try Self.sampleConfig())
        #expect(try Self.keys(try #require(writer.restBodies(.config, asAdmin: true).first).body) == ["dynamic"])
        #expect(try Self.keys(try #require(writer.restBodies(.audit, asAdmin: true).first).body) == ["audit", "compliance", "enabled"])
        #expect(try writer.restBodies(.allowlist, asAdmin: true).first?.body == """
            {
              "enabled" : false,
              "requests" : {
                "/_cat/nodes" : [
                  "GET"
                ],
                "/_cluster/settings" : [
                  "GET"
                ]
              }
            }
            """)
        #expect(try writer.restBodies(.nodesdn, asAdmin: false).map(\.name) == ["cluster_b", "cluster_a"])
    }

    @Test("REST bodies loaded back as a bundle give the same entries (static ones and users' enabled/service aside)")
    func restRoundTrip() throws {
        let config = try ConfigLoader().load(from: Paths.sample).config
        let writer = ConfigWriter(config)
        // Assembled as text: a JSON object read into a dictionary would lose the entry order.
        func quoted(_ text: String) throws -> String { String(decoding: try JSONEncoder().encode(text), as: UTF8.self) }
        var sections: [String] = []
        for type in [ConfigType.roles, .rolesmapping, .actiongroups, .internalusers, .tenants] {
            let entries = try writer.restBodies(type, asAdmin: true).map { "\(try quoted($0.name)): \($0.body)" }
            sections.append("\(try quoted(type.rawValue)): {\(entries.joined(separator: ",\n"))}")
        }
        sections.append("\"config\": \(try #require(writer.restBodies(.config, asAdmin: true).first).body)")
        let text = "{\(sections.joined(separator: ",\n"))}"
        let reloaded = try ConfigLoader().load(text: text, name: "bundle.json").config
        #expect(reloaded.roles.keys == config.roles.keys)
        #expect(ModelDump.text(reloaded.roles) == ModelDump.text(config.roles))
        #expect(ModelDump.text(reloaded.roleMappings) == ModelDump.text(config.roleMappings))
        #expect(ModelDump.text(reloaded.actionGroups) == ModelDump.text(config.actionGroups))
        #expect(ModelDump.text(reloaded.internalUsers) == ModelDump.text(config.internalUsers))
        #expect(ModelDump.text(reloaded.tenants) == ModelDump.text(config.tenants))
        #expect(ModelDump.text(reloaded.dynamic) == ModelDump.text(config.dynamic))
    }

    static func keys(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return object.keys.sorted()
    }
}

@Suite("Secrets are never printed")
struct SecretRedactionTests {
    @Test("description, debug description, dump, interpolation of the user and JSON encoding hide the hash")
    func redacted() throws {
        let hash = "$2y$12$J1vSLYrbbG9N9ZqGmE5aUOUK1cy0W0EUmPPFqsCE0dHtFR0kEkZ5a"
        let config = try ConfigLoader().load(from: Paths.sample).config
        let user = try #require(config.internalUsers["alice"])
        #expect(user.passwordHash?.reveal() == hash)
        var dumped = ""
        dump(user, to: &dumped)
        let encoded = String(decoding: try JSONEncoder().encode(user.passwordHash), as: UTF8.self)
        for text in ["\(user)", String(reflecting: user), String(describing: user.passwordHash), dumped, "\(config)", encoded] {
            #expect(!text.contains(hash) && !text.contains("J1vSLYrbb"), "printed: \(text.prefix(200))")
        }
        #expect(encoded == "\"<redacted>\"")
        #expect(String(describing: try #require(user.passwordHash)) == "<redacted>")
    }

    @Test("an empty hash (as GET returns it) is no hash; equal texts compare equal")
    func emptiness() {
        let here = SourceLocation(file: "t", line: 1)
        #expect(!InternalUser(name: "u", location: here, passwordHash: Secret("")).hasPasswordHash)
        #expect(InternalUser(name: "u", location: here, password: Secret("p")).hasPasswordHash)
        #expect(Secret("a") == Secret("a") && Secret("a") != Secret("b"))
    }
}

@Suite("Role suggestion through the writer")
struct RoleSuggestionWriterTests {
    @Test("`actions --suggest-role` prints the writer's roles.yml entry; names YAML would misread come out quoted and load back")
    func suggestionYAML() throws {
        let requirements = [
            Requirement(action: "indices:data/write/bulk", level: .cluster, indices: [], group: 0, conditional: nil, note: nil),
            Requirement(action: "indices:data/write/index", level: .index, indices: ["yes", "2024-01-01"], group: 1, conditional: nil, note: nil),
            Requirement(action: "indices:admin/create", level: .index, indices: ["yes", "2024-01-01"], group: 1, conditional: "index missing", note: nil),
        ]
        let suggestion = RoleSuggestion(name: "on", requirements: requirements, catalog: Catalog(profile: .default), allowBroader: false)
        let yaml = try suggestion.yaml
        #expect(yaml == """
            'on':
              description: Least privilege for the analysed requests (generated by secperm)
              cluster_permissions:
              - indices:data/write/bulk
              index_permissions:
              - index_patterns:
                - 'yes'
                - '2024-01-01'
                allowed_actions:
                - indices:data/write/index

            """)
        let loaded = try ConfigLoader().load(text: "_meta:\n  type: roles\n  config_version: 2\n" + yaml, name: "roles.yml").config
        #expect(ModelDump.text(try #require(loaded.roles["on"])) == ModelDump.text(suggestion.role))
    }
}
