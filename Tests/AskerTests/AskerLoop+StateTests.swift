import Amplification
import Asker
import Foundation
import NeuralNetworks
import Tasks
import Testing

@Suite struct AskerLoopStateTests {
    static func loop(seed: UInt64) -> AskerLoop {
        var configuration = AskerConfiguration.tiny
        configuration.leadSteps = 10
        return AskerLoop(task: Fixtures.task, configuration: configuration, seed: seed, demonstrationAmplifier: Fixtures.groundTruth)
    }

    static func drive(_ loop: AskerLoop, steps: [Int]) async throws {
        for step in steps {
            try await loop.update(answererStep: step, assistant: GroundTruthAssistant(), instanceSize: Fixtures.task.size)
        }
    }

    /// A loop restored from a snapshot continues exactly like the one that was not stopped:
    /// same demonstrations, same H′ steps, same weights, same actions.
    @Test(arguments: [3, 8] as [UInt64])
    func restoredLoopContinuesLikeTheUninterruptedOne(seed: UInt64) async throws {
        let whole = Self.loop(seed: seed)
        try await Self.drive(whole, steps: [0, 5, 10, 15])

        let first = Self.loop(seed: seed)
        try await Self.drive(first, steps: [0, 5])
        let saved = try JSONDecoder().decode(AskerState.self, from: JSONEncoder().encode(first.state()))
        let resumed = Self.loop(seed: seed + 100)  // other initial weights and streams: all overwritten
        try resumed.restore(saved)
        #expect(resumed.state() == first.state())
        try await Self.drive(resumed, steps: [10, 15])

        #expect(resumed.trainer.stepCount > first.trainer.stepCount)
        #expect(resumed.state() == whole.state())
        let workspaces = Fixtures.instances(count: 4, seed: seed).map {
            Workspace(question: $0.questions[0], subquestionsLeft: Fixtures.task.interactionLength)
        }
        #expect(resumed.supervisor.actions(on: workspaces) == whole.supervisor.actions(on: workspaces))
    }

    @Test func aSnapshotOfAnotherLayoutIsRejectedAndChangesNothing() async throws {
        let loop = Self.loop(seed: 1)
        try await Self.drive(loop, steps: [0])
        var state = loop.state()
        state.buffer[0].removeLast()
        let fresh = Self.loop(seed: 2)
        let before = fresh.state()
        #expect(throws: CheckpointError.self) { try fresh.restore(state) }
        #expect(fresh.state() == before)

        let other = AskerLoop(task: WildcardSearch(.tiny), configuration: .tiny, seed: 1)
        let otherBefore = other.state()
        #expect(throws: CheckpointError.self) { try other.restore(loop.state()) }
        #expect(other.state() == otherBefore)
    }
}
