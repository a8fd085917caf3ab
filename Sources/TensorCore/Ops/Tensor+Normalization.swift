extension Tensor {
    /// Layer normalisation over the last axis, fused:
    /// `(x - mean) / sqrt(variance + epsilon) * weight + bias`, statistics per row.
    /// Precondition: `weight` and `bias` have shape (C) where C is the last extent.
    public func layerNorm(weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let channels = shape.last ?? 1
        precondition(
            weight.shape == [channels] && bias.shape == [channels],
            "layerNorm: weight \(weight.shape) and bias \(bias.shape) must be [\(channels)] for input \(shape)")
        let rows = count / max(channels, 1)
        let out = Tensor(uninitializedShape: shape)
        let mean = Tensor(uninitializedShape: [rows]), rstd = Tensor(uninitializedShape: [rows])
        layerNormForward(
            out: out.storage, mean: mean.storage, rstd: rstd.storage, input: storage,
            weight: weight.storage, bias: bias.storage, rows: rows, channels: channels, epsilon: epsilon)
        out.record(self, weight, bias) { out in
            layerNormBackward(
                dInput: self.requiresGradient ? self.gradientPointer() : nil,
                dWeight: weight.requiresGradient ? weight.gradientPointer() : nil,
                dBias: bias.requiresGradient ? bias.gradientPointer() : nil,
                dOut: out.gradientPointer(), input: self.storage, weight: weight.storage,
                mean: mean.storage, rstd: rstd.storage, rows: rows, channels: channels)
        }
        return out
    }

    /// Softmax over the last axis: `exp(x - max) / sum(exp(x - max))` per row.
    /// A row of all `-infinity` gives zeros.
    public func softmax() -> Tensor {
        let width = shape.last ?? 1
        let rows = count / max(width, 1)
        let out = Tensor(uninitializedShape: shape)
        softmaxForward(out: out.storage, input: storage, rows: rows, width: width)
        out.record(self) { out in
            softmaxBackward(dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), rows: rows, width: width)
        }
        return out
    }

    /// Log-softmax over the last axis: `x - max - log(sum(exp(x - max)))` per row.
    public func logSoftmax() -> Tensor {
        let width = shape.last ?? 1
        let rows = count / max(width, 1)
        let out = Tensor(uninitializedShape: shape)
        logSoftmaxForward(out: out.storage, input: storage, rows: rows, width: width)
        out.record(self) { out in
            logSoftmaxBackward(dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), rows: rows, width: width)
        }
        return out
    }
}
