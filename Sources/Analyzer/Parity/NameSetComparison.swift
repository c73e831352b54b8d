/// Decides equality and inclusion of two sets of index names, each a union of index patterns, by
/// exploring the product of their subset-constructed automata (one step per class of bytes both
/// sides treat alike), and produces the shortest names in each difference.
///
/// The answer about inclusion is a proof over every possible name. When a pattern is outside the
/// translated regex subset, or the product grows past `stateBudget`, the comparison says so
/// (`undecided`) instead of guessing.
public struct NameSetComparison: Sendable {
    /// Names in one set and not the other.
    public enum Difference: Hashable, Sendable {
        /// None: inclusion holds.
        case none
        /// Some; the shortest ones that a request can name as a single index, shortest first.
        case names([String])
        /// Some, but none a request can name as one plain index within the search (every name in
        /// the difference holds `*`, `?`, `,`, `:` or `<`, or starts with `-`).
        case unnameable
    }

    public let onlyFirst: Difference
    public let onlySecond: Difference
    /// Why inclusion could not be decided; `onlyFirst`/`onlySecond` are then `.none` and mean nothing.
    public let undecided: String?

    public var isEqual: Bool { undecided == nil && onlyFirst == .none && onlySecond == .none }

    /// Product states explored before giving up.
    public static let stateBudget = 50_000
    /// Candidate names kept per direction.
    public static let candidateCount = 6

    public static func compare(_ first: [Pattern], _ second: [Pattern]) -> NameSetComparison {
        var left = NameAutomaton(), right = NameAutomaton()
        for pattern in first {
            if let problem = PatternLanguage.add(pattern, to: &left) { return undecided("\(pattern.source): \(problem.reason)") }
        }
        for pattern in second {
            if let problem = PatternLanguage.add(pattern, to: &right) { return undecided("\(pattern.source): \(problem.reason)") }
        }
        var product = ProductExploration(Determinized(left), Determinized(right))
        guard let existence = product.differences() else {
            return undecided("the comparison exceeded \(stateBudget) automaton states")
        }
        if !existence.first && !existence.second { return NameSetComparison(onlyFirst: .none, onlySecond: .none, undecided: nil) }
        let named = product.candidates(wanted: (candidateCount, candidateCount))
        func difference(_ exists: Bool, _ names: [String]) -> Difference {
            guard exists else { return .none }
            return names.isEmpty ? .unnameable : .names(names)
        }
        return NameSetComparison(onlyFirst: difference(existence.first, named.first), onlySecond: difference(existence.second, named.second),
                                 undecided: nil)
    }

    /// The first `count` names of `pattern` alone that `compare([pattern], []).onlyFirst` lists
    /// (its own shortest nameable names), found by the same walk without first proving that the
    /// pattern has a name (a name found proves it) and stopping at `count`. Where `compare` gives
    /// up past `stateBudget`, this may still list the names it found before that.
    static func ownNames(_ pattern: Pattern, count: Int) -> [String] {
        var automaton = NameAutomaton()
        guard PatternLanguage.add(pattern, to: &automaton) == nil else { return [] }
        var product = ProductExploration(Determinized(automaton), Determinized(NameAutomaton()))
        return product.candidates(wanted: (count, 0)).first
    }

    /// The shortest names of `prefix*` alone, as `compare([prefix*], [])` gives them, without its
    /// automaton when the prefix is short: its automaton has two states past the prefix (before
    /// and after a first character, reached first on `a`, the most name-like byte), and a name is
    /// kept when a request can name it as one index (`ProductExploration.isNameable`, `_all` not
    /// a name: `IndexResolution.isPlainName`). A prefix long enough to reach `stateBudget` is
    /// compared, which then gives up as for any other pattern.
    static func shortestNames(ofPrefix prefix: String) -> [String] {
        guard prefix.utf8.count < stateBudget / 2 else {
            if case .names(let found) = compare([Pattern(prefix + "*")], []).onlyFirst { return found }
            return []
        }
        return [prefix, prefix + "a"].filter(IndexResolution.isPlainName)
    }

    private static func undecided(_ reason: String) -> NameSetComparison {
        NameSetComparison(onlyFirst: .none, onlySecond: .none, undecided: reason)
    }
}

/// Subset construction on demand: each reached set of NFA states gets an id and, once asked, its
/// complete transition table as byte ranges.
final class Determinized {
    let automaton: NameAutomaton
    private var ids: [[Int32]: Int32] = [:]
    private var sets: [[Int32]] = []
    private(set) var accepting: [Bool] = []
    /// State → its transitions, once asked (states are numbered densely).
    private var tables: [[(low: UInt8, high: UInt8, target: Int32)]?] = []
    let dead: Int32 = 0

