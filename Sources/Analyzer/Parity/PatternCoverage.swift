/// Which index patterns include which others, for one diff.
///
/// Two kinds of facts are kept. Facts about a pair of patterns (does this glob include that exact
/// name?) hold for every subject, so they are kept for the whole run. For the subject being
/// compared, each side's patterns are numbered locally (`begin`), each member's coverers among the
/// other side's patterns become a row of bits, and each grant set a bit set over its side's
/// patterns: "one pattern of this set includes that member" is then a few word ANDs.
struct PatternCoverage {
    let texts: PatternTexts
    /// Per (outer, inner) pattern pair decided on automata: whether the outer includes the inner.
    private var inclusions: [UInt64: Bool] = [:]
    /// Per pattern id, its own shortest names once worked out (`shortestNames`).
    private var ownNames: [[String]?] = []
    /// Per pattern id of another form (glob, regex, contains): its bit in `CoverTrials`, -1 until given one.
    private var trialBits: [Int32] = []
    private var trialBitCount = 0
    /// Per member pattern id: which other-form patterns were already tested as its coverers, and
    /// which cover it. The test depends on the two patterns alone, so it holds across subjects
    /// (whose patterns differ, but mostly draw on the same roles).
    private var trials: [CoverTrials] = []

    /// The subject being compared, per side (0: source).
    private var sides = [SidePatterns(), SidePatterns()]
    /// Per side, per pattern id: its local number, valid while `localStamps` holds `stamp`.
    private var localNumbers: [[Int32]] = [[], []]
    private var localStamps: [[Int]] = [[], []]
    private var stamp = 0
    /// Per side of the members: rows of coverers among the other side's patterns
    /// (`sides[1 - side].words` words each), one per member asked about, and per local member
    /// where its row starts (-1 until worked out). Rows are made when first asked: most members
    /// are found in the set itself.
    private var rows: [[UInt64]] = [[], []]
    private var rowStarts: [[Int]] = [[], []]
    /// Per side, per grant set id: where its bits over the side's patterns start in `setBits`,
    /// valid while `setStamps` holds `stamp`.
    private var setOffsets: [[Int]] = [[], []]
    private var setStamps: [[Int]] = [[], []]
    private var setBits: [[UInt64]] = [[], []]
    /// Reused for the row being worked out (one allocation for the run).
    private var scratch: [UInt64] = []

    init(texts: PatternTexts) {
        self.texts = texts
    }

    /// One side's patterns for the subject: pattern ids by local number (ascending), and the local
    /// numbers by kind, as the coverage shortcuts sort them.
    private struct SidePatterns {
        var ids: [Int32] = []
        var words = 0
        var anything: [Int32] = [], exact: [Int32] = [], prefixes: [Int32] = [], nothing: [Int32] = []
        /// Patterns of another form: local numbers, and the same patterns' bits in `CoverTrials`.
        var other: [Int32] = [], otherTrialBits: [Int32] = []
    }

    /// Two bit sets over the trial bits: tested, and found covering.
    private struct CoverTrials {
        var tested: [UInt64] = []
        var covering: [UInt64] = []
    }

    // MARK: per subject

    /// Starts a subject: `sets[side]` are the grant sets (`PatternTexts.setID`) the side has at the
    /// compared positions; every member and every set asked about until the next `begin` is
    /// among them.
    mutating func begin(sets: [[Int32]]) {
        stamp += 1
        let count = texts.patterns.count
        for side in 0..<2 {
            if localNumbers[side].count < count {
                localNumbers[side] += repeatElement(0, count: count - localNumbers[side].count)
                localStamps[side] += repeatElement(0, count: count - localStamps[side].count)
            }
            // The sets' patterns, each once (marked with this stamp), in id order.
            var ids: [Int32] = []
            for set in sets[side] {
                for id in texts.sets[Int(set)] where localStamps[side][Int(id)] != stamp {
                    localStamps[side][Int(id)] = stamp
                    ids.append(id)
                }
            }
            ids.sort()
            var local = SidePatterns()
            local.ids = ids
            local.words = (ids.count + 63) / 64
            for (number, id) in ids.enumerated() {
                localNumbers[side][Int(id)] = Int32(number)
                switch texts.kinds[Int(id)] {
                case .anything: local.anything.append(Int32(number))
                case .exact: local.exact.append(Int32(number))
                case .prefix: local.prefixes.append(Int32(number))
                case .nothing: local.nothing.append(Int32(number))
                case .other:
                    local.other.append(Int32(number))
                    local.otherTrialBits.append(trialBit(id))
                }
            }
            sides[side] = local
            setBits[side].removeAll(keepingCapacity: true)
        }
        for side in 0..<2 {
            rows[side].removeAll(keepingCapacity: true)
            rowStarts[side] = [Int](repeating: -1, count: sides[side].ids.count)
        }
    }

