extension Tensor {
    /// The same values in a new shape; one extent may be -1 (inferred).
    /// Precondition: the element counts agree.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) from \(shape)")
            resolved[hole] = count / known
        }
        precondition(
            resolved.reduce(1, *) == count && resolved.allSatisfy { $0 >= 0 },
            "reshape: \(shape) has \(count) elements, \(newShape) does not")
        let out = Tensor(uninitializedShape: resolved)
        // Safe: both hold `count` elements (the reshape keeps the count, checked above).
        out.storage.update(from: storage, count: count)
        out.record(self) { out in
            scaleBackward(dInput: self.gradientPointer(), dOut: out.gradientPointer(), scale: 1, count: out.count)
        }
        return out
    }

    /// Axes reordered: output axis j is input axis `axes[j]`. The attention head split is
    /// `x.reshaped([B, T, NH, hs]).permuted([0, 2, 1, 3])` giving (B, NH, T, hs).
    /// Precondition: `axes` is a permutation of 0..<rank.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "permute: \(axes) is not a permutation of the axes of \(shape)")
        let inputShape = shape
        let out = Tensor(uninitializedShape: axes.map { shape[$0] })
        permuteForward(out: out.storage, input: storage, inputShape: inputShape, permutation: axes)
        out.record(self) { out in
            permuteBackward(dInput: self.gradientPointer(), dOut: out.gradientPointer(), inputShape: inputShape, permutation: axes)
        }
        return out
    }

    /// The last two axes swapped: (…, M, N) → (…, N, M). Precondition: rank ≥ 2.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transpose: needs rank ≥ 2, got \(shape)")
        return permuted(Array(0..<(rank - 2)) + [rank - 1, rank - 2])
    }

    /// Entries `range` along `axis` (negative axis counts from the end).
    /// Precondition: the range lies inside the axis.
    public func slice(axis: Int, range: Range<Int>) -> Tensor {
        let a = normalizedAxis(axis, name: "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a], "slice: \(range) outside axis \(a) of \(shape)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), extent = shape[a]
        var outShape = shape
        outShape[a] = range.count
        let out = Tensor(uninitializedShape: outShape)
        blockCopy(
            out: out.storage, outExtent: range.count, outOffset: 0, input: storage, inExtent: extent,
            inOffset: range.lowerBound, outer: outer, length: range.count, inner: inner, accumulate: false)
        out.record(self) { out in
            blockCopy(
                out: self.gradientPointer(), outExtent: extent, outOffset: range.lowerBound,
                input: out.gradientPointer(), inExtent: range.count, inOffset: 0,
                outer: outer, length: range.count, inner: inner, accumulate: true)
        }
        return out
    }

    /// Overwrites entries `offset ..< offset + n` along `axis` with `source`, whose extent there
    /// is n, in place: a buffer filled piece by piece (a decoder's cache). Nothing is recorded,
    /// so no tape may differentiate through this tensor.
    ///
    /// - Precondition: equal ranks, equal extents but along `axis`, the window inside the axis.
    public func write(_ source: Tensor, at offset: Int, axis: Int) {
        let a = normalizedAxis(axis, name: "write")
        let length = source.rank == rank ? source.shape[a] : -1
        precondition(
            source.rank == rank && zip(shape, source.shape).enumerated().allSatisfy({ $0.offset == a || $0.element.0 == $0.element.1 })
                && offset >= 0 && offset + length <= shape[a],
            "write: \(source.shape) does not fit \(shape) at \(offset) along axis \(a)")
        blockCopy(
            out: storage, outExtent: shape[a], outOffset: offset, input: source.storage, inExtent: length, inOffset: 0,
            outer: shape[..<a].reduce(1, *), length: length, inner: shape[(a + 1)...].reduce(1, *), accumulate: false)
    }

    /// `tensors` joined along `axis` (negative counts from the end).
    /// Precondition: at least one tensor; all shapes agree except along `axis`.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        guard let first = tensors.first else { preconditionFailure("concatenate: no tensors") }
        let a = first.normalizedAxis(axis, name: "concatenate")
        for t in tensors {
            precondition(
                t.rank == first.rank && t.shape[..<a] == first.shape[..<a] && t.shape[(a + 1)...] == first.shape[(a + 1)...],
                "concatenate: shapes differ off axis \(a), \(first.shape) and \(t.shape)")
        }
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let extents = tensors.map { $0.shape[a] }
        let total = extents.reduce(0, +)
        var outShape = first.shape
        outShape[a] = total
        let out = Tensor(uninitializedShape: outShape)
        var offset = 0
        for (t, extent) in zip(tensors, extents) {
            blockCopy(
                out: out.storage, outExtent: total, outOffset: offset, input: t.storage, inExtent: extent,
                inOffset: 0, outer: outer, length: extent, inner: inner, accumulate: false)
            offset += extent
        }
        guard out.tape != nil, tensors.contains(where: \.requiresGradient) else { return out }
        out.requiresGradient = true
        out.backwardStep = { out in
            var offset = 0
            for (t, extent) in zip(tensors, extents) {
                if t.requiresGradient {
                    blockCopy(
                        out: t.gradientPointer(), outExtent: extent, outOffset: 0,
                        input: out.gradientPointer(), inExtent: total, inOffset: offset,
                        outer: outer, length: extent, inner: inner, accumulate: true)
                }
                offset += extent
            }
        }
        return out
    }
}
