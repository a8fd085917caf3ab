import Amplification
import Application
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeededRandom
import Tasks

/// `ida bench amplify`: supervisor actions per second of the engine running HCH with
/// the scripted expert, against a straightforward unbatched recursive evaluation of the same HCH
/// measured in the same run.
struct AmplifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amplify",
        abstract: "Supervisor actions per second of HCH on each task, against an unbatched recursion.",
        discussion: """
            For each task at the chosen preset, samples instances, evaluates HCH_n with the \
            scripted expert (n = the deepest question sampled, capped by --max-depth) on all their \
            questions with the batched engine, and again with a plain recursive \
            evaluation one question at a time (the reference), alternating run by run. Both must \
            give the same answers. Rates are supervisor actions per second of CPU time of this \
            process (single-threaded: one core), so other jobs on a shared machine do not skew \
            them; the wall-clock rate is printed too. Build with `-c release` for meaningful \
            numbers.
            """
    )

    @Option(help: "The preset: tiny, small or paper.")
    var preset = "small"

    @Option(help: "Instances per task (each brings its questions).")
    var count = 64

    @Option(help: "The deepest HCH evaluated per task.")
    var maxDepth = 6

    @Option(help: "Wall-clock seconds to time each of engine and reference per task (at least one run each).")
    var seconds = 1.0

    @Option(help: "The seed of the sampled instances.")
    var seed: UInt64 = 1

    @Option(help: "Only these tasks (comma-separated names); all by default.")
    var tasks: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    /// Bad option values, reported in one line.
    enum Problem: Error, CustomStringConvertible {
        case notPositive(option: String, value: String)
        case negative(option: String, value: Int)

        var description: String {
            switch self {
            case let .notPositive(option, value): "\(option) must be positive, got \(value)"
            case let .negative(option, value): "\(option) must be at least 0, got \(value)"
            }
        }
    }

    func run() async throws {
        guard count >= 1 else { throw Problem.notPositive(option: "--count", value: "\(count)") }
        guard maxDepth >= 0 else { throw Problem.negative(option: "--max-depth", value: maxDepth) }
        guard seconds > 0 else { throw Problem.notPositive(option: "--seconds", value: "\(seconds)") }
        let names = tasks.map { $0.split(separator: ",").map(String.init) } ?? TaskCatalog.taskNames
        let chosen = try names.map { try TaskCatalog.task(named: $0, preset: preset) }
        var rows: [AmplifyBenchRow] = []
        for task in chosen {
            rows.append(try await measure(task))
            if !json { print(rows[rows.count - 1].line) }
        }
        if json {
            let report = AmplifyBenchReport(benchmark: "amplify", preset: preset, rows: rows)
            print(try RunCommand.prettyJSON(report))
        }
    }

    func measure(_ task: any AmplificationTask) async throws -> AmplifyBenchRow {
        var rng = SplitMix64(seed: seed)
        let instances = (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
        let deepest = queries.compactMap { contexts[$0.context].depth(of: $0.question) }.max() ?? 0
        let depth = min(deepest, maxDepth)
        let hch = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: depth)
        let reference = RecursiveHCH(task: task, depth: depth)

        // Engine and reference alternate, run by run, so that a change in the machine's load
        // affects both alike; each is timed in CPU time of this process (one core) and wall time.
        var engine = Stopwatch()
        var plain = Stopwatch()
        var engineAnswers: [Content] = []
        var referenceAnswers: [Content] = []
        repeat {
            try await engine.time {
                let result = try await hch.amplifier.run(queries, contexts: contexts)
                engineAnswers = result.answers
                return result.counters.supervisorActions
            }
            await plain.time {
                let result = reference.evaluate(queries, contexts: contexts)
                referenceAnswers = result.answers
                return result.counters.supervisorActions
            }
        } while engine.wallSeconds + plain.wallSeconds < 2 * seconds
        return AmplifyBenchRow(
            task: task.name, hchDepth: depth, questions: queries.count, actionsPerRun: engine.actions / engine.runs,
            supervisorActionsPerSecond: engine.cpuRate, referenceActionsPerSecond: plain.cpuRate,
            ratio: engine.cpuRate / plain.cpuRate, supervisorActionsPerWallSecond: engine.wallRate,
            referenceActionsPerWallSecond: plain.wallRate, answersAgree: engineAnswers == referenceAnswers)
    }
}

/// Accumulated runs, actions, CPU time of this process and wall time.
struct Stopwatch {
    var runs = 0
    var actions = 0
    var cpuSeconds = 0.0
    var wallSeconds = 0.0

    var cpuRate: Double { Double(actions) / max(cpuSeconds, 1e-9) }
    var wallRate: Double { Double(actions) / max(wallSeconds, 1e-9) }

    /// Runs `body` once, adding the actions it reports and the time it took.
    mutating func time(_ body: () async throws -> Int) async rethrows {
        let clock = ContinuousClock()
        let wallStart = clock.now
        let cpuStart = Self.processCPUSeconds()
        actions += try await body()
        cpuSeconds += Self.processCPUSeconds() - cpuStart
        wallSeconds += (clock.now - wallStart).seconds
        runs += 1
    }

    /// CPU time used by this process so far (all threads; the benchmark runs on one at a time).
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

struct AmplifyBenchRow: Codable {
    var task: String
    var hchDepth: Int
    var questions: Int
    var actionsPerRun: Int
    var supervisorActionsPerSecond: Double
    var referenceActionsPerSecond: Double
    var ratio: Double
    var supervisorActionsPerWallSecond: Double
    var referenceActionsPerWallSecond: Double
    var answersAgree: Bool

    enum CodingKeys: String, CodingKey {
        case task
        case hchDepth = "hch_depth"
        case questions
        case actionsPerRun = "actions_per_run"
        case supervisorActionsPerSecond = "supervisor_actions_per_second"
        case referenceActionsPerSecond = "reference_actions_per_second"
        case ratio
        case supervisorActionsPerWallSecond = "supervisor_actions_per_wall_second"
        case referenceActionsPerWallSecond = "reference_actions_per_wall_second"
        case answersAgree = "answers_agree"
    }

    var line: String {
        let engine = String(format: "%.2fM", supervisorActionsPerSecond / 1e6)
        let reference = String(format: "%.2fM", referenceActionsPerSecond / 1e6)
        let wall = String(format: "%.2fM", supervisorActionsPerWallSecond / 1e6)
        return "\(task): HCH_\(hchDepth) on \(questions) questions (\(actionsPerRun) actions per run): "
            + "\(engine) supervisor actions per CPU second, reference (unbatched recursion) \(reference), "
            + "ratio \(String(format: "%.2f", ratio))x (wall clock: \(wall)/s), "
            + "answers agree: \(answersAgree ? "yes" : "NO")"
    }
}

struct AmplifyBenchReport: Codable {
    var benchmark: String
    var preset: String
    var rows: [AmplifyBenchRow]
}
