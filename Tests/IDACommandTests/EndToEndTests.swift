import Foundation
import Tasks
import Testing

/// Runs the built `ida` binary, found next to the test bundle (`.build/debug/ida`).
@Suite struct EndToEndTests {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func ida(_ arguments: [String]) throws -> Run {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent(), bundleDirectory.deletingLastPathComponent().deletingLastPathComponent()]
        let binary = try #require(candidates.map { $0.appendingPathComponent("ida") }.first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                   standardError: String(decoding: errorData, as: UTF8.self))
    }

    @Test func tasksListsFiveTasksAndExitsZero() throws {
        let run = try Self.ida(["tasks"])
        #expect(run.status == 0)
        #expect(run.standardOutput.split(separator: "\n").count == 5)
    }

    @Test(arguments: TaskCatalog.taskNames)
    func sampleOnTheTinyPresetWritesReadableInstances(task: String) throws {
        let run = try Self.ida(["sample", "--task", task, "--preset", "tiny", "--count", "2", "--seed", "5"])
        #expect(run.status == 0)
        #expect(run.standardError.isEmpty)
        #expect(try InstanceFile.read(run.standardOutput).count == 2)
    }

    @Test func sampleWithoutSeedPrintsTheChosenSeedOnStandardError() throws {
        let run = try Self.ida(["sample", "--task", "permutation", "--preset", "tiny"])
        #expect(run.status == 0)
        #expect(run.standardError.hasPrefix("ida sample: seed "))
        let seed = try #require(UInt64(run.standardError.dropFirst("ida sample: seed ".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        let again = try Self.ida(["sample", "--task", "permutation", "--preset", "tiny", "--seed", "\(seed)"])
        #expect(again.standardOutput == run.standardOutput)
    }

    @Test func sampleWritesTheOutputFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ida-sample-\(UInt64.random(in: 0...UInt64.max)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Self.ida(["sample", "--task", "union-find", "--preset", "tiny", "--count", "3", "--seed", "1", "--output", path])
        #expect(run.status == 0 && run.standardOutput.isEmpty)
        #expect(try InstanceFile.read(String(contentsOfFile: path, encoding: .utf8)).count == 3)
    }

    static let badInput: [[String]] = [
        ["sample", "--task", "sorting", "--seed", "1"],
        ["sample", "--task", "wildcard", "--preset", "huge", "--seed", "1"],
        ["sample", "--task", "wildcard", "--preset", "tiny", "--size", "99", "--seed", "1"],
        ["sample", "--task", "wildcard", "--count", "0", "--seed", "1"],
        ["sample", "--task", "wildcard", "--count", "-3", "--seed", "1"],
        ["sample", "--task", "wildcard", "--size", "-1", "--seed", "1"],
        ["sample", "--task", "wildcard", "--count", "0"],
        ["tasks", "sorting"],
        ["tasks", "wildcard", "--preset", "huge"],
    ]

    @Test(arguments: badInput)
    func badInputExitsNonZeroWithOneLineOnStandardError(arguments: [String]) throws {
        let run = try Self.ida(arguments)
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(run.standardError)")
        #expect(run.standardError.hasPrefix("Error: "))
    }

    @Test func validateAcceptsASampledFileAndRejectsAMalformedLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ida-validate-\(UInt64.random(in: 0...UInt64.max)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Self.ida(["sample", "--task", "assignments", "--preset", "tiny", "--count", "2", "--seed", "4", "--output", path])
        let good = try Self.ida(["validate", path])
        #expect(good.status == 0)
        #expect(good.standardOutput.contains("differing from the ground truth 0"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "{\"format\":\"ida-instances\",\"version\":1,\"task\":\"assignments\"}\n").write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try Self.ida(["validate", path])
        #expect(bad.status != 0)
        #expect(bad.standardOutput.isEmpty)
        #expect(bad.standardError == "Error: line 3: missing field \"parameters\"\n")
        let missing = try Self.ida(["validate", path + ".absent"])
        #expect(missing.status != 0 && missing.standardError.split(separator: "\n").count == 1)
    }
}
