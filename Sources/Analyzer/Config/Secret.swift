/// A credential read from a configuration (an internal user's `hash`, or a `password` given in a
/// REST body), held so that nothing prints it by accident: its description, debug description,
/// reflection (`dump`, `Mirror`) and `Encodable` encoding all say `<redacted>`. Two secrets compare
/// equal when their texts are equal, so a changed hash is still seen as a change.
///
/// The text is read only through ``reveal()``, which the configuration writer uses to write the
/// credential back where it came from (securityadmin YAML, REST bodies).
public struct Secret: Hashable, Sendable {
    private let text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The credential itself. Only for writing configuration back; never for output meant to be read.
    package func reveal() -> String { text }

    static let redacted = "<redacted>"
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { Self.redacted }
    public var debugDescription: String { Self.redacted }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.redacted)
    }
}

extension Secret {
    /// Whether the credential is the empty string (as the REST API's GET returns hashes).
    public var isEmpty: Bool { text.isEmpty }
}
