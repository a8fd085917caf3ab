import Amplification
import Foundation
import LanguageModels
import Store
import Tasks

/// A stored run's decisions as chat fine-tuning examples (`ida export`): the answerer's (a
/// question with its context's facts → the answer the tree gave it) and the decomposer's (a
/// workspace → the action its supervisor took), each in the prompts a language model is sent
/// (``LanguageModelAssistant``, ``LanguageModelSupervisor``, without the few-shot turns).
///
/// Only supervisors' decisions are examples: a workspace answered by a spent budget, and actions
/// the domain refused, are left out. Examples are split by main question (all the examples of one
/// tree go to the same side, drawn from the run and the question, so a re-export splits alike),
/// and an example whose messages equal an earlier one's is kept once.
public struct TrainingExport: Sendable {
    /// What an example teaches: the closed choice of the two models a tree trains.
    public enum Role: String, Codable, Sendable, CaseIterable {
        case answerer
        case decomposer
    }

    public enum Side: String, Codable, Sendable, CaseIterable {
        case train
        case valid
    }

    /// One example, and where it came from.
    public struct Example: Sendable {
        public var role: Role
        public var side: Side
        public var messages: [ChatMessage]
        public var meta: Meta
    }

    /// The sidecar's line for an example.
    public struct Meta: Codable, Sendable, Equatable {
        public var run: String
        /// The workspace's id in the tree (`3.2`).
        public var node: String
        /// Who took the decision (`expert`, `llm:smollm2`, `person:7`).
        public var agent: String
        /// The supervisor actions the node's decision took: for an answer, the node's whole subtree.
        public var cost: Int
        /// Whether the answer is known right (`true`), known wrong (`false`), or cannot be checked
        /// (`nil`: a text question without a reference answer, or a decomposer's step).
        public var verified: Bool?
        public var role: Role
        public var side: Side
        /// The version of a person's correction the answer is (`nil`: the tree's own answer).
        public var correction: Int?

        /// Whether a person gave it: a person's action or answer, or a correction.
        public var isHumanLabel: Bool { agent.hasPrefix("person:") }

        /// Every field, `verified` as `null` when unknown (rather than left out).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(run, forKey: .run)
            try container.encode(node, forKey: .node)
            try container.encode(agent, forKey: .agent)
            try container.encode(cost, forKey: .cost)
            try container.encode(verified, forKey: .verified)
            try container.encode(role, forKey: .role)
            try container.encode(side, forKey: .side)
            try container.encode(correction, forKey: .correction)
        }
    }

    public var examples: [Example]
    /// Examples left out as repeats of earlier ones.
    public var duplicates: Int
    /// Workspaces left out because their answer depended on one a person corrected since.
    public var stale: Int

    /// The examples a person gave (their actions and answers, and corrections).
    public var humanLabels: Int { examples.count { $0.meta.isHumanLabel } }
    /// The examples that are corrections.
    public var corrections: Int { examples.count { $0.meta.correction != nil } }

    /// The examples of run `run`, whose tree is stored (an `hch` run of a task or of text
    /// questions), as people corrected it (``CorrectedTree``: a corrected answer is its latest
    /// version, a stale one is left out); `split` of the main questions go to training, the rest
    /// to validation.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when the run keeps no tree the
    ///   export can read.
    public static func examples(of run: String, in store: any ServerStore, split: Double) throws -> TrainingExport {
        precondition(split >= 0 && split <= 1, "TrainingExport: split must be in 0...1, got \(split)")
        let record = try store.run(id: run)
        let source = try Source(record: record)
        let corrected = try CorrectedTree.load(run: run, in: store)
        let snapshots = corrected.snapshots
        guard !snapshots.isEmpty else {
            throw ApplicationError.unreadableRun(run: run, problem: "it has no stored workspaces")
        }
        let byID = Dictionary(uniqueKeysWithValues: snapshots.map { ($0.id, $0) })
        let templates = PromptTemplates.standard

        var examples: [Example] = []
        var seen: Set<[ChatMessage]> = []
        var duplicates = 0
        func add(_ role: Role, _ messages: [ChatMessage], _ meta: Meta) {
            guard seen.insert(messages).inserted else {
                duplicates += 1
                return
            }
            examples.append(Example(role: role, side: meta.side, messages: messages, meta: meta))
        }

        var stale = 0
        for snapshot in snapshots.sorted(by: { $0.id < $1.id }) {
            let correction = corrected.latest[snapshot.id]?.version
            guard snapshot.state == .answered || correction != nil, let answer = snapshot.answer,
                snapshot.answeredBy != .budget
            else { continue }
            if corrected.stale.contains(snapshot.id) {
                stale += 1
                continue
            }
            let side = Self.side(run: run, root: snapshot.id.path[0], split: split)
            let agent = snapshot.answeredBy.description
            let facts = source.facts(snapshot.context)
            let subtree = Self.subtreeActions(snapshot, in: byID)
            var answerMessages = templates.assistantMessages(for: snapshot.workspace.question, facts: facts, in: source.domain)
            answerMessages.append(ChatMessage(.assistant, source.domain.render(answer)))
            add(
                .answerer, answerMessages,
                Meta(
                    run: run, node: snapshot.id.description, agent: agent, cost: subtree,
                    verified: source.verify(snapshot, answer), role: .answerer, side: side, correction: correction))
            // A correction teaches the answer, not the steps that led to the one it replaced.
            if correction != nil { continue }

            // The decomposer's steps: each accepted action on the workspace as it stood then.
            var asked = 0
            let budget = snapshot.workspace.subquestionsLeft + snapshot.workspace.exchanges.count
            for action in snapshot.actions {
                guard source.domain.rejection(of: action) == nil else { continue }
                guard asked <= snapshot.workspace.exchanges.count else { break }
                let before = Workspace(
                    question: snapshot.workspace.question, exchanges: Array(snapshot.workspace.exchanges.prefix(asked)),
                    subquestionsLeft: budget - asked)
                var messages = templates.supervisorMessages(for: before, in: source.domain, examples: [])
                messages.append(ChatMessage(.assistant, source.domain.render(action)))
                add(
                    .decomposer, messages,
                    Meta(
                        run: run, node: snapshot.id.description, agent: agent, cost: 1, verified: nil, role: .decomposer, side: side,
                        correction: nil))
                if case .ask = action { asked += 1 } else { break }
            }
        }
        return TrainingExport(examples: examples, duplicates: duplicates, stale: stale)
    }

    /// Which side main question `root` of `run` goes to: a hash of both (FNV-1a, the same in every
    /// process), below `split` for training.
    static func side(run: String, root: Int, split: Double) -> Side {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(run)/\(root)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Double(hash % 10_000) / 10_000 < split ? .train : .valid
    }

    /// The supervisor actions of `snapshot` and every stored workspace below it.
    static func subtreeActions(_ snapshot: WorkspaceSnapshot, in byID: [WorkspaceID: WorkspaceSnapshot]) -> Int {
        var total = snapshot.actions.count
        for ordinal in snapshot.sources.indices where snapshot.sources[ordinal] == .workspace {
            if let child = byID[snapshot.id.child(ordinal + 1)] { total += subtreeActions(child, in: byID) }
        }
        return total
    }

    /// What a run's tree is about: its domain, each context's facts, and how answers are checked.
    struct Source {
        let domain: any Domain
        let facts: (Int) -> [Content]
        let verify: (WorkspaceSnapshot, Content) -> Bool?

        init(record: RunRecord) throws {
            switch try StoredTree.job(of: record) {
            case .text(let job):
                domain = TextDomain()
                let questions = job.questions
                facts = { questions[$0].facts.map(Content.text) }
                verify = { snapshot, answer in
                    guard snapshot.id.depth == 0, let reference = questions[snapshot.context].referenceAnswer,
                        let text = answer.text
                    else { return nil }
                    return textAnswersMatch(text, reference)
                }
            case .task(let job):
                let setting = try job.setting()
                domain = TaskDomain(setting.task)
                let instances = setting.instances
                let oracles = instances.map { setting.task.oracle(for: $0) }
                facts = { instances[$0].facts.map(Content.tokens) }
                // Scoring after the run, as `ida hch` does: the oracle, outside any amplification.
                verify = { snapshot, answer in
                    answer.tokens == oracles[snapshot.context].groundTruth(snapshot.workspace.question.tokens)
                }
            }
        }
    }
}

