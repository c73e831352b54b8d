/// One permission (action name or documented grantable pattern) that the plugin knows.
public struct Permission: Hashable, Sendable {
    /// The name as a role file spells it for the chosen profile (vendor segment filled in).
    public let name: String
    public let kind: PermissionKind
    /// One line saying what it allows.
    public let description: String
    /// True for documented grantable patterns such as `indices:data/read/search*`;
    /// these are listed so that their names are known, but are not concrete actions.
    public let isPattern: Bool
    public let availability: Availability

    public init(name: String, kind: PermissionKind, description: String, isPattern: Bool, availability: Availability) {
        self.name = name
        self.kind = kind
        self.description = description
        self.isPattern = isPattern
        self.availability = availability
    }
}
