#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import Amplification
import NeuralNetworks
import SeededRandom
import Tasks

/// A supervisor backed by the transcript model H′: it decodes the expert's next action from the
/// workspace.
///
/// With `k` exchanges so far it decodes the next sub-question (transcript round `k`). When the
/// decoded sub-question is the null question (all `?`), when all `interactionLength` rounds are
/// used, or when the budget allows no more sub-questions, it fills the remaining rounds with
/// padding (``Transcript``) and decodes the main answer instead. Workspaces of one turn
/// are decoded together: one cached forward pass per group of equal exchange count, then one for
/// every workspace that answers.
///
/// It reads the model's weights without changing them; train the model between amplifications,
/// never during one. With `memoizes`, an action is decoded once per distinct workspace and then
/// remembered until ``forgetActions()``, which whoever changes the weights must call: the action
/// is a function of the workspace and the weights (greedy, or sampled from a generator seeded by
/// the workspace), so the memo returns exactly what decoding would. Amplification repeats
/// workspaces by the thousand (the same question with the same sub-answers, in instance after
/// instance), so while H′'s weights stand still most actions cost a lookup.
///
/// ```swift
/// let supervisor = LearnedSupervisor(model: model)          // greedy decoding
/// let amplifier = Amplifier(task: task, supervisor: supervisor, assistant: teacher)
/// ```
// Safe: every stored property but the memo is a `let`; the memo is touched only under `lock`;
// acting only reads the model's weights (inference records on no tape), and the model must not
// be trained during an amplification.
public final class LearnedSupervisor: Supervisor, @unchecked Sendable {
    /// How the next token is chosen.
    public enum Decoding: Sendable, Hashable, Codable {
        /// The most likely token: deterministic, the default for evaluation.
        case greedy
        /// Sampled from the model, as in the reference; a workspace's generator is seeded from
        /// `seed` and the workspace's tokens, so the same workspace gets the same action.
        case sampled(seed: UInt64)
    }

    /// The model; acting only reads it.
    public let model: TranscriptModel
    public let decoding: Decoding
    /// Whether actions are remembered per workspace (until ``forgetActions()``).
    public let memoizes: Bool
    private let lock = NSLock()
    private var memo: [Workspace: SupervisorAction] = [:]
    private var hitCount = 0
    private var missCount = 0
    /// The memo is emptied when it holds this many workspaces, so that it cannot grow without bound.
    static let memoCapacity = 200_000

    public init(model: TranscriptModel, decoding: Decoding = .greedy, memoizes: Bool = false) {
        self.model = model
        self.decoding = decoding
        self.memoizes = memoizes
    }

    /// Forgets every remembered action: call it whenever the model's weights change.
    public func forgetActions() {
        lock.withLock { memo.removeAll(keepingCapacity: true) }
    }

    /// Actions answered from the memo, and actions decoded (every action without a memo).
    public var memoStatistics: (hits: Int, misses: Int) {
        lock.withLock { (hitCount, missCount) }
    }

    public var agent: Agent { .hPrime }

    public func act(on workspace: Workspace) async throws -> SupervisorAction {
        actions(on: [workspace])[0]
    }

    public func act(on workspaces: [Workspace]) async throws -> [SupervisorAction] {
        actions(on: workspaces)
    }

    /// The next action on each workspace, synchronously and batched.
    ///
    /// - Precondition: every workspace fits the model's layout (question and exchange lengths;
    ///   at most `interactionLength` exchanges).
    public func actions(on workspaces: [Workspace]) -> [SupervisorAction] {
        guard memoizes else {
            lock.withLock { missCount += workspaces.count }
            return decodedActions(on: workspaces)
        }
        var actions = [SupervisorAction?](repeating: nil, count: workspaces.count)
        // Each distinct workspace not remembered, in order of first appearance, with its positions.
        var missing: [Workspace] = []
        var positions: [Workspace: [Int]] = [:]
        lock.withLock {
            for (index, workspace) in workspaces.enumerated() {
                if let action = memo[workspace] {
                    actions[index] = action
                } else {
                    if positions[workspace] == nil { missing.append(workspace) }
                    positions[workspace, default: []].append(index)
                }
            }
            hitCount += workspaces.count - missing.count
            missCount += missing.count
        }
        if !missing.isEmpty {
            let decoded = decodedActions(on: missing)
            lock.withLock {
                if memo.count + missing.count > Self.memoCapacity { memo.removeAll(keepingCapacity: true) }
                for (workspace, action) in zip(missing, decoded) {
                    memo[workspace] = action
                    for index in positions[workspace] ?? [] { actions[index] = action }
                }
            }
        }
        return actions.map { $0! }
    }

    /// The next action on each workspace, decoded.
    private func decodedActions(on workspaces: [Workspace]) -> [SupervisorAction] {
        let layout = model.layout
        var actions = [SupervisorAction?](repeating: nil, count: workspaces.count)
        var answering: [Int] = []
        var asking: [Int: [Int]] = [:]  // exchange count -> workspace indices
        for (index, workspace) in workspaces.enumerated() {
            precondition(
                Transcript.sequencePrefix(of: workspace, layout: layout, padded: false) != nil,
                "LearnedSupervisor: workspace \(index) does not fit the layout \(layout): \(workspace)")
            if workspace.exchanges.count >= layout.interactionLength || workspace.subquestionsLeft <= 0 {
                answering.append(index)
            } else {
                asking[workspace.exchanges.count, default: []].append(index)
            }
        }
        for exchangeCount in asking.keys.sorted() {
            guard let group = asking[exchangeCount] else { continue }
            let questions = decode(group.map { workspaces[$0] }, padded: false, count: layout.questionLength)
            for (index, question) in zip(group, questions) {
                if question.allSatisfy({ $0 == 0 }) {
                    answering.append(index)
                } else {
                    actions[index] = .ask(.tokens(question))
                }
            }
        }
        if !answering.isEmpty {
            answering.sort()
            let answers = decode(answering.map { workspaces[$0] }, padded: true, count: layout.answerLength)
            for (index, answer) in zip(answering, answers) { actions[index] = .answer(.tokens(answer)) }
        }
        return actions.map { $0 ?? .answer(.tokens(Array(repeating: 0, count: layout.answerLength))) }
    }

    /// Decodes `count` tokens after each workspace's prefix (all prefixes of one length).
    private func decode(_ group: [Workspace], padded: Bool, count: Int) -> [[Int]] {
        let prefixes = group.map { Transcript.sequencePrefix(of: $0, layout: model.layout, padded: padded) ?? [] }
        switch decoding {
        case .greedy:
            return model.greedyDecode(prefixes: prefixes, count: count)
        case .sampled(let seed):
            var generators = prefixes.map { SplitMix64(seed: seed ^ LearnedSupervisor.fingerprint($0)) }
            return model.sampleDecode(prefixes: prefixes, count: count, generators: &generators)
        }
    }

    /// FNV-1a over the tokens: a stable per-workspace seed (Swift's `Hasher` is seeded per process).
    static func fingerprint(_ tokens: [Int]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for token in tokens {
            hash ^= UInt64(truncatingIfNeeded: token)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
