import Foundation
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