    init(_ automaton: NameAutomaton) {
        self.automaton = automaton
        _ = intern([])
        _ = intern(automaton.closure([automaton.start]))
    }

    var startState: Int32 { 1 }

    func intern(_ set: [Int32]) -> Int32 {
        if let known = ids[set] { return known }
        let id = Int32(sets.count)
        ids[set] = id
        sets.append(set)
        accepting.append(automaton.accepts(set))
        tables.append(nil)
        return id
    }

    /// Whether the automaton accepts `bytes` (the same answer as `NameAutomaton.accepts(bytes:)`).
    func accepts(bytes: some Sequence<UInt8>) -> Bool {
        var state = startState
        // The rows read through a local copy (no access check per byte); emptied while a row is
        // added, so that adding one does not copy them all.
        var table = rows, positions = rowOf
        for byte in bytes {
            if state == dead { return false }
            let index = Int(state)
            if index >= positions.count || positions[index] < 0 {
                table = []
                positions = []
                _ = next(state, byte)
                table = rows
                positions = rowOf
            }
            state = table[Int(positions[index]) * 256 + Int(byte)]
        }
        return accepting[Int(state)]
    }

    /// Per state whose row was asked for: its 256 targets, one per byte (`rowOf` gives the row).
    private var rows: [Int32] = []
    private var rowOf: [Int32] = []

    /// The target of `state` on `byte`, from a dense row built from `table(state)` once.
    private func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        let index = Int(state)
        if index >= rowOf.count { rowOf.append(contentsOf: repeatElement(-1, count: index + 1 - rowOf.count)) }
        var row = rowOf[index]
        if row < 0 {
            var targets = [Int32](repeating: dead, count: 256)
            for move in table(state) {
                for value in Int(move.low)...Int(move.high) { targets[value] = move.target }
            }
            row = Int32(rows.count / 256)
            rows.append(contentsOf: targets)
            rowOf[index] = row
        }
        return rows[Int(row) * 256 + Int(byte)]
    }

    /// Transitions of `state` as sorted byte ranges covering 0…255.
    func table(_ state: Int32) -> [(low: UInt8, high: UInt8, target: Int32)] {
        if let known = tables[Int(state)] { return known }
        let members = sets[Int(state)]
        // Where a member's edge starts or ends: the bytes between two cuts move alike.
        var cuts = ByteSet()
        cuts.insert(0)
        for member in members {
            for edge in automaton.edges[Int(member)] {
                cuts.insert(edge.low)
                if edge.high < 255 { cuts.insert(edge.high + 1) }
            }
        }
        var table: [(low: UInt8, high: UInt8, target: Int32)] = []
        // The states the members move to on the range's first byte, and on the range before.
        var stepped: [Int32] = [], previous: [Int32] = [], previousTarget = dead
        var low = 0
        while low < 256 {
            var next = low + 1
            while next < 256, !cuts.contains(UInt8(next)) { next += 1 }
            var target = dead
            if !members.isEmpty {
                stepped.removeAll(keepingCapacity: true)
                for member in members {
                    for edge in automaton.edges[Int(member)] where edge.low <= UInt8(low) && UInt8(low) <= edge.high { stepped.append(edge.target) }
                }
                // Neighbouring ranges often reach the same states (all bytes but a literal's).
                if low > 0, stepped == previous {
                    target = previousTarget
                } else {
                    target = intern(closure(of: stepped))
                    swap(&stepped, &previous)
                    previousTarget = target
                }
            }
            if let last = table.last, last.target == target, Int(last.high) + 1 == low {
                table[table.count - 1].high = UInt8(next - 1)
            } else {
                table.append((UInt8(low), UInt8(next - 1), target))
            }
            low = next
        }
        tables[Int(state)] = table
        return table
    }

    /// Per automaton state: the last `closure(of:)` run that reached it.
    private var marks: [UInt32] = []
    private var run: UInt32 = 0

    /// `NameAutomaton.closure`: the states reachable from `states` through empty moves, sorted,
    /// each once; marked per run instead of collected in a set.
    private func closure(of states: [Int32]) -> [Int32] {
        if marks.count < automaton.stateCount { marks = [UInt32](repeating: 0, count: automaton.stateCount) }
        run &+= 1
        if run == 0 {
            for index in marks.indices { marks[index] = 0 }
            run = 1
        }
        var reached: [Int32] = []
        reached.reserveCapacity(states.count * 2)
        for state in states where marks[Int(state)] != run {
            marks[Int(state)] = run
            reached.append(state)
        }
        var next = 0
        while next < reached.count {
            let state = reached[next]
            next += 1
            for target in automaton.epsilons[Int(state)] where marks[Int(target)] != run {
                marks[Int(target)] = run
                reached.append(target)
            }
        }
        reached.sort()
        return reached
    }
}

