/// A dotted release number such as `2.19` or `1.13.1`, compared numerically part by part.
public struct Version: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let parts: [Int]

    public init(_ parts: [Int]) {
        var trimmed = parts
        while trimmed.count > 1, trimmed.last == 0 { trimmed.removeLast() }
        self.parts = trimmed
    }

    /// Parses `"2.19"`, `"3"`, `"1.13.1"`; nil for anything else.
    public init?(_ text: String) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        var numbers: [Int] = []
        for piece in pieces {
            guard !piece.isEmpty, piece.allSatisfy(\.isASCII), let number = Int(piece), number >= 0 else { return nil }
            numbers.append(number)
        }
        guard !numbers.isEmpty else { return nil }
        self.init(numbers)
    }

    /// `self >= major.minor`, without building a Version (hot paths call this per request).
    public func isAtLeast(_ major: Int, _ minor: Int = 0) -> Bool {
        let first = parts.first ?? 0
        if first != major { return first > major }
        return (parts.count > 1 ? parts[1] : 0) >= minor
    }

    public var description: String { parts.map(String.init).joined(separator: ".") }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let left = index < lhs.parts.count ? lhs.parts[index] : 0
            let right = index < rhs.parts.count ? rhs.parts[index] : 0
            if left != right { return left < right }
        }
        return false
    }
}

extension Version: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        guard let parsed = Version(value) else { preconditionFailure("invalid version literal \(value)") }
        self = parsed
    }
}