    /// Whether one pattern of the grant set `set` (of the other side) includes `member`, a pattern
    /// of `side` given to `begin`: the member is in the set, or one of its coverers is.
    mutating func isCovered(_ member: Int32, side: Int, by set: Int32) -> Bool {
        let other = 1 - side, words = sides[other].words
        guard words > 0 else { return false }
        let bits = bits(of: set, side: other)
        // In the set itself: no row needed (the usual case when both sides grant alike).
        let slot = Int(member)
        if slot < localStamps[other].count, localStamps[other][slot] == stamp {
            let number = Int(localNumbers[other][slot])
            if setBits[other][bits + number >> 6] & (1 << UInt64(number & 63)) != 0 { return true }
        }
        let row = row(of: member, side: side)
        for word in 0..<words where rows[side][row + word] & setBits[other][bits + word] != 0 { return true }
        return false
    }

    /// Where the bits of `set` (a set of `side`'s patterns) start in `setBits[side]`.
    private mutating func bits(of set: Int32, side: Int) -> Int {
        let slot = Int(set)
        if setStamps[side].count <= slot {
            let missing = slot + 1 - setStamps[side].count
            setStamps[side] += repeatElement(0, count: missing)
            setOffsets[side] += repeatElement(0, count: missing)
        }
        if setStamps[side][slot] == stamp { return setOffsets[side][slot] }
        let offset = setBits[side].count
        setBits[side] += repeatElement(0, count: sides[side].words)
        for id in texts.sets[slot] {
            precondition(localStamps[side][Int(id)] == stamp, "a set outside those given to begin(sets:)")
            let number = Int(localNumbers[side][Int(id)])
            setBits[side][offset + number >> 6] |= 1 << UInt64(number & 63)
        }
        setStamps[side][slot] = stamp
        setOffsets[side][slot] = offset
        return offset
    }

    /// Where the coverers of `member` (a pattern of `side`) start in `rows[side]`, worked out on
    /// first use: the other side's patterns that include it (`covers`), except perhaps the
    /// member itself, which `isCovered` looks for in the set first.
    ///
    /// As `covers` pair by pair, with the shortcuts that spare a test per pair: an exact name is
    /// covered by `*`, by a prefix it starts with, or by a pattern of another form whose automaton
    /// accepts it, never by another exact name; a prefix pattern by `*`, a shorter prefix, or a
    /// pattern of another form that `covers` it, never by an exact name.
    private mutating func row(of member: Int32, side: Int) -> Int {
        precondition(localStamps[side][Int(member)] == stamp, "a member outside the sets given to begin(sets:)")
        let local = Int(localNumbers[side][Int(member)])
        if rowStarts[side][local] >= 0 { return rowStarts[side][local] }
        let other = 1 - side, words = sides[other].words
        var bits = scratch
        scratch = []
        bits.removeAll(keepingCapacity: true)
        bits += repeatElement(0, count: words)
        func set(_ number: Int32) { bits[Int(number) >> 6] |= 1 << UInt64(number & 63) }
        let candidates = sides[other]
        for number in candidates.anything { set(number) }
        // The member itself, when the other side has it, is found by `isCovered` without a row.
        let slot = Int(member)
        switch texts.kinds[slot] {
        case .nothing:
            // A blank pattern matches no name: every pattern covers it (`covers`).
            for number in 0..<Int32(candidates.ids.count) { set(number) }
        case .anything:
            // Only `*` covers `*` (a prefix or exact name never does; another form as `covers` says).
            addOtherCoverers(of: member, candidates, to: &bits)
        case .exact, .prefix:
            for number in candidates.prefixes where texts.literal(member, startsWith: candidates.ids[Int(number)]) { set(number) }
            addOtherCoverers(of: member, candidates, to: &bits)
        case .other:
            let names = shortestNames(member)
            // An exact name covers only a pattern whose every name is that one (`covers`): not one
            // with two distinct own names.
            let groups = names.count > 1 ? [candidates.prefixes, candidates.nothing]
                : [candidates.exact, candidates.prefixes, candidates.nothing]
            for group in groups {
                for number in group where covers(candidates.ids[Int(number)], member, names: names) { set(number) }
            }
            addOtherCoverers(of: member, candidates, to: &bits)
        }
        let offset = rows[side].count
        rows[side] += bits
        rowStarts[side][local] = offset
        scratch = bits
        return offset
    }

