import Foundation
import SeededRandom
import Tasks

/// The rules of one kind of question, which the engine itself does not know: what a supervisor
/// may ask and answer, which sub-questions are leaves (one lookup of a hidden fact), what the
/// unknown answer is, and how content is shown to a person or quoted in a prompt and read back
/// from what they type.
///
/// The five tasks are one domain each (``TaskDomain``), over their tokens; free-text questions
/// with hidden context facts are another (``TextDomain``), over text. The engine asks its domain,
/// never the task; the answers to leaf questions come from each context's ``HiddenWorld``.
public protocol Domain: Sendable {
    /// The domain's name (`permutation`, …), for messages.
    var name: String { get }
    /// The answer that says nothing is known (a spent budget, a loop, a refused workspace).
    var unknownAnswer: Content { get }
    /// How many exchanges a workspace usually holds: the capacity reserved for them.
    var typicalExchanges: Int { get }
    /// Why the domain cannot read `action` (its sub-question or its answer), or `nil`.
    func rejection(of action: SupervisorAction) -> ActionRejection?
    /// Whether `question` is answered by one lookup of a hidden fact.
    func isLeaf(_ question: Content) -> Bool
    /// What a supervisor must know about the questions to act (their form, the leaf tools, the
    /// unknown answer): shown to a person beside each workspace, and put in a language model's
    /// instructions.
    var guide: String { get }
    /// A few steps done well (a workspace and the action taken on it), shown to a supervisor
    /// that learns from examples: a language model's prompt opens with them as earlier turns.
    var examples: [DomainExample] { get }
    /// `content` as a person reads it, and a prompt quotes it.
    func render(_ content: Content) -> String
    /// What a person or a model typed, read as a sub-question (`subquestion`) or an answer.
    ///
    /// - Throws: ``DomainParseError`` naming the first thing it cannot read.
    func parse(_ text: String, subquestion: Bool) throws -> Content
}

/// One step done well: a workspace, and the action a good supervisor takes on it.
public struct DomainExample: Hashable, Sendable {
    public var workspace: Workspace
    public var action: SupervisorAction

    public init(workspace: Workspace, action: SupervisorAction) {
        self.workspace = workspace
        self.action = action
    }
}

/// Why typed text is not a question or an answer of the domain: one line, shown to whoever typed
/// it (a person in a form, a language model in its next prompt).
public enum DomainParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A word that is none of the domain's.
    case unknownWord(String, subquestion: Bool)
    /// The wrong number of words.
    case wrongLength(subquestion: Bool, expected: Int, received: Int)
    /// An action that is neither `ask …` nor `answer …`.
    case notAnAction(String)

    public var description: String {
        switch self {
        case .unknownWord(let word, let subquestion):
            "\(subquestion ? "the sub-question" : "the answer") has \"\(Self.escaped(word))\", which is not a word here"
        case .wrongLength(let subquestion, let expected, let received):
            "\(subquestion ? "a sub-question" : "an answer") takes \(expected) words, not \(received)"
        case .notAnAction(let text):
            "\"\(Self.escaped(text))\" is not an action: write `ask` or `answer` and then the words"
        }
    }

    /// At most 40 characters, with line breaks and quotes escaped, so the message stays one line.
    private static func escaped(_ text: String) -> String {
        let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return short.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }
}

extension Domain {
    /// A workspace as a person sees it and a prompt quotes it: the question, the sub-questions
    /// asked so far with their answers, the budget left, and the reason the last action was
    /// refused.
    ///
    /// ```text
    /// question: a 1 1
    /// 1. a 1 0 → c
    /// 2. c 1 0 → d
    /// sub-questions left: 13
    /// ```
    public func render(_ workspace: Workspace) -> String {
        var lines = ["question: " + render(workspace.question)]
        for (position, exchange) in workspace.exchanges.enumerated() {
            lines.append("\(position + 1). \(render(exchange.question)) → \(render(exchange.answer))")
        }
        lines.append("sub-questions left: \(workspace.subquestionsLeft)")
        if let rejection = workspace.rejection { lines.append("refused: \(rejection)") }
        return lines.joined(separator: "\n")
    }

    /// An action as typed: `ask` or `answer`, then the words of the sub-question or the answer.
    public func render(_ action: SupervisorAction) -> String {
        switch action {
        case .ask(let question): "ask " + render(question)
        case .answer(let answer): "answer " + render(answer)
        }
    }

    /// Reads an action typed as ``render(_:)-(SupervisorAction)`` writes it (surrounding blanks
    /// ignored). The result is read, not yet accepted: ``rejection(of:)`` still applies.
    ///
    /// - Throws: ``DomainParseError``.
    public func parseAction(_ text: String) throws -> SupervisorAction {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let verb = trimmed.prefix { !$0.isWhitespace }
        let rest = String(trimmed.dropFirst(verb.count))
        switch verb {
        case "ask": return .ask(try parse(rest, subquestion: true))
        case "answer": return .answer(try parse(rest, subquestion: false))
        default: throw DomainParseError.notAnAction(trimmed)
        }
    }
}

