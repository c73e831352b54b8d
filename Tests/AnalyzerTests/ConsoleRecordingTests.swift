import Analyzer
import Testing

/// `simulate --record` output reads back through the Dev Tools console parser (the format
/// `actions` and `probe` read), bodies included.
@Suite struct ConsoleRecordingTests {
    @Test func roundTripsThroughTheConsoleParser() throws {
        let search = ClusterRequest(method: "post", path: "/sales-*/_search", query: "size=0", body: Array("{\n  \"query\": {\n\n    \"match_all\": {}\n  }\n}\n".utf8))
        let bulk = ClusterRequest(method: "POST", path: "/_bulk", body: Array("{\"index\":{\"_index\":\"logs\"}}\n{\"a\":1}\n\n".utf8))
        let text = ConsoleRecording.render(search) + ConsoleRecording.render(bulk) + ConsoleRecording.render(ClusterRequest(method: "GET", path: "/"))
        #expect(text == """
            POST /sales-*/_search?size=0
            {
              "query": {
                "match_all": {}
              }
            }

            POST /_bulk
            {"index":{"_index":"logs"}}
            {"a":1}

            GET /


            """)
        let parsed = try ConsoleParser.parse(text, file: "recorded.txt")
        #expect(parsed.map(\.method) == ["POST", "POST", "GET"])
        #expect(parsed.map(\.path) == ["/sales-*/_search", "/_bulk", "/"])
        #expect(parsed.map(\.body.count) == [1, 2, 0])
        #expect(parsed[0].query == ["size": "0"])
    }
}
