import Application
import ArgumentParser
import Foundation
import Store
import StorePostgres

/// The store `--db` names as a shared queue: a PostgreSQL database.
func sharedQueue(_ options: StoreOptions) throws -> any ServerStore & WorkQueue {
    let refusal = CommandError.file(
        path: options.path(), problem: "workers share a run through PostgreSQL: pass --db postgres://… (`ida db --help`)")
    // Checked before opening, so that no SQLite file is created for nothing.
    guard StoreLocator.isPostgres(options.path()) else { throw refusal }
    let store = try options.open()
    guard let queue = store as? any ServerStore & WorkQueue else {
        try? store.close()
        throw refusal
    }
    return queue
}

/// `ida queue`: a stored amplification job whose main questions workers on any machine take.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Store an amplification job in PostgreSQL for workers (ida worker) to share out.",
        discussion: """
            Each main question of the job is one item of the run's queue: HCH_n on a task's \
            instances (--task), or free-text questions (--questions, as for ida amplify). \
            Workers on any machine that reaches the database (`ida worker --db URL`) claim the \
            items under leases, amplify each question alone and store its tree; the run is \
            completed with its last item, and `ida trace RUN` prints it. A worker that dies \
            loses only the question it held, which another worker takes once its lease runs \
            out. Prints the run's id.
            """
    )

    @Option(help: "HCH on this task's instances: permutation, assignments, wildcard, shortest-path or union-find.")
    var task: String?

    @Option(help: "The preset of --task: tiny, small or paper.")
    var preset = "small"

    @Option(help: "How many instances of --task (each question of each one an item).")
    var instances = 1

    @Option(help: ArgumentHelp("Free-text questions instead (JSON Lines, as for ida amplify).", valueName: "file"))
    var questions: String?

    @Option(help: "Who answers the free-text questions' sub-questions below --max-depth: llm or hch (unknown).")
    var assistant: TextJob.AssistantKind = .hch

    @Option(help: "n: how deep the supervisor works sub-questions.")
    var maxDepth = 1

    @Option(help: "The seed of the instances and of the questions' random streams.")
    var seed: UInt64 = 0

    @OptionGroup var store: StoreOptions

    enum Problem: Error, CustomStringConvertible {
        case taskOrQuestions
        case notPositive(String, Int)

        var description: String {
            switch self {
            case .taskOrQuestions: "give --task T for HCH on a task, or --questions FILE for free-text questions, not both"
            case .notPositive(let option, let value): "\(option) must be at least \(option == "--max-depth" ? 0 : 1), got \(value)"
            }
        }
    }

    func run() throws {
        guard (task == nil) != (questions == nil) else { throw Problem.taskOrQuestions }
        guard maxDepth >= 0 else { throw Problem.notPositive("--max-depth", maxDepth) }
        guard instances >= 1 else { throw Problem.notPositive("--instances", instances) }
        let job: StoredTree.Job =
            if let task {
                .task(AmplificationJob(task: task, preset: preset, seed: seed, instances: instances, depth: maxDepth))
            } else {
                .text(TextJob(questions: try QuestionFile.read(path: questions ?? ""), depth: maxDepth, assistant: assistant, seed: seed))
            }
        let queue = try sharedQueue(store)
        defer { try? queue.close() }
        let (run, items) = try SharedAmplification.enqueue(job, in: queue)
        print(run)
        FileHandle.standardError.write(Data(
            "ida queue: run \(run) holds \(items) questions; start workers with `ida worker --db URL --run \(run)`\n".utf8))
    }
}
