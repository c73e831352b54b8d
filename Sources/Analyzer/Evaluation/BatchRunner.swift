import Dispatch
import Synchronization

/// Decides every case of a cases file: each distinct subject resolved and prepared once, each case
/// decided without explanations, and explained (grant chains, 403 text, fix) only when it
/// disagrees with its `expected` or when every case is to be explained.
public struct BatchRunner: Sendable {
    public let evaluator: Evaluator
    /// Added to every case's subject (the command line's --backend-role, --attribute, --role, --host).
    public let common: SubjectRequest
    /// Explain every case, not only those that disagree.
    public let explain: Bool
    /// How many threads share the cases; the entries come back in the cases' order whatever it is.
    public let jobs: Int

    public init(evaluator: Evaluator, common: SubjectRequest = SubjectRequest(), explain: Bool = false, jobs: Int = 1) {
        self.evaluator = evaluator
        self.common = common
        self.explain = explain
        self.jobs = max(1, jobs)
    }

    /// Decides every case and keeps every entry (the text report lists them all; tests read them).
    public func run(_ cases: BatchCases, file: String) throws(InputError) -> BatchResult {
        var entries: [BatchResult.Entry] = []
        entries.reserveCapacity(cases.count)
        try run(cases, render: { decided in decided.map { BatchResult.Entry($0, testCase: cases[$0.position]) } },
                deliver: { entries += $0 })
        return BatchResult(file: file, cases: cases, entries: entries)
    }

    /// Decides every case in the cases' order, `chunkSize` cases at a time: each chunk is cut into
    /// `jobs` slices, each slice decided and rendered by `render` on its own thread (deciding as
    /// `render` reads the ``Decisions``), and the rendered parts handed to `deliver` on the calling
    /// thread in the cases' order. Memory holds one chunk of decisions, never all of them.
    ///
    /// Every subject is resolved before the first case is decided, so an input error comes before
    /// any part.
    public func run<Part: Sendable>(_ cases: BatchCases, chunkSize: Int = 8192, render: @Sendable (Decisions) -> Part,
                                    deliver: (Part) -> Void) throws(InputError) {
        let subjects = try preparedSubjects(cases)
        var start = 0
        while start < cases.count {
            let end = min(start + max(1, chunkSize), cases.count)
            let slices = Self.slices(count: end - start, jobs: jobs).map { ($0.lowerBound + start)..<($0.upperBound + start) }
            if slices.count == 1 {
                deliver(render(Decisions(runner: self, cases: cases, subjects: subjects, range: slices[0])))
            } else {
                let parts = Mutex<[Part?]>(Array(repeating: nil, count: slices.count))
                DispatchQueue.concurrentPerform(iterations: slices.count) { slice in
                    let part = render(Decisions(runner: self, cases: cases, subjects: subjects, range: slices[slice]))
                    parts.withLock { $0[slice] = part }
                }
                for part in parts.withLock({ $0 }) { if let part { deliver(part) } }
            }
            start = end
        }
    }

    /// One decided case: its position among the cases, its decision (explained or not) and how it
    /// disagrees with its `expected`.
    public struct Decided: Sendable {
        public let position: Int
        public let decision: Decision
        public let disagreement: String?
        /// Whether `decision` carries its explanation (grant chains, 403 text, fix).
        public let explained: Bool
    }

    /// The cases of one slice, decided one at a time as they are read.
    public struct Decisions: Sequence, Sendable {
        let runner: BatchRunner
        let cases: BatchCases
        let subjects: [PreparedSubject]
        let range: Range<Int>

        public func makeIterator() -> Iterator { Iterator(decisions: self, position: range.lowerBound) }

        public struct Iterator: IteratorProtocol {
            let decisions: Decisions
            var position: Int

            public mutating func next() -> Decided? {
                guard position < decisions.range.upperBound else { return nil }
                defer { position += 1 }
                return decisions.runner.decide(position, of: decisions.cases, decisions.subjects)
            }
        }
    }

