import Foundation

/// Reads the permission names straight from the seed documents, so tests check the catalog
/// against the source text rather than against a copy of it.
enum SeedNames {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: shared.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Every token in the permissions reference that looks like a permission name:
    /// `cluster:…`, `indices:…`, `restapi:…`, `system:…`, as a list bullet or table cell.
    static func lucenniaReference() throws -> Set<String> {
        let text = try self.text("seeds/004_8e92197175d6e872.txt")
        var names = Set<String>()
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            var candidate = trimmed
            if candidate.hasPrefix("•") { candidate = String(candidate.dropFirst()).trimmingCharacters(in: .whitespaces) }
            guard let first = candidate.split(separator: " ").first else { continue }
            let token = String(first)
            let prefixes = ["cluster:", "indices:", "restapi:", "system:"]
            guard prefixes.contains(where: token.hasPrefix), !token.hasSuffix(".") else { continue }
            // Skip prose mentions ("cluster:admin/snapshot/create) or you don't") and placeholders.
            guard token.allSatisfy({ $0.isLetter || $0.isNumber || "_:/*[]-".contains($0) }) else { continue }
            names.insert(token)
        }
        return names
    }
}
