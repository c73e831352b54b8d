/// A nondeterministic automaton over the UTF-8 bytes of index names: the symbolic form of an index
/// pattern (or a union of them) that `NameSetComparison` decides inclusion on.
///
/// Bytes, not characters, are the alphabet; comparisons keep to well-formed UTF-8 (`UTF8Validity`),
/// the byte strings that are names, so an "equal" answer is a proof over every name. Where the plugin's matchers count characters (the glob's
/// `?` counts a Java `char`, a UTF-16 unit; a regex `.` counts a code point), the fragments below
/// spell those units out as UTF-8 byte sequences.
struct NameAutomaton: Sendable {
    struct Edge: Sendable {
        let low: UInt8
        let high: UInt8
        let target: Int32
    }

    private(set) var edges: [[Edge]] = []
    private(set) var epsilons: [[Int32]] = []
    private(set) var accepting: [Bool] = []
    /// The start state (state 0 of a fresh automaton: a union's hub).
    let start: Int32 = 0

    init() {
        _ = addState()
    }

    /// A fragment with one entry and one exit state.
    struct Fragment {
        let entry: Int32
        let exit: Int32
    }

    mutating func addState() -> Int32 {
        edges.append([])
        epsilons.append([])
        accepting.append(false)
        return Int32(edges.count - 1)
    }

    mutating func connect(_ from: Int32, _ to: Int32) { epsilons[Int(from)].append(to) }

    mutating func connect(_ from: Int32, _ to: Int32, _ low: UInt8, _ high: UInt8) {
        edges[Int(from)].append(Edge(low: low, high: high, target: to))
    }

    /// Adds `fragment` as one more member of the union accepted from the start state.
    mutating func addMember(_ fragment: Fragment) {
        connect(start, fragment.entry)
        accepting[Int(fragment.exit)] = true
    }

    var stateCount: Int { edges.count }

    // MARK: fragments

    mutating func empty() -> Fragment {
        let state = addState()
        return Fragment(entry: state, exit: state)
    }

    /// A sequence of byte ranges, one byte each.
    mutating func sequence(_ ranges: [(UInt8, UInt8)]) -> Fragment {
        let entry = addState()
        var current = entry
        for (low, high) in ranges {
            let next = addState()
            connect(current, next, low, high)
            current = next
        }
        return Fragment(entry: entry, exit: current)
    }

    mutating func literal(_ bytes: some Sequence<UInt8>) -> Fragment { sequence(bytes.map { ($0, $0) }) }

    mutating func concatenate(_ parts: [Fragment]) -> Fragment {
        guard var result = parts.first else { return empty() }
        for part in parts.dropFirst() {
            connect(result.exit, part.entry)
            result = Fragment(entry: result.entry, exit: part.exit)
        }
        return result
    }

    mutating func alternate(_ parts: [Fragment]) -> Fragment {
        let entry = addState(), exit = addState()
        for part in parts {
            connect(entry, part.entry)
            connect(part.exit, exit)
        }
        return Fragment(entry: entry, exit: exit)
    }

    /// `part*`.
    mutating func star(_ part: Fragment) -> Fragment {
        let hub = addState()
        connect(hub, part.entry)
        connect(part.exit, hub)
        return Fragment(entry: hub, exit: hub)
    }

    /// `part?`.
    mutating func optional(_ part: Fragment) -> Fragment {
        let exit = addState()
        connect(part.entry, exit)
        connect(part.exit, exit)
        return Fragment(entry: part.entry, exit: exit)
    }

    /// Any run of bytes: the glob's `*` (which spans every character, `/` and `:` included).
    mutating func anyRun() -> Fragment {
        let hub = addState()
        connect(hub, hub, 0x00, 0xFF)
        return Fragment(entry: hub, exit: hub)
    }

    /// One Java `char` (UTF-16 code unit) of well-formed text, as UTF-8 bytes: a one-, two- or
    /// three-byte character, or half of a four-byte one (a surrogate of the pair). The glob's `?`.
    mutating func utf16Unit() -> Fragment {
        alternate([
            sequence([(0x00, 0x7F)]),
            sequence([(0xC2, 0xDF), (0x80, 0xBF)]),
            sequence([(0xE0, 0xEF), (0x80, 0xBF), (0x80, 0xBF)]),
            sequence([(0xF0, 0xF4), (0x80, 0xBF)]),
            sequence([(0x80, 0xBF), (0x80, 0xBF)]),
        ])
    }

