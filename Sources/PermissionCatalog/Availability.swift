/// The releases of one flavor that have something: from `since` up to, not including, `until`.
public struct VersionRange: Hashable, Sendable {
    public let since: Version
    public let until: Version?

    public init(since: Version, until: Version? = nil) {
        self.since = since
        self.until = until
    }

    public func contains(_ version: Version) -> Bool {
        version >= since && (until.map { version < $0 } ?? true)
    }
}

/// Which flavors and versions have a permission. `nil` ranges mean "every flavor, every version".
public struct Availability: Hashable, Sendable {
    public let ranges: [Flavor: VersionRange]?

    public static let everywhere = Availability(ranges: nil)

    public init(ranges: [Flavor: VersionRange]?) {
        self.ranges = ranges
    }

    /// Reads `data/`'s form, flavor name → `since` / `until` texts; nil when a flavor or version
    /// does not parse.
    public init?(parsing written: [String: (since: String, until: String?)]) {
        var ranges: [Flavor: VersionRange] = [:]
        for (name, range) in written {
            guard let flavor = Flavor(rawValue: name), let since = Version(range.since) else { return nil }
            var until: Version?
            if let text = range.until {
                guard let parsed = Version(text) else { return nil }
                until = parsed
            }
            ranges[flavor] = VersionRange(since: since, until: until)
        }
        self.init(ranges: ranges)
    }

    public func contains(flavor: Flavor, version: Version) -> Bool {
        guard let ranges else { return true }
        return ranges[flavor]?.contains(version) ?? false
    }
}
