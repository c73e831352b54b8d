import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

@Suite("Config loading (§7)")
struct ConfigLoaderTests {
    let loader = ConfigLoader(profile: .default)

    /// Writes files into a fresh temporary directory.
    func directory(_ files: [String: String]) throws -> String {
        let url = Paths.scratch.appendingPathComponent("secperm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url.path
    }

    func errors(_ body: () throws -> Void) -> [String] {
        inputErrorMessages(body)
    }

    @Test("a securityadmin directory: every type, flags, locations and the parts of config.yml")
    func securityadminDirectory() throws {
        let loaded = try loader.load(from: Paths.sample)
        let config = loaded.config
        #expect(loaded.diagnostics.isEmpty)
        #expect(config.presentTypes == ["config", "roles", "rolesmapping", "internalusers", "actiongroups", "tenants"])
        let analyst = try #require(config.roles["analyst"])
        #expect(analyst.location == SourceLocation(file: "\(Paths.sample)/roles.yml", line: 5, column: 1))
        #expect(analyst.clusterPermissions.map(\.value) == ["cluster_composite_ops_ro"])
        #expect(analyst.indexPermissions.count == 3)
        #expect(analyst.indexPermissions[0].indexPatterns.map(\.value) == ["logs-*", "/metrics-\\d{4}\\.\\d{2}/"])
        #expect(analyst.indexPermissions[0].indexPatterns[1].location.line == 12)
        #expect(analyst.indexPermissions[2].dls == #"{"term": {"region": "eu"}}"#)
        #expect(analyst.indexPermissions[2].fls == ["~ssn"])
        #expect(analyst.tenantPermissions.first?.allowedActions.map(\.value) == ["kibana_all_write"])
        let carol = try #require(config.internalUsers["carol"])
        #expect(carol.securityRoles.map(\.value) == ["snapshot_operator"])
        #expect(carol.backendRoles.map(\.value) == ["ops", "oncall"])
        #expect(carol.hasPasswordHash)
        #expect(config.internalUsers["alice"]?.attributes == ["department": "sales"])
        #expect(config.internalUsers["admin"]?.flags.reserved == true)
        #expect(config.roleMappings["ops"]?.andBackendRoles.map(\.value) == ["ops", "oncall"])
        #expect(config.roleMappings["log_shipper"]?.hosts.map(\.value) == ["10.0.1.*"])
        #expect(config.actionGroups["ops_manage"]?.allowedActions.map(\.value) == ["ops_read", "indices:admin/refresh*", "indices:admin/flush*"])
        #expect(config.tenants.keys.sorted() == ["analytics", "ops"])
        #expect(config.dynamic.doNotFailOnForbidden)
        #expect(config.dynamic.authc.map(\.name) == ["basic_internal_auth_domain", "jwt_auth_domain"])
        #expect(config.dynamic.authc[1].authenticatorType == "jwt")
        #expect(config.dynamic.authc[1].authenticatorConfig?[path: "subject_key"]?.string == "preferred_username")
    }

    @Test("the REST API form: one bundle file; built-in entries in it are skipped")
    func restBundle() throws {
        let bundle = """
            {
              "roles": {"r1": {"cluster_permissions": ["cluster_monitor"], "index_permissions": [], "tenant_permissions": [], "reserved": false, "hidden": false, "static": false},
                        "all_access": {"reserved": true, "hidden": false, "static": true, "cluster_permissions": ["*"]}},
              "rolesmapping": {"r1": {"users": ["u1"], "backend_roles": [], "and_backend_roles": [], "hosts": [], "reserved": false, "hidden": false}},
              "actiongroups": {"g1": {"allowed_actions": ["read"], "type": "index", "reserved": false, "hidden": false, "static": false}},
              "internalusers": {"u1": {"hash": "", "backend_roles": ["b"], "attributes": {"dept": "x"}, "opendistro_security_roles": [], "reserved": false, "hidden": false, "static": false}},
              "tenants": {"t1": {"reserved": false, "hidden": false, "static": false, "description": "T"}},
              "config": {"dynamic": {"do_not_fail_on_forbidden": true}}
            }
            """
        let config = try loader.load(text: bundle, name: "bundle.json").config
        #expect(config.roles.keys.sorted() == ["r1"])
        #expect(config.roles["r1"]?.location.description == "bundle.json:2")
        #expect(config.roleMappings["r1"]?.users.map(\.value) == ["u1"])
        #expect(config.actionGroups["g1"]?.allowedActions.map(\.value) == ["read"])
        #expect(config.internalUsers["u1"]?.attributes == ["dept": "x"])
        #expect(config.internalUsers["u1"]?.hasPasswordHash == false)
        #expect(config.tenants["t1"]?.description == "T")
        #expect(config.dynamic.doNotFailOnForbidden)
    }

    @Test("the REST API form: a directory of <type>.json responses")
    func restDirectory() throws {
        let path = try directory([
            "roles.json": #"{"r1": {"cluster_permissions": ["cluster_monitor"]}}"#,
            "rolesmapping.json": #"{"r1": {"backend_roles": ["ops"]}}"#,
        ])
        let loaded = try loader.load(from: path)
        #expect(loaded.config.roles["r1"]?.clusterPermissions.map(\.value) == ["cluster_monitor"])
        #expect(loaded.config.roleMappings["r1"]?.backendRoles.map(\.value) == ["ops"])
        #expect(loaded.diagnostics.map(\.message) == ["action_groups.yml is missing; secperm treats it as empty",
                                                      "internal_users.yml is missing; secperm treats it as empty"])
    }

    @Test("the security index form: base64 documents, a single hit, and a search response")
    func indexDocuments() throws {
        let roles = #"{"_meta": {"type": "roles", "config_version": 2}, "r1": {"cluster_permissions": ["cluster_monitor"]}}"#
        let mapping = #"{"_meta": {"type": "rolesmapping", "config_version": 2}, "r1": {"users": ["u"]}}"#
        let encodedRoles = Data(roles.utf8).base64EncodedString(), encodedMapping = Data(mapping.utf8).base64EncodedString()

        let documents = try loader.load(text: #"{"roles": "\#(encodedRoles)", "rolesmapping": "\#(encodedMapping)"}"#, name: "docs.json").config
        #expect(documents.roles["r1"]?.clusterPermissions.map(\.value) == ["cluster_monitor"])
        #expect(documents.roles["r1"]?.location.file == "docs.json#roles")
        #expect(documents.roleMappings["r1"]?.users.map(\.value) == ["u"])

        let hit = try loader.load(text: #"{"_index": ".opendistro_security", "_id": "roles", "_source": {"roles": "\#(encodedRoles)"}}"#, name: "hit.json").config
        #expect(hit.roles.keys.sorted() == ["r1"])

        let search = #"{"hits": {"hits": [{"_id": "roles", "_source": {"roles": "\#(encodedRoles)"}}, {"_id": "rolesmapping", "_source": {"rolesmapping": "\#(encodedMapping)"}}]}}"#
        let searched = try loader.load(text: search, name: "search.json").config
        #expect(searched.roles.keys.sorted() == ["r1"])
        #expect(searched.roleMappings.keys.sorted() == ["r1"])

        #expect(errors { _ = try loader.load(text: #"{"roles": "%%%not base64%%%"}"#, name: "bad.json") }
                == ["bad.json:1: error: the 'roles' document is not base64-encoded JSON\n  help: copy the _source field of the .opendistro_security document unchanged"])
    }

    // MARK: bad input, one class per test, exact text

    @Test("malformed YAML: the line and a hint")
    func malformedYAML() throws {
        let text = "_meta:\n  type: roles\n  config_version: 2\nr1:\n  cluster_permissions: [\"a\"\n  index_permissions: []\n"
        #expect(errors { _ = try loader.load(text: text, name: "roles.yml") }
                == ["roles.yml:6: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 5)\n  help: check indentation and that quotes and brackets are closed"])
    }

    @Test("duplicate keys are an error, not a silent overwrite")
    func duplicateKeys() throws {
        let text = "_meta:\n  type: roles\n  config_version: 2\nr1:\n  cluster_permissions: []\nr1:\n  cluster_permissions: [\"*\"]\n"
        #expect(errors { _ = try loader.load(text: text, name: "roles.yml") }
                == ["roles.yml:4: error: duplicate key 'r1' in one mapping\n  help: the plugin would keep only one of them; merge the entries or rename one"])
    }

    /// The plugin's YAML mapper (DefaultObjectMapper, STRICT_DUPLICATE_DETECTION) compares keys as
    /// field names, so as text: a plain `1` and a quoted `"1"` are one key to it, and so are
    /// `true` and `"true"`. Keys differing in case stay different.
    @Test("duplicate keys are compared as text, as the plugin's field names are")
    func duplicateKeysAsText() throws {
        let meta = "_meta:\n  type: roles\n  config_version: 2\n"
        #expect(errors { _ = try loader.load(text: meta + "1:\n  cluster_permissions: []\n\"1\":\n  cluster_permissions: []\n", name: "roles.yml") }
                == ["roles.yml:4: error: duplicate key '1' in one mapping\n  help: the plugin would keep only one of them; merge the entries or rename one"])
        #expect(errors { _ = try loader.load(text: meta + "true:\n  cluster_permissions: []\n'true':\n  cluster_permissions: []\n", name: "roles.yml") }
                == ["roles.yml:4: error: duplicate key 'true' in one mapping\n  help: the plugin would keep only one of them; merge the entries or rename one"])
        let loaded = try loader.load(text: meta + "r1:\n  cluster_permissions: []\nR1:\n  cluster_permissions: []\n", name: "roles.yml")
        #expect(loaded.config.roles.keys.sorted() == ["R1", "r1"])
    }

    /// The bound is found in the same pass over libyaml's events as aliases; the order of the
    /// reports is unchanged: an alias anywhere first, then syntax errors and duplicate keys, then depth.
    @Test("nesting: the first node past the bound is named by its line; aliases and duplicate keys are reported first")
    func nestingBound() throws {
        let deep = "a:\n  b:\n    c: [1]\n"
        let tooDeep = { (depth: Int) in "x.yml:3: error: nested more than \(depth) levels deep\n  help: security configurations nest a few levels; check that this is the file you meant" }
        #expect(errors { _ = try YAMLInput.compose(deep, file: "x.yml", maximumDepth: 3) } == [tooDeep(3)])
        #expect(errors { _ = try YAMLInput.compose(deep, file: "x.yml", maximumDepth: 4) } == [tooDeep(4)])
        #expect(try YAMLInput.compose(deep, file: "x.yml", maximumDepth: 5) != nil)
        #expect(errors { _ = try YAMLInput.compose(deep + "d: &x 1\ne: *x\n", file: "x.yml", maximumDepth: 3) }
                == ["x.yml:5: error: YAML alias *x: the security plugin does not expand aliases (it reads *x as the text \"x\")\n  help: write the value out where the alias is"])
        #expect(errors { _ = try YAMLInput.compose(deep + "a: 2\n", file: "x.yml", maximumDepth: 3) }
                == ["x.yml:1: error: duplicate key 'a' in one mapping\n  help: the plugin would keep only one of them; merge the entries or rename one"])
        #expect(YAMLInput.firstAlias(in: "a: [1, {b: *c}]\n")?.line == 1 && YAMLInput.firstAlias(in: deep) == nil)
    }

    @Test("wrong shapes: one error per problem, each with its line")
    func wrongShapes() throws {
        let text = """
            _meta:
              type: roles
              config_version: 2
            r1:
              cluster_permissions: cluster_all
              index_permissions:
              - index_patterns: ["a"]
                allowed_actions: [["nested"]]
              - "not a mapping"
            r2: "just a string"
            """
        #expect(errors { _ = try loader.load(text: text, name: "roles.yml") } == [
            "roles.yml:5: error: cluster_permissions of role 'r1' must be a list of strings, found a string\n  help: write it as a list: [\"cluster_all\"]",
            "roles.yml:9: error: each entry of index_permissions of role 'r1' must be a mapping, found a string",
            "roles.yml:8: error: allowed_actions must contain only strings, found a list",
            "roles.yml:10: error: entry 'r2' must be a mapping, found a string",
        ])
    }

    @Test("unknown keys: did-you-mean, and config_version 1 names explained")
    func unknownKeys() throws {
        let roles = "_meta:\n  type: roles\n  config_version: 2\nr1:\n  cluster_permission: []\n  indices: {}\n"
        #expect(errors { _ = try loader.load(text: roles, name: "roles.yml") } == [
            "roles.yml:5: error: unknown key 'cluster_permission' in role 'r1'\n  help: did you mean 'cluster_permissions'?",
            "roles.yml:6: error: unknown key 'indices' in role 'r1'\n  help: config_version 1 syntax; config_version 2 uses 'index_permissions' (a list of {index_patterns, allowed_actions})",
        ])
        let mapping = "_meta:\n  type: rolesmapping\n  config_version: 2\nr1:\n  backendroles: [a]\n"
        #expect(errors { _ = try loader.load(text: mapping, name: "roles_mapping.yml") } == [
            "roles_mapping.yml:5: error: unknown key 'backendroles' in role mapping 'r1'\n  help: config_version 1 syntax; config_version 2 uses 'backend_roles'",
        ])
    }

    @Test("_meta: wrong type, missing type, missing section per release, config_version 1 with migration advice")
    func meta() throws {
        let path = try directory(["roles.yml": "_meta:\n  type: rolesmapping\n  config_version: 2\n"])
        #expect(errors { _ = try loader.load(from: path) } == [
            "\(path)/roles.yml:2: error: _meta.type is 'rolesmapping' but roles.yml must have type 'roles' (that is the type of roles_mapping.yml)\n  help: expected _meta: {type: \"roles\", config_version: 2}",
        ])
        let noType = try directory(["roles.yml": "_meta:\n  config_version: 2\n"])
        #expect(errors { _ = try loader.load(from: noType) } == [
            "\(noType)/roles.yml:1: error: _meta has no type\n  help: expected _meta: {type: \"roles\", config_version: 2}",
        ])
        let noMeta = try directory(["roles.yml": "r1:\n  cluster_permissions: []\n"])
        #expect(errors { _ = try ConfigLoader(profile: TargetProfile(parsing: "opensearch-2.19")!).load(from: noMeta) } == [
            "\(noMeta)/roles.yml:1: error: no _meta section: opensearch-2.19 reads this file as config_version 1\n  help: add _meta: {type: \"roles\", config_version: 2} at the top; if the file really is config_version 1, see the migration hint of config_version 1 files",
        ])
        let loaded = try loader.load(from: noMeta)
        #expect(loaded.diagnostics.map(\.message) .first == "no _meta section; opensearch-3.8 assumes config_version 2")
        let v1 = try directory(["roles.yml": "_meta:\n  type: roles\n  config_version: 1\n"])
        #expect(errors { _ = try loader.load(from: v1) } == [
            "\(v1)/roles.yml:3: error: roles.yml is config_version 1 (the Search Guard 6 / Open Distro 0.x format); secperm reads config_version 2\n  help: opensearch-3.8 cannot load config_version 1 at all (support was removed in OpenSearch 3.0); migrate it on an OpenSearch 1.x/2.x cluster with `securityadmin.sh -migrate`, then back it up with `-backup`",
        ])
        #expect(errors { _ = try ConfigLoader(profile: TargetProfile(parsing: "opensearch-2.11")!).load(from: v1) }.first?.contains("run `securityadmin.sh -migrate <dir>` against a cluster of opensearch-2.11") == true)
    }

    @Test("paths that hold no configuration")
    func emptyInputs() throws {
        let empty = try directory([:])
        #expect(errors { _ = try loader.load(from: empty) } == [
            "error: \(empty) contains no security configuration files\n  help: expected securityadmin files such as roles.yml, roles_mapping.yml, action_groups.yml, internal_users.yml (or REST API JSON such as roles.json)",
        ])
        #expect(errors { _ = try loader.load(text: "{\"x\": {}}", name: "mystery.json") } == [
            "mystery.json:1: error: cannot tell which configuration this is\n  help: name the file after its type (roles.json, rolesmapping.json …), add a _meta section, or bundle types as {\"roles\": {…}, \"rolesmapping\": {…}}",
        ])
        let emptyFile = try directory(["roles.yml": ""])
        #expect(errors { _ = try loader.load(from: emptyFile) } == [
            "\(emptyFile)/roles.yml:1: error: the file is empty\n  help: a roles.yml starts with _meta: {type: \"roles\", config_version: 2}",
        ])
    }

    @Test("built-ins join the configuration; a name clash follows the release (§1.1)")
    func statics() throws {
        let text = "_meta:\n  type: roles\n  config_version: 2\nreadall:\n  cluster_permissions: [\"*\"]\n"
        let config = try loader.load(text: text, name: "roles.yml").config
        let (merged, diagnostics) = config.withStatics(from: Catalog(profile: .default))
        #expect(merged.roles["readall"]?.clusterPermissions.map(\.value) == ["cluster_composite_ops_ro"])
        #expect(merged.actionGroups.count == 26)
        #expect(diagnostics.map(\.description) == [
            "roles.yml:4: warning: custom role 'readall' has the name of a built-in role; opensearch-3.8 drops the custom one and uses the built-in\n  help: rename the custom role if its content is meant to apply",
        ])
        let old = config.withStatics(from: Catalog(profile: TargetProfile(parsing: "opensearch-2.19")!)).diagnostics
        #expect(old.first?.severity == .error)
        #expect(old.first?.message.contains("refuses to load this configuration") == true)
    }
}
