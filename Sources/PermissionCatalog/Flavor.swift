/// The product line a cluster runs. The security plugin is the same code base with different
/// names, defaults and release histories in each.
public enum Flavor: String, CaseIterable, Sendable, Codable {
    case opensearch
    case opendistro
    case lucenia
}