/// One of the five tasks as a domain: its token vocabulary, lengths and leaves.
public struct TaskDomain: Domain {
    public let task: any AmplificationTask
    public let unknownAnswer: Content
    public let typicalExchanges: Int
    private let questionLength: Int
    private let answerLength: Int
    private let vocabulary: [String]
    private let vocabularySize: Int
    private let tokens: [String: Int]

    public init(_ task: any AmplificationTask) {
        self.task = task
        questionLength = task.questionLength
        answerLength = task.answerLength
        vocabulary = task.vocabulary
        vocabularySize = task.vocabulary.count
        unknownAnswer = .tokens(Tokens(repeating: 0, count: task.answerLength))
        typicalExchanges = task.interactionLength
        var tokens: [String: Int] = [:]
        for (token, word) in task.vocabulary.enumerated() where tokens[word] == nil { tokens[word] = token }
        self.tokens = tokens
    }

    public var name: String { task.name }

    /// The task's vocabulary, lengths, facts and leaves, and the expert's decomposition (the
    /// instructions a person acting as the expert would get), from ``TaskDetails``.
    public var guide: String {
        var lines = [
            "The questions are of the task \(task.name). A question or sub-question is \(questionLength) words, an "
                + "answer \(answerLength), each one of: \(vocabulary.joined(separator: " ")).",
            "The answer that says nothing is known: \(render(unknownAnswer)).",
        ]
        if let details = TaskDetails.of(task.name) {
            lines.append("The hidden facts and the questions:")
            lines += details.formats.map { "  " + $0 }
            lines.append("Sub-questions answered by one lookup in the facts:")
            lines += details.leaves.map { "  " + $0 }
            lines.append("How to break a question down:")
            lines += details.decomposition.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    public func rejection(of action: SupervisorAction) -> ActionRejection? {
        switch action {
        case .ask(let question): rejection(of: question, subquestion: true, expected: questionLength)
        case .answer(let answer): rejection(of: answer, subquestion: false, expected: answerLength)
        }
    }

    // Every action of the fast path comes through here: it reads the tokens in place (no copy of
    // the array, so no retain and release) and the vocabulary's size, not the vocabulary.
    private func rejection(of content: Content, subquestion: Bool, expected: Int) -> ActionRejection? {
        let size = vocabularySize
        let checked = content.withTokens { tokens -> ActionRejection? in
            if tokens.count != expected {
                return .wrongLength(subquestion: subquestion, expected: expected, received: tokens.count)
            }
            for token in tokens where UInt(bitPattern: token) >= UInt(size) {
                return .unknownToken(subquestion: subquestion, token: token, vocabularySize: size)
            }
            return nil
        }
        guard let checked else { return .wrongKind(subquestion: subquestion, expected: .tokens) }
        return checked
    }

    public func isLeaf(_ question: Content) -> Bool {
        question.withTokens { task.isLeaf($0) } ?? false
    }

    /// The scripted expert's steps on the shallowest non-leaf question of a small instance (a
    /// fixed one, so prompts repeat): its first sub-question, one in the middle, and its answer,
    /// the sub-questions answered correctly.
    public var examples: [DomainExample] {
        var rng = SplitMix64(seed: 2018)
        let instance = task.makeInstance(size: task.minimumSize, using: &rng)
        let oracle = task.oracle(for: instance)
        guard let question = instance.questions.filter({ oracle.depth(of: $0) >= 1 }).min(by: {
            oracle.depth(of: $0) < oracle.depth(of: $1)
        }) else { return [] }
        var steps: [DomainExample] = []
        var exchanges: [Exchange] = []
        while steps.count < 2 * task.interactionLength + 2 {
            let workspace = Workspace(
                question: question, exchanges: exchanges, subquestionsLeft: task.interactionLength - exchanges.count)
            let step = task.expertStep(question: question, transcript: exchanges)
            steps.append(DomainExample(workspace: workspace, action: SupervisorAction(step)))
            guard case .ask(let subquestion) = step else { break }
            let answer = task.isLeaf(subquestion)
                ? oracle.leafAnswer(subquestion, using: &rng) ?? oracle.groundTruth(subquestion) : oracle.groundTruth(subquestion)
            exchanges.append(Exchange(question: subquestion, answer: answer))
        }
        guard steps.count > 3 else { return steps }
        return [steps[0], steps[steps.count / 2], steps[steps.count - 1]]
    }

    /// Tokens as their words; text (which the task cannot hold) as it is, quoted.
    public func render(_ content: Content) -> String {
        content.text.map(\.debugDescription) ?? renderTokens(content.tokens, vocabulary: vocabulary)
    }

    public func parse(_ text: String, subquestion: Bool) throws -> Content {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let expected = subquestion ? questionLength : answerLength
        guard words.count == expected else {
            throw DomainParseError.wrongLength(subquestion: subquestion, expected: expected, received: words.count)
        }
        return .tokens(
            try words.map { word in
                guard let token = tokens[word] else { throw DomainParseError.unknownWord(word, subquestion: subquestion) }
                return token
            })
    }
}
