@testable import IDACommand
import Store
import Testing

@Suite struct RunsCommandTests {
    @Test func listsGroupsWithTheirRunsIndented() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try StoredRunFixture.make(at: directory.database)
        let store = try SQLiteStore(path: directory.database)
        let listing = try RunsCommand.listing(store)
        let children = try store.children(of: fixture.completed.id)
        let damaged = try store.children(of: fixture.interrupted.id)
        let expected = """
            id                     kind        task         preset  schedule    status       steps  accuracy  created
            \(fixture.interrupted.id)    group       permutation  tiny    continuous  interrupted      -         -  2026-11-30 00:53
              \(damaged[0].id)  ia          permutation  tiny    continuous  running        100         -  2026-11-30 00:53
            \(fixture.completed.id)    group       permutation  small   continuous  completed        -         -  2026-11-30 00:53
              \(children[0].id)  ia          permutation  small   continuous  completed      200     90.0%  2026-11-30 00:53
              \(children[1].id)  supervised  permutation  small   continuous  completed      200     95.0%  2026-11-30 00:53

            """
        #expect(listing == expected)
    }

    @Test func anEmptyStoreSaysHowToStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try RunsCommand.listing(SQLiteStore(path: directory.database)) == "no runs stored yet (`ida run` starts one)\n")
    }
}
