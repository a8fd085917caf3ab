extension Tensor {
    /// `log(sum(exp(x)))` over `axis` (negative counts from the end), computed stably; the axis
    /// is removed unless `keepingAxis`. Precondition: the axis exists.
    public func logSumExp(axis: Int = -1, keepingAxis: Bool = false) -> Tensor {
        let a = normalizedAxis(axis, name: "logSumExp")
        let outer = shape[..<a].reduce(1, *), reduced = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        var outShape = shape
        if keepingAxis { outShape[a] = 1 } else { outShape.remove(at: a) }
        let out = Tensor(uninitializedShape: outShape)
        logSumExpForward(out: out.storage, input: storage, outer: outer, reduced: reduced, inner: inner)
        out.record(self) { out in
            logSumExpBackward(
                dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), input: self.storage,
                outer: outer, reduced: reduced, inner: inner)
        }
        return out
    }

    /// Elementwise `log(sum_k exp(tensors[k]))` of same-shape tensors: mixes distributions held
    /// as log-probabilities, e.g. `logSumExp([logGenerate + logGate, logCopy + logNotGate])`.
    /// Preconditions: at least one tensor; equal shapes.
    public static func logSumExp(_ tensors: [Tensor]) -> Tensor {
        guard let first = tensors.first else { preconditionFailure("logSumExp: no tensors") }
        for t in tensors {
            precondition(t.shape == first.shape, "logSumExp: shapes differ, \(first.shape) and \(t.shape)")
        }
        let out = Tensor(uninitializedShape: first.shape)
        // Safe: the tensors (equal shapes, checked above) stay alive in `tensors` for the call.
        logSumExpListForward(out: out.storage, inputs: tensors.map { UnsafePointer($0.storage) }, count: out.count)
        guard out.tape != nil, tensors.contains(where: \.requiresGradient) else { return out }
        out.requiresGradient = true
        out.backwardStep = { out in
            for t in tensors where t.requiresGradient {
                logSumExpListBackward(
                    dInput: t.gradientPointer(), input: t.storage, out: out.storage, dOut: out.gradientPointer(),
                    count: out.count)
            }
        }
        return out
    }
}