    /// Sets the bits of the patterns of another form among `candidates` that cover `member`, each
    /// pair tested once per run (`trials`): an exact name on the pattern's automaton (a pattern
    /// outside the translated subset, with no automaton, covers nothing), any other member by `covers`.
    private mutating func addOtherCoverers(of member: Int32, _ candidates: SidePatterns, to bits: inout [UInt64]) {
        guard !candidates.other.isEmpty else { return }
        let slot = Int(member)
        if trials.count <= slot { trials += repeatElement(CoverTrials(), count: slot + 1 - trials.count) }
        var entry = CoverTrials()
        swap(&entry, &trials[slot])
        let words = (trialBitCount + 63) / 64
        if entry.tested.count < words {
            let missing = words - entry.tested.count
            entry.tested += repeatElement(0, count: missing)
            entry.covering += repeatElement(0, count: missing)
        }
        let isExact = texts.kinds[slot] == .exact, isLiteral = isExact || texts.kinds[slot] == .prefix
        var names: [String]?
        for (index, number) in candidates.other.enumerated() {
            let bit = Int(candidates.otherTrialBits[index]), word = bit >> 6, mask = UInt64(1) << UInt64(bit & 63)
            if entry.tested[word] & mask == 0 {
                let pattern = candidates.ids[Int(number)]
                let covered: Bool
                if isLiteral, !texts.mayMatch(pattern, nameBytes: texts.literalByteSets[slot]) {
                    // The exact name, or the prefix (a name of its own), lacks a byte the pattern needs.
                    covered = false
                } else if isExact {
                    covered = texts.determinized(pattern)?.accepts(bytes: texts.literal(member)) ?? false
                } else {
                    let own = names ?? shortestNames(member)
                    names = own
                    covered = covers(pattern, member, names: own)
                }
                entry.tested[word] |= mask
                if covered { entry.covering[word] |= mask }
            }
            if entry.covering[word] & mask != 0 { bits[Int(number) >> 6] |= 1 << UInt64(number & 63) }
        }
        swap(&entry, &trials[slot])
    }

    /// The bit of an other-form pattern in `CoverTrials`, given on first use.
    private mutating func trialBit(_ id: Int32) -> Int32 {
        let slot = Int(id)
        if trialBits.count <= slot { trialBits += repeatElement(-1, count: slot + 1 - trialBits.count) }
        if trialBits[slot] < 0 {
            trialBits[slot] = Int32(trialBitCount)
            trialBitCount += 1
        }
        return trialBits[slot]
    }

    // MARK: pairs of patterns

    /// Whether every name `member` matches is matched by `pattern` (Java semantics; cached).
    /// `names`: the member's own shortest names (`shortestNames`).
    mutating func covers(_ pattern: Int32, _ member: Int32, names: [String]) -> Bool {
        if pattern == member { return true }
        let outerKind = texts.kinds[Int(pattern)], innerKind = texts.kinds[Int(member)]
        switch (outerKind, innerKind) {
        case (.anything, _), (_, .nothing): return true
        case (.prefix, .prefix), (.prefix, .exact): return texts.literal(member, startsWith: pattern)
        case (.exact, .exact), (.exact, .prefix), (.exact, .anything), (.prefix, .anything): return false
        default: break
        }
        // One of the member's own names outside the pattern refutes inclusion without a product.
        // An exact name or a prefix accepts exactly the byte strings equal to it or starting with
        // it (PatternLanguage), so those are tested on the bytes without their automaton.
        switch outerKind {
        case .exact, .prefix:
            let span = texts.literalSpans[Int(pattern)]
            let literal = texts.literalBytes[span]
            for name in names {
                let fits = outerKind == .exact ? name.utf8.elementsEqual(literal) : name.utf8.starts(with: literal)
                if !fits { return false }
            }
        default:
            // A name without a byte the pattern needs is refuted without the automaton.
            for name in names where !texts.mayMatch(pattern, nameBytes: ByteSet(name.utf8)) { return false }
            guard let automaton = texts.determinized(pattern) else { return false }
            for name in names where !automaton.accepts(bytes: name.utf8) { return false }
        }
        let key = UInt64(UInt32(bitPattern: pattern)) << 32 | UInt64(UInt32(bitPattern: member))
        if let known = inclusions[key] { return known }
        let comparison = NameSetComparison.compare([texts.patterns[Int(member)]], [texts.patterns[Int(pattern)]])
        let result = comparison.undecided == nil && comparison.onlyFirst == .none
        inclusions[key] = result
        return result
    }

