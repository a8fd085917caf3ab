// Layout kernels: copies that move elements without changing values.
//
// Dimensions: permute takes an input shape and an axis order; slice and concatenate view a shape
// as (outer, A, inner) with A the sliced or joined axis.
// Forward: permute out[c₀…] = input[c at perm positions]; slice out[o, a, i] = input[o, start + a, i];
// concatenate writes each part's (outer, Aₚ, inner) block at its offset along A.
// Backward accumulates the same mapping in reverse. Caches: none.

/// out = input with axes reordered: output axis j is input axis `permutation[j]`.
// Safe: permuteWalk visits every index of inputShape exactly once, mapped into the same element count.
func permuteForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, inputShape: [Int], permutation: [Int]
) {
    permuteWalk(inputShape: inputShape, permutation: permutation) { outIndex, inIndex in
        out[outIndex] = input[inIndex]
    }
}

func permuteBackward(
    dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, inputShape: [Int], permutation: [Int]
) {
    permuteWalk(inputShape: inputShape, permutation: permutation) { outIndex, inIndex in
        dInput[inIndex] += dOut[outIndex]
    }
}

/// Calls `visit(outIndex, inIndex)` for every element, the innermost output axis as a tight loop.
// Safe: outIndex < total and base + j·innerStride < total because coordinates stay below outShape.
@inline(__always)
private func permuteWalk(inputShape: [Int], permutation: [Int], _ visit: (Int, Int) -> Void) {
    let rank = inputShape.count
    var inputStrides = Array(repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * inputShape[axis + 1] }
    let outShape = permutation.map { inputShape[$0] }
    let strides = permutation.map { inputStrides[$0] }  // input stride along each output axis
    let total = inputShape.reduce(1, *)
    guard total > 0 else { return }
    let innerExtent = outShape[rank - 1], innerStride = strides[rank - 1]
    var coordinate = Array(repeating: 0, count: rank)
    var outIndex = 0
    while outIndex < total {
        var base = 0
        for axis in 0..<(rank - 1) { base += coordinate[axis] * strides[axis] }
        for j in 0..<innerExtent { visit(outIndex + j, base + j * innerStride) }
        outIndex += innerExtent
        var axis = rank - 2
        while axis >= 0 {
            coordinate[axis] += 1
            if coordinate[axis] < outShape[axis] { break }
            coordinate[axis] = 0
            axis -= 1
        }
    }
}

/// Copies block rows: out (outer, outExtent, inner) at `outOffset` along A from
/// input (outer, inExtent, inner) at `inOffset`, `length` entries along A.
// Safe: the op checks the window offset + length ≤ extent on each side, and outer·extent·inner is each count.
func blockCopy(
    out: UnsafeMutablePointer<Float>, outExtent: Int, outOffset: Int,
    input: UnsafePointer<Float>, inExtent: Int, inOffset: Int,
    outer: Int, length: Int, inner: Int, accumulate: Bool
) {
    let run = length * inner
    for o in 0..<outer {
        let target = out + (o * outExtent + outOffset) * inner
        let source = input + (o * inExtent + inOffset) * inner
        if accumulate {
            for i in 0..<run { target[i] += source[i] }
        } else {
            target.update(from: source, count: run)
        }
    }
}
