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
        guard let existence = product.differences(restricted: false) else {
            return undecided("the comparison exceeded \(stateBudget) automaton states")
        }
        if !existence.first && !existence.second { return NameSetComparison(onlyFirst: .none, onlySecond: .none, undecided: nil) }
        let named = product.candidates()
        func difference(_ exists: Bool, _ names: [String]) -> Difference {
            guard exists else { return .none }
            return names.isEmpty ? .unnameable : .names(names)
        }
        return NameSetComparison(onlyFirst: difference(existence.first, named.first), onlySecond: difference(existence.second, named.second),
                                 undecided: nil)
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
        var cuts = Set<Int>([0, 256])
        for member in members {
            for edge in automaton.edges[Int(member)] {
                cuts.insert(Int(edge.low))
                cuts.insert(Int(edge.high) + 1)
            }
        }
        let bounds = cuts.sorted()
        var table: [(low: UInt8, high: UInt8, target: Int32)] = []
        for (low, next) in zip(bounds, bounds.dropFirst()) {
            let byte = UInt8(low)
            let target = members.isEmpty ? dead : intern(automaton.closure(automaton.step(members, byte)))
            if let last = table.last, last.target == target, Int(last.high) + 1 == low {
                table[table.count - 1].high = UInt8(next - 1)
            } else {
                table.append((byte, UInt8(next - 1), target))
            }
        }
        tables[Int(state)] = table
        return table
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

    private static func representative(_ low: UInt8, _ high: UInt8, restricted: Bool, first: Bool) -> UInt8? {
        var best: UInt8?
        for byte in low...high where !restricted || isNameable(byte, first: first) {
            if best == nil || preference[Int(byte)] < preference[Int(best!)] { best = byte }
            if preference[Int(byte)] == 0 { break }
        }
        return best
    }

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
    mutating func differences(restricted: Bool) -> (first: Bool, second: Bool)? {
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

    /// The shortest nameable names in each difference (up to `candidateCount` each).
    mutating func candidates() -> (first: [String], second: [String]) {
        let start = Pair(left: left.startState, right: right.startState)
        var parent: [Pair: (Pair, UInt8)] = [:]
        var seen: Set<Pair> = [start]
        var queue = [start], head = 0
        var first: [String] = [], second: [String] = []
        let wanted = NameSetComparison.candidateCount
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
        while head < queue.count, first.count < wanted || second.count < wanted {
            let pair = queue[head]
            head += 1
            let complete = pair.text == UTF8Validity.boundary
            let inLeft = complete && left.accepting[Int(pair.left)], inRight = complete && right.accepting[Int(pair.right)]
            if inLeft != inRight, let text = name(pair) {
                if inLeft, first.count < wanted { first.append(text) }
                if inRight, second.count < wanted { second.append(text) }
            }
            if pair.left == left.dead && pair.right == right.dead { continue }
            // The most name-like byte first: a target reached by several classes keeps the best.
            self.moves(pair, into: &moves)
            let steps = moves.compactMap { move in
                Self.representative(move.low, move.high, restricted: true, first: pair == start).map { (byte: $0, target: move.target) }
            }.sorted { (Self.preference[Int($0.byte)], $0.byte) < (Self.preference[Int($1.byte)], $1.byte) }
            for step in steps where seen.insert(step.target).inserted {
                parent[step.target] = (pair, step.byte)
                queue.append(step.target)
                if seen.count > NameSetComparison.stateBudget { return (first, second) }
            }
        }
        return (first, second)
    }
}