/// Well-formed UTF-8, as a small DFA: index names are strings, so two pattern sets are compared
/// on the names that are valid UTF-8 only (a glob's `*` alone would also accept broken byte runs).
/// State 0 is a character boundary (accepting); 1–3 await that many continuation bytes; 4–7 are
/// the lead bytes with a narrowed second byte (E0, ED, F0, F4); 8 is dead.
enum UTF8Validity {
    static let boundary: Int32 = 0
    static let dead: Int32 = 8

    static let tables: [[(low: UInt8, high: UInt8, target: Int32)]] = [
        [(0x00, 0x7F, 0), (0x80, 0xC1, 8), (0xC2, 0xDF, 1), (0xE0, 0xE0, 4), (0xE1, 0xEC, 2), (0xED, 0xED, 5), (0xEE, 0xEF, 2),
         (0xF0, 0xF0, 6), (0xF1, 0xF3, 3), (0xF4, 0xF4, 7), (0xF5, 0xFF, 8)],
        [(0x00, 0x7F, 8), (0x80, 0xBF, 0), (0xC0, 0xFF, 8)],
        [(0x00, 0x7F, 8), (0x80, 0xBF, 1), (0xC0, 0xFF, 8)],
        [(0x00, 0x7F, 8), (0x80, 0xBF, 2), (0xC0, 0xFF, 8)],
        [(0x00, 0x9F, 8), (0xA0, 0xBF, 1), (0xC0, 0xFF, 8)],
        [(0x00, 0x7F, 8), (0x80, 0x9F, 1), (0xA0, 0xFF, 8)],
        [(0x00, 0x8F, 8), (0x90, 0xBF, 2), (0xC0, 0xFF, 8)],
        [(0x00, 0x7F, 8), (0x80, 0x8F, 2), (0x90, 0xFF, 8)],
        [(0x00, 0xFF, 8)],
    ]
}

/// Breadth-first walk of the product of two determinized automata and `UTF8Validity`.
struct ProductExploration {
    let left: Determinized
    let right: Determinized

    init(_ left: Determinized, _ right: Determinized) {
        self.left = left
        self.right = right
    }

    private struct Pair: Hashable {
        let left: Int32
        let right: Int32
        var text: Int32 = UTF8Validity.boundary
    }

