import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

@Suite("Console parser")
struct ConsoleParserTests {
    @Test("comments, several requests, NDJSON bodies, paths with and without '/', query strings")
    func parse() throws {
        let text = """
            # list shards
            GET _cat/shards?v&h=index

            // index two docs
            POST /logs/_bulk
            {"index": {}}
            {"msg": "a"}
            PUT logs-2
            {
              "settings": {"number_of_shards": 1}
            }
            GET /_cluster/health
            """
        let requests = try ConsoleParser.parse(text, file: "req.txt")
        #expect(requests.map(\.method) == ["GET", "POST", "PUT", "GET"])
        #expect(requests.map(\.path) == ["/_cat/shards", "/logs/_bulk", "/logs-2", "/_cluster/health"])
        #expect(requests.map(\.line) == [2, 5, 8, 12])
        #expect(requests[0].query == ["v": "", "h": "index"])
        #expect(requests[1].body.map(\.line) == [6, 7])
        #expect(requests[2].body.count == 1)
        #expect(requests[2].body[0].value[path: "settings.number_of_shards"] == .number(1))
    }

    @Test("malformed JSON and stray lines are reported with their line numbers")
    func errors() throws {
        let text = "POST _bulk\n{\"index\": {}}\n{\"msg\": \"a\"\n\nnonsense here\nGET _search\n{\"query\": {\"match_all\": {}}\n"
        do {
            _ = try ConsoleParser.parse(text, file: "req.txt")
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.map(\.location?.line) == [3, 5, 7])
            #expect(error.diagnostics[1].message == "expected a request line such as `GET _cat/indices`, found `nonsense here`")
            #expect(error.diagnostics[0].message.hasPrefix("malformed JSON body"))
        }
    }
}

@Suite("Requirements of REST requests (rest-actions.tsv)")
struct RequestPlannerTests {
    let planner = RequestPlanner(catalog: Catalog())

