#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TensorCore

/// Adam's hyper-parameters (reference §4.4), with presets per model size.
public struct AdamConfiguration: Codable, Sendable, Equatable, Hashable {
    /// Step size. 1e-3: small models tolerate more than the paper's 1e-5 (reference §9).
    public var learningRate: Float
    /// First-moment decay. 0.9: the TF/PyTorch default the paper keeps.
    public var beta1: Float
    /// Second-moment decay. 0.98: the paper's setting, shorter memory than the usual 0.999.
    public var beta2: Float
    /// Denominator guard. 1e-8: the paper's (TF default).
    public var epsilon: Float
    /// The global gradient norm is scaled down to this when larger. 1.0: the paper's clip.
    public var gradientClipNorm: Float

    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8,
        gradientClipNorm: Float = 1
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.gradientClipNorm = gradientClipNorm
    }

    /// 1e-3: tiny models converge in a few hundred steps without instability.
    public static let tiny = AdamConfiguration(learningRate: 1e-3)
    /// 1e-3: reference §9's upper end for d 64; lower it to 3e-4 if a run diverges.
    public static let small = AdamConfiguration(learningRate: 1e-3)
    /// 1e-5: the paper's setting for d 512.
    public static let paper = AdamConfiguration(learningRate: 1e-5)
}

/// Adam with bias correction and global gradient-norm clipping, over a fixed list of parameters.
///
/// `step()` computes the global norm `n = sqrt(Σ g²)` over every parameter's gradient, scales the
/// gradients by `min(1, clip / n)`, then for each value:
/// `m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(m/(1−β1ᵗ)) / (sqrt(v/(1−β2ᵗ)) + ε)`,
/// and finally zeroes the gradients (they are consumed), so the next backward starts clean.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: .small)
/// let loss = tape.recording { model.loss(batch) }
/// tape.backward(loss)
/// adam.step()
/// ```
public final class Adam {
    public let configuration: AdamConfiguration
    /// The tensors updated, in order.
    public let parameters: [Tensor]
    /// Steps taken so far (t in the bias correction).
    public internal(set) var stepCount = 0
    var firstMoments: [[Float]]
    var secondMoments: [[Float]]

    public init(parameters: [Tensor], configuration: AdamConfiguration = .small) {
        self.configuration = configuration
        self.parameters = parameters
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = firstMoments
    }

    /// One update from the accumulated gradients, which it then zeroes.
    ///
    /// - Returns: the global gradient norm before clipping.
    @discardableResult
    public func step() -> Float {
        stepCount += 1
        var squares: Double = 0
        for parameter in parameters {
            parameter.withUnsafeMutableBuffers { _, gradient in
                var partial: Float = 0
                for g in gradient { partial += g * g }
                squares += Double(partial)
            }
        }
        let norm = Float(squares.squareRoot())
        let scale = norm > configuration.gradientClipNorm ? configuration.gradientClipNorm / norm : 1
        let c = configuration
        let t = Float(stepCount)
        let correction1 = 1 - powf(c.beta1, t)
        let correction2 = 1 - powf(c.beta2, t)
        // lr·m̂/(sqrt(v̂)+ε) = (lr/c1)·m / (sqrt(v)/sqrt(c2) + ε)
        let stepSize = c.learningRate / correction1
        let rootCorrection2 = correction2.squareRoot()
        for index in parameters.indices {
            parameters[index].withUnsafeMutableBuffers { values, gradient in
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        for i in 0..<values.count {
                            let g = gradient[i] * scale
                            m[i] = c.beta1 * m[i] + (1 - c.beta1) * g
                            v[i] = c.beta2 * v[i] + (1 - c.beta2) * g * g
                            values[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + c.epsilon)
                            gradient[i] = 0
                        }
                    }
                }
            }
        }
        return norm
    }
}
