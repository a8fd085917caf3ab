import IDATestSupport
import PropertyBased
import Testing

/// The fuzz tests' mutator (it lives in IDATestSupport; Tasks has the first fuzz test using it).
@Suite struct ByteMutatorTests {
    static let line = Array(#"{"a":[1,2],"b":{"c":"x"},"d":-7}"#.utf8)

    @Test func equalSeedsGiveEqualInputs() async {
        await propertyCheck(count: 20, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var first = ByteMutator(seeds: [Self.line], dialect: .json, seed: seed)
            var second = ByteMutator(seeds: [Self.line], dialect: .json, seed: seed)
            #expect((0..<200).map { _ in first.next() } == (0..<200).map { _ in second.next() })
        }
    }

    @Test(arguments: [ByteMutator.Dialect.binary, .json])
    func mostInputsDifferFromTheSeedAndSomeOnlySlightly(dialect: ByteMutator.Dialect) {
        var mutator = ByteMutator(seeds: [Self.line], dialect: dialect, seed: 9)
        let inputs = (0..<2_000).map { _ in mutator.next() }
        let changed = inputs.filter { $0 != Self.line }.count
        let close = inputs.filter { abs($0.count - Self.line.count) <= 1 && $0 != Self.line }.count
        #expect(changed > 1_800)
        #expect(close > 400)
        #expect(Set(inputs).count > 1_000)
    }

    @Test func jsonMutationsReachEveryKind() {
        var mutator = ByteMutator(seeds: [Self.line], dialect: .json, seed: 4)
        let texts = (0..<5_000).map { _ in String(decoding: mutator.next(), as: UTF8.self) }
        let missingKey = texts.contains { !$0.contains("\"b\"") && $0.contains("\"d\":-7}") }
        let duplicatedKey = texts.contains { $0.components(separatedBy: "\"a\":").count == 3 }
        let boundary = texts.contains { $0.contains("9223372036854775808") }
        let deep = texts.contains { $0.contains(String(repeating: "[", count: 513)) }
        let wrongType = texts.contains { $0.contains("\"b\":null") }
        let invalidUTF8 = texts.contains { $0.contains("\u{FFFD}") }
        let lineBreak = texts.contains { $0.contains("\\u000a") }
        #expect(missingKey && duplicatedKey && boundary && deep && wrongType && invalidUTF8 && lineBreak)
    }

    @Test func binaryBoundariesIncludeHugeLengthsAndNaN() {
        let words = ByteMutator.boundaryWords
        #expect(words.contains([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]))
        #expect(words.contains(Array(withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Array($0) })))
    }

    @Test func failuresKeepTheFirstInputsEscaped() {
        var failures = FuzzFailures(kept: 1)
        failures.record("first", input: [0x41, 0x0A, 0xFF])
        failures.record("second", input: [])
        #expect(failures.count == 2)
        #expect(failures.messages == [#"first for input "A\x0A\xFF" (3 bytes)"#])
    }

    @Test func tallyCountsRejectionsByCaseName() {
        enum Sample: Error { case short(Int), plain }
        var tally = FuzzTally()
        tally.accept()
        tally.reject(Sample.short(3))
        tally.reject(Sample.short(4))
        tally.reject(Sample.plain)
        #expect(tally.rejected == ["short": 2, "plain": 1])
        #expect(tally.summary(reader: "r", duration: .milliseconds(1_250)) == "fuzz: r tried 4 accepted 1 rejected 3 (short 2, plain 1) seconds 1.3")
    }

    @Test func budgetReadsThePassedEnvironment() {
        #expect(FuzzBudget.iterations(environment: ["IDA_FUZZ_ITERATIONS": "1000000"], default: 5) == 1_000_000)
        #expect(FuzzBudget.iterations(environment: ["IDA_FUZZ_ITERATIONS": "lots"], default: 5) == 5)
        #expect(FuzzBudget.iterations(environment: [:], default: 5) == 5)
    }
}
