import Amplification
import Foundation
import IDATestSupport
import SeededRandom
import Tasks
import Testing

/// Free-text questions with hidden facts, through the same engine as the tasks: the domain's
/// rules, its leaf tool (`fact N`), trees of text, ground truth, the journal and a slow supervisor.
@Suite struct TextDomainTests {
    /// Reads every hidden fact (`fact 1`, `fact 2`, … until a lookup says there is none), asks how
    /// many words they hold, and answers with the count and the facts; a counting question it
    /// answers itself. What a person would do with a question about hidden facts, as a program.
    struct FactReader: SynchronousSupervisor {
        static let counting = "How many words are in: "
        var agent: Agent { .program("fact-reader") }

        func action(on workspace: Workspace) -> SupervisorAction {
            let question = workspace.question.text ?? ""
            if question.hasPrefix(Self.counting) {
                return .answer(.text(String(Self.words(in: String(question.dropFirst(Self.counting.count))))))
            }
            guard let last = workspace.exchanges.last else { return .ask("fact 1") }
            let lookups = workspace.exchanges.filter { TextFacts.factNumber(in: $0.question) != nil }
            let facts = lookups.dropLast().map { $0.answer.text ?? "" }
            if TextFacts.factNumber(in: last.question) != nil {
                if !(last.answer.text ?? "").hasPrefix("there is no fact") { return .ask(.text("fact \(lookups.count + 1)")) }
                return .ask(.text(Self.counting + facts.joined(separator: " ")))
            }
            return .answer(.text("\(last.answer.text ?? "?") words: " + facts.joined(separator: " | ")))
        }

        static func words(in text: String) -> Int {
            text.split(whereSeparator: \.isWhitespace).count
        }
    }

    static let facts = [
        TextFacts(
            question: "What do the facts say?", facts: ["The launch is on Monday.", "The meeting is the day after."],
            referenceAnswer: "The meeting is on Tuesday."),
        TextFacts(question: "Qu'en disent les faits ?", facts: ["Ünïcödé çà et là, 漢字 ✓"]),
        TextFacts(question: "Anything hidden?", facts: []),
    ]

    static func expected(_ facts: TextFacts, counted: Bool) -> Content {
        let words = facts.facts.map(FactReader.words).reduce(0, +)
        return .text("\(counted ? String(words) : "unknown") words: " + facts.facts.joined(separator: " | "))
    }

    @Test func theDomainTakesTextOnlyNotEmptyAndNotTooLong() {
        let domain = TextDomain(maximumBytes: 12)
        #expect(domain.rejection(of: .ask("fact 1")) == nil)
        #expect(domain.rejection(of: .answer("Tuesday")) == nil)
        #expect(domain.rejection(of: .answer([1, 2])) == .wrongKind(subquestion: false, expected: .text))
        #expect(domain.rejection(of: .ask(" \n\t ")) == .empty(subquestion: true))
        // Twelve bytes pass, thirteen do not; "é" is two bytes.
        #expect(domain.rejection(of: .answer("ééééééé")) == .tooLong(subquestion: false, limit: 12, received: 14))
        #expect(domain.rejection(of: .answer("éééééé")) == nil)
        #expect(TaskDomain(PermutationPowering(.small)).rejection(of: .ask("a 1 1")) == .wrongKind(subquestion: true, expected: .tokens))
        #expect(ActionRejection.wrongKind(subquestion: false, expected: .text).description == "an answer must be text, not tokens")
    }

    @Test func factNLooksUpTheNthFactAndNothingElseIsALeaf() {
        let domain = TextDomain()
        for leaf: Content in ["fact 1", "  Fact 2 ", "FACT\t10"] { #expect(domain.isLeaf(leaf), "\(leaf)") }
        for other: Content in ["fact 0", "fact", "fact x", "facts 1", "fact 1 2", "the fact 1", [1, 2]] {
            #expect(!domain.isLeaf(other), "\(other)")
        }
        var rng = SplitMix64(seed: 1)
        let world = Self.facts[0]
        #expect(world.leafAnswer("fact 2", using: &rng) == "The meeting is the day after.")
        #expect(world.leafAnswer("fact 3", using: &rng) == "there is no fact 3: the facts are 1 to 2")
        #expect(Self.facts[2].leafAnswer("fact 1", using: &rng) == "there is no fact 1: there are none")
        #expect(world.leafAnswer("what is fact 1?", using: &rng) == nil)
    }

    /// Property: any text without blanks around it, typed as an action, reads back as that action.
    @Test func typedTextReadsBackAsTheAction() throws {
        let domain = TextDomain()
        let alphabet = Array("ab Z9 ,.?!'\"\\\n\té漢✓🙂-")
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let length = Int(rng.next() % 30) + 1
            let raw = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            for action in [SupervisorAction.ask(.text(text)), .answer(.text(text))] {
                #expect(try domain.parseAction(domain.render(action)) == action)
                #expect(try domain.parseAction("\n " + domain.render(action) + " \t") == action)
            }
        }
        #expect(throws: DomainParseError.self) { try domain.parseAction("tell fact 1") }
    }