    func plan(_ text: String) throws -> RequestPlan {
        planner.plan(try #require(try ConsoleParser.parse(text, file: "t").first))
    }

    func unconditional(_ plan: RequestPlan) -> [String] {
        plan.requirements.filter { $0.conditional == nil }.map { "\($0.level.rawValue) \($0.action) \($0.indices.joined(separator: ","))" }
    }

    /// The bulk example of Lucenia's permissions reference (seeds/004), request as printed there: it
    /// needs bulk* (as bulk + bulk[s]), delete, index, update on test-index.
    @Test("the permissions reference's bulk example")
    func seedBulk() throws {
        let block = """
            POST _bulk
            { "delete": { "_index": "test-index", "_id": "tt2229499" } }
            { "index": { "_index": "test-index", "_id": "tt1979320" } }
            { "title": "Rush", "year": 2013 }
            { "create": { "_index": "test-index", "_id": "tt1392214" } }
            { "title": "Prisoners", "year": 2013 }
            { "update": { "_index": "test-index", "_id": "tt0816711" } }
            { "doc" : { "title": "World War Z" } }
            """
        let result = try plan(block)
        #expect(unconditional(result) == [
            "cluster indices:data/write/bulk ",
            "index indices:data/write/bulk[s] test-index", "index indices:data/write/delete test-index",
            "index indices:data/write/index test-index", "index indices:data/write/update test-index",
        ])
        #expect(result.requirements.filter { $0.conditional != nil }.map(\.action) == ["indices:admin/create", "indices:admin/mapping/put"])
    }

    @Test("single-document writes: index, then cluster bulk, then bulk[s] checked with the item action (§2.4)")
    func singleDocument() throws {
        let result = try plan("PUT logs/_doc/1\n{\"a\": 1}")
        #expect(unconditional(result) == ["index indices:data/write/index logs", "cluster indices:data/write/bulk ",
                                          "index indices:data/write/bulk[s] logs", "index indices:data/write/index logs"])
        let groups = Set(result.requirements.filter { $0.action.hasSuffix("bulk[s]") || $0.action.hasSuffix("write/index") }.map(\.group))
        #expect(groups.count == 2)
    }

    @Test("_msearch headers name the indices of each search")
    func msearch() throws {
        let result = try plan("GET _msearch\n{\"index\": \"a\"}\n{\"query\": {}}\n{\"index\": [\"b\", \"c\"]}\n{}\n{}\n{}")
        #expect(unconditional(result) == ["cluster indices:data/read/msearch ", "index indices:data/read/search a",
                                          "index indices:data/read/search b,c", "index indices:data/read/search "])
    }

    @Test("_mget docs name the indices; the path index is the default")
    func mget() throws {
        let result = try plan("GET base/_mget\n{\"docs\": [{\"_index\": \"x\", \"_id\": 1}, {\"_id\": 2}]}")
        #expect(unconditional(result) == ["cluster indices:data/read/mget ", "index indices:data/read/mget[shard] x,base"])
    }

    @Test("_reindex reads the source and writes the destination; a remote source is checked remotely")
    func reindex() throws {
        let local = try plan(#"POST _reindex\n{"source": {"index": ["s1", "s2"]}, "dest": {"index": "d"}}"#.replacingOccurrences(of: "\\n", with: "\n"))
        #expect(unconditional(local) == ["cluster indices:data/write/reindex ", "index indices:data/read/search s1,s2",
                                         "cluster indices:data/read/scroll ", "cluster indices:data/read/scroll/clear ",
                                         "cluster indices:data/write/bulk ", "index indices:data/write/bulk[s] d", "index indices:data/write/index d"])
        let remote = try plan("POST _reindex\n{\"source\": {\"remote\": {\"host\": \"https://old:9200\"}, \"index\": \"s\"}, \"dest\": {\"index\": \"d\"}}")
        #expect(!unconditional(remote).contains("index indices:data/read/search s"))
        #expect(remote.notes.contains { $0.contains("remote cluster") })
    }

    @Test("_aliases: every index named; remove_index also needs delete (§2.4)")
    func aliases() throws {
        let result = try plan("POST _aliases\n{\"actions\": [{\"add\": {\"index\": \"a\", \"alias\": \"x\"}}, {\"remove_index\": {\"indices\": [\"old\"]}}]}")
        #expect(unconditional(result) == ["index indices:admin/aliases a,old", "index indices:admin/delete old"])
    }

    @Test("creating an index with aliases in the body also needs indices:admin/aliases (§2.4)")
    func createWithAliases() throws {
        #expect(unconditional(try plan("PUT logs-1\n{\"aliases\": {\"logs\": {}}}")) == ["index indices:admin/create logs-1", "index indices:admin/aliases logs-1"])
        #expect(unconditional(try plan("PUT logs-1")) == ["index indices:admin/create logs-1"])
    }

    @Test("a scroll search lists the scroll actions as conditional")
    func scroll() throws {
        let result = try plan("GET logs/_search?scroll=1m")
        #expect(unconditional(result) == ["index indices:data/read/search logs"])
        #expect(result.requirements.filter { $0.conditional != nil }.map(\.action) == ["indices:data/read/scroll", "indices:data/read/scroll/clear"])
    }

    @Test("snapshot restore: the restored indices need create and index (§2.4)")
    func restore() throws {
        let result = try plan("POST _snapshot/repo/snap/_restore\n{\"indices\": \"a,b\", \"include_global_state\": true}")
        #expect(result.requirements.map { "\($0.level.rawValue) \($0.action) \($0.indices.joined(separator: ","))" }
                == ["cluster cluster:admin/snapshot/restore ", "index indices:admin/create a,b", "index indices:data/write/index a,b"])
        // The restore rules are typed (RestoreNote), not free-text notes.
        #expect(result.restoreNotes.contains(.globalStateRefused(setting: "plugins.security.unsupported.restore.securityindex.enabled")))
    }

    @Test("path index expressions: lists, wildcards, exclusions, URL-encoded date math, remote indices")
    func pathExpressions() throws {
        #expect(unconditional(try plan("GET logs-*,-logs-old,remote:idx/_search")) == ["index indices:data/read/search logs-*,-logs-old,remote:idx"])
        #expect(unconditional(try plan("GET %3Clogs-%7Bnow%2Fd%7D%3E/_search")) == ["index indices:data/read/search <logs-{now/d}>"])
    }

    @Test("literal route segments win over parameters; unknown routes and wrong methods are explicit")
    func routing() throws {
        #expect(try plan("GET _search").route?.path == "/_search")
        #expect(try plan("GET logs").route?.path == "/{index}")
        let unknown = try plan("GET _cat/shardz")
        #expect(unknown.route == nil)
        #expect(unknown.closestRoute?.path == "/_cat/shards")
        let wrong = try plan("PATCH _cat/shards")
        #expect(wrong.route == nil)
        #expect(wrong.allowedMethods == ["GET"])
    }

    /// Found by the fuzz suite: a console line `PUT a/a/…` of 10 KB cost 12 s of CPU (0.8 s in a
    /// release build), spent measuring its edit distance to every route for the "closest known"
    /// hint. The hint is for typos; a path more than twice as long as every route gets none.
    @Test("an unknown path far longer than every route gets no closest-route hint, at once")
    func longUnknownPath() throws {
        let long = try plan("PUT " + String(repeating: "a/", count: 5_000))
        #expect(long.route == nil)
        #expect(long.closestRoute == nil)
        #expect(try plan("GET _cat/shardzz").closestRoute?.path == "/_cat/shards")
    }

    @Test("routes follow the profile: _cat/shards has no cluster:monitor/shards before 2.17 (rest-actions.md §5)")
    func versions() throws {
        let old = RequestPlanner(catalog: Catalog(profile: TargetProfile(parsing: "opensearch-2.11")!))
        let request = try #require(try ConsoleParser.parse("GET _cat/shards", file: "t").first)
        #expect(old.plan(request).requirements.map(\.action) == ["cluster:monitor/state", "indices:monitor/stats"])
        #expect(planner.plan(request).requirements.map(\.action) == ["cluster:monitor/shards", "cluster:monitor/state", "indices:monitor/stats"])
    }
}
