import SeededRandom
import TensorCore

/// The output of one answer position i: copy heads over fact word positions, a generate head and
/// their mixture weights, each with its own weights (reference §4.2, item 3).
///
/// Input h is the question state (B, Q, d) for i = 0, and concat(question state, encoding of the
/// answer tokens 0..<i) (B, Q, 2d) for i > 0.
public final class AnswerHead: Module {
    /// Encodes the answer tokens before this position; nil at position 0.
    public let previous: TokenEncoder?
    /// The factLength copy queries, d each, as one Linear (width -> factLength·d).
    public let copyQuery: Linear
    /// The factLength copy keys of each fact state (d -> factLength·d).
    public let copyKey: Linear
    public let generateHidden: Linear
    public let generateOutput: Linear
    public let mixtureHidden: Linear
    public let mixtureOutput: Linear
    public let position: Int

    public init(position: Int, configuration: AnswererConfiguration, dimensions: TaskDimensions, rng: inout SplitMix64) {
        let d = configuration.modelDimension
        let factLength = dimensions.factLength
        self.position = position
        previous =
            position == 0
            ? nil
            : TokenEncoder(
                vocabularySize: dimensions.vocabularySize, length: position,
                embeddingDimension: configuration.tokenEmbeddingDimension, dimension: d, rng: &rng)
        let width = position == 0 ? d : 2 * d
        copyQuery = Linear(inputCount: width, outputCount: factLength * d, rng: &rng)
        copyKey = Linear(inputCount: d, outputCount: factLength * d, rng: &rng)
        generateHidden = Linear(inputCount: width, outputCount: d, rng: &rng)
        generateOutput = Linear(inputCount: d, outputCount: dimensions.vocabularySize, rng: &rng)
        mixtureHidden = Linear(inputCount: width, outputCount: d, rng: &rng)
        mixtureOutput = Linear(inputCount: d, outputCount: factLength + 1, rng: &rng)
    }

    /// The head's input h: the question states, joined for i > 0 with the encoded answer prefix
    /// `previousTokens` (B, Q, i) row-major.
    func input(questionStates: Tensor, previousTokens: [Int]) -> Tensor {
        guard let previous else { return questionStates }  // (B, Q, d)
        let encoded = previous(previousTokens, batchCount: questionStates.shape[0], sequenceCount: questionStates.shape[1])
        return Tensor.concatenate([questionStates, encoded], axis: 2)  // (B, Q, 2d)
    }

    /// The head's raw outputs for input h (B, Q, width) and fact states (B, F, d).
    func outputs(input h: Tensor, factStates: Tensor) -> (copyQuery: Tensor, copyKey: Tensor, mixture: Tensor, generate: Tensor) {
        (
            copyQuery(h),  // (B, Q, L·d)
            copyKey(factStates),  // (B, F, L·d)
            mixtureOutput(mixtureHidden.relu(h)),  // (B, Q, L+1)
            generateOutput(generateHidden.relu(h))  // (B, Q, V)
        )
    }

    public func parameters() -> [NamedParameter] {
        (previous?.parameters(prefix: "previous") ?? []) + copyQuery.parameters(prefix: "copyQuery")
            + copyKey.parameters(prefix: "copyKey") + generateHidden.parameters(prefix: "generateHidden")
            + generateOutput.parameters(prefix: "generateOutput") + mixtureHidden.parameters(prefix: "mixtureHidden")
            + mixtureOutput.parameters(prefix: "mixtureOutput")
    }
}
