import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// A subject's grant set per action is the union of the patterns of every index permission whose
/// actions include it (semantics §2.2: an entry grants each of its actions on each of its
/// patterns). `DiffSide.indexGrantSets` works the unions out per atom of positions
/// (`PatternTexts.atoms(ofList:)`) and reads them back from bit rows in id order.
@Suite("Diff: grant sets")
struct DiffGrantSetTests {
    @Test("atoms: positions every interned list holds alike, atom 0 the positions in none")
    func atoms() {
        let texts = PatternTexts()
        // The first list holds every position seen so far: it still leaves atom 0.
        let first = texts.positionsID([0, 1, 2])
        #expect(texts.atomPositions == [[], [0, 1, 2]])
        let second = texts.positionsID([1, 2, 3])
        let third = texts.positionsID([2, 5])
        #expect(texts.atomPositions == [[4], [0], [3], [1], [5], [2]])
        func positions(_ list: Int32) -> [Int] { texts.atoms(ofList: list).flatMap { texts.atomPositions[Int($0)] }.sorted() }
        #expect(positions(first) == [0, 1, 2])
        #expect(positions(second) == [1, 2, 3])
        #expect(positions(third) == [2, 5])
        #expect(texts.atoms(ofList: third).count == 2)
    }

    @Test("overlapping permissions give each action the union of the entries that include it")
    func overlappingPermissions() throws {
        // SRC: `x` for search and get, `y` for get and index; DST: both for all three. Only get is alike.
        let source = try DiffSharingTests.input(roles: """
            own:
              index_permissions:
              - index_patterns: ['x']
                allowed_actions: ['indices:data/read/search', 'indices:data/read/get']
              - index_patterns: ['y']
                allowed_actions: ['indices:data/read/get', 'indices:data/write/index']
            """, mapping: "own:\n  users: [alice]\n", users: ["alice"])
        let target = try DiffSharingTests.input(roles: """
            own:
              index_permissions:
              - index_patterns: ['x', 'y']
                allowed_actions: ['indices:data/read/search', 'indices:data/read/get', 'indices:data/write/index']
            """, mapping: "own:\n  users: [alice]\n", users: ["alice"])
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: source, target: target)
        #expect(result.subjects.map(\.actionVerdicts) == [["indices:data/read/search": .broader, "indices:data/write/index": .broader]])
        #expect(result.subjects.flatMap(\.witnesses).map(DiffSharingTests.line).sorted()
            == ["indices:data/read/search y deny/allow", "indices:data/write/index x deny/allow"])
    }
}
