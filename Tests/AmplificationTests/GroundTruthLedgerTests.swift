import Dispatch
import Tasks
import IDATestSupport
import Testing

@testable import Amplification

@Suite struct GroundTruthLedgerTests {
    @Test func aNewLedgerCountsNothing() {
        #expect(GroundTruthLedger().count == 0)
    }

    /// Many threads record and read at once; the count is the sum of every recording.
    @Test(.tags(.concurrency)) func concurrentRecordingsAddUp() {
        let ledger = GroundTruthLedger()
        let (threads, recordings) = (16, 500)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for _ in 0..<recordings {
                ledger.record(thread % 3 + 1)
                _ = ledger.count
            }
        }
        #expect(ledger.count == (0..<threads).reduce(0) { $0 + ($1 % 3 + 1) * recordings })
    }
}

/// A call's reads are charged to that call alone: by the task that made them, not by when they
/// happened.
@Suite struct GroundTruthAttributionTests {
    /// One honest run's assistant call is held open while a second run, sharing the same contexts
    /// and so the same run-wide ledger, reads ground truth. A before-and-after difference of the
    /// shared count would charge the honest call with those reads and throw.
    @Test(.tags(.concurrency), arguments: Fixtures.taskNames)
    func overlappingCallsAreChargedOnlyWithTheirOwnReads(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 4, seed: 7)
        // A main question of depth ≥ 1 makes the expert call the assistant.
        try #require(Fixtures.truth(of: task, instances).contains { $0.depth > 0 })
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 7)
        let gate = Gate()
        let honest = Amplifier(
            task: task, supervisor: ScriptedExpert(task: task),
            assistant: WaitingAssistant(gate: gate, inner: .unknown(in: TaskDomain(task))))
        let reading = Amplifier(
            task: task, supervisor: ScriptedExpert(task: task), assistant: GroundTruthAssistant(),
            configuration: AmplifierConfiguration(groundTruth: .allowed))

        async let honestRun = honest.run(queries, contexts: contexts)
        await gate.waitUntilEntered()
        let readingResult = try await reading.run(queries, contexts: contexts)
        await gate.release()
        let honestResult = try await honestRun

        #expect(readingResult.counters.groundTruthAnswers > 0)
        #expect(readingResult.counters.groundTruthAnswers == contexts[0].groundTruthAnswersConsumed)
        #expect(honestResult.counters.groundTruthAnswers == 0)
        #expect(honestResult.counters.assistantCalls > 0)
    }

    /// Reads inside a nested call count for it and for every call enclosing it, reads in child
    /// tasks count for the call that created them, and reads of an unrelated task for none.
    @Test func nestedAndChildReadsCountForTheEnclosingCall() async throws {
        let task = Fixtures.task("permutation", preset: "small")
        let instances = Fixtures.instances(of: task, count: 1, seed: 4)
        let context = InstanceContext.contexts(for: instances, task: task)[0]
        let question = Content.tokens(instances[0].questions[0])

        let (inner, outer) = await GroundTruthLedger.attributing {
            _ = context.groundTruth(question)
            async let child = context.groundTruth(question)
            _ = await child
            await Task.detached { _ = context.groundTruth(question) }.value
            return await GroundTruthLedger.attributing {
                _ = context.groundTruth(question)
                _ = context.groundTruth(question)
            }.consumed
        }
        #expect(inner == 2)
        #expect(outer == 4)
        #expect(context.groundTruthAnswersConsumed == 5)
    }
}

/// Signals when a call has started, and holds every call until released.
private actor Gate {
    private var entered = false
    private var released = false
    private var enteredWaiters: [CheckedContinuation<Void, Never>] = []
    private var releaseWaiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        entered = true
        enteredWaiters.forEach { $0.resume() }
        enteredWaiters = []
        if !released {
            await withCheckedContinuation { releaseWaiters.append($0) }
        }
    }

    func waitUntilEntered() async {
        if !entered {
            await withCheckedContinuation { enteredWaiters.append($0) }
        }
    }

    func release() {
        released = true
        releaseWaiters.forEach { $0.resume() }
        releaseWaiters = []
    }
}

/// Answers as `inner` does, once the gate lets it.
private struct WaitingAssistant: Assistant {
    let gate: Gate
    let inner: ConstantAssistant

    var agent: Agent { .program("waiting") }

    func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        await gate.enter()
        return try await inner.answer(queries, contexts: contexts)
    }
}
