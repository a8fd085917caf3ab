#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded, splittable pseudo-random generator: every random choice in ida comes from one.
///
/// SplitMix64 (Steele, Lea and Flood 2014): `state += 0x9E3779B97F4A7C15`, then a
/// xor-shift-multiply finaliser. It is tiny, fast, passes BigCrush, and is fully determined by
/// its seed, which is what reproducible runs need. Library code never reads the system RNG.
///
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let roll = Int.random(in: 1...6, using: &rng)
/// var weights = rng.split(stream: 1)   // an independent stream, e.g. weight init vs data order
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Goes back to the state before the last ``next()``: the state only ever moves by one
    /// constant step, so a draw can be taken back exactly (a workspace's action retracted gives
    /// back the seed it drew for its sub-question).
    public mutating func stepBack() {
        state &-= 0x9E37_79B9_7F4A_7C15
    }

    /// Moves on as `count` calls of ``next()`` would, at once (the state moves by one constant
    /// step per draw): a part of a batch that draws its share of a generator's numbers can start at
    /// its own place in them.
    public mutating func advance(by count: Int) {
        precondition(count >= 0, "SplitMix64.advance: negative count \(count)")
        state &+= 0x9E37_79B9_7F4A_7C15 &* UInt64(count)
    }

    /// An independent generator for a named purpose, derived from this one's seed and `stream`
    /// without advancing this one: `split(stream: 1)` and `split(stream: 2)` never overlap in
    /// practice, so weight initialisation and data order can be seeded apart.
    public func split(stream: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A standard normal sample (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1p-53, 0x1p-53)
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

