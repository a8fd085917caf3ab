import Application
import Distillation
import Foundation
import IDATestSupport
@testable import IDACommand
import NeuralNetworks
import Store
import Tasks
import SeededRandom
import Testing

@Suite struct EvalCommandTests {
    /// A database with one IA run of the tiny permutation task whose checkpoint is an untrained
    /// model, and a file of labelled tiny permutation instances.
    static func fixture(_ directory: TemporaryDirectory) throws -> (run: String, instances: String, model: Answerer) {
        let task = try TaskCatalog.task(named: "permutation", preset: "tiny")
        let distiller = try Distiller(task: task, configuration: .tiny, seed: 4)
        let store = try SQLiteStore(path: directory.database)
        let run = try store.createRun(
            NewRun(kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous", configuration: "{}", seed: 4,
                   createdAt: Date(timeIntervalSince1970: 0)))
        try store.saveCheckpoint(
            CheckpointRecord(step: 0, formatVersion: 1, payload: try distiller.state().serialized(), trainerState: "{}",
                             createdAt: Date(timeIntervalSince1970: 0)),
            run: run.id)
        try store.close()
        let configuration = try TaskCatalog.configuration(task: "permutation", preset: "tiny")
        var rng = SplitMix64(seed: 5)
        let records = (0..<3).map { _ in
            InstanceRecord.labelled(task.makeInstance(size: task.size, using: &rng), configuration: configuration)
        }
        let path = directory.url.appendingPathComponent("instances.jsonl").path
        try InstanceFile.write(records).write(toFile: path, atomically: true, encoding: .utf8)
        return (run.id, path, distiller.teacher)
    }

    @Test(arguments: [false, true])
    func answersEveryQuestionAndScoresTheGivenAnswers(amplified: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try Self.fixture(directory)
        let text = try String(contentsOfFile: fixture.instances, encoding: .utf8)
        let records = try InstanceFile.read(text)
        let result = try await InstanceEvaluation.evaluate(
            records, model: fixture.model, trainedOn: "permutation", mode: .greedy, amplified: amplified, seed: 1)
        let questions = records.reduce(0) { $0 + $1.instance.questions.count }
        #expect(result.answers.count == questions)
        #expect(result.scored == questions)
        #expect(result.correct == result.answers.filter { $0.answer == $0.expected }.count)
        #expect(result.accuracy == Double(result.correct) / Double(questions))
        #expect(result.answers.map(\.depth) == records.flatMap { $0.depths ?? [] })
    }

    @Test func amplificationAnswersDepthZeroByLeafLookups() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try Self.fixture(directory)
        let records = try InstanceFile.read(try String(contentsOfFile: fixture.instances, encoding: .utf8))
        let result = try await InstanceEvaluation.evaluate(
            records, model: fixture.model, trainedOn: nil, mode: .greedy, amplified: true, seed: 1)
        // Depth-0 questions need only leaf lookups: Amp(H, X) gets them right whatever X is.
        #expect(result.accuracyByDepth?["0"] == 1)
    }

    @Test func theBinaryAnswersWithAStoredRunAndACheckpointFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try Self.fixture(directory)
        let file = directory.url.appendingPathComponent("model.ckpt").path
        try Data(fixture.model.checkpoint().serialized()).write(to: URL(fileURLWithPath: file))
        var outputs: [InstanceEvaluation] = []
        for reference in [fixture.run, file] {
            let outcome = try await IDAProcess.run(
                ["eval", "--checkpoint", reference, "--instances", fixture.instances, "--json", "--db", directory.database],
                in: directory.url)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            var result = try JSONDecoder().decode(InstanceEvaluation.self, from: Data(outcome.standardOutput.utf8))
            result.model = nil
            outputs.append(result)
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test(arguments: [
        ("malformed", "line 1: not a JSON object"),
        ("wildcard", "incompatible checkpoint: the model was trained on permutation, the instances are wildcard"),
        ("missing", "cannot be read"),
        ("unknown-run", "no run with id r-20990101-0000"),
    ])
    func badInputIsOneLineAndNonZero(kind: String, message: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try Self.fixture(directory)
        var instances = fixture.instances
        var run = fixture.run
        switch kind {
        case "malformed":
            instances = directory.url.appendingPathComponent("bad.jsonl").path
            try "{\"format\": \"ida-instances\"\n".write(toFile: instances, atomically: true, encoding: .utf8)
        case "wildcard":
            let task = try TaskCatalog.task(named: "wildcard", preset: "tiny")
            var rng = SplitMix64(seed: 1)
            let record = InstanceRecord.labelled(
                task.makeInstance(size: task.size, using: &rng),
                configuration: try TaskCatalog.configuration(task: "wildcard", preset: "tiny"))
            instances = directory.url.appendingPathComponent("wildcard.jsonl").path
            try InstanceFile.write([record]).write(toFile: instances, atomically: true, encoding: .utf8)
        case "missing":
            instances = directory.url.appendingPathComponent("nowhere.jsonl").path
        default:
            run = "r-20990101-0000"
        }
        let rows = try StoredRunFixture.dump(directory.database)
        let outcome = try await IDAProcess.run(
            ["eval", "--checkpoint", run, "--instances", instances, "--db", directory.database], in: directory.url)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
        #expect(try StoredRunFixture.dump(directory.database) == rows)
    }

    /// `ida eval --checkpoint FILE` reads the file without opening `--db` (`CheckpointSource`
    /// opens the store only for a run id), so a damaged file, or one made to fool the loaders
    /// (`CheckpointFuzzTests`), cannot change a stored run, nor create a database.
    @Test func aDamagedCheckpointFileLeavesTheStoreAsItWas() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try Self.fixture(directory)
        let file = directory.url.appendingPathComponent("damaged.ckpt").path
        var bytes = fixture.model.checkpoint().serialized()
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.database))
        let missing = directory.url.appendingPathComponent("none.sqlite").path
        for database in [directory.database, missing] {
            let outcome = try await IDAProcess.run(
                ["eval", "--checkpoint", file, "--instances", fixture.instances, "--db", database], in: directory.url)
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("checkpoint is corrupted"), "\(outcome.standardError)")
            #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.database)) == before)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
