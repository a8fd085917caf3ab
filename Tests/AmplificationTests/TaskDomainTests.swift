import Amplification
import SeededRandom
import Tasks
import Testing

/// A task as a domain: what a person or a model types reads back as what was shown, every action
/// the expert takes is one the domain accepts, and what cannot be read says why in one line.
@Suite struct TaskDomainTests {
    /// The expert's actions in every workspace of HCH_2's trees, each with its workspace as it
    /// ended (what a person would see last).
    static func expertActions(task: any AmplificationTask, seed: UInt64) async throws
        -> [(workspace: Workspace, action: SupervisorAction)]
    {
        let instances = Fixtures.instances(of: task, count: 2, seed: seed)
        let hch = HCH(
            task: task, supervisor: ScriptedExpert(task: task), depth: 2,
            configuration: AmplifierConfiguration(tracing: true))
        let result = try await hch.amplifier.amplify(instances, seed: seed)
        var found: [(Workspace, SupervisorAction)] = []
        func walk(_ node: TraceNode) {
            if let workspace = node.workspace {
                for action in node.actions { found.append((workspace, action)) }
            }
            node.children.forEach(walk)
        }
        result.traces?.forEach(walk)
        return found
    }

    @Test(arguments: Fixtures.taskNames, Fixtures.presets)
    func everyActionOfTheExpertIsAcceptedAndReadsBackAsTyped(taskName: String, preset: String) async throws {
        let task = Fixtures.task(taskName, preset: preset)
        let domain = TaskDomain(task)
        let actions = try await Self.expertActions(task: task, seed: 21)
        #expect(actions.count > 10)
        for (workspace, action) in actions {
            #expect(domain.rejection(of: action) == nil)
            let typed = domain.render(action)
            #expect(try domain.parseAction(typed) == action, "\(typed)")
            #expect(try domain.parseAction("  \n" + typed + " \t") == action, "blanks around it are ignored")
            let shown = domain.render(workspace)
            #expect(shown.hasPrefix("question: " + domain.render(workspace.question)))
            #expect(shown.split(separator: "\n").count == workspace.exchanges.count + 2)
        }
    }

    /// The documented form, on permutation powering (vocabulary `? 0 1 a … h`): σ^5(a) asked as
    /// σ^2(a), σ^2 of that, and σ of the result.
    @Test func aWorkspaceShowsAsDocumented() {
        let domain = TaskDomain(Fixtures.task("permutation", preset: "small"))
        var workspace = Workspace(
            question: [3, 2, 1, 2],  // a 1 0 1: σ^5(a)
            exchanges: [Exchange(question: [3, 1, 2, 1], answer: [5]), Exchange(question: [5, 1, 2, 1], answer: [0])],
            subquestionsLeft: 13)
        #expect(domain.render(workspace) == "question: a 1 0 1\n1. a 0 1 0 → c\n2. c 0 1 0 → ?\nsub-questions left: 13")
        workspace.rejection = .wrongLength(subquestion: false, expected: 1, received: 2)
        #expect(domain.render(workspace).hasSuffix("\nrefused: an answer takes 1 tokens, not 2"))
        #expect(domain.render(SupervisorAction.ask([6, 1, 1, 2])) == "ask d 0 0 1")
    }

    @Test(arguments: Fixtures.taskNames)
    func everyWordOfTheVocabularyReadsBackAsItsToken(taskName: String) throws {
        let task = Fixtures.task(taskName, preset: "small")
        let domain = TaskDomain(task)
        var rng = SplitMix64(seed: 4)
        for _ in 0..<200 {
            let question = (0..<task.questionLength).map { _ in Int.random(in: 0..<task.vocabulary.count, using: &rng) }
            #expect(try domain.parse(domain.render(.tokens(question)), subquestion: true) == .tokens(question))
            let answer = (0..<task.answerLength).map { _ in Int.random(in: 0..<task.vocabulary.count, using: &rng) }
            #expect(try domain.parse(domain.render(.tokens(answer)), subquestion: false) == .tokens(answer))
        }
    }

    @Test func textThatIsNotAnActionSaysWhyInOneLine() {
        let task = Fixtures.task("permutation", preset: "small")
        let domain = TaskDomain(task)
        let cases: [(String, DomainParseError)] = [
            ("hello", .notAnAction("hello")),
            ("ask", .wrongLength(subquestion: true, expected: task.questionLength, received: 0)),
            ("answer a b c d e f g h", .wrongLength(subquestion: false, expected: task.answerLength, received: 8)),
            ("answer \"zz\nq", .wrongLength(subquestion: false, expected: task.answerLength, received: 2)),
        ]
        for (text, expected) in cases {
            #expect(throws: expected) { try domain.parseAction(text) }
            #expect(!expected.description.contains("\n"))
        }
        let word = "x\"y\nz" + String(repeating: "w", count: 60)
        let unknown = DomainParseError.unknownWord(word, subquestion: true)
        #expect(!unknown.description.contains("\n") && unknown.description.count < 120)
        let answerLength = task.answerLength
        #expect(throws: DomainParseError.unknownWord("#", subquestion: false)) {
            try domain.parseAction("answer " + Array(repeating: "#", count: answerLength).joined(separator: " "))
        }
    }
}
