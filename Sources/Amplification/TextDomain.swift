import Foundation
import SeededRandom
import Tasks

/// Free-text questions about hidden facts: the domain of a person or a language model as H.
///
/// Questions, sub-questions and answers are UTF-8 text: not empty, at most ``maximumBytes``
/// bytes. The hidden facts of each question (its context's ``TextFacts``) are never shown; a
/// supervisor looks one up by asking the sub-question `fact N` (N from 1, case and surrounding
/// blanks ignored), which the engine answers with that fact alone — the leaf tool of this
/// domain, as a lookup in the facts is each task's. Every other sub-question goes to a workspace
/// of its own or to the assistant, as for the tasks.
///
/// ```text
/// question: When is the meeting?
/// 1. fact 1 → The meeting is the day after the launch.
/// 2. fact 2 → The launch is on Monday.
/// sub-questions left: 3
/// ```
public struct TextDomain: Domain {
    /// The longest question or answer, in UTF-8 bytes.
    public let maximumBytes: Int
    public let typicalExchanges: Int

    /// - Precondition: `maximumBytes > 0`.
    public init(maximumBytes: Int = 4000, typicalExchanges: Int = 8) {
        precondition(maximumBytes > 0, "TextDomain: maximumBytes must be positive, got \(maximumBytes)")
        self.maximumBytes = maximumBytes
        self.typicalExchanges = typicalExchanges
    }

    public var name: String { "text" }

    public var unknownAnswer: Content { "unknown" }

    public var guide: String {
        """
        Questions, sub-questions and answers are plain text (at most \(maximumBytes) bytes). The question \
        is about hidden facts, numbered from 1: ask `fact N` to read the N-th. Any other sub-question \
        goes to a helper, who answers it. Answer `unknown` when nothing can be known.
        """
    }

    public func rejection(of action: SupervisorAction) -> ActionRejection? {
        let subquestion = if case .ask = action { true } else { false }
        let content = action.content
        guard let text = content.text else { return .wrongKind(subquestion: subquestion, expected: .text) }
        if text.allSatisfy(\.isWhitespace) { return .empty(subquestion: subquestion) }
        if content.count > maximumBytes {
            return .tooLong(subquestion: subquestion, limit: maximumBytes, received: content.count)
        }
        return nil
    }

    public func isLeaf(_ question: Content) -> Bool {
        TextFacts.factNumber(in: question) != nil
    }

    /// Reading a fact, then answering from it.
    public var examples: [DomainExample] {
        let question: Content = "Where does Ann live?"
        let read = Exchange(question: "fact 1", answer: "Ann lives in Oslo.")
        return [
            DomainExample(workspace: Workspace(question: question, subquestionsLeft: 12), action: .ask("fact 1")),
            DomainExample(
                workspace: Workspace(question: question, exchanges: [read], subquestionsLeft: 11), action: .answer("Oslo")),
        ]
    }

    /// Text as it is; tokens (which this domain does not hold) as their ids.
    public func render(_ content: Content) -> String {
        content.text ?? content.description
    }

    /// The text without the blanks around it; whether it may be asked or answered is
    /// ``rejection(of:)``'s to say.
    public func parse(_ text: String, subquestion: Bool) throws -> Content {
        .text(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The hidden side of one free-text question: the facts it is about, looked up one at a time
/// (`fact N` is the N-th), and the reference answer, when known, behind the counted door of
/// ``InstanceContext/groundTruth(_:)``.
public struct TextFacts: HiddenWorld, Hashable, Codable {
    public var facts: [String]
    /// The main question the reference answer answers.
    public var question: String
    public var referenceAnswer: String?

    enum CodingKeys: String, CodingKey {
        case question, facts
        case referenceAnswer = "answer"
    }

    public init(question: String, facts: [String], referenceAnswer: String? = nil) {
        self.question = question
        self.facts = facts
        self.referenceAnswer = referenceAnswer
    }

    /// N when `question` is `fact N` (any case, blanks around and between), else `nil`.
    public static func factNumber(in question: Content) -> Int? {
        guard let text = question.text else { return nil }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[0].lowercased() == "fact", let number = Int(words[1]), number >= 1 else {
            return nil
        }
        return number
    }

    /// The fact asked for, or a sentence saying there is no such fact (which is itself what the
    /// lookup found: the supervisor learns how many facts there are).
    public func leafAnswer(_ question: Content, using rng: inout SplitMix64) -> Content? {
        guard let number = Self.factNumber(in: question) else { return nil }
        guard number <= facts.count else {
            let range = facts.isEmpty ? "there are none" : facts.count == 1 ? "there is fact 1" : "the facts are 1 to \(facts.count)"
            return .text("there is no fact \(number): \(range)")
        }
        return .text(facts[number - 1])
    }

    public func groundTruth(_ question: Content) -> Content? {
        guard question.text == self.question, let referenceAnswer else { return nil }
        return .text(referenceAnswer)
    }

    public func depth(of question: Content) -> Int? { nil }
}

extension InstanceContext {
    /// Contexts for free-text questions, sharing one new ledger.
    public static func contexts(for facts: [TextFacts]) -> [InstanceContext] {
        let ledger = GroundTruthLedger()
        return facts.map { InstanceContext(world: $0, ledger: ledger) }
    }
}

extension AssistantQuery {
    /// One query per free-text question, the `i`-th seeded by the `i`-th draw of
    /// `SplitMix64(seed: seed)`, about context `i`.
    public static func mainQuestions(of facts: [TextFacts], seed: UInt64) -> [AssistantQuery] {
        var rng = SplitMix64(seed: seed)
        return facts.indices.map { AssistantQuery(context: $0, question: .text(facts[$0].question), seed: rng.next()) }
    }
}