    /// One case: the outcome alone first; the explained decision when it is asked for.
    func decide(_ position: Int, of cases: BatchCases, _ subjects: [PreparedSubject]) -> Decided {
        let record = cases.records[position]
        let subject = subjects[Int(record.subject)]
        let action = cases.texts[Int(record.action)], indices = cases.lists[Int(record.indices)]
        let quick = evaluator.evaluate(subject, action: action, indices: indices, explain: false)
        let disagreement = cases.disagreement(at: position, with: quick)
        guard explain || disagreement != nil else { return Decided(position: position, decision: quick, disagreement: nil, explained: false) }
        let full = evaluator.evaluate(subject, action: action, indices: indices, explain: true)
        return Decided(position: position, decision: full, disagreement: cases.disagreement(at: position, with: full), explained: true)
    }

    /// The prepared subject of each of the cases' distinct subjects, by subject number; subjects
    /// equal once the common flags are added share one. Subjects are resolved in the order the
    /// cases first name them (the first input error is the first case's), and the distinct ones
    /// prepared (roles mapped, patterns packed) on `jobs` threads.
    func preparedSubjects(_ cases: BatchCases) throws(InputError) -> [PreparedSubject] {
        var positions: [SubjectKey: Int] = [:]
        var distinct: [ResolvedSubject] = []
        var preparedOfSubject: [Int] = []
        preparedOfSubject.reserveCapacity(cases.subjects.count)
        for own in cases.subjects {
            let request = merged(own)
            let key = SubjectKey(request)
            if let known = positions[key] {
                preparedOfSubject.append(known)
            } else {
                positions[key] = distinct.count
                preparedOfSubject.append(distinct.count)
                distinct.append(try SubjectResolver.resolve(request, config: evaluator.config))
            }
        }
        let resolved = distinct
        let slices = Self.slices(count: resolved.count, jobs: jobs)
        let parts = Mutex<[[PreparedSubject]]>(Array(repeating: [], count: slices.count))
        DispatchQueue.concurrentPerform(iterations: slices.count) { slice in
            let prepared = slices[slice].map { evaluator.prepare(resolved[$0]) }
            parts.withLock { $0[slice] = prepared }
        }
        let prepared = parts.withLock { Self.joined(&$0) }
        return preparedOfSubject.map { prepared[$0] }
    }

    /// The slices' results in order; one slice is taken as it is (no copy of every entry).
    static func joined<Element: Sendable>(_ parts: inout [[Element]]) -> [Element] {
        if parts.count == 1 { return parts[0] }
        var all: [Element] = []
        all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { all += part }
        return all
    }

    /// A case's subject with the common flags added (a case's own host wins).
    func merged(_ own: SubjectRequest) -> SubjectRequest {
        var request = own
        request.backendRoles += common.backendRoles
        request.attributes.merge(common.attributes) { _, new in new }
        request.roles += common.roles
        request.host = request.host ?? common.host
        return request
    }

    /// `count` cases cut into at most `jobs` contiguous ranges of nearly equal size.
    static func slices(count: Int, jobs: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let parts = min(max(1, jobs), count)
        let (size, extra) = count.quotientAndRemainder(dividingBy: parts)
        var ranges: [Range<Int>] = []
        var start = 0
        for part in 0..<parts {
            let end = start + size + (part < extra ? 1 : 0)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// What makes two cases' subjects the same (cases have no claims).
    struct SubjectKey: Hashable {
        let user: String?
        let backendRoles: [String]
        let attributes: [String: String]
        let roles: [String]
        let host: String?
        let tenant: String?

        init(_ request: SubjectRequest) {
            user = request.user
            backendRoles = request.backendRoles
            attributes = request.attributes
            roles = request.roles
            host = request.host
            tenant = request.requestedTenant
        }
    }
}
