import PermissionCatalog
import Testing
@testable import Analyzer

/// §2.2 (FlattenedActionGroups).
@Suite("Action-group flattening (§2.2)")
struct FlattenedActionGroupsTests {
    @Test("nested groups resolve to a fixpoint, and resolve() keeps the inputs")
    func nesting() {
        let groups = FlattenedActionGroups(["Z": ["Y", "A1"], "Y": ["X", "A2"], "X": ["A3"]])
        #expect(groups.resolved["Z"] == ["Y", "A1", "X", "A2", "A3"])
        #expect(groups.resolve(["Z", "B"]) == ["Z", "B", "Y", "A1", "X", "A2", "A3"])
        #expect(groups.chain(from: "Z", to: "A3") == ["Z", "Y", "X"])
    }

    @Test("cycles end and are reported; a self-reference is ignored and reported")
    func cycles() {
        let groups = FlattenedActionGroups(["A": ["B", "a1"], "B": ["C", "b1"], "C": ["A", "c1"], "S": ["S", "s1"]])
        #expect(groups.resolved["A"] == ["A", "B", "C", "a1", "b1", "c1"])
        #expect(groups.resolved["S"] == ["S", "s1"])
        #expect(groups.cycles == [["A", "B", "C"]])
        #expect(groups.selfReferences == ["S"])
        #expect(!groups.tooDeeplyNested)
    }

    @Test("groups are looked up by exact name only: a pattern never expands to groups")
    func exactNames() {
        let groups = FlattenedActionGroups(["kibana_all_write": ["kibana:saved_objects/*/write"], "G": ["kibana_all_*", "Kibana_all_write"]])
        #expect(groups.resolved["G"] == ["kibana_all_*", "Kibana_all_write"])
    }

    @Test("unknown names stay literal")
    func literal() {
        let groups = FlattenedActionGroups(["G": ["readonly_plus"]])
        #expect(groups.resolve(["G"]) == ["G", "readonly_plus"])
    }
}

@Suite("Expansion against the catalog")
struct ActionExpanderTests {
    let catalog = Catalog(profile: .default)

    @Test("`read` grants exactly the catalog actions its three patterns match")
    func read() {
        let expander = ActionExpander(catalog: catalog)
        let patterns = ["indices:data/read*", "indices:admin/mappings/fields/get*", "indices:admin/resolve/index"].map(Pattern.init)
        let expected = catalog.actions.map(\.name).filter { name in patterns.contains { $0.matches(name) } }
        let expansion = expander.expand(["read"])
        #expect(expansion.actions == expected)
        #expect(expansion.actions.contains("indices:data/read/search"))
        #expect(!expansion.actions.contains("indices:data/write/index"))
        #expect(expansion.residualPatterns == ["indices:admin/mappings/fields/get*", "indices:data/read*"])
        #expect(expansion.via["indices:data/read/get"] == ["read", "indices:data/read*"])
        #expect(expansion.via["indices:admin/resolve/index"] == ["read", "indices:admin/resolve/index"])
    }

    /// The snapshot and repository permissions that Lucenia's permissions reference (seeds/004) lists.
    @Test("`manage_snapshots` covers every snapshot and repository permission of the permissions reference")
    func manageSnapshots() throws {
        let seedNames = [
            "cluster:admin/repository/delete", "cluster:admin/repository/get", "cluster:admin/repository/put",
            "cluster:admin/repository/verify", "cluster:admin/snapshot/create", "cluster:admin/snapshot/delete",
            "cluster:admin/snapshot/get", "cluster:admin/snapshot/restore", "cluster:admin/snapshot/status",
            "cluster:admin/snapshot/status*",
        ]
        let expansion = ActionExpander(catalog: catalog).expand(["manage_snapshots"])
        for name in seedNames {
            #expect(expansion.actions.contains(name) || expansion.coveredPatterns.contains(name), "\(name)")
        }
        #expect(expansion.via["cluster:admin/snapshot/restore"] == ["manage_snapshots", "cluster:admin/snapshot/*"])
    }

    @Test("nested static groups give the shortest chain; unknown names and invalid regexes are reported")
    func chainsAndLeftovers() {
        let expansion = ActionExpander(catalog: catalog).expand(["data_access", "readonly_plus", "/indices:(x/"])
        #expect(expansion.via["indices:data/write/index"] == ["data_access", "indices:data/*"])
        #expect(expansion.unknownNames == ["readonly_plus"])
        #expect(expansion.invalidPatterns.map(\.pattern) == ["/indices:(x/"])
    }

    @Test("custom groups from a configuration join the built-in ones")
    func customGroups() throws {
        let config = try ConfigLoader().load(from: Paths.sample).config
        let expansion = ActionExpander(catalog: catalog, config: config).expand(["log_writer_ops"])
        #expect(expansion.actions == ["indices:admin/create", "indices:admin/mapping/put", "indices:data/write/bulk",
                                      "indices:data/write/bulk[s]", "indices:data/write/index"])
        #expect(expansion.via["indices:admin/create"] == ["log_writer_ops", "create_index", "indices:admin/create"])
    }

    @Test("groups granting an action, smallest first")
    func groupsGranting() {
        let groups = ActionExpander(catalog: catalog).groupsGranting("indices:data/read/search")
        #expect(Array(groups.prefix(2)) == ["manage_point_in_time", "search"])
        #expect(groups.contains("read"))
        #expect(groups.last == "unlimited")
        #expect(!groups.contains("write"))
    }
}

@Suite("Catalog queries")
struct CatalogQueryTests {
    @Test("lookup by pattern uses the plugin's matcher")
    func byPattern() {
        let catalog = Catalog(profile: .default)
        let names = catalog.permissions(matching: Pattern("cluster:admin/snapshot/*")).map(\.name)
        #expect(names == ["cluster:admin/snapshot/clone", "cluster:admin/snapshot/create", "cluster:admin/snapshot/delete", "cluster:admin/snapshot/get",
                          "cluster:admin/snapshot/restore", "cluster:admin/snapshot/status", "cluster:admin/snapshot/status*"])
        #expect(catalog.permissions(matching: Pattern("/restapi:admin/(roles|tenants)/")).map(\.name) == ["restapi:admin/roles", "restapi:admin/tenants"])
    }
}
