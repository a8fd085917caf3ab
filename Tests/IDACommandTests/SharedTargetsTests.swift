import Amplification
import Distillation
import Foundation
import IDATestSupport
import PostgresNIO
import SeededRandom
import Store
import Tasks
import Testing

import class StoreTestSupport.FreshDatabase
import enum StoreTestSupport.StoreBackend

@testable import Application
@testable import StorePostgres

/// IA whose targets grow on `ida worker` processes sharing a real PostgreSQL database, while
/// workers are killed with SIGKILL mid-generation and replaced: the trainer consumes every
/// generation once, and the run's report equals that of the same run growing its targets itself.
///
/// A generation of the tiny preset takes a worker milliseconds, too short to hit with a signal
/// sent at a random time: after a seeded random pause, the worker holding the next generation is
/// killed with its completion held back (``MidItemKill``).
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"), .serialized)
struct SharedTargetsTests {
    @Test(.tags(.slow)) func workersKilledMidGenerationChangeNothingInTheRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let database = fresh.locator
        let run = [
            "run", "--task", "permutation", "--preset", "tiny", "--steps", "150", "--seed", "3", "--json",
            "--output", directory.url.path,
        ]

        let alone = try await IDAProcess.run(run + ["--db", directory.database], in: directory.url)
        #expect(alone.status == 0, "\(alone.standardError)")

        let worker = ["worker", "--lease", "1", "--db", database]
        let workers = try MidItemKill.Workers(2, worker, in: directory.url)
        defer { withExtendedLifetime(workers) {} }  // its end kills those still running
        let (trainer, out, err) = try IDAProcess.start(run + ["--shared-targets", "--db", database], in: directory.url)
        defer { if trainer.isRunning { kill(trainer.processIdentifier, SIGKILL) } }
        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }

        let kills = try await MidItemKill.killHolders(6, of: workers, pausing: 50...400, seed: 17, in: store, while: trainer)
        let shared = try IDAProcess.outcome(trainer, out, err)
        #expect(shared.status == 0, "\(shared.standardError)")
        #expect(kills == 6, "the run ended before six workers were killed mid-generation (\(kills))")

        let ia = try #require(try store.runs().first { $0.kind == .ia })
        let counts = try store.workCounts(run: ia.id)
        #expect(counts.queued == 0 && counts.leased == 0 && counts.done > 10, "\(counts)")
        #expect(counts.claims >= counts.done + kills, "each killed worker's generation was claimed again: \(counts)")
        #expect(try store.nextItem(run: ia.id) == counts.done, "one item per generation, none retired unanswered")
        #expect(
            try RunCommandTests.stableJSON(shared.standardOutput) == RunCommandTests.stableJSON(alone.standardOutput),
            "shared:\n\(shared.standardOutput)\nalone:\n\(alone.standardOutput)")
    }

    /// One generation through the queue, the worker's side played by the test: the trainer says
    /// it is waiting while no worker has taken the item, and the reply a worker grows from the
    /// request (instances and the teacher's weights, through the database) is the one the trainer
    /// would grow itself.
    @Test(.hangGuard) func aGenerationGrownFromItsRequestEqualsTheTrainersAndTheWaitIsTold() async throws {
        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let store = try #require(try fresh.open() as? PostgresStore)
        defer { try? store.close() }
        let task = try TaskCatalog.task(named: "permutation", preset: "tiny")
        let configuration = DistillationConfiguration.tiny
        let run = try store.createRun(
            NewRun(
                kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous",
                configuration: try storedJSON(configuration), seed: 1, createdAt: Date()))
        let teacher = try Distiller(task: task, configuration: configuration, seed: 1).teacher
        var random = SplitMix64(seed: 5)
        let request = TargetRequest(
            instances: (0..<6).map { _ in task.makeInstance(size: task.size, using: &random) }, querySeed: 77)

        let waits = Waits()
        let shared = SharedTargets(store: store, run: run.id, pollSeconds: 0.1, waitNoteSeconds: 0.3) { item, seconds in
            await waits.add(item, seconds)
        }
        let worker = Task {
            // Taken only once the trainer has said it waits.
            while await waits.all.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            let lease = try #require(try store.claim(worker: "test", leaseSeconds: 30, run: run.id))
            let payload = try #require(try store.request(of: lease))
            let reply = try await SharedTargets.reply(to: payload, of: store.run(id: run.id))
            #expect(try store.complete(lease, reply: reply))
        }
        let grown = try await shared.amplify(request, teacher: teacher)
        try await worker.value
        let local = try await TargetAmplification.amplify(
            request, task: task, teacher: teacher, configuration: configuration, supervisor: ScriptedExpert(task: task))
        #expect(grown == local && grown.answers.count == request.queries.count)
        let told = await waits.all
        #expect(!told.isEmpty && told.allSatisfy { $0.item == 0 && $0.seconds >= 0.3 }, "\(told)")
        #expect(try store.takeReplies(run: run.id, items: [0]).isEmpty, "the consumed reply was dropped")
    }

    actor Waits {
        var all: [(item: Int, seconds: Double)] = []
        func add(_ item: Int, _ seconds: Double) { all.append((item, seconds)) }
    }
}

/// A generation's request as stored: the request's JSON after its length, then the weights.
@Suite struct SharedTargetsItemTests {
    @Test func anItemReadsBackAndTruncatedOrForeignBytesAreRefused() throws {
        var random = SplitMix64(seed: 3)
        let task = try TaskCatalog.task(named: "wildcard", preset: "tiny")
        let request = TargetRequest(instances: [task.makeInstance(size: task.size, using: &random)], querySeed: 12)
        let item = SharedTargets.Item(request: request, teacher: Data((0..<1000).map { UInt8($0 % 251) }))
        let bytes = try item.bytes
        #expect(try SharedTargets.Item(bytes: bytes) == item)
        let offset = (Data([9, 9]) + bytes).dropFirst(2)
        #expect(try offset.startIndex == 2 && SharedTargets.Item(bytes: offset) == item, "a slice not starting at 0 reads too")
        for bad in [Data(), bytes.prefix(7), bytes.prefix(20), Data("{\"instances\":[]}".utf8)] {
            #expect(throws: DecodingError.self) { try SharedTargets.Item(bytes: bad) }
        }
    }
}
