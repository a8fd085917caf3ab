import Amplification

/// A free-text supervisor that looks up `fact 1`, `fact 2`, … until there is none, and answers
/// with the facts joined.
public struct ReadEveryFact: SynchronousSupervisor {
    public init() {}

    public var agent: Agent { .program("read-every-fact") }

    public func action(on workspace: Workspace) -> SupervisorAction {
        let answers = workspace.exchanges.map { $0.answer.text ?? "" }
        guard let last = answers.last, last.hasPrefix("there is no fact") else {
            return .ask(.text("fact \(answers.count + 1)"))
        }
        return .answer(.text(answers.dropLast().joined(separator: " ")))
    }
}
