import Testing

@testable import Store

@Suite struct StoreErrorTests {
    static let errors: [StoreError] = [
        .runNotFound(id: "r-20261128-0000"),
        .runExists(id: "r-20261128-0000"),
        .userExists(name: "ada"),
        .userNotFound(name: "bo"),
        .checkpointNotFound(runID: "r-20261128-0000", step: 40),
        .notADatabase(path: "/tmp/README.md"),
        .foreignDatabase(path: "/tmp/contacts.sqlite"),
        .newerSchema(path: "/tmp/ida.sqlite", unknownMigrations: ["addA", "addB"]),
        .cannotOpen(path: "/tmp/x/ida.sqlite", reason: "it is a directory"),
    ]

    @Test(arguments: errors)
    func everyErrorIsOneLineThatNamesItsSubjectAndGivesAHint(error: StoreError) {
        let text = error.description
        #expect(!text.contains("\n"))
        #expect(
            text.contains("ida runs") || text.contains("ida report") || text.contains("ida users")
                || text.contains("--db") || text.contains("upgrade"))
        switch error {
        case .runNotFound(let id), .runExists(let id), .checkpointNotFound(let id, _):
            #expect(text.contains(id))
        case .userExists(let name), .userNotFound(let name):
            #expect(text.contains(name))
        case .notADatabase(let path), .foreignDatabase(let path), .newerSchema(let path, _),
            .cannotOpen(let path, _):
            #expect(text.contains(path))
        }
    }

    @Test func runNotFoundReadsAsTheCommandLinePrintsIt() {
        #expect(
            StoreError.runNotFound(id: "r-20261128-7f3a").description
                == "no run with id r-20261128-7f3a (`ida runs` lists the stored runs)")
    }

    @Test func newerSchemaListsTheUnknownMigrations() {
        let text = StoreError.newerSchema(path: "/db", unknownMigrations: ["addA", "addB"])
            .description
        #expect(text.contains("addA, addB"))
    }
}
