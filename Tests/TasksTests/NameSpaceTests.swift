import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct NameSpaceTests {
    @Test(arguments: [(8, 1), (8, 2), (3, 3), (26, 1)])
    func nameIndexRoundTripsInLexicographicOrder(letterCount: Int, nameLength: Int) {
        let names = NameSpace(letterCount: letterCount, nameLength: nameLength, firstLetter: 3)
        var previous: Tokens?
        for index in 0..<names.nameCount {
            let tokens = names.tokens(ofName: index)
            #expect(tokens.count == nameLength)
            #expect(names.index(in: tokens, at: 0) == index)
            if let previous { #expect(previous.lexicographicallyPrecedes(tokens)) }
            previous = tokens
        }
    }

    @Test func indexRejectsNonLettersAndShortInput() {
        let names = NameSpace(letterCount: 4, nameLength: 2, firstLetter: 3)
        #expect(names.index(in: [3, 2], at: 0) == nil)
        #expect(names.index(in: [3], at: 0) == nil)
        #expect(names.index(in: [0, 3, 4], at: 1) == 1)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func sampleDistinctGivesDistinctNames(seed: UInt64) async {
        let names = NameSpace(letterCount: 8, nameLength: 2, firstLetter: 1)
        await propertyCheck(input: Gen.int(in: 0...64)) { count in
            var rng = SplitMix64(seed: seed)
            let sample = names.sampleDistinct(count, using: &rng)
            #expect(sample.count == count && Set(sample).count == count)
            #expect(sample.allSatisfy { (0..<64).contains($0) })
        }
    }

    @Test func samplingMoreNamesThanExistTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 0)
            _ = NameSpace(letterCount: 2, nameLength: 1, firstLetter: 1).sampleDistinct(3, using: &rng)
        }
    }

    @Test func tooManyLettersTraps() async {
        await #expect(processExitsWith: .failure) { _ = NameSpace(letterCount: 27, nameLength: 1, firstLetter: 1) }
    }

    @Test func emptyNamesTrap() async {
        await #expect(processExitsWith: .failure) { _ = NameSpace(letterCount: 2, nameLength: 0, firstLetter: 1) }
    }

    @Test func lettersOverlappingTheUnknownTokenTrap() async {
        await #expect(processExitsWith: .failure) { _ = NameSpace(letterCount: 2, nameLength: 1, firstLetter: 0) }
    }

    @Test func appendingANameOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            var tokens: Tokens = []
            NameSpace(letterCount: 2, nameLength: 2, firstLetter: 1).append(name: 4, to: &tokens)
        }
    }
}
