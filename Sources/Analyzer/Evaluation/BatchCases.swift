/// The cases of a cases file, held compactly: every distinct text once (users, actions and index
/// names repeat across thousands of cases), every distinct list of texts and every distinct subject
/// once, and each case a few numbers into those tables. A case is read back as a ``BatchCase``
/// value by position.
public struct BatchCases: RandomAccessCollection, Sendable {
    /// One case as numbers into the tables; -1 where a field is absent.
    struct Record: Sendable {
        var line: Int32
        /// The number of the case's `id` among the ids given; -1 when it has none (it is then "line N").
        var id: Int32
        var subject: Int32
        /// Into `texts`.
        var action: Int32
        /// Into `lists` (an absent `indices` is the empty list).
        var indices: Int32
        /// Into `lists`; -1 when the case has no `allowed_indices`.
        var allowed: Int32
        var expected: Decision.Outcome?
    }

    /// What makes two cases' subjects the same, as table numbers (attributes as a list of key,
    /// value pairs in the order of their keys' numbers).
    struct SubjectShape: Hashable, Sendable {
        var user: Int32, backendRoles: Int32, attributes: Int32, roles: Int32, host: Int32, tenant: Int32
    }

    private(set) var records: [Record] = []
    /// Every distinct text, by number.
    private(set) var texts: [String] = []
    private var textTable = InternTable<UInt8>(capacity: 4096)
    /// Every distinct list of texts, by number, as strings and as text numbers.
    private(set) var lists: [[String]] = []
    private var listTable = InternTable<Int32>(capacity: 4096)
    /// Every distinct subject, in the order first named.
    private(set) var subjects: [SubjectRequest] = []
    /// The text number of each subject's user name.
    private(set) var subjectUsers: [Int32] = []
    private var subjectNumbers: [SubjectShape: Int32] = [:]
    /// Subjects that are a user name alone, by the name's text number (-1: none yet).
    private var userSubjects: [Int32] = []
    /// The `id` of each case that gives one, as UTF-8 back to back (ids are unique: not interned).
    private var idBytes: [UInt8] = []
    private var idStarts: [Int] = [0]
    /// Whether any case carries `expected`.
    public private(set) var hasExpectations = false
    /// The list number of the empty list.
    let emptyList: Int32

    init() {
        var table = InternTable<Int32>(capacity: 4096)
        emptyList = table.number(of: UnsafeBufferPointer(start: nil, count: 0))
        listTable = table
        lists = [[]]
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(position: Int) -> BatchCase {
        let record = records[position]
        let line = Int(record.line)
        return BatchCase(line: line, id: id(of: record), subject: subjects[Int(record.subject)], action: texts[Int(record.action)],
                         indices: lists[Int(record.indices)], expected: record.expected,
                         expectedAllowedIndices: record.allowed < 0 ? nil : lists[Int(record.allowed)])
    }

    func id(of record: Record) -> String {
        record.id < 0 ? "line \(record.line)" : String(decoding: idBytes(Int(record.id)), as: UTF8.self)
    }

    /// The UTF-8 bytes of given id `number`.
    func idBytes(_ number: Int) -> ArraySlice<UInt8> { idBytes[idStarts[number]..<idStarts[number + 1]] }

    /// The text numbers of list `number`.
    func listTexts(_ number: Int32) -> ArraySlice<Int32> { listTable[Int(number)] }

    /// The UTF-8 bytes of text `number`.
    func textBytes(_ number: Int) -> ArraySlice<UInt8> { textTable[number] }

    // MARK: building

    /// The number of the text with these UTF-8 bytes (valid UTF-8: they come from a String).
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let number = textTable.number(of: bytes)
        if Int(number) == texts.count { texts.append(String(decoding: bytes, as: UTF8.self)) }
        return number
    }

    mutating func text(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { text($0) }
    }

    /// The number of the list of these text numbers.
    mutating func list(_ numbers: UnsafeBufferPointer<Int32>) -> Int32 {
        let number = listTable.number(of: numbers)
        if Int(number) == lists.count { lists.append(numbers.map { texts[Int($0)] }) }
        return number
    }

