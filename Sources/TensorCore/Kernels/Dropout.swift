// Inverted dropout with a mask drawn from SplitMix64.
//
// Dimensions: N elements. Forward: keep[i] = u[i] ≥ p (u uniform from the generator);
// mask[i] = keep[i] / (1 − p); out = input · mask.
// Caches: mask (N). Backward: dInput += dOut · mask.

import SeededRandom

// Safe: out, mask and input are the op's `count`-element buffers, indexed by i < count only.
func dropoutForward(
    out: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>,  // (N), (N)
    input: UnsafePointer<Float>,  // (N)
    count: Int, probability: Float, rng: inout SplitMix64
) {
    let scale = 1 / (1 - probability)
    for i in 0..<count {
        let m: Float = rng.nextUnitFloat() >= probability ? scale : 0
        mask[i] = m
        out[i] = input[i] * m
    }
}

// Safe: the three buffers hold `count` elements (same shape as the forward's), indexed by i < count only.
func dropoutBackward(
    dInput: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int
) {
    for i in 0..<count { dInput[i] += dOut[i] * mask[i] }
}
