extension Tensor {
    /// The sum of every element, shape `[1]`.
    public func sum() -> Tensor { total(scale: 1) }

    /// The mean of every element, shape `[1]`.
    public func mean() -> Tensor { total(scale: 1 / Float(max(count, 1))) }

    private func total(scale: Float) -> Tensor {
        let out = Tensor(uninitializedShape: [1])
        sumForward(out: out.storage, input: storage, count: count, scale: scale)
        out.record(self) { out in
            sumBackward(dInput: self.gradientPointer(), dOut: out.gradientPointer(), count: self.count, scale: scale)
        }
        return out
    }

    /// The sum over `axis` (negative counts from the end); the axis is removed unless
    /// `keepingAxis`. Precondition: the axis exists.
    public func sum(axis: Int, keepingAxis: Bool = false) -> Tensor { axisTotal(axis: axis, keepingAxis: keepingAxis, mean: false) }

    /// The mean over `axis` (negative counts from the end). Precondition: the axis exists.
    public func mean(axis: Int, keepingAxis: Bool = false) -> Tensor { axisTotal(axis: axis, keepingAxis: keepingAxis, mean: true) }

    private func axisTotal(axis: Int, keepingAxis: Bool, mean: Bool) -> Tensor {
        let a = normalizedAxis(axis, name: mean ? "mean" : "sum")
        let outer = shape[..<a].reduce(1, *), reduced = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        var outShape = shape
        if keepingAxis { outShape[a] = 1 } else { outShape.remove(at: a) }
        let scale: Float = mean ? 1 / Float(max(reduced, 1)) : 1
        let out = Tensor(uninitializedShape: outShape)
        axisSumForward(out: out.storage, input: storage, outer: outer, reduced: reduced, inner: inner, scale: scale)
        out.record(self) { out in
            axisSumBackward(
                dInput: self.gradientPointer(), dOut: out.gradientPointer(),
                outer: outer, reduced: reduced, inner: inner, scale: scale)
        }
        return out
    }

    /// `axis` in 0..<rank, accepting negative values counted from the end.
    func normalizedAxis(_ axis: Int, name: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(name): axis \(axis) out of range for shape \(shape)")
        return a
    }
}
