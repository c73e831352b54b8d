import Testing
@testable import Analyzer

@Suite("Console requests keep their raw body")
struct ConsoleRawBodyTests {
    @Test("a JSON body keeps its spacing, key order and number spelling; NDJSON ends in a newline; no body is nil")
    func rawBody() throws {
        let text = """
            PUT logs-1/_doc/1
            {
              "z":  1.50,
                "a" : "x\\u00e9"
            }

            # a comment between requests
            POST _bulk
            {"index": {"_index": "logs-1"}}
            // a comment line inside the body is not sent
            {"n":1e3}

            GET _cat/indices
            """
        let requests = try ConsoleParser.parse(text, file: "requests.txt")
        #expect(requests.count == 3)
        #expect(requests[0].rawBody == "{\n  \"z\":  1.50,\n    \"a\" : \"x\\u00e9\"\n}")
        #expect(requests[0].body.first?.value == .map(["z": .number(1.5), "a": .string("xé")]))
        #expect(requests[1].rawBody == "{\"index\": {\"_index\": \"logs-1\"}}\n{\"n\":1e3}\n")
        #expect(requests[1].body.count == 2)
        #expect(requests[2].rawBody == nil)
    }
}