    /// Content is one word wide, so the tasks' workspaces are as small as with bare tokens; text
    /// and tokens encode as a JSON string and a JSON array, and read back.
    @Test func contentIsOneWordAndEncodesAsStringOrArray() throws {
        #expect(MemoryLayout<Content>.size == MemoryLayout<Tokens>.size)
        let contents: [Content] = ["Tuesday ✓", [3, 4, 0], "", []]
        let data = try JSONEncoder().encode(contents)
        #expect(String(decoding: data, as: UTF8.self) == #"["Tuesday ✓",[3,4,0],"",[]]"#)
        #expect(try JSONDecoder().decode([Content].self, from: data) == contents)
        #expect(Content.text("1") != Content.tokens([1]) && Content.text("").fingerprint != Content.tokens([]).fingerprint)
    }

    /// HCH over text: every fact looked up from the hidden world, the counting sub-question worked
    /// in a workspace of its own at depth 1 (and answered unknown at depth 0), the trees all text.
    @Test(arguments: [0, 1])
    func hchReadsTheHiddenFactsAndAnswersInText(depth: Int) async throws {
        let hch = HCH(
            domain: TextDomain(), supervisor: FactReader(), depth: depth,
            configuration: AmplifierConfiguration(tracing: true))
        let result = try await hch.amplifier.run(
            AssistantQuery.mainQuestions(of: Self.facts, seed: 3), contexts: InstanceContext.contexts(for: Self.facts))
        #expect(result.answers == Self.facts.map { Self.expected($0, counted: depth == 1) })
        let lookups = Self.facts.reduce(0) { $0 + $1.facts.count + 1 }
        #expect(result.counters.leafLookups == lookups)
        #expect(result.counters.assistantQuestions == (depth == 0 ? Self.facts.count : 0))
        #expect(result.counters.groundTruthAnswers == 0)
        let traces = try #require(result.traces)
        for (trace, facts) in zip(traces, Self.facts) {
            #expect(trace.question == .text(facts.question))
            #expect(trace.children.allSatisfy { $0.question.kind == .text && $0.answer.kind == .text })
            #expect(trace.children.last?.answeredBy == (depth == 1 ? .program("fact-reader") : .unknown))
        }
        let rendered = traces[0].rendered(in: TextDomain())
        #expect(rendered.contains("fact 1 → The launch is on Monday.   [leaf lookup]"), "\(rendered)")
    }

    /// A text question that reappears below itself is caught as a loop, as a task's is.
    @Test func aTextQuestionAskedBelowItselfIsALoop() async throws {
        let hch = HCH(domain: TextDomain(), supervisor: LoopingSupervisor(wrapping: FactReader()), depth: 2)
        let result = try await hch.amplifier.run(
            AssistantQuery.mainQuestions(of: Self.facts, seed: 3), contexts: InstanceContext.contexts(for: Self.facts))
        #expect(result.counters.loopsDetected >= Self.facts.count)
        #expect(result.workspaces.allSatisfy { $0.exchanges.first?.answer == "unknown" })
    }

