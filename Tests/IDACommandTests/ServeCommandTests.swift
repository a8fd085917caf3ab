import Foundation
import IDATestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `ida users`, `ida serve` and `ida audit` as a person runs them: real processes, a real port.
@Suite struct ServeCommandTests {
    /// Runs `ida arguments…` with `input` on its standard input.
    static func run(_ arguments: [String], input: String, in directory: URL) throws -> IDAProcess.Outcome {
        let (process, out, err) = try IDAProcess.start(arguments, in: directory, input: input)
        process.waitUntilExit()
        return try IDAProcess.outcome(process, out, err)
    }

    @Test func usersAreAddedWithAPasswordFromStandardInputAndListed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = ["--db", directory.url.appendingPathComponent("ida.sqlite").path]
        let added = try Self.run(["users", "add", "ada", "--role", "researcher", "--password-stdin"] + db, input: "a long passphrase\n", in: directory.url)
        #expect(added.status == 0 && added.standardOutput == "added researcher ada\n")
        let short = try Self.run(["users", "add", "bo", "--role", "supervisor", "--password-stdin"] + db, input: "short\n", in: directory.url)
        #expect(short.status != 0 && short.standardError.contains("at least 8 characters"))
        let again = try Self.run(["users", "add", "ada", "--role", "supervisor", "--password-stdin"] + db, input: "another passphrase\n", in: directory.url)
        #expect(again.status != 0 && again.standardError.contains("a user named ada already exists"))
        let badName = try Self.run(["users", "add", "a b", "--role", "supervisor", "--password-stdin"] + db, input: "another passphrase\n", in: directory.url)
        #expect(badName.status != 0 && badName.standardError.contains("cannot be used"))

        let listed = try await IDAProcess.run(["users"] + db, in: directory.url)
        #expect(listed.status == 0)
        #expect(listed.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) } == [["ada", "researcher", "active", "-"]])
        #expect(!listed.standardOutput.contains("passphrase"))
    }

    @Test func serveListensOnARealPortAndStopsOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = ["--db", directory.url.appendingPathComponent("ida.sqlite").path]
        let (process, out, err) = try IDAProcess.start(["serve", "--port", "0"] + db, in: directory.url)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(try await IDAProcess.waitFor("listening on http://127.0.0.1:", in: out, of: process, seconds: 120))
        let printed = try String(contentsOf: out, encoding: .utf8)
        #expect(printed.hasPrefix("nobody can start a run yet: add a researcher with `ida users add NAME --role researcher`\n"))
        let port = try #require(printed.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })

        let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/login")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("<h2>Sign in</h2>"))

        kill(process.processIdentifier, SIGTERM)
        await process.exited()
        let outcome = try IDAProcess.outcome(process, out, err)
        #expect(outcome.status == 0 && !outcome.signalled, "stderr: \(outcome.standardError)")
    }

    /// Claiming queued questions needs the shared queue, PostgreSQL: on an SQLite path the server
    /// says so in one line and creates no file; a lease must be a positive number of seconds.
    @Test func claimingQueuedQuestionsNeedsPostgreSQLAndALease() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let onSQLite = try await IDAProcess.run(["serve", "--port", "0", "--claim-queued", "--db", directory.database], in: directory.url)
        #expect(onSQLite.status != 0 && onSQLite.standardError.split(separator: "\n").count == 1, "\(onSQLite.standardError)")
        #expect(onSQLite.standardError.contains("workers share a run through PostgreSQL: pass --db postgres://"))
        #expect(!FileManager.default.fileExists(atPath: directory.database), "no database was created for nothing")
        let lease = try await IDAProcess.run(["serve", "--port", "0", "--claim-queued", "--lease", "0", "--db", directory.database], in: directory.url)
        #expect(lease.status != 0 && lease.standardError.contains("--lease must be a positive number of seconds, got 0.0"), "\(lease.standardError)")
    }

    @Test func auditOfAnUnknownRunSaysSo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = ["--db", directory.url.appendingPathComponent("ida.sqlite").path]
        _ = try Self.run(["users", "add", "ada", "--role", "researcher", "--password-stdin"] + db, input: "a long passphrase\n", in: directory.url)
        let unknown = try await IDAProcess.run(["audit", "r-20261205-00000000"] + db, in: directory.url)
        #expect(unknown.status != 0 && unknown.standardError.contains("no run with id r-20261205-00000000"))
        let none = try await IDAProcess.run(["audit"] + db, in: directory.url)
        #expect(none.status == 0 && none.standardOutput == "no entries\n")
    }
}
