import SeededRandom

/// A sequence of token ids in one task's vocabulary. Id 0 is `?` in every task: "unknown",
/// and the padding of fixed-length facts, questions and answers.
public typealias Tokens = [Int]

/// One question put to an assistant, and the answer it got: the unit of a workspace.
public struct Exchange: Hashable, Sendable, Codable {
    public var question: Content
    public var answer: Content

    public init(question: Content, answer: Content) {
        self.question = question
        self.answer = answer
    }

    /// An exchange of a task's tokens.
    @inlinable
    public init(question: Tokens, answer: Tokens) {
        self.init(question: .tokens(question), answer: .tokens(answer))
    }
}

/// The scripted expert's next move: ask one sub-question, or give the final answer.
public enum ExpertStep: Hashable, Sendable {
    case ask(Tokens)
    case answer(Tokens)
}

/// One instance of a task: the hidden facts, and the questions asked about them.
///
/// Facts are read only by the assistant model and by leaf lookups; supervisors never see them.
/// Every fact has the task's `factLength`, every question its `questionLength` (padded with 0).
public struct TaskInstance: Hashable, Sendable, Codable {
    /// The number of elements the instance was generated with (permutation size, variables, …).
    public var size: Int
    public var facts: [Tokens]
    public var questions: [Tokens]

    public init(size: Int, facts: [Tokens], questions: [Tokens]) {
        self.size = size
        self.facts = facts
        self.questions = questions
    }
}

/// The hidden world of one instance, derived from its facts alone (so that instances read from a
/// user's file get ground truth and leaf lookups too).
///
/// Two doors, kept apart on purpose: `leafAnswer` is the one lookup a supervisor may make,
/// `groundTruth` is for evaluation and the supervised baseline only. The amplification engine
/// counts both and checks that ground truth never reaches an amplified answer.
public protocol InstanceOracle: Sendable {
    /// The correct answer to any question of the task (evaluation only).
    func groundTruth(_ question: Tokens) -> Tokens

    /// The answer to a leaf question by one lookup in the facts; `nil` when `question` is not a
    /// leaf. Some leaves are random by design (e.g. "a random neighbour of a"), hence the RNG.
    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens?

    /// The question's depth: 0 when the expert answers it with leaf lookups alone, otherwise
    /// 1 + the largest depth among the non-leaf sub-questions the expert asks when every
    /// sub-answer is correct. HCH_n answers every question of depth ≤ n correctly.
    func depth(of question: Tokens) -> Int
}

/// One of the algorithmic tasks of the amplification experiments (reference §3).
///
/// A task is a value: its configuration (sizes, name length, …) is fixed at initialisation, and
/// every method is a pure function of its arguments and the RNG passed in.
public protocol AmplificationTask: Sendable {
    /// The command-line name: `permutation`, `assignments`, `wildcard`, `shortest-path`,
    /// `union-find`.
    var name: String { get }

    /// The token strings, indexed by token id; `vocabulary[0] == "?"`.
    var vocabulary: [String] { get }

    var factLength: Int { get }
    var questionLength: Int { get }
    var answerLength: Int { get }

    /// The most sub-questions the expert asks for one question (the transcript's round count).
    var interactionLength: Int { get }

    /// The full instance size of this configuration (the curriculum's end point).
    var size: Int { get }

    /// The smallest size this configuration generates (the curriculum's start).
    var minimumSize: Int { get }

    /// A fresh instance with `size` elements and its question set (the main-question
    /// distribution, which never contains leaf questions).
    func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance

    /// The hidden world of `instance`, for leaf lookups and evaluation.
    func oracle(for instance: TaskInstance) -> any InstanceOracle

    /// Whether `question` is a leaf: one the supervisor may answer by a single lookup.
    func isLeaf(_ question: Tokens) -> Bool

    /// The scripted expert H, as a pure function of what it sees: the main question and the
    /// sub-questions asked so far with their answers. It never sees the facts.
    func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep
}
