import Foundation
import IDATestSupport
import ArgumentParser
@testable import IDACommand
import Testing

@Suite struct StoreOptionsTests {
    @Test func theDefaultIsUnderHome() throws {
        let options = try StoreOptions.parse([])
        #expect(options.path(environment: ["HOME": "/home/ada"]) == "/home/ada/.ida/ida.sqlite")
    }

    @Test func dbReplacesTheWholePath() throws {
        let options = try StoreOptions.parse(["--db", "/tmp/x.sqlite"])
        #expect(options.path(environment: ["HOME": "/home/ada"]) == "/tmp/x.sqlite")
    }

    @Test func readingCommandsDoNotCreateADatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = try StoreOptions.parse(["--db", directory.database])
        #expect(throws: CommandError.self) { try options.openExisting() }
        #expect(!FileManager.default.fileExists(atPath: directory.database))
    }
}

@Suite struct SharedQueueOptionTests {
    /// Workers share runs through PostgreSQL only: an SQLite file is refused in one line, and
    /// left as it was (not created).
    @Test(arguments: [["queue", "--task", "permutation"], ["worker"]])
    func anSQLiteFileIsRefusedAsASharedQueue(command: [String]) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try await IDAProcess.run(command + ["--db", directory.database], in: directory.url)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("workers share a run through PostgreSQL: pass --db postgres://"))
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.database))
    }
}