    mutating func list(_ strings: [String]) -> Int32 {
        let numbers = strings.map { text($0) }
        return numbers.withUnsafeBufferPointer { list($0) }
    }

    /// Attributes as a list of key, value text numbers, ordered by the keys' numbers: equal maps
    /// give equal lists.
    mutating func attributes(_ map: [String: String]) -> Int32 {
        var pairs = map.map { (text($0.key), text($0.value)) }
        pairs.sort { $0.0 < $1.0 }
        let flat = pairs.flatMap { [$0.0, $0.1] }
        return flat.withUnsafeBufferPointer { list($0) }
    }

    /// The number of the subject of this shape (-1 fields absent; an empty list counts as absent).
    mutating func subject(_ shape: SubjectShape) -> Int32 {
        var shape = shape
        if shape.backendRoles == emptyList { shape.backendRoles = -1 }
        if shape.attributes == emptyList { shape.attributes = -1 }
        if shape.roles == emptyList { shape.roles = -1 }
        let userAlone = shape.backendRoles < 0 && shape.attributes < 0 && shape.roles < 0 && shape.host < 0 && shape.tenant < 0
        let user = Int(shape.user)
        if userAlone {
            if user < userSubjects.count, userSubjects[user] >= 0 { return userSubjects[user] }
        } else if let known = subjectNumbers[shape] {
            return known
        }
        let number = Int32(subjects.count)
        subjects.append(request(shape))
        subjectUsers.append(shape.user)
        if userAlone {
            // Grown to every text known so far: one growth serves the users named since the last.
            if user >= userSubjects.count { userSubjects += repeatElement(-1, count: texts.count - userSubjects.count) }
            userSubjects[user] = number
        } else {
            subjectNumbers[shape] = number
        }
        return number
    }

    private func request(_ shape: SubjectShape) -> SubjectRequest {
        var request = SubjectRequest(user: texts[Int(shape.user)])
        if shape.backendRoles >= 0 { request.backendRoles = lists[Int(shape.backendRoles)] }
        if shape.roles >= 0 { request.roles = lists[Int(shape.roles)] }
        if shape.attributes >= 0 {
            let pairs = listTable[Int(shape.attributes)]
            var map: [String: String] = [:]
            var position = pairs.startIndex
            while position + 1 < pairs.endIndex {
                map[texts[Int(pairs[position])]] = texts[Int(pairs[position + 1])]
                position += 2
            }
            request.attributes = map
        }
        if shape.host >= 0 { request.host = texts[Int(shape.host)] }
        if shape.tenant >= 0 { request.requestedTenant = texts[Int(shape.tenant)] }
        return request
    }

    /// A case's id when it gives one (UTF-8).
    mutating func id(_ utf8: UnsafeBufferPointer<UInt8>) -> Int32 {
        idBytes.append(contentsOf: utf8)
        idStarts.append(idBytes.count)
        return Int32(idStarts.count - 2)
    }

    mutating func id(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { id($0) }
    }

    mutating func append(_ record: Record) {
        records.append(record)
        if record.expected != nil { hasExpectations = true }
    }

    /// A case read by the full reader, into the tables (its id as read, "line N" included).
    mutating func append(_ item: BatchCase) {
        let request = item.subject
        let shape = SubjectShape(user: text(request.user ?? ""), backendRoles: list(request.backendRoles),
                                 attributes: request.attributes.isEmpty ? -1 : attributes(request.attributes), roles: list(request.roles),
                                 host: request.host.map { text($0) } ?? -1, tenant: request.requestedTenant.map { text($0) } ?? -1)
        append(Record(line: Int32(item.line), id: id(item.id), subject: subject(shape), action: text(item.action),
                      indices: list(item.indices), allowed: item.expectedAllowedIndices.map { list($0) } ?? -1, expected: item.expected))
    }

    // MARK: deciding

    /// Whether `decision` meets the expectation of the case at `position` (``BatchCase/disagreement(with:)``).
    func disagreement(at position: Int, with decision: Decision) -> String? {
        let record = records[position]
        guard let expected = record.expected else { return nil }
        return BatchCase.disagreement(expected: expected, allowed: record.allowed < 0 ? nil : lists[Int(record.allowed)], decision: decision)
    }
}
