@testable import Application
import Distillation
import Foundation
@testable import IDACommand
import NeuralNetworks
import Tasks
import Testing

@Suite struct CheckpointSourceTests {
    @Test func aFileHoldsAnAnswererCheckpointOrATrainingState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let task = try TaskCatalog.task(named: "wildcard", preset: "tiny")
        let distiller = try Distiller(task: task, configuration: .tiny, seed: 2)
        let answerer = directory.url.appendingPathComponent("x.ckpt").path
        let state = directory.url.appendingPathComponent("state.json").path
        try Data(distiller.teacher.checkpoint().serialized()).write(to: URL(fileURLWithPath: answerer))
        try Data(distiller.state().serialized()).write(to: URL(fileURLWithPath: state))
        let fromAnswerer = try CheckpointSource.file(answerer)
        let fromState = try CheckpointSource.file(state)
        #expect(fromAnswerer.taskName == nil)
        #expect(fromState.taskName == "wildcard")
        #expect(fromAnswerer.model.checkpoint() == distiller.teacher.checkpoint())
        #expect(fromState.model.checkpoint() == distiller.teacher.checkpoint())
    }

    @Test func aDamagedFileIsAnIncompatibleCheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("junk.bin").path
        try Data("junk".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ApplicationError.incompatibleCheckpoint("\(path) is neither an answerer checkpoint nor a training state this ida reads")) {
            try CheckpointSource.file(path)
        }
    }
}
