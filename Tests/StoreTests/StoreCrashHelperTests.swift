import Foundation
import GRDB
import IDATestSupport
import StoreTestSupport
import Testing

@testable import Store

/// Crash safety with a real process: `StoreCrashHelper` (an executable target of this package,
/// built next to the test binary by `swift build --build-tests`) appends metric batches in a
/// loop and prints each committed step; the test kills it with SIGKILL mid-loop, reopens the
/// database and checks every printed step, and that no batch is half there.
@Suite struct StoreCrashHelperTests {
    /// The helper binary beside the running test binary, if it was built.
    static func helperURL() -> URL? {
        let candidates = [
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
            Bundle.main.executableURL,
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(),
        ]
        for case let executable? in candidates {
            var directory = executable.deletingLastPathComponent()
            // On macOS the test binary sits inside `idaPackageTests.xctest/Contents/MacOS`.
            for _ in 0..<4 {
                let helper = directory.appendingPathComponent("StoreCrashHelper")
                if FileManager.default.isExecutableFile(atPath: helper.path) { return helper }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Three kills per case; with 1,000-row batches most of the helper's time is spent inside
    /// a batch, so a store that did not write batches in one transaction fails this test.
    @Test(.hangGuard, arguments: [(1, 40), (1_000, 6)])
    func aWriterKilledWithSIGKILLLosesNoCommittedMetricAndLeavesNoHalfBatch(
        batchSize: Int, lines: Int
    ) async throws {
        let helper = try #require(
            Self.helperURL(), "StoreCrashHelper is not built: run `swift build --build-tests`")
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        for _ in 0..<3 {
            let runID = try SQLiteStore(path: path).createRun(StoreFixtures.newRun()).id
            // Its reads block: on a thread of its own, not one of the suite's cooperative threads.
            let (printed, stderr) = try await onOwnThread {
                try Self.runAndKill(helper, arguments: [path, runID, String(batchSize)], after: lines)
            }
            let lastPrinted = try #require(printed.last, "the helper printed nothing: \(stderr)")
            #expect(printed.count >= lines)
            let store = try SQLiteStore(path: path)
            let loss = try store.metricSeries("loss", run: runID)
            #expect(
                loss.count > lastPrinted, "every step the helper reported as committed is stored")
            #expect(loss.map(\.step) == Array(0..<loss.count))
            #expect(
                loss.count % batchSize == 0,
                "a batch is stored whole or not at all, got \(loss.count) rows")
            #expect(loss.allSatisfy { $0.value == 1 / Double($0.step + 1) })
            let integrity = try await store.pool.read { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            #expect(integrity == ["ok"])
            #expect(
                try store.run(id: runID).status == .running, "the run is left for --resume to find")
            try store.close()
        }
    }

    /// Starts `helper`, reads its output until it printed `lines` lines, kills it with SIGKILL,
    /// and returns every step it printed and its standard error.
    static func runAndKill(_ helper: URL, arguments: [String], after lines: Int) throws -> (
        [Int], String
    ) {
        let process = Process()
        process.executableURL = helper
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let pid = process.processIdentifier
        // A watchdog, should the helper stall: killing it ends the read below with end-of-file.
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) { kill(pid, SIGKILL) }
        var text = ""
        while text.split(separator: "\n").count < lines {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }  // end of file: the helper stopped on its own
            text += String(decoding: data, as: UTF8.self)
        }
        kill(pid, SIGKILL)
        process.waitUntilExit()
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            process.terminationReason == .uncaughtSignal, "the helper exited by itself: \(stderr)")
        #expect(process.terminationStatus == SIGKILL)
        // Each line is written with one write(2) after its commit returned, so lines are whole.
        return (text.split(separator: "\n").compactMap { Int($0) }, stderr)
    }
}
