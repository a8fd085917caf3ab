#if canImport(Glibc)
import Glibc
#endif
import SeededRandom
import Testing

@testable import NeuralNetworks
@testable import TensorCore

@Suite struct TranscriptModelDecodingTests {
    static let layouts = [
        TranscriptLayout(vocabularySize: 7, questionLength: 2, answerLength: 1, interactionLength: 2),
        TranscriptLayout(vocabularySize: 11, questionLength: 3, answerLength: 2, interactionLength: 1),
    ]

    /// Every row's next distribution in `decoder` equals the full forward's (`full`: (B, L, V))
    /// prediction of the same transcript token, now and after each further token of `sequences`
    /// (as read, start token first, all of one length) appended, to the sequences' end.
    static func expectDistributions(of decoder: TranscriptDecoder, equal full: [Float], appending sequences: [[Int]], layout: TranscriptLayout) {
        let v = layout.vocabularySize, length = layout.transcriptLength
        while true {
            // nextLogProbabilities predicts the token at the next position: transcript token position − 1.
            for row in 0..<decoder.batch {
                let token = decoder.nextPositions[row] - 1
                let expected = Array(full[((row * length + token) * v)..<((row * length + token + 1) * v)])
                let got = Array(decoder.nextLogProbabilities[(row * v)..<((row + 1) * v)])
                #expect(zip(expected, got).allSatisfy { abs($0 - $1) < 1e-4 }, "row \(row) transcript token \(token)")
            }
            guard decoder.length < sequences[0].count else { break }
            decoder.append(sequences.map { $0[decoder.length] })
        }
    }

    /// Each transcript as the model reads it: its inputs, start token first.
    static func readSequences(_ transcripts: [[Int]], layout: TranscriptLayout) -> [[Int]] {
        transcripts.map { TranscriptReading(transcripts: [$0], layout: layout).inputs }
    }

    /// Cached incremental decoding gives the full forward's distribution at every position, the
    /// main answer following a null sub-question as it does the last round.
    @Test(arguments: [(0, 1, 1, 0), (0, 3, 4, 2), (0, 5, 2, 1), (1, 1, 4, 1), (1, 3, 1, 0), (1, 4, 8, 0)] as [(Int, UInt64, Int, Int)])
    func cachedDecodingEqualsFullRecomputation(layoutIndex: Int, seed: UInt64, prefixLength: Int, firstNullRound: Int) {
        let layout = Self.layouts[layoutIndex]
        let model = TranscriptModelTests.model(seed: seed, layout: layout)
        let transcripts = TranscriptModelTests.transcripts(count: 3, layout: layout, seed: seed, firstNullRound: firstNullRound)
        let full = model.logProbabilities(transcripts: transcripts)
        let sequences = Self.readSequences(transcripts, layout: layout)
        let decoder = TranscriptDecoder(model: model, prefixes: sequences.map { Array($0.prefix(prefixLength)) })
        Self.expectDistributions(of: decoder, equal: full, appending: sequences, layout: layout)
        #expect(decoder.length == sequences[0].count)
        #expect(decoder.nextPositions == Array(repeating: layout.transcriptLength, count: 3))
    }

    /// Rows taken from two decoders and resumed together, with a chunk of one token or several,
    /// give the full forward's distribution at every later position, though the decoders they
    /// came from went on.
    @Test(arguments: [(0, 1, 1, 1, 2), (0, 4, 2, 3, 0), (1, 2, 2, 6, 0), (1, 6, 1, 5, 1), (1, 7, 5, 1, 0)] as [(Int, UInt64, Int, Int, Int)])
    func resumedDecodingEqualsFullRecomputation(layoutIndex: Int, seed: UInt64, cachedLength: Int, chunkWidth: Int, firstNullRound: Int) {
        let layout = Self.layouts[layoutIndex]
        let model = TranscriptModelTests.model(seed: seed, layout: layout)
        let transcripts = TranscriptModelTests.transcripts(count: 4, layout: layout, seed: seed, firstNullRound: firstNullRound)
        let full = model.logProbabilities(transcripts: transcripts)
        let sequences = Self.readSequences(transcripts, layout: layout)
        // Rows 0 and 1 from one decoder, cached a token at a time; rows 2 and 3 from a prefill.
        let first = TranscriptDecoder(model: model, prefixes: sequences[0..<2].map { [$0[0]] })
        for position in 1..<cachedLength { first.append(sequences[0..<2].map { $0[position] }) }
        let second = TranscriptDecoder(model: model, prefixes: sequences[2...].map { Array($0.prefix(cachedLength)) })
        let rows = first.cachedRows() + second.cachedRows()
        #expect(rows.map(\.tokens) == sequences.map { Array($0.prefix(cachedLength)) })
        // The rows share their decoders' caches: tokens those decoders append later do not change them.
        first.append(sequences[0..<2].map { $0[cachedLength] })
        second.append(sequences[2...].map { $0[cachedLength] })
        let decoder = TranscriptDecoder(
            model: model, resuming: rows, appending: sequences.map { Array($0[cachedLength..<(cachedLength + chunkWidth)]) })
        Self.expectDistributions(of: decoder, equal: full, appending: sequences, layout: layout)
    }

