import Testing
import SeededRandom

@Suite struct SplitMix64Tests {
    @Test(arguments: [0, 1, 42, 0xDEAD_BEEF] as [UInt64])
    func equalSeedsGiveEqualStreams(seed: UInt64) {
        var a = SplitMix64(seed: seed)
        var b = SplitMix64(seed: seed)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test func knownFirstOutputsForSeedZero() {
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func splitStreamsDifferFromEachOtherAndFromTheParent() {
        let parent = SplitMix64(seed: 7)
        var one = parent.split(stream: 1)
        var two = parent.split(stream: 2)
        var copy = parent
        let a = (0..<8).map { _ in one.next() }
        let b = (0..<8).map { _ in two.next() }
        let c = (0..<8).map { _ in copy.next() }
        #expect(a != b && a != c && b != c)
    }

    @Test func advancingEqualsDrawingThatMany() {
        for (seed, count) in [(UInt64(1), 0), (2, 1), (3, 7), (4, 1000), (.max, 4097)] {
            var drawn = SplitMix64(seed: seed), advanced = SplitMix64(seed: seed)
            for _ in 0..<count { _ = drawn.next() }
            advanced.advance(by: count)
            #expect(advanced == drawn)
            #expect(advanced.next() == drawn.next())
        }
    }

    @Test func unitFloatsStayInRangeAndNormalsHaveUnitMoments() {
        var rng = SplitMix64(seed: 3)
        var sum = 0.0, sumSquares = 0.0
        let n = 20_000
        for _ in 0..<n {
            let u = rng.nextUnitFloat()
            #expect(u >= 0 && u < 1)
            let z = Double(rng.nextNormal())
            sum += z
            sumSquares += z * z
        }
        #expect(abs(sum / Double(n)) < 0.05)
        #expect(abs(sumSquares / Double(n) - 1) < 0.05)
    }
}
