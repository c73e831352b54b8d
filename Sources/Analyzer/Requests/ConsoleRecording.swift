/// Renders a received request in Dev Tools console syntax, as `simulate --record` appends it, so
/// the file reads back through `ConsoleParser` (and `actions`, `probe`): the request line with its
/// query, then the body. Blank lines are dropped from the body because a blank line ends a body in
/// console syntax; JSON cannot hold a raw newline inside a string, so no document changes meaning.
public enum ConsoleRecording {
    public static func render(_ request: ClusterRequest) -> String {
        var text = "\(request.method.uppercased()) \(request.path)"
        if let query = request.query, !query.isEmpty { text += "?\(query)" }
        text += "\n"
        let body = String(decoding: request.body, as: UTF8.self)
        for line in body.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            text += line + "\n"
        }
        return text + "\n"
    }
}
