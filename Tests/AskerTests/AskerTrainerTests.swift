import Asker
import NeuralNetworks
import SeededRandom
import Testing

@Suite struct AskerTrainerTests {
    static func transcripts(count: Int, seed: UInt64) -> [Transcript] {
        var rng = SplitMix64(seed: seed)
        let layout = Fixtures.layout
        return (0..<count).map { _ in
            var tokens = (0..<layout.transcriptLength).map { _ in Int(rng.next() % UInt64(layout.vocabularySize)) }
            // Every round asks (a null question would imply `?` for the rounds after it).
            for round in 0..<layout.interactionLength { tokens[layout.subquestionStart(round: round) - 1] = 1 }
            return Transcript(tokens: tokens, layout: layout)
        }
    }

    @Test func waitsForTheMinimumThenKeepsAFixedSizeBuffer() {
        let configuration = AskerTrainingConfiguration(batchSize: 4, bufferCapacity: 10, minimumBuffered: 6, adam: .tiny)
        let trainer = AskerTrainer(model: Fixtures.model(seed: 1), configuration: configuration, seed: 1)
        let transcripts = Self.transcripts(count: 13, seed: 1)
        trainer.add(Array(transcripts.prefix(5)))
        #expect(!trainer.isReady && trainer.step() == nil && trainer.stepCount == 0)
        trainer.add(Array(transcripts.dropFirst(5)))
        #expect(trainer.buffer.count == 10)
        // The three oldest were overwritten by the three newest.
        #expect(Set(trainer.buffer) == Set(transcripts.suffix(10).map(\.tokens)))
        #expect(trainer.step() != nil && trainer.stepCount == 1)
    }

    @Test(arguments: [2, 3] as [UInt64])
    func stepsAreReproducibleAndLowerTheLoss(seed: UInt64) throws {
        let transcripts = Self.transcripts(count: 40, seed: seed)
        func run() -> [Float] {
            let trainer = AskerTrainer(model: Fixtures.model(seed: seed), configuration: .tiny, seed: seed)
            trainer.add(transcripts)
            return (0..<20).compactMap { _ in trainer.step() } + [trainer.loss(on: transcripts)]
        }
        let first = run()
        #expect(first == run())
        let initial = Fixtures.model(seed: seed)
        let before = AskerTrainer(model: initial, configuration: .tiny, seed: seed).loss(on: transcripts)
        try #require(first.count == 21)
        #expect(first[20] < before, "\(before) -> \(first[20])")
    }

    @Test func invalidConfigurationTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = AskerTrainer(
                model: Fixtures.model(seed: 1),
                configuration: AskerTrainingConfiguration(batchSize: 4, bufferCapacity: 5, minimumBuffered: 6), seed: 1)
        }
    }
}