    /// One non-ASCII code point as UTF-8, leaving out the given ones (each given as its bytes).
    /// Only two- and three-byte exclusions are supported (the line terminators of `.`).
    mutating func nonASCIICodePoint(excluding excluded: [[UInt8]] = []) -> Fragment {
        var parts: [Fragment] = []
        let twoByte = excluded.filter { $0.count == 2 }, threeByte = excluded.filter { $0.count == 3 }
        parts += twoByteCodePoints(excluding: twoByte)
        parts += threeByteCodePoints(excluding: threeByte)
        parts.append(sequence([(0xF0, 0xF4), (0x80, 0xBF), (0x80, 0xBF), (0x80, 0xBF)]))
        return alternate(parts)
    }

    private mutating func twoByteCodePoints(excluding excluded: [[UInt8]]) -> [Fragment] {
        var parts: [Fragment] = []
        for lead in UInt8(0xC2)...0xDF {
            let gaps = excluded.filter { $0[0] == lead }.map { $0[1] }
            guard !gaps.isEmpty else { continue }
            parts += ranges(excluding: gaps, in: 0x80...0xBF).map { sequence([(lead, lead), $0]) }
        }
        let excludedLeads = Set(excluded.map { $0[0] })
        parts += leadRuns(0xC2...0xDF, skipping: excludedLeads).map { sequence([$0, (0x80, 0xBF)]) }
        return parts
    }

    private mutating func threeByteCodePoints(excluding excluded: [[UInt8]]) -> [Fragment] {
        var parts: [Fragment] = []
        let excludedLeads = Set(excluded.map { $0[0] })
        parts += leadRuns(0xE0...0xEF, skipping: excludedLeads).map { sequence([$0, (0x80, 0xBF), (0x80, 0xBF)]) }
        for lead in excludedLeads.sorted() {
            let here = excluded.filter { $0[0] == lead }
            let seconds = Set(here.map { $0[1] })
            for range in ranges(excluding: Array(seconds), in: 0x80...0xBF) {
                parts.append(sequence([(lead, lead), range, (0x80, 0xBF)]))
            }
            for second in seconds.sorted() {
                let thirds = here.filter { $0[1] == second }.map { $0[2] }
                for range in ranges(excluding: thirds, in: 0x80...0xBF) {
                    parts.append(sequence([(lead, lead), (second, second), range]))
                }
            }
        }
        return parts
    }

    /// Contiguous ranges of `bounds` without the bytes in `gaps`.
    private func ranges(excluding gaps: [UInt8], in bounds: ClosedRange<UInt8>) -> [(UInt8, UInt8)] {
        leadRuns(bounds, skipping: Set(gaps))
    }

    private func leadRuns(_ bounds: ClosedRange<UInt8>, skipping: Set<UInt8>) -> [(UInt8, UInt8)] {
        var runs: [(UInt8, UInt8)] = []
        var runStart: UInt8?
        for byte in bounds {
            if skipping.contains(byte) {
                if let start = runStart { runs.append((start, byte - 1)) }
                runStart = nil
            } else if runStart == nil {
                runStart = byte
            }
        }
        if let start = runStart { runs.append((start, bounds.upperBound)) }
        return runs
    }

    // MARK: closures

    /// The states reachable from `states` through empty moves, sorted.
    func closure(_ states: [Int32]) -> [Int32] {
        var seen = Set<Int32>(states)
        var stack = states
        while let state = stack.popLast() {
            for next in epsilons[Int(state)] where seen.insert(next).inserted { stack.append(next) }
        }
        return seen.sorted()
    }

    func accepts(_ states: [Int32]) -> Bool { states.contains { accepting[Int($0)] } }

    /// Whether the automaton accepts `bytes` (for tests: the automaton against the matcher).
    func accepts(bytes: some Sequence<UInt8>) -> Bool {
        var current = closure([start])
        for byte in bytes {
            current = closure(step(current, byte))
            if current.isEmpty { return false }
        }
        return accepts(current)
    }

    func step(_ states: [Int32], _ byte: UInt8) -> [Int32] {
        var next: [Int32] = []
        for state in states {
            for edge in edges[Int(state)] where edge.low <= byte && byte <= edge.high { next.append(edge.target) }
        }
        return next
    }
}
