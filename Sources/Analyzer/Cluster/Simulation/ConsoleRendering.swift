/// A request written back as Dev Tools console text (`--record`): `METHOD path?query`, then the
/// body — NDJSON bodies (`_bulk`, `_msearch`) one document a line, other JSON bodies as sent — and a
/// blank line. ``ConsoleParser`` reads it back to the same method, path, query and body.
extension ClusterRequest {
    public var consoleText: String {
        var text = method + " " + path
        if let query, !query.isEmpty { text += "?" + query }
        text += "\n"
        let lines = bodyLines
        if ConsoleParser.isNDJSON(path) {
            for line in lines { text += (ConfigValue.parseJSON(Array(line.utf8)) != nil ? line.trimmingSpaces : "# not JSON: \(line.utf8.count) bytes left out") + "\n" }
        } else if !lines.isEmpty {
            if carriesPassword {
                text += "# body left out: it carries a password (\(self.body.count) bytes)\n"
            } else if ConfigValue.parseJSON(self.body) != nil {
                text += lines.joined(separator: "\n") + "\n"
            } else {
                text += "# body not JSON: \(self.body.count) bytes left out\n"
            }
        }
        return text + "\n"
    }
}

extension ClusterRequest {
    /// A Security REST API write of internal users or the account (`password`, `hash`,
    /// `current_password` fields): its body is never written to a transcript.
    var carriesPassword: Bool {
        let lower = path.lowercased()
        guard lower.contains("/api/internalusers") || lower.contains("/api/account") || lower.contains("/api/user") else { return false }
        return method != "GET" && method != "HEAD" && method != "DELETE"
    }

    /// The body's lines (split at LF, a CR before it dropped), blank ones left out. Splitting the
    /// bytes, not the String: Swift reads CR LF as one character.
    var bodyLines: [String] {
        body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            .map { line in String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self) }
            .filter { !$0.trimmingSpaces.isEmpty }
    }
}