/// The chat fine-tuning formats `ida export` writes, one JSON object per line.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// OpenAI's chat fine-tuning lines: `{"messages": [...]}`, the last message the assistant's
    /// reply being trained.
    case openai
    /// TRL's conversational prompt-completion: `{"prompt": [...], "completion": [one assistant message]}`.
    case trl
    /// DSPy's fine-tuning data: `{"messages": [...]}`, each message exactly a role (system, user
    /// or assistant) and its content, nothing else.
    case dspy

    /// `messages` (ending with the assistant's reply) as one line of the format.
    public func line(_ messages: [ChatMessage]) -> String {
        precondition(messages.last?.role == .assistant, "ExportFormat: an example ends with the assistant's reply")
        struct Messages: Encodable { let messages: [ChatMessage] }
        struct PromptCompletion: Encodable {
            let prompt: [ChatMessage]
            let completion: [ChatMessage]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch self {
        case .openai, .dspy:
            data = try! encoder.encode(Messages(messages: messages))
        case .trl:
            data = try! encoder.encode(PromptCompletion(prompt: Array(messages.dropLast()), completion: [messages.last!]))
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension TrainingExport {
    /// The files of an export: one per role and side (`answerer.train.jsonl`, …, empty ones
    /// included, so a trainer finds them all), and `meta.jsonl`, a line per example naming its
    /// file and line (from 1) beside its provenance.
    public func files(in format: ExportFormat) -> [(name: String, text: String)] {
        struct MetaLine: Encodable {
            let file: String
            let line: Int
            let meta: Meta
            func encode(to encoder: any Encoder) throws {
                try meta.encode(to: encoder)
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(file, forKey: .file)
                try container.encode(line, forKey: .line)
            }
            enum Keys: String, CodingKey { case file, line }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var files: [(name: String, text: String)] = []
        var meta: [String] = []
        for role in Role.allCases {
            for side in Side.allCases {
                let name = "\(role.rawValue).\(side.rawValue).jsonl"
                let chosen = examples.filter { $0.role == role && $0.side == side }
                files.append((name, chosen.map { format.line($0.messages) + "\n" }.joined()))
                for (index, example) in chosen.enumerated() {
                    let line = MetaLine(file: name, line: index + 1, meta: example.meta)
                    meta.append(String(decoding: try! encoder.encode(line), as: UTF8.self))
                }
            }
        }
        files.append(("meta.jsonl", meta.map { $0 + "\n" }.joined()))
        return files
    }
}
