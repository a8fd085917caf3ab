import Foundation
import IDATestSupport
import SeededRandom
import Tasks
import Testing

/// Random and mutated instance files through `InstanceFile.read`, as `ida eval` and `ida validate`
/// read them (bytes decoded as UTF-8 with replacement). Every input is either read, and then
/// writes and reads back to the same records, or rejected with an `InstanceFileError` whose
/// message is one line and starts with the number of a line of the input.
///
/// The reader only turns text into values: it has no path to a store (`ida eval` opens the store
/// only for a run id, after reading the file), so "no stored run changed" holds by construction.
@Suite struct InstanceFileFuzzTests {
    /// `IDA_FUZZ_ITERATIONS` (`scripts/fuzz` sets 1,000,000); the default keeps this test a few
    /// seconds in a debug build.
    static let iterations = FuzzBudget.iterations(environment: ProcessInfo.processInfo.environment, default: 20_000)

    /// One valid line of every task at its tiny preset, with and without answers, and a
    /// three-line file.
    static let seeds: [[UInt8]] = {
        var rng = SplitMix64(seed: 7)
        var lines: [String] = []
        for name in TaskCatalog.taskNames {
            guard let configuration = try? TaskCatalog.configuration(task: name, preset: .tiny) else { continue }
            let task = configuration.makeTask()
            var record = InstanceRecord.labelled(task.makeInstance(size: task.minimumSize, using: &rng), configuration: configuration)
            lines.append(InstanceFile.line(for: record))
            record.answers = nil
            record.depths = nil
            lines.append(InstanceFile.line(for: record))
        }
        return lines.map { Array($0.utf8) } + [Array((lines.prefix(2).joined(separator: "\n") + "\n\n" + lines[2] + "\n").utf8)]
    }()

    @Test func seedsAreValid() throws {
        for seed in Self.seeds {
            #expect(try !InstanceFile.read(String(decoding: seed, as: UTF8.self)).isEmpty)
        }
    }

    @Test func mutatedFilesAreReadOrRejectedWithOneLineNamingTheLine() {
        var mutator = ByteMutator(seeds: Self.seeds, dialect: .json, seed: 1)
        var tally = FuzzTally()
        var failures = FuzzFailures()
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<Self.iterations {
            let input = mutator.next()
            let began = clock.now
            Self.check(input, &tally, &failures)
            failures.checkTime(began.duration(to: clock.now), input: input)
        }
        print(tally.summary(reader: "instance-file", duration: start.duration(to: clock.now)))
        #expect(tally.tried == Self.iterations)
        #expect(failures.count == 0, "\(failures.report)")
    }

    static func check(_ input: [UInt8], _ tally: inout FuzzTally, _ failures: inout FuzzFailures) {
        let text = String(decoding: input, as: UTF8.self)
        do {
            let records = try InstanceFile.read(text)
            let again = try? InstanceFile.read(InstanceFile.write(records))
            if again != records { failures.record("accepted records do not write and read back", input: input) }
            tally.accept()
        } catch {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let message = error.description
            if message.contains(where: \.isNewline) { failures.record("message is not one line: \(message)", input: input) }
            if !(1...max(lines, 1)).contains(error.line) || !message.hasPrefix("line \(error.line): ") {
                failures.record("message does not name a line of the \(lines): \(message)", input: input)
            }
            if message.count > 1_000 { failures.record("message is \(message.count) characters", input: input) }
            tally.reject(error.problem)
        }
    }
}