    /// Bytes a single-name request may hold (`IndexResolution.isPlainName`): not `*`, `?`, `,`,
    /// `:`, `<`; the first not `-`.
    static func isNameable(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "<"): false
        case UInt8(ascii: "-"): !first
        default: true
        }
    }

    /// Lower is preferred when a byte stands for its class: names read like index names.
    static let preference: [Int] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): 0
        case UInt8(ascii: "0")...UInt8(ascii: "9"): 1
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): 2
        case 0x21...0x7E: 3
        case 0x20: 4
        default: 5
        }
    }

    /// The byte that stands for the class `low…high` in a name: the nameable byte (`isNameable`)
    /// most preferred, the lowest of those equally preferred; nil when none is nameable.
    static func representative(_ low: UInt8, _ high: UInt8, first: Bool) -> UInt8? {
        let table = nextNameable
        for level in 0..<6 {
            var byte = Int(table[level * 257 + Int(low)])
            // `-` is a name's byte except as its first.
            if first, byte == Int(UInt8(ascii: "-")) { byte = Int(table[level * 257 + byte + 1]) }
            if byte <= Int(high) { return UInt8(byte) }
        }
        return nil
    }

    /// Per preference level (0…5) and byte b (0…256): the least byte from b on of that level that
    /// a name may hold past its first byte (256: none), at `level * 257 + b`.
    private static let nextNameable: [UInt16] = {
        var table = [UInt16](repeating: 256, count: 6 * 257)
        for level in 0..<6 {
            var next: UInt16 = 256
            for byte in (0..<256).reversed() {
                if preference[byte] == level, isNameable(UInt8(byte), first: false) { next = UInt16(byte) }
                table[level * 257 + byte] = next
            }
        }
        return table
    }()

    /// The product's transitions from a pair: ranges on which both sides move together, into
    /// `result` (emptied first: one buffer serves a whole exploration).
    /// Moves into a dead text state (broken UTF-8) are left out: no name continues there.
    private func moves(_ pair: Pair, into result: inout [(low: UInt8, high: UInt8, target: Pair)]) {
        let a = left.table(pair.left), b = right.table(pair.right), c = UTF8Validity.tables[Int(pair.text)]
        result.removeAll(keepingCapacity: true)
        var i = 0, j = 0, k = 0, low = 0
        while i < a.count, j < b.count, k < c.count {
            let high = min(Int(a[i].high), Int(b[j].high), Int(c[k].high))
            if c[k].target != UTF8Validity.dead {
                result.append((UInt8(low), UInt8(high), Pair(left: a[i].target, right: b[j].target, text: c[k].target)))
            }
            if Int(a[i].high) == high { i += 1 }
            if Int(b[j].high) == high { j += 1 }
            if Int(c[k].high) == high { k += 1 }
            low = high + 1
        }
    }

    /// Whether some name is accepted by the left side only, and by the right side only; nil past
    /// the state budget.
    mutating func differences() -> (first: Bool, second: Bool)? {
        let start = Pair(left: left.startState, right: right.startState)
        var seen: Set<Pair> = [start]
        var queue = [start], head = 0
        var first = false, second = false
        var moves: [(low: UInt8, high: UInt8, target: Pair)] = []
        while head < queue.count {
            let pair = queue[head]
            head += 1
            let complete = pair.text == UTF8Validity.boundary
            let inLeft = complete && left.accepting[Int(pair.left)], inRight = complete && right.accepting[Int(pair.right)]
            if inLeft && !inRight { first = true }
            if inRight && !inLeft { second = true }
            if first && second { break }
            if pair.left == left.dead && pair.right == right.dead { continue }
            self.moves(pair, into: &moves)
            for move in moves where seen.insert(move.target).inserted {
                queue.append(move.target)
                if seen.count > NameSetComparison.stateBudget { return nil }
            }
        }
        return (first, second)
    }

    /// The shortest nameable names in each difference, up to `wanted` of each (the walk stops
    /// when it has them).
    mutating func candidates(wanted: (first: Int, second: Int)) -> (first: [String], second: [String]) {
        let start = Pair(left: left.startState, right: right.startState)
        var parent: [Pair: (Pair, UInt8)] = [:]
        var seen: Set<Pair> = [start]
        var queue = [start], head = 0
        var first: [String] = [], second: [String] = []
        func name(_ end: Pair) -> String? {
            var bytes: [UInt8] = []
            var at = end
            while let (previous, byte) = parent[at] {
                bytes.append(byte)
                at = previous
            }
            guard !bytes.isEmpty else { return nil }
            let text = String(validating: bytes.reversed(), as: UTF8.self)
            return text == "_all" ? nil : text
        }
        var moves: [(low: UInt8, high: UInt8, target: Pair)] = []
        // Per move kept, the byte it is taken on and its order (preference, then byte: `order`'s low byte).
        var steps: [(order: Int, target: Pair)] = []
        while head < queue.count, first.count < wanted.first || second.count < wanted.second {
            let pair = queue[head]
            head += 1
            let complete = pair.text == UTF8Validity.boundary
            let inLeft = complete && left.accepting[Int(pair.left)], inRight = complete && right.accepting[Int(pair.right)]
            if inLeft != inRight, let text = name(pair) {
                if inLeft, first.count < wanted.first { first.append(text) }
                if inRight, second.count < wanted.second { second.append(text) }
            }
            if pair.left == left.dead && pair.right == right.dead { continue }
            // The most name-like byte first: a target reached by several classes keeps the best.
            self.moves(pair, into: &moves)
            steps.removeAll(keepingCapacity: true)
            for move in moves {
                guard let byte = Self.representative(move.low, move.high, first: pair == start) else { continue }
                steps.append((Self.preference[Int(byte)] << 8 | Int(byte), move.target))
            }
            steps.sort { $0.order < $1.order }
            for step in steps where seen.insert(step.target).inserted {
                parent[step.target] = (pair, UInt8(truncatingIfNeeded: step.order))
                queue.append(step.target)
                if seen.count > NameSetComparison.stateBudget { return (first, second) }
            }
        }
        return (first, second)
    }
}
