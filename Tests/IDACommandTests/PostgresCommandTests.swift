import Foundation
import IDATestSupport
import StorePostgres
import Testing

private let postgresTestServer: PostgresLocation? = ProcessInfo.processInfo.environment["IDA_POSTGRES_TEST_URL"]
    .flatMap { try? PostgresLocation(parsing: $0) }

/// The command line against a real PostgreSQL server (`IDA_POSTGRES_TEST_URL`, which
/// `scripts/test` sets): the same commands, the same output as on an SQLite file.
@Suite(.enabled(if: postgresTestServer != nil, "IDA_POSTGRES_TEST_URL names no server"))
struct PostgresCommandTests {
    static var server: PostgresLocation? { postgresTestServer }

    /// A new database on the test server for `body`, dropped afterwards.
    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let server = try #require(server)
        let name = "ida_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresDatabases.create(name, on: server)
        defer { try? PostgresDatabases.drop(name, on: server) }
        return try await body(server.with(database: name).description)
    }

    static func ida(_ arguments: [String], in directory: TemporaryDirectory) async throws -> IDAProcess.Outcome {
        let outcome = try await IDAProcess.run(arguments, in: directory.url)
        #expect(outcome.status == 0, "ida \(arguments.joined(separator: " ")): \(outcome.standardError)")
        return outcome
    }

    /// A training run stored in PostgreSQL reports what the same run stored in a file reports.
    @Test func aRunOnPostgresReportsAsOnSQLite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await Self.withDatabase { url in
            let arguments = ["run", "--task", "permutation", "--preset", "tiny", "--seed", "3"]
            let onPostgres = try await Self.ida(arguments + ["--db", url], in: directory)
            let onSQLite = try await Self.ida(arguments + ["--db", directory.database], in: directory)
            func accuracies(_ text: String) -> [Substring] {
                text.split(separator: "\n").filter { ($0.hasPrefix("IA:") || $0.hasPrefix("supervised ")) && $0.contains("%") }
            }
            #expect(accuracies(onPostgres.standardOutput).count == 3)
            #expect(accuracies(onPostgres.standardOutput) == accuracies(onSQLite.standardOutput))
            let listing = try await Self.ida(["runs", "--db", url], in: directory).standardOutput
            #expect(listing.split(separator: "\n").count == 4, "a header, the group and its two runs: \(listing)")
        }
    }

    /// `ida db copy` moves every run, and `ida runs`, `ida report` and `ida trace` print the
    /// same from the copy as from the file; a second copy skips what is there.
    @Test func copiedRunsReadTheSameFromPostgres() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await Self.withDatabase { url in
            let file = directory.database
            _ = try await Self.ida(["run", "--task", "wildcard", "--preset", "tiny", "--seed", "5", "--db", file], in: directory)
            let trace = try await Self.ida(["trace", "--task", "permutation", "--seed", "4", "--db", file], in: directory)
            let copy = try await Self.ida(["db", "copy", "--from", file, "--to", url], in: directory)
            #expect(copy.standardOutput.contains("4 runs copied, 0 already there"))
            let again = try await Self.ida(["db", "copy", "--from", file, "--to", url], in: directory)
            #expect(again.standardOutput.contains("0 runs copied, 4 already there"))

            let runs = try await Self.ida(["runs", "--db", file], in: directory).standardOutput
            #expect(try await Self.ida(["runs", "--db", url], in: directory).standardOutput == runs)
            let rows = runs.split(separator: "\n").dropFirst().map { $0.split(separator: " ") }
            #expect(rows.count == 4)
            for row in rows where row[1] != "hch" {
                let id = String(row[0])
                let fromFile = try await Self.ida(["report", id, "--db", file], in: directory).standardOutput
                #expect(try await Self.ida(["report", id, "--db", url], in: directory).standardOutput == fromFile)
            }
            let treeRun = try #require(
                trace.standardOutput.split(separator: "\n").last?.split(separator: " ").dropFirst(3).first
                    .map { $0.trimmingCharacters(in: .punctuationCharacters) })
            let tree = try await Self.ida(["trace", treeRun, "--db", file], in: directory).standardOutput
            #expect(tree.contains("1 "))
            #expect(try await Self.ida(["trace", treeRun, "--db", url], in: directory).standardOutput == tree)

            // The tree's training data, exported from each: the same files, byte for byte.
            var exported: [[String: Data]] = []
            for (name, database) in [("from-file", file), ("from-postgres", url)] {
                let output = directory.url.appendingPathComponent(name)
                let export = try await Self.ida(["export", treeRun, "--db", database, "--output", output.path], in: directory)
                #expect(export.status == 0, "\(export.standardError)")
                let files = try FileManager.default.contentsOfDirectory(atPath: output.path)
                exported.append(Dictionary(uniqueKeysWithValues: try files.map { ($0, try Data(contentsOf: output.appendingPathComponent($0))) }))
            }
            #expect(!exported[0].isEmpty && exported[0].values.contains { !$0.isEmpty })
            #expect(exported[0] == exported[1])
        }
    }

    /// No server behind the URL: one line on standard error naming the database without its
    /// password, and a failing exit.
    @Test func anUnreachableDatabaseIsOneLineWithoutThePassword() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = "postgres://ada:hunter2@/runs?host=\(directory.url.path)"
        let outcome = try await IDAProcess.run(["runs", "--db", url], in: directory.url)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("cannot reach the database postgres://ada@/runs"))
        #expect(!outcome.standardError.contains("hunter2") && !outcome.standardOutput.contains("hunter2"))
        #expect(outcome.standardError.split(separator: "\n").count == 1)
    }
}