    @Test func rowsCachedByAModelOfAnotherShapeTrap() async {
        await #expect(processExitsWith: .failure) {
            let layout = TranscriptModelDecodingTests.layouts[0]
            let rows = TranscriptDecoder(model: TranscriptModelTests.model(seed: 1, layout: layout), prefixes: [[0, 1]]).cachedRows()
            let narrower = TranscriptModelTests.model(
                seed: 1, layout: layout,
                configuration: TranscriptModelConfiguration(modelDimension: 8, headCount: 2, layerCount: 2, feedForwardMultiplier: 2))
            _ = TranscriptDecoder(model: narrower, resuming: rows, appending: [[2]])
        }
    }

    @Test(arguments: [2, 5] as [UInt64])
    func greedyDecodingPicksTheMostLikelyTokenAndDoesNotDependOnBatchMates(seed: UInt64) {
        let layout = Self.layouts[0]
        let model = TranscriptModelTests.model(seed: seed, layout: layout)
        let prefixes = TranscriptModelTests.transcripts(count: 3, layout: layout, seed: seed).map { Array(([0] + $0).prefix(3)) }
        let together = model.greedyDecode(prefixes: prefixes, count: 2)
        for (row, prefix) in prefixes.enumerated() {
            #expect(model.greedyDecode(prefixes: [prefix], count: 2) == [together[row]])
            let decoder = TranscriptDecoder(model: model, prefixes: [prefix])
            let probabilities = decoder.nextLogProbabilities
            #expect(probabilities[together[row][0]] == probabilities.max())
        }
    }

    @Test(arguments: [7, 8] as [UInt64])
    func sampledDecodingIsReproducibleFromTheGenerators(seed: UInt64) {
        let layout = Self.layouts[1]
        let model = TranscriptModelTests.model(seed: seed, layout: layout)
        let prefixes = [[0, 1, 2], [0, 3, 4]]
        var first = prefixes.indices.map { SplitMix64(seed: seed + UInt64($0)) }
        var second = first
        let a = model.sampleDecode(prefixes: prefixes, count: 5, generators: &first)
        let b = model.sampleDecode(prefixes: prefixes, count: 5, generators: &second)
        #expect(a == b && first == second)
        #expect(a.allSatisfy { $0.count == 5 && $0.allSatisfy { (0..<layout.vocabularySize).contains($0) } })
    }

    /// Sampling follows the distribution: token frequencies over many draws approach it.
    @Test func sampledTokensFollowTheDistribution() {
        let layout = Self.layouts[0]
        let model = TranscriptModelTests.model(seed: 9, layout: layout)
        let decoder = TranscriptDecoder(model: model, prefixes: Array(repeating: [0, 1], count: 2000))
        var generators = (0..<2000).map { SplitMix64(seed: UInt64($0)) }
        let tokens = decoder.sampledTokens(using: &generators)
        for token in 0..<layout.vocabularySize {
            let expected = Double(expf(decoder.nextLogProbabilities[token]))
            let observed = Double(tokens.filter { $0 == token }.count) / 2000
            #expect(abs(observed - expected) < 0.04, "token \(token): \(observed) vs \(expected)")
        }
    }

    @Test func appendingPastTheTranscriptTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let layout = TranscriptLayout(vocabularySize: 5, questionLength: 1, answerLength: 1, interactionLength: 0)
            let model = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
            let decoder = TranscriptDecoder(model: model, prefixes: [[0, 1]])
            decoder.append([2])
        }
    }

    @Test func prefixesOfDifferentLengthsTrap() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let layout = TranscriptLayout(vocabularySize: 5, questionLength: 2, answerLength: 1, interactionLength: 1)
            let model = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
            _ = TranscriptDecoder(model: model, prefixes: [[0, 1], [0]])
        }
    }
}
