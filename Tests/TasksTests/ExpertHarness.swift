import SeededRandom
import Tasks

/// A small, independent driver of a task's expert for the tests: leaf lookups for leaves, and
/// `subAnswer` for every other sub-question. It is deliberately not the Amplification engine.
struct ExpertHarness {
    let task: any AmplificationTask
    let oracle: any InstanceOracle

    /// One run of the expert on `question`: its answer, and every sub-question it asked.
    ///
    /// Returns `nil` answer when the expert asks more than `interactionLength` sub-questions.
    func run(_ question: Tokens, subAnswer: (Tokens) -> Tokens) -> (answer: Tokens?, asked: [Tokens]) {
        var rng = SplitMix64(seed: 0)
        var transcript: [Exchange] = []
        while transcript.count <= task.interactionLength {
            switch task.expertStep(question: question, transcript: transcript) {
            case .answer(let answer):
                return (answer, transcript.map(\.question.tokens))
            case .ask(let subQuestion):
                let answer = oracle.leafAnswer(subQuestion, using: &rng) ?? subAnswer(subQuestion)
                transcript.append(Exchange(question: subQuestion, answer: answer))
            }
        }
        return (nil, transcript.map(\.question.tokens))
    }

    /// The expert's answer when every non-leaf sub-question gets its ground truth.
    func answerWithCorrectSubAnswers(_ question: Tokens) -> Tokens? {
        run(question) { oracle.groundTruth($0) }.answer
    }

    /// HCH_n: the expert with leaf lookups and sub-answers from HCH_{n-1}; HCH_0 answers every
    /// non-leaf sub-question with all `?`.
    func hch(_ depth: Int, _ question: Tokens) -> Tokens? {
        run(question) { subQuestion in
            if depth == 0 { return [Int](repeating: 0, count: task.answerLength) }
            return hch(depth - 1, subQuestion) ?? [Int](repeating: 0, count: task.answerLength)
        }.answer
    }

    /// The depth by its definition, recomputed by recursion: 0 when the expert (given correct
    /// sub-answers) asks only leaves, else 1 + the largest depth of a non-leaf sub-question.
    /// `nil` when the recursion passes `limit` (not well-founded).
    func recursiveDepth(_ question: Tokens, limit: Int = 64) -> Int? {
        guard limit >= 0 else { return nil }
        let asked = run(question) { oracle.groundTruth($0) }.asked
        var depth = 0
        for subQuestion in asked where !task.isLeaf(subQuestion) {
            guard let subDepth = recursiveDepth(subQuestion, limit: limit - 1) else { return nil }
            depth = max(depth, subDepth + 1)
        }
        return depth
    }

    /// Every question reachable from `question` through the expert's sub-questions under correct
    /// sub-answers, `question` included.
    func closure(of question: Tokens) -> Set<Tokens> {
        var seen: Set<Tokens> = [question]
        var frontier = [question]
        while let next = frontier.popLast() {
            for subQuestion in run(next, subAnswer: { oracle.groundTruth($0) }).asked where seen.insert(subQuestion).inserted {
                frontier.append(subQuestion)
            }
        }
        return seen
    }
}