    /// Ground truth of text is the reference answer, behind the counted door: allowed, it answers;
    /// forbidden, an assistant that reads it stops the run; without one, there is none to read.
    @Test func groundTruthOfTextIsTheReferenceAnswerAndStillCounted() async throws {
        let contexts = InstanceContext.contexts(for: Self.facts)
        let queries = AssistantQuery.mainQuestions(of: Self.facts, seed: 1)
        let answer = try await GroundTruthAssistant().answer([queries[0]], contexts: contexts)
        #expect(answer == ["The meeting is on Tuesday."])
        #expect(contexts[0].groundTruthAnswersConsumed == 1)
        await #expect(throws: AmplificationError.noGroundTruth(question: queries[1].question)) {
            try await GroundTruthAssistant().answer([queries[1]], contexts: contexts)
        }
        let cheating = Amplifier(
            domain: TextDomain(), supervisors: [AskTheQuestion()], assistant: ReadsTheReference(),
            configuration: AmplifierConfiguration(groundTruth: .forbidden))
        await #expect {
            try await cheating.run([queries[0]], contexts: InstanceContext.contexts(for: Self.facts))
        } throws: { error in
            guard case .groundTruthReachedAnswer(let count, _) = error as? AmplificationError else { return false }
            return count == 1
        }
    }

    /// An assistant's answer of the wrong kind is malformed: the run stops with the reason.
    @Test func aTokenAnswerToATextQuestionStopsTheRun() async throws {
        let amplifier = Amplifier(
            domain: TextDomain(), supervisors: [AskTheQuestion()], assistant: ConstantAssistant(answer: [1, 2]))
        await #expect {
            try await amplifier.run(
                AssistantQuery.mainQuestions(of: Self.facts, seed: 1), contexts: InstanceContext.contexts(for: Self.facts))
        } throws: { error in
            guard case .malformedAnswer(_, _, let reason) = error as? AmplificationError else { return false }
            return reason == .wrongKind(subquestion: false, expected: .text)
        }
    }

    /// A text run stopped after any record of its journal resumes to the uninterrupted run's
    /// answers and tree (the snapshots go through JSON, as a store keeps them).
    @Test func aTextRunResumesFromItsJournal() async throws {
        let hch = HCH(domain: TextDomain(), supervisor: FactReader(), depth: 1)
        let contexts = InstanceContext.contexts(for: Self.facts)
        let queries = AssistantQuery.mainQuestions(of: Self.facts, seed: 5)
        let referenceJournal = JournalTests.MemoryJournal()
        let reference = try await hch.amplifier.run(queries, contexts: contexts, journal: referenceJournal)
        let total = await referenceJournal.records
        for stopAt in 2...total {
            let stopped = JournalTests.MemoryJournal(stopAt: stopAt)
            do {
                _ = try await hch.amplifier.run(queries, contexts: contexts, journal: stopped)
                Issue.record("a run in turns records \(total) times; it did not stop at \(stopAt)")
            } catch is JournalTests.MemoryJournal.Stopped {
                let saved = try await stopped.saved
                let stored = try JSONDecoder().decode(
                    [WorkspaceSnapshot].self, from: try JSONEncoder().encode(saved.workspaces))
                let result = try await hch.amplifier.resume(
                    SavedAmplification(workspaces: stored, progress: saved.progress), contexts: contexts)
                #expect(result.answers == reference.answers, "stopped at \(stopAt)")
                #expect(result.traces == reference.traces, "stopped at \(stopAt)")
            }
        }
    }

    /// A person (a suspending supervisor) answering text questions one page at a time, beside the
    /// fact reader: the engine hands out workspaces of text and takes typed actions back.
    @Test func aPersonWorksTextWorkspacesAsTheyArrive() async throws {
        let person = SuspendingSupervisor()
        let amplifier = Amplifier(
            domain: TextDomain(), supervisors: [person], assistant: ConstantAssistant.unknown(in: TextDomain()))
        let queries = AssistantQuery.mainQuestions(of: [Self.facts[0]], seed: 2)
        let run = Task { try await amplifier.run(queries, contexts: InstanceContext.contexts(for: [Self.facts[0]])) }
        let domain = TextDomain()
        var page = await person.nextWorkspace()
        #expect(domain.render(page) == "question: What do the facts say?\nsub-questions left: 16")
        await person.supply(try domain.parseAction("ask fact 2"))
        page = await person.nextWorkspace()
        #expect(page.exchanges == [Exchange(question: "fact 2", answer: "The meeting is the day after.")])
        await person.supply(try domain.parseAction("answer  "))  // refused: empty, asked again
        page = await person.nextWorkspace()
        #expect(page.rejection == .empty(subquestion: false))
        #expect(domain.render(page).hasSuffix("refused: an answer is empty"))
        await person.supply(try domain.parseAction("answer The day after the launch."))
        let result = try await run.value
        #expect(result.answers == ["The day after the launch."])
        #expect(result.counters.rejectedActions == 1)
    }
}

/// Answers with the reference answer of the question's main question, read through the counted
/// door: a model that cheats, on text.
private struct ReadsTheReference: Assistant {
    var agent: Agent { .model }

    func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        queries.map { contexts[$0.context].groundTruth($0.ancestry.questions.last ?? $0.question) ?? "?" }
    }
}

/// Asks the workspace's question as its first sub-question (to the assistant, at depth 0), then
/// answers with what came back.
private struct AskTheQuestion: SynchronousSupervisor {
    var agent: Agent { .program("ask-the-question") }

    func action(on workspace: Workspace) -> SupervisorAction {
        guard let first = workspace.exchanges.first else { return .ask(.text("Again: " + (workspace.question.text ?? ""))) }
        return .answer(first.answer)
    }
}
