import PermissionCatalog

/// A deterministic, realistic-looking large configuration for benchmarks: roles with a mix of
/// exact, prefix, glob, regex and `${…}` index patterns, nested action groups, many users mapped
/// through backend roles. The same seed always gives the same configuration and requests.
public struct SyntheticConfig: Sendable {
    public struct Size: Sendable {
        public var roles = 1_000
        public var patterns = 10_000
        public var users = 5_000
        public var actionGroups = 200
        public var backendRoles = 300

        public init() {}
    }

    public let config: SecurityConfig
    public let size: Size
    private let seed: UInt64

    /// SplitMix64: small, fast, reproducible.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let indexActions = ["indices:data/read/search", "indices:data/read/get", "indices:data/write/index", "indices:data/write/delete",
                               "indices:data/write/update", "indices:admin/create", "indices:monitor/stats", "indices:admin/mappings/get",
                               "indices:data/read/field_caps", "indices:admin/refresh"]
    static let clusterActions = ["cluster:monitor/health", "cluster:monitor/state", "indices:data/write/bulk", "indices:data/read/mget",
                                 "cluster:admin/snapshot/create", "cluster:monitor/nodes/stats"]
    /// A well-formed bcrypt hash that no password matches: the users have a hash, as real ones do.
    static let passwordHash = Secret("$2y$12$" + String(repeating: "synthetic.", count: 5) + "bcr")
    static let builtInGroups = ["read", "write", "crud", "search", "get", "index", "delete", "manage", "indices_monitor", "create_index"]

    public init(size: Size = Size(), seed: UInt64 = 42) {
        self.size = size
        self.seed = seed
        var random = Random(state: seed)
        var config = SecurityConfig()
        let here = SourceLocation(file: "<synthetic>", line: 1)
        func located(_ values: [String]) -> [Located<String>] { values.map { Located($0, at: here) } }

        var groupNames: [String] = []
        for number in 0..<size.actionGroups {
            var entries: [String] = (0..<(2 + random.below(4))).map { _ in random.pick(Self.indexActions) }
            entries.append(random.pick(Self.builtInGroups))
            if !groupNames.isEmpty, random.below(3) == 0 { entries.append(random.pick(groupNames)) }
            let name = "group_\(number)"
            groupNames.append(name)
            config.actionGroups[name] = ActionGroup(name: name, location: here, allowedActions: located(entries))
        }

        let perRole = max(1, size.patterns / max(1, size.roles))
        for number in 0..<size.roles {
            var permissions: [IndexPermission] = []
            var remaining = perRole
            while remaining > 0 {
                let count = min(remaining, 1 + random.below(3))
                remaining -= count
                let patterns = (0..<count).map { _ in Self.pattern(&random) }
                let actions = random.below(2) == 0 ? [random.pick(groupNames)] : [random.pick(Self.builtInGroups), random.pick(Self.indexActions)]
                let dls = random.below(50) == 0 ? "{\"term\": {\"owner\": \"${user.name}\"}}" : nil
                permissions.append(IndexPermission(location: here, indexPatterns: located(patterns), allowedActions: located(actions), dls: dls))
            }
            let name = "role_\(number)"
            let cluster = (0..<(1 + random.below(2))).map { _ in random.pick(Self.clusterActions + ["cluster_monitor", "cluster_composite_ops_ro"]) }
            config.roles[name] = Role(name: name, location: here, clusterPermissions: located(cluster), indexPermissions: permissions)
            let backend = (0..<(1 + random.below(2))).map { _ in "br_\(random.below(size.backendRoles))" }
            let users = random.below(5) == 0 ? ["user_\(random.below(size.users))"] : []
            config.roleMappings[name] = RoleMapping(roleName: name, location: here, users: located(users), backendRoles: located(backend))
        }
        for number in 0..<size.users {
            let name = "user_\(number)"
            let backend = (0..<(1 + random.below(3))).map { _ in "br_\(random.below(size.backendRoles))" }
            config.internalUsers[name] = InternalUser(name: name, location: here, passwordHash: Self.passwordHash, backendRoles: located(backend),
                                                      attributes: ["dept": "d\(random.below(50))"])
        }
        self.config = config
    }

    /// One index pattern: 40% exact, 30% prefix, 15% glob, 10% template, 5% regex.
    static func pattern(_ random: inout Random) -> String {
        let n = random.below(2_000)
        switch random.below(100) {
        case 0..<40: return "app-\(n)-logs"
        case 40..<70: return "team\(n % 400)-*"
        case 70..<85: return "*-\(n)-2?"
        case 85..<90: return "${user.name}-*"
        case 90..<95: return "dept-${attr.internal.dept}-\(n % 20)"
        default: return "/svc-\(n % 100)-\\d+/"
        }
    }

    /// Random requests over the users, actions and index names the configuration talks about.
    public func requests(_ count: Int) -> [(user: String, action: String, indices: [String])] {
        var random = Random(state: seed ^ 0xA5A5)
        return (0..<count).map { _ in
            let user = "user_\(random.below(size.users))"
            if random.below(5) == 0 { return (user, random.pick(Self.clusterActions), []) }
            let n = random.below(2_000)
            let index: String
            switch random.below(6) {
            case 0: index = "app-\(n)-logs"
            case 1: index = "team\(n % 400)-\(n)"
            case 2: index = "x-\(n)-21"
            case 3: index = "\(user)-notes"
            case 4: index = "svc-\(n % 100)-\(n)"
            default: index = "dept-d\(random.below(50))-\(n % 20)"
            }
            return (user, random.pick(Self.indexActions), [index])
        }
    }
}
