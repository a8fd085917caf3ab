import NeuralNetworks
import Tasks

extension AnswererBatch {
    /// `instances`' facts and questions, without answers, padded to the largest instance.
    static func unanswered(_ instances: [TaskInstance], dimensions: TaskDimensions) -> AnswererBatch {
        padded(
            facts: instances.map(\.facts), questions: instances.map(\.questions), targets: nil,
            factCount: instances.map(\.facts.count).max() ?? 0, questionCount: instances.map(\.questions.count).max() ?? 0,
            dimensions: dimensions)
    }

    /// A batch of B instances padded to `factCount` facts and `questionCount` questions each with
    /// all-zero rows (masked facts; questions left out of the loss).
    ///
    /// - Precondition: no instance has more facts or questions than the counts, every row has the
    ///   dimensions' length, and `targets` (when given) has one answer per question.
    static func padded(
        facts: [[Tokens]], questions: [[Tokens]], targets: [[Tokens]]?, factCount: Int, questionCount: Int,
        dimensions: TaskDimensions
    ) -> AnswererBatch {
        let (L, M, A) = (dimensions.factLength, dimensions.questionLength, dimensions.answerLength)
        let B = facts.count
        var flatFacts = [Int](repeating: 0, count: B * factCount * L)
        var flatQuestions = [Int](repeating: 0, count: B * questionCount * M)
        var flatTargets = targets == nil ? [] : [Int](repeating: 0, count: B * questionCount * A)
        for b in 0..<B {
            precondition(facts[b].count <= factCount, "AnswererBatch.padded: \(facts[b].count) facts > \(factCount)")
            precondition(
                questions[b].count <= questionCount, "AnswererBatch.padded: \(questions[b].count) questions > \(questionCount)")
            for (f, fact) in facts[b].enumerated() {
                precondition(fact.count == L, "AnswererBatch.padded: fact of \(fact.count) tokens, expected \(L)")
                for (i, token) in fact.enumerated() { flatFacts[(b * factCount + f) * L + i] = token }
            }
            for (q, question) in questions[b].enumerated() {
                precondition(question.count == M, "AnswererBatch.padded: question of \(question.count) tokens, expected \(M)")
                for (i, token) in question.enumerated() { flatQuestions[(b * questionCount + q) * M + i] = token }
            }
            if let targets {
                precondition(targets[b].count == questions[b].count, "AnswererBatch.padded: targets do not match questions")
                for (q, answer) in targets[b].enumerated() {
                    precondition(answer.count == A, "AnswererBatch.padded: answer of \(answer.count) tokens, expected \(A)")
                    for (i, token) in answer.enumerated() { flatTargets[(b * questionCount + q) * A + i] = token }
                }
            }
        }
        return AnswererBatch(
            instanceCount: B, factCount: factCount, questionCount: questionCount, facts: flatFacts,
            questions: flatQuestions, targets: flatTargets)
    }
}
