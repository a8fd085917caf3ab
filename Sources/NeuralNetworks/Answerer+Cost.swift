extension Answerer {
    /// Floating-point operations of the matrix products in one forward pass over a batch of the
    /// given shape: every Linear (2·rows·in·out), the attention products (2·2·B·T·S·d per cell)
    /// and the copy logits (2·B·Q·F·factLength·d). Elementwise work is not counted.
    public func forwardMatmulFLOPs(instanceCount B: Int, factCount F: Int, questionCount Q: Int) -> Double {
        let d = Double(configuration.modelDimension)
        let e = Double(configuration.tokenEmbeddingDimension)
        let hidden = d * Double(configuration.feedForwardMultiplier)
        let (b, f, q) = (Double(B), Double(F), Double(Q))
        let factRows = b * f, questionRows = b * q
        let lf = Double(dimensions.factLength)
        func linear(_ rows: Double, _ inputs: Double, _ outputs: Double) -> Double { 2 * rows * inputs * outputs }
        var total = linear(factRows, lf * e, d) + linear(questionRows, Double(dimensions.questionLength) * e, d)
        total += Double(configuration.factLayerCount) * (
            4 * linear(factRows, d, d) + linear(factRows, d, hidden) + linear(factRows, hidden, d) + 4 * b * f * f * d)
        total += Double(configuration.questionLayerCount) * (
            2 * linear(questionRows, d, d) + 2 * linear(factRows, d, d) + linear(questionRows, d, hidden)
                + linear(questionRows, hidden, d) + 4 * b * q * f * d)
        for head in answerHeads {
            let i = Double(head.position)
            let width = head.position == 0 ? d : 2 * d
            if head.position > 0 { total += linear(questionRows, i * e, d) }
            total += linear(questionRows, width, lf * d) + linear(factRows, d, lf * d)
            total += 2 * linear(questionRows, width, d) + linear(questionRows, d, Double(dimensions.vocabularySize))
            total += linear(questionRows, d, lf + 1) + 2 * b * q * f * lf * d
        }
        return total
    }

    /// Matrix-product FLOPs of one training step: the forward, plus two products of the same
    /// size per forward product in the backward (input and weight gradients), so 3× the forward.
    public func trainingStepMatmulFLOPs(instanceCount: Int, factCount: Int, questionCount: Int) -> Double {
        3 * forwardMatmulFLOPs(instanceCount: instanceCount, factCount: factCount, questionCount: questionCount)
    }
}