    /// The least of a pattern's own names (`OwnNames` order), with its order key.
    struct LeastName {
        let name: String
        let key: UInt64

        /// Whether this name comes before `other` (`OwnNames.precedes`), mostly on the keys alone.
        func precedes(_ other: LeastName) -> Bool {
            key != other.key ? key < other.key : OwnNames.precedes(name, other.name)
        }
    }

    /// Per pattern id whose own names are worked out: the least of them (nil: it has none), and
    /// its order key alone (read without copying the name).
    private var leastNames: [LeastName?] = []
    private var leastKeys: [UInt64?] = []
    /// Per pattern id: whether its own names are worked out.
    private var namesKnown: [Bool] = []

    /// The least own name of the patterns `ids` (nil: none has one), working names out if needed.
    /// Compared on the order keys, the names only where two keys are equal.
    mutating func leastName(among ids: [Int32]) -> LeastName? {
        var best = -1, bestKey = UInt64.max
        for id in ids {
            let slot = Int(id)
            if slot >= namesKnown.count || !namesKnown[slot] { _ = shortestNames(id) }
            guard let key = leastKeys[slot] else { continue }
            if best < 0 || key < bestKey
                || (key == bestKey && OwnNames.precedes(leastNames[slot].unsafelyUnwrapped.name, leastNames[best].unsafelyUnwrapped.name)) {
                best = slot
                bestKey = key
            }
        }
        return best < 0 ? nil : leastNames[best]
    }

    /// The least own name of `member` once its own names are worked out: `known` false before.
    func knownLeastName(_ member: Int32) -> (known: Bool, least: LeastName?) {
        guard Int(member) < namesKnown.count, namesKnown[Int(member)] else { return (false, nil) }
        return (true, leastNames[Int(member)])
    }

    /// The least own name of `member` (nil: it has none), working its names out if needed.
    mutating func leastName(_ member: Int32) -> LeastName? {
        if Int(member) >= namesKnown.count || !namesKnown[Int(member)] { _ = shortestNames(member) }
        return leastNames[Int(member)]
    }

    /// A pattern's own shortest names (cached): the first names to try as witnesses.
    mutating func shortestNames(_ member: Int32) -> [String] {
        if Int(member) < ownNames.count, let known = ownNames[Int(member)] { return known }
        let pattern = texts.patterns[Int(member)]
        var names: [String] = []
        switch pattern.form {
        case .exact(let name):
            names = IndexResolution.isPlainName(name) ? [name] : []
        case .prefix(let prefix):
            names = Array(NameSetComparison.shortestNames(ofPrefix: prefix).prefix(3))
        default:
            names = NameSetComparison.ownNames(pattern, count: 3)
        }
        if Int(member) >= ownNames.count {
            let missing = Int(member) + 1 - ownNames.count
            ownNames += repeatElement(nil, count: missing)
            leastNames += repeatElement(nil, count: missing)
            leastKeys += repeatElement(nil, count: missing)
            namesKnown += repeatElement(false, count: missing)
        }
        ownNames[Int(member)] = names
        namesKnown[Int(member)] = true
        var least: String?
        for name in names where least.map({ OwnNames.precedes(name, $0) }) ?? true { least = name }
        if let least {
            let made = LeastName(name: least, key: OwnNames.orderKey(least))
            leastNames[Int(member)] = made
            leastKeys[Int(member)] = made.key
        }
        return names
    }
}
