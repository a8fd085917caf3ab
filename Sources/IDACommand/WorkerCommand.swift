import Amplification
import Application
import ArgumentParser
import Foundation
import LanguageModels
import Store
import Tasks

/// `ida worker`: takes the questions of shared runs (ida queue) and the targets of shared IA
/// runs (ida run --shared-targets) until there are none.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Amplify the questions of shared runs (ida queue) and the targets of shared IA runs, beside other workers.",
        discussion: """
            Claims one item at a time under a lease (--lease seconds), renewing it every third \
            of that while it works: a question of a shared run, whose tree it grows with the \
            chosen supervisor and stores in one transaction; or a generation of an IA run's \
            targets (ida run --shared-targets), which it grows with the task's scripted expert \
            and the teacher's weights as the trainer would, and hands to the trainer. A worker \
            killed mid-item loses only that item: once its lease runs out another worker takes \
            it, and a worker that comes back after its lease was taken has its work refused. \
            With --run the worker stops when that run has nothing left (an IA run: when its \
            trainer ends); without, it serves every running run, waking when work is queued \
            (LISTEN/NOTIFY). One line per item on standard error.
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

    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard lease > 0, lease.isFinite else { throw ValidationError("--lease must be a positive number of seconds, got \(lease)") }
        if supervisor == .llm { try model.check() }
        let queue = try sharedQueue(store)
        defer { try? queue.close() }
        let meter = UsageMeter(budget: model.budget)
        let chat: (any ChatModel)? = supervisor == .llm ? try await model.chatModel(meter: meter, store: queue) : nil
        let templates = try model.templates()
        let settings = model.settings
        let chosen = supervisor
        let worker = AmplificationWorker(
            store: queue, name: "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)",
            leaseSeconds: lease
        ) { job in
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
        let completed = try await worker.work(run: run) { event in
            let line: String
            switch event {
            case .completed(let lease, let workspaces, let counts):
                line = "ida worker: \(lease.run) question \(lease.item + 1) done (\(workspaces) workspaces); \(counts.done)/\(counts.total) done"
            case .grewTargets(let lease):
                line = "ida worker: \(lease.run) targets of generation \(lease.item + 1) done"
            case .fenced(let lease):
                line = "ida worker: \(lease.run) item \(lease.item + 1) was taken by another worker after this one's lease ran out; its work was dropped"
            }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        FileHandle.standardError.write(Data("ida worker: \(completed) items done\n".utf8))
    }
}
