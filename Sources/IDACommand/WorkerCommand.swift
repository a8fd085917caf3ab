import Amplification
import Application
import ArgumentParser
import Foundation
import LanguageModels
import Store
import Tasks

/// `ida worker`: takes the questions of shared runs (ida queue), the targets of shared IA runs
/// (ida run --shared-targets) and the model calls of runs that share them (ida amplify
/// --model-calls workers) until there are none.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Amplify the questions of shared runs (ida queue), grow the targets of shared IA runs, and make shared runs' model calls, beside other workers.",
        discussion: """
            Claims one item at a time (or --slots at once) under a lease (--lease seconds), \
            renewing it every third of that while it works: a question of a shared run, whose tree it grows with the \
            chosen supervisor and stores in one transaction; or a generation of an IA run's \
            targets (ida run --shared-targets), which it grows with the task's scripted expert \
            and the teacher's weights as the trainer would, and hands to the trainer; or, with \
            --supervisor llm, a model call of a run started with --model-calls workers for the \
            model it serves (--model), which it sends to its endpoint (--url). A worker \
            killed mid-item loses only that item: once its lease runs out another worker takes \
            it, and a worker that comes back after its lease was taken has its work refused. \
            With --run the worker stops when that run has nothing left (an IA run, or a run \
            whose calls it makes: when that run ends); without, it serves every running run, \
            waking when work is queued (LISTEN/NOTIFY). One line per item on standard error.
            """
    )

    enum Supervisor: String, ExpressibleByArgument, CaseIterable {
        case expert
        case llm
    }

    @Option(help: ArgumentHelp("Only this run's questions, then stop (default: every running run's, until stopped).", valueName: "run"))
    var run: String?

    @Option(help: "Who supervises: expert (a task's scripted expert) or llm (a language model; free-text runs need it).")
    var supervisor: Supervisor = .expert

    @Option(help: ArgumentHelp("Seconds a claimed question stays this worker's without a renewal.", valueName: "seconds"))
    var lease: Double = 30

    @Option(help: ArgumentHelp(
        "Items worked at once, each under its own lease: more than 1 where the work mostly waits (a language model's replies).",
        valueName: "n"))
    var slots = 1

    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard lease > 0, lease.isFinite else { throw ValidationError("--lease must be a positive number of seconds, got \(lease)") }
        guard slots >= 1 else { throw ValidationError("--slots must be at least 1, got \(slots)") }
        if supervisor == .llm { try model.check() }
        let queue = try sharedQueue(store)
        defer { try? queue.close() }
        let meter = UsageMeter(budget: model.budget)
        // A shared run's calls reach the worker only when its own process found nothing in the
        // cache, and that process caches the reply: they go to the endpoint without it.
        let (chat, calls): ((any ChatModel)?, (any ChatModel)?)
        if supervisor == .llm {
            let client = try model.client(meter: meter)
            try await client.checkModel()
            (chat, calls) = (model.cached(client, meter: meter, store: queue), CachedChatModel(client, cache: nil, meter: meter))
        } else {
            (chat, calls) = (nil, nil)
        }
        let templates = try model.templates()
        let settings = model.settings
        let chosen = supervisor
        let worker = AmplificationWorker(
            store: queue, name: "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)",
            leaseSeconds: lease, chat: calls
        ) { job, _ in
            let domain: any Domain
            switch job {
            case .task(let job):
                let task = try TaskCatalog.task(named: job.task, preset: job.preset)
                if chosen == .expert { return (ScriptedExpert(task: task), ConstantAssistant.unknown(in: TaskDomain(task))) }
                domain = TaskDomain(task)
            case .text:
                domain = TextDomain()
            }
            guard let chat else { throw ValidationError("free-text questions need a language model: pass --supervisor llm") }
            let (supervisor, assistant) = ModelOptions.agents(
                domain: domain, chat: chat, meter: meter, templates: templates, settings: settings)
            return (supervisor, assistant)
        }
        let completed = try await worker.work(run: run, slots: slots) { event in
            let line: String
            switch event {
            case .completed(let lease, let workspaces, let counts):
                line = "ida worker: \(lease.run) question \(lease.item + 1) done (\(workspaces) workspaces); \(counts.done)/\(counts.total) done"
            case .grewTargets(let lease):
                line = "ida worker: \(lease.run) targets of generation \(lease.item + 1) done"
            case .calledModel(let lease):
                line = "ida worker: \(lease.run) model call \(lease.item + 1) done"
            case .fenced(let lease):
                line = "ida worker: \(lease.run) item \(lease.item + 1) was taken by another worker after this one's lease ran out; its work was dropped"
            }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        FileHandle.standardError.write(Data("ida worker: \(completed) items done\n".utf8))
    }
}
