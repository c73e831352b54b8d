import Foundation
import PermissionCatalog

/// One REST route and the actions the security plugin evaluates for it, in evaluation order.
public struct Route: Hashable, Sendable {
    public let method: String
    public let path: String
    /// Action names and placeholders (`<bulk-item-actions>`, `<rest-api-role>`, `<authenticated>` …).
    public let actions: [String]
    public let level: String
    public let source: String
    let segments: [String]
}

/// A conditional follow-up action: needed only when something about the request or cluster holds.
public struct ConditionalRequirement: Hashable, Sendable {
    public let routes: Set<String>
    public let condition: String
    public let actions: [String]
    public let notes: String
}

/// The REST → action table of data/rest_routes.json, filtered to the routes a profile has.
public struct RouteTable: Sendable {
    public let routes: [Route]
    public let conditional: [ConditionalRequirement]

    public struct Match: Sendable {
        public let route: Route
        /// Path parameters by name (`index`, `id`, …), percent-decoded.
        public let parameters: [String: String]
    }

    private struct File: Decodable {
        struct Range: Decodable { let since: String; let until: String? }
        struct Row: Decodable {
            let method: String, path: String, actions: [String], level: String, source: String
            let availability: [String: Range]?

            /// Read as the catalog reads a permission's; a range that does not parse makes the
            /// route unavailable rather than available everywhere.
            var resolvedAvailability: Availability {
                guard let availability else { return .everywhere }
                return Availability(parsing: availability.mapValues { ($0.since, $0.until) }) ?? Availability(ranges: [:])
            }
        }
        struct Conditional: Decodable { let routes: [String]; let condition: String; let actions: [String]; let notes: String }
        let routes: [Row]
        let conditional: [Conditional]
    }

    public init(profile: TargetProfile) {
        guard let text = EmbeddedData.files["rest_routes.json"],
              let file = try? JSONDecoder().decode(File.self, from: Data(text.utf8)) else {
            fatalError("data/rest_routes.json is not embedded or does not decode; run `swift run secperm-datagen`")
        }
        routes = file.routes.filter { row in
            row.resolvedAvailability.contains(flavor: profile.flavor, version: profile.version)
        }.filter { row in
            // Open Distro serves the security plugin only under its own prefix.
            profile.flavor != .opendistro || !row.path.hasPrefix("/_plugins/")
        }.map { row in
            Route(method: row.method, path: row.path, actions: row.actions, level: row.level, source: row.source,
                  segments: RouteTable.segments(row.path))
        }
        conditional = file.conditional.map {
            ConditionalRequirement(routes: Set($0.routes), condition: $0.condition, actions: $0.actions, notes: $0.notes)
        }
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The route a request reaches: same number of segments, literal segments equal, and among
    /// several the one whose literals come first (OpenSearch's path trie prefers literals).
    public func match(method: String, path: String) -> Match? {
        candidates(path).first { $0.route.method == method }
    }

    /// Methods that the path supports, when the method given is not one of them.
    public func methods(for path: String) -> [String] {
        Array(Set(candidates(path).map(\.route.method))).sorted()
    }

    private func candidates(_ path: String) -> [Match] {
        let requested = RouteTable.segments(path).map { $0.removingPercentEncoding ?? $0 }
        var scored: [(match: Match, score: [Bool])] = []
        for route in routes where route.segments.count == requested.count {
            var parameters: [String: String] = [:]
            var score: [Bool] = []
            var matched = true
            for (template, segment) in zip(route.segments, requested) {
                if template.hasPrefix("{"), template.hasSuffix("}") {
                    parameters[String(template.dropFirst().dropLast())] = segment
                    score.append(false)
                } else if template == segment {
                    score.append(true)
                } else {
                    matched = false
                    break
                }
            }
            if matched { scored.append((Match(route: route, parameters: parameters), score)) }
        }
        return scored.sorted { lhs, rhs in
            for (a, b) in zip(lhs.score, rhs.score) where a != b { return a }
            return lhs.match.route.path < rhs.match.route.path
        }.map(\.match)
    }

    /// The known route closest to an unknown path (edit distance on the template), for hints.
    /// A path more than twice as long as every route is no typo of one, and measuring it against
    /// each would cost its length times theirs: it gets no hint.
    public func closest(method: String, path: String) -> Route? {
        let normalized = "/" + RouteTable.segments(path).joined(separator: "/")
        let longest = routes.map(\.path.unicodeScalars.count).max() ?? 0
        guard normalized.unicodeScalars.count <= 2 * longest else { return nil }
        let scored = routes.map { route in
            (distance: Suggestion.editDistance(normalized, route.path) + (route.method == method ? 0 : 2), route: route)
        }
        return scored.min { ($0.distance, $0.route.path) < ($1.distance, $1.route.path) }?.route
    }
}
