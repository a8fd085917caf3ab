extension Tensor {
    /// `a ∘ b` with numpy broadcasting (same shape; a trailing bias such as (B, T, C) + (C);
    /// (B, T, 1) against (B, T, C); any other compatible pair through an index table).
    func binary(_ other: Tensor, _ op: BinaryOperator, name: String) -> Tensor {
        guard let outShape = Broadcast.shape(shape, other.shape) else {
            preconditionFailure("\(name): shapes do not broadcast, \(shape) and \(other.shape)")
        }
        let aIndex = Broadcast(operand: shape, output: outShape)
        let bIndex = Broadcast(operand: other.shape, output: outShape)
        let out = Tensor(uninitializedShape: outShape)
        binaryForward(
            out: out.storage, a: storage, b: other.storage, count: out.count,
            aIndex: aIndex, bIndex: bIndex, op: op)
        out.record(self, other) { out in
            // Computed pointers first: with `x * x` both are the same buffer, which is fine
            // because the kernel accumulates through raw pointers one operand at a time.
            binaryBackward(
                dA: self.requiresGradient ? self.gradientPointer() : nil,
                dB: other.requiresGradient ? other.gradientPointer() : nil,
                dOut: out.gradientPointer(), a: self.storage, b: other.storage, count: out.count,
                aIndex: aIndex, bIndex: bIndex, op: op)
        }
        return out
    }

    /// Elementwise sum with broadcasting. Precondition: the shapes broadcast.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, .add, name: "add") }

    /// Elementwise difference with broadcasting. Precondition: the shapes broadcast.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, .subtract, name: "subtract") }

    /// Elementwise product with broadcasting. Precondition: the shapes broadcast.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, .multiply, name: "multiply") }

    /// Every element times `scale`.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.scaled(by: rhs) }

    /// Every element times `scale`.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.scaled(by: lhs) }

    /// Every element plus `shift`.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.shifted(by: rhs) }

    /// Negation.
    public static prefix func - (operand: Tensor) -> Tensor { operand.scaled(by: -1) }

    /// `scale · self`.
    public func scaled(by scale: Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        scaleForward(out: out.storage, input: storage, scale: scale, count: count)
        out.record(self) { out in
            scaleBackward(dInput: self.gradientPointer(), dOut: out.gradientPointer(), scale: scale, count: out.count)
        }
        return out
    }

    /// `self + shift`.
    public func shifted(by shift: Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        shiftForward(out: out.storage, input: storage, shift: shift, count: count)
        out.record(self) { out in
            scaleBackward(dInput: self.gradientPointer(), dOut: out.gradientPointer(), scale: 1, count: out.count)
        }
        return out
    }

    /// `max(x, 0)` elementwise.
    public func relu() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        reluForward(out: out.storage, input: storage, count: count)
        out.record(self) { out in
            reluBackward(dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }

    /// GELU, tanh approximation: `0.5 * x * (1 + tanh(sqrt(2/π) * (x + 0.044715 * x³)))`.
    public func gelu() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        geluForward(out: out.storage, input: storage, count: count)
        out.record(self) { out in
            geluBackward(dInput: self.gradientPointer(), input: self.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }

    /// `eˣ` elementwise.
    public func exp() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        expForward(out: out.storage, input: storage, count: count)
        out.record(self) { out in
            expBackward(dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }

    /// Natural logarithm elementwise (inputs must be positive for a finite result).
    public func log() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        logForward(out: out.storage, input: storage, count: count)
        out.record(self) { out in
            logBackward(dInput: self.gradientPointer(), input: self.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }

    /// Logistic sigmoid `1 / (1 + exp(-x))` elementwise.
    public func sigmoid() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        sigmoidForward(out: out.storage, input: storage, count: count)
        out.record(self) { out in
            sigmoidBackward(dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }

    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        tanhForward(out: out.storage, input: storage, count: count)
        out.record(self) { out in
            tanhBackward(dInput: self.gradientPointer(), out: out.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }
}
