import Amplification
import IDATestSupport
import Tasks
import Testing

@Suite struct TraceNodeTests {
    @Test(arguments: Fixtures.taskNames, [0, 1, 2])
    func tracesAgreeWithTheRun(taskName: String, depth: Int) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 8)
        let traced = try await HCH(
            task: task, supervisor: ScriptedExpert(task: task), depth: depth,
            configuration: AmplifierConfiguration(tracing: true)
        ).amplifier.amplify(instances, seed: 8)
        let plain = try await HCH(task: task, supervisor: ScriptedExpert(task: task), depth: depth)
            .amplifier.amplify(instances, seed: 8)
        let traces = try #require(traced.traces)
        #expect(plain.traces == nil)
        #expect(traced.answers == plain.answers)
        #expect(traced.counters == plain.counters)
        #expect(traces.map(\.answer) == plain.answers)
        #expect(traces.reduce(0) { $0 + $1.counters.supervisorActions } == plain.counters.supervisorActions)
        #expect(traces.reduce(0) { $0 + $1.counters.leafLookups } == plain.counters.leafLookups)
        #expect(traces.reduce(0) { $0 + $1.counters.assistantQuestions } == plain.counters.assistantQuestions)
        for trace in traces {
            #expect(trace.height <= depth + 1)
            Self.checkNode(trace, task: task)
        }
    }

    /// A node's children are its workspace's exchanges, and a supervisor node's last action is its answer.
    static func checkNode(_ node: TraceNode, task: any AmplificationTask) {
        if let workspace = node.workspace {
            #expect(workspace.question == node.question)
            #expect(workspace.exchanges.map(\.question) == node.children.map(\.question))
            #expect(workspace.exchanges.map(\.answer) == node.children.map(\.answer))
            #expect(node.actions.last == .answer(node.answer))
            #expect(node.actions.dropLast() == node.children.map { SupervisorAction.ask($0.question) })
        }
        for child in node.children {
            if child.answeredBy == .leafLookup { #expect(task.isLeaf(child.question.tokens)) }
            checkNode(child, task: task)
        }
    }

    @Test func renderingIndentsChildrenAndNamesAgents() throws {
        let leaf = TraceNode(question: [1, 2], context: 0, answer: [2], answeredBy: .leafLookup)
        let unknown = TraceNode(question: [1, 1], context: 0, answer: [0], answeredBy: .loop)
        var counters = AmplificationCounters()
        counters.supervisorActions = 3
        counters.leafLookups = 1
        counters.loopsDetected = 1
        let root = TraceNode(
            question: [2, 1], context: 0,
            workspace: Workspace(
                question: [2, 1], exchanges: [Exchange(question: [1, 2], answer: [2]), Exchange(question: [1, 1], answer: [0])],
                subquestionsLeft: 0),
            actions: [.ask([1, 2]), .ask([1, 1]), .answer([2])], answer: [2], answeredBy: .expert,
            children: [leaf, unknown], counters: counters)
        let text = root.rendered(in: Words(vocabulary: ["?", "x", "y"]))
        #expect(
            text == """
                y x → y   [expert: 3 actions; subtree 3 actions, 1 leaf lookups, 1 loops]
                  x y → y   [leaf lookup]
                  x x → ?   [loop detected]
                """)
        #expect(root.nodeCount == 3)
        #expect(root.height == 1)
    }
}

/// Tokens as the words of a three-word vocabulary, and nothing else a domain must do.
private struct Words: Domain {
    let vocabulary: [String]
    var name: String { "words" }
    var unknownAnswer: Content { [0] }
    var typicalExchanges: Int { 2 }
    var guide: String { "" }
    var examples: [DomainExample] { [] }
    func rejection(of action: SupervisorAction) -> ActionRejection? { nil }
    func isLeaf(_ question: Content) -> Bool { false }
    func render(_ content: Content) -> String { renderTokens(content.tokens, vocabulary: vocabulary) }
    func parse(_ text: String, subquestion: Bool) throws -> Content { [] }
}
