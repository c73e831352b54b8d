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

    public func run(_ cases: [BatchCase], file: String) throws(InputError) -> BatchResult {
        let subjects = try prepareSubjects(cases)
        let slices = Self.slices(count: cases.count, jobs: jobs)
        let parts = Mutex<[[BatchResult.Entry]]>(Array(repeating: [], count: slices.count))
        DispatchQueue.concurrentPerform(iterations: slices.count) { slice in
            let entries = slices[slice].map { decide(cases[$0], subjects[$0]) }
            parts.withLock { $0[slice] = entries }
        }
        return BatchResult(file: file, entries: parts.withLock { Self.joined(&$0) })
    }

    /// The slices' results in order; one slice is taken as it is (no copy of every entry).
    static func joined<Element: Sendable>(_ parts: inout [[Element]]) -> [Element] {
        if parts.count == 1 { return parts[0] }
        var all: [Element] = []
        all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { all += part }
        return all
    }

    /// One case: the outcome alone first; the explained decision when it is asked for.
    func decide(_ item: BatchCase, _ subject: PreparedSubject) -> BatchResult.Entry {
        let quick = evaluator.evaluate(subject, action: item.action, indices: item.indices, explain: false)
        let disagreement = item.disagreement(with: quick)
        guard explain || disagreement != nil else { return BatchResult.Entry(testCase: item, decision: quick, disagreement: nil, explained: false) }
        let full = evaluator.evaluate(subject, action: item.action, indices: item.indices, explain: true)
        return BatchResult.Entry(testCase: item, decision: full, disagreement: item.disagreement(with: full), explained: true)
    }

    /// The prepared subject of every case, in order; cases naming the same subject share one.
    /// Subjects are resolved in the cases' order (the first input error is the first case's), and
    /// the distinct ones prepared (roles mapped, patterns packed) on `jobs` threads.
    func prepareSubjects(_ cases: [BatchCase]) throws(InputError) -> [PreparedSubject] {
        var positions: [SubjectKey: Int] = [:]
        var distinct: [ResolvedSubject] = []
        var subjectOfCase: [Int] = []
        subjectOfCase.reserveCapacity(cases.count)
        for item in cases {
            let request = merged(item.subject)
            let key = SubjectKey(request)
            if let known = positions[key] {
                subjectOfCase.append(known)
            } else {
                positions[key] = distinct.count
                subjectOfCase.append(distinct.count)
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
        return subjectOfCase.map { prepared[$0] }
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
