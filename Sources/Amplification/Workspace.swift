import Tasks

/// What a supervisor sees: the main question, the sub-questions asked so far with their answers,
/// and how many more sub-questions it may ask. Never the hidden facts.
///
/// A workspace is plain data, so a supervisor can be a pure function (the scripted expert), a
/// person shown the workspace in a web page, a language model reading it as a prompt, or a lookup
/// table keyed by it (``MemoizingSupervisor``).
///
/// ```swift
/// let workspace = Workspace(question: [3, 4, 2, 1], exchanges: [], subquestionsLeft: 3)
/// let action = ScriptedExpert(task: task).action(on: workspace)   // .ask(…) or .answer(…)
/// ```
public struct Workspace: Hashable, Sendable, Codable {
    /// The question this workspace answers.
    public var question: Content

    /// The sub-questions asked so far, in order, each with the answer it got.
    public var exchanges: [Exchange]

    /// How many more sub-questions the budget allows (``AmplificationBudget/subquestionsPerWorkspace``
    /// minus those asked). Asking when this is 0 ends the workspace with the unknown answer.
    public var subquestionsLeft: Int
    /// Why the supervisor's last action here was refused (a sub-question or an answer the task
    /// cannot read), shown when it is asked again; `nil` once an action is accepted.
    public var rejection: ActionRejection?

    public init(question: Content, exchanges: [Exchange] = [], subquestionsLeft: Int) {
        self.question = question
        self.exchanges = exchanges
        self.subquestionsLeft = subquestionsLeft
    }

    /// A workspace on a task's question.
    public init(question: Tokens, exchanges: [Exchange] = [], subquestionsLeft: Int) {
        self.init(question: .tokens(question), exchanges: exchanges, subquestionsLeft: subquestionsLeft)
    }
}

/// Token ids as space-separated vocabulary strings; an id outside the vocabulary prints as `#id`.
public func renderTokens(_ tokens: Tokens, vocabulary: [String]) -> String {
    tokens.map { $0 >= 0 && $0 < vocabulary.count ? vocabulary[$0] : "#\($0)" }
        .joined(separator: " ")
}
