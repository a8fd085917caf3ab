#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import Amplification
import NeuralNetworks
import SeededRandom
import Tasks
import TensorCore

/// A supervisor backed by the transcript model H′: it decodes the expert's next action from the
/// workspace.
///
/// With `k` exchanges so far it decodes the next sub-question (transcript round `k`). When the
/// decoded sub-question is the null question (all `?`), when all `interactionLength` rounds are
/// used, or when the budget allows no more sub-questions, it decodes the main answer instead,
/// which follows the null question (the padding rounds are implied, ``Transcript``), going on
/// from the null question's decode. Workspaces of one turn are decoded together: one cached
/// forward pass per group of equal exchange count that asks, then one per group that answers; a
/// large group is cut in two, decoded side by side on the cores.
///
/// It reads the model's weights without changing them; train the model between amplifications,
/// never during one. With `memoizes`, an action is decoded once per distinct workspace and then
/// remembered until ``forgetActions()``, which whoever changes the weights must call: the action
/// is a function of the workspace and the weights (greedy, or sampled from a generator seeded by
/// the workspace), so the memo returns exactly what decoding would. Amplification repeats
/// workspaces (the same question with the same sub-answers, in instance after instance): on
/// permutation most actions then cost a lookup; on shortest path, whose graphs rarely repeat,
/// a fifth. The decoder's cache of each asked sub-question is kept too, so that the next action of
/// every workspace that asked it — the one decoded and those the memo answered — runs only its
/// new tokens through the model, not its whole transcript again.
///
/// With a ``Deferral``, an action H′ is unsure of (the probability it gives the tokens it decoded
/// is below the deferral's) is the expert's instead, remembered like H′'s own: the expert is
/// consulted, and counted (``takeDeferredCalls()``), once per distinct workspace until the weights
/// change. Traces still name H′ as the supervisor of those actions.
///
/// ```swift
/// let supervisor = LearnedSupervisor(model: model)          // greedy decoding
/// let amplifier = Amplifier(task: task, supervisor: supervisor, assistant: teacher)
/// ```
// Safe: every stored property but the memo, the decoder caches and the counts is a `let`; those
// are touched only under `lock`;
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

    /// Who takes the actions H′ is unsure of.
    public struct Deferral: Sendable {
        /// An expert that acts at once; each action taken from it is an expert call.
        public let expert: any SynchronousSupervisor
        /// H′ keeps an action it decoded only if it gives it at least this probability.
        public let probability: Double

        public init(expert: any SynchronousSupervisor, probability: Double) {
            self.expert = expert
            self.probability = probability
        }
    }

    /// The model; acting only reads it.
    public let model: TranscriptModel
    public let decoding: Decoding
    /// Whether actions are remembered per workspace (until ``forgetActions()``).
    public let memoizes: Bool
    public let deferral: Deferral?
    private let lock = NSLock()
    private var memo: [MemoKey: (action: SupervisorAction, deferred: Bool)] = [:]
    /// Actions taken from the deferral's expert since ``takeDeferredCalls()``.
    private var deferredCalls = 0
    private var hitCount = 0
    private var missCount = 0
    private var freshCount = 0
    /// The memo is emptied when it holds this many workspaces, so that it cannot grow without bound.
    static let memoCapacity = 200_000
    /// Decoder caches of asked sub-questions, by the tokens they hold (a cache is a function of
    /// its tokens and the weights), shared by every workspace that goes on from them.
    private var decoderRows: [[Int]: TranscriptDecoderRow] = [:]
    private var cachedFloats = 0
    /// The decoder caches are emptied when they would hold more floats than this (256 MiB), so
    /// that they cannot grow without bound while the weights stand still.
    static let cacheCapacity = 1 << 26
    /// Rows below which a decode is not cut in two for the cores: a piece's passes must outweigh
    /// a fork/join.
    static let minimumPieceRows = 16

    public init(model: TranscriptModel, decoding: Decoding = .greedy, memoizes: Bool = false, deferral: Deferral? = nil) {
        self.model = model
        self.decoding = decoding
        self.memoizes = memoizes
        self.deferral = deferral
    }

    /// The actions taken from the deferral's expert since the last call, and starts counting
    /// afresh: with a memo, one per distinct workspace until ``forgetActions()``; without, every one.
    public func takeDeferredCalls() -> Int {
        lock.withLock {
            defer { deferredCalls = 0 }
            return deferredCalls
        }
    }

    /// Forgets every remembered action and decoder cache: call it whenever the model's weights change.
    public func forgetActions() {
        lock.withLock {
            memo.removeAll(keepingCapacity: true)
            decoderRows.removeAll(keepingCapacity: true)
            cachedFloats = 0
        }
    }

    /// Actions answered from the memo; actions decoded (every action without a memo); and the
    /// workspaces' decodes that ran their whole prefix, not going on from a cached decode (an
    /// action after a null question takes two decodes, the second never fresh with a memo).
    public var memoStatistics: (hits: Int, misses: Int, fresh: Int) {
        lock.withLock { (hitCount, missCount, freshCount) }
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
            let decoded = decodedActions(on: workspaces)
            lock.withLock {
                missCount += workspaces.count
                deferredCalls += decoded.reduce(0) { $0 + ($1.deferred ? 1 : 0) }
            }
            return decoded.map(\.action)
        }
        var actions = [SupervisorAction?](repeating: nil, count: workspaces.count)
        // Each distinct workspace not remembered, in order of first appearance, with its positions.
        var missing: [MemoKey] = []
        var positions: [MemoKey: [Int]] = [:]
        lock.withLock {
            for (index, workspace) in workspaces.enumerated() {
                let key = MemoKey(workspace)
                if let entry = memo[key] {
                    actions[index] = entry.action
                } else {
                    if positions[key] == nil { missing.append(key) }
                    positions[key, default: []].append(index)
                }
            }
            hitCount += workspaces.count - missing.count
            missCount += missing.count
        }
        if !missing.isEmpty {
            let decoded = decodedActions(on: missing.map(\.workspace))
            lock.withLock {
                if memo.count + missing.count > Self.memoCapacity { memo.removeAll(keepingCapacity: true) }
                for (key, entry) in zip(missing, decoded) {
                    memo[key] = entry
                    for index in positions[key] ?? [] { actions[index] = entry.action }
                    if entry.deferred { deferredCalls += 1 }
                }
            }
        }
        return actions.map { $0! }
    }

    /// The next action on each workspace, decoded, and whether the expert took it instead.
    private func decodedActions(on workspaces: [Workspace]) -> [(action: SupervisorAction, deferred: Bool)] {
        let layout = model.layout
        var actions = [SupervisorAction?](repeating: nil, count: workspaces.count)
        // The log-probability of each workspace's decoded action (a null question's and the
        // answer's after it, summed).
        var logProbabilities = [Float](repeating: 0, count: workspaces.count)
        var answering: [Int] = []
        var asking: [Int: [Int]] = [:]  // exchange count -> workspace indices
        for (index, workspace) in workspaces.enumerated() {
            precondition(
                Transcript.sequencePrefix(of: workspace, layout: layout, answering: false) != nil,
                "LearnedSupervisor: workspace \(index) does not fit the layout \(layout): \(workspace)")
            if mustAnswer(workspace) {
                answering.append(index)
            } else {
                asking[workspace.exchanges.count, default: []].append(index)
            }
        }
        var asked: [TranscriptDecoderRow] = []
        for exchangeCount in asking.keys.sorted() {
            guard let group = asking[exchangeCount] else { continue }
            let decoded = decode(group.map { workspaces[$0] }, answering: false, count: layout.questionLength)
            for (position, (index, question)) in zip(group, decoded.tokens).enumerated() {
                logProbabilities[index] += decoded.logProbabilities[position]
                if question.allSatisfy({ $0 == 0 }) {
                    answering.append(index)
                } else {
                    actions[index] = .ask(.tokens(question))
                }
                // A null question's cache is where the answer's decode just below goes on from.
                if memoizes { asked.append(decoded.rows[position]) }
            }
        }
        if memoizes, !asked.isEmpty { keep(asked) }
        // Answering prefixes are as long as their exchanges: one decode per exchange count.
        let answeringGroups = Dictionary(grouping: answering) { workspaces[$0].exchanges.count }
        for exchangeCount in answeringGroups.keys.sorted() {
            let group = answeringGroups[exchangeCount, default: []].sorted()
            let decoded = decode(group.map { workspaces[$0] }, answering: true, count: layout.answerLength)
            for (position, (index, answer)) in zip(group, decoded.tokens).enumerated() {
                actions[index] = .answer(.tokens(answer))
                logProbabilities[index] += decoded.logProbabilities[position]
            }
        }
        let threshold = deferral.map { logf(Float($0.probability)) } ?? -.infinity
        return workspaces.indices.map { index in
            let own = actions[index] ?? .answer(.tokens(Array(repeating: 0, count: layout.answerLength)))
            guard let deferral, logProbabilities[index] < threshold else { return (own, false) }
            let expert = deferral.expert.action(on: workspaces[index])
            // An expert that reads no budget may ask where the workspace must be answered: H′'s
            // answer stands there.
            if case .ask = expert, mustAnswer(workspaces[index]) { return (own, false) }
            return (expert, true)
        }
    }

    /// Whether `workspace` may only be answered: all the layout's rounds or the budget used.
    private func mustAnswer(_ workspace: Workspace) -> Bool {
        workspace.exchanges.count >= model.layout.interactionLength || workspace.subquestionsLeft <= 0
    }

    /// Decodes `count` tokens after each workspace's prefix (all prefixes of one length: one
    /// exchange count, asking or answering); for a sub-question (not `answering`) with
    /// `memoizes`, also each sequence's decoder cache, for ``keep(_:)`` (else none: an answer
    /// ends its workspace).
    ///
    /// A workspace whose last sub-question was decoded here since the weights last changed goes on
    /// from that decode's cache (kept by ``keep(_:)``): only the tokens after it run, not the whole
    /// prefix again — after a null question, two tokens. Without this, a workspace of k exchanges
    /// runs all k rounds through the model at every action, so a task of many sub-questions costs
    /// quadratically in them.
    private func decode(
        _ group: [Workspace], answering: Bool, count: Int
    ) -> (tokens: [[Int]], rows: [TranscriptDecoderRow], logProbabilities: [Float]) {
        let layout = model.layout
        let prefixes = group.map { Transcript.sequencePrefix(of: $0, layout: layout, answering: answering) ?? [] }
        let keepsRows = memoizes && !answering
        var resumed: [(index: Int, row: TranscriptDecoderRow)] = []
        var fresh: [Int] = []
        if memoizes {
            lock.withLock {
                for (index, workspace) in group.enumerated() {
                    // The sequences whose decodes may be cached, longest first (a decoder appends
                    // all it generates but the last token): the one that decoded the null question
                    // this answer follows, and the one that asked the last sub-question.
                    let asking = 1 + layout.questionLength + workspace.exchanges.count * layout.roundLength
                    var keys: [Int] = []
                    if answering, workspace.exchanges.count < layout.interactionLength { keys.append(asking + layout.questionLength - 1) }
                    if !workspace.exchanges.isEmpty { keys.append(asking - layout.answerLength - 1) }
                    var cached: TranscriptDecoderRow?
                    for key in keys where cached == nil { cached = decoderRows[Array(prefixes[index].prefix(key))] }
                    if let row = cached {
                        resumed.append((index, row))
                    } else {
                        fresh.append(index)
                    }
                }
            }
        } else {
            fresh = Array(group.indices)
        }
        lock.withLock { freshCount += fresh.count }
        // Each set cut in two when big enough, every piece decoded on its own decoder, side by side
        // (one per core, kernels serial inside: one fork/join per decode instead of one per op).
        var pieces: [(members: [Int], resumed: [TranscriptDecoderRow]?)] = []
        func cut(_ members: [Int], _ resumedRows: [TranscriptDecoderRow]?) {
            guard !members.isEmpty else { return }
            let halves = members.count >= 2 * Self.minimumPieceRows ? 2 : 1
            for half in 0..<halves {
                let range = (half * members.count / halves)..<((half + 1) * members.count / halves)
                pieces.append((Array(members[range]), resumedRows.map { Array($0[range]) }))
            }
        }
        cut(fresh, nil)
        // Workspaces answering together may have asked different numbers of sub-questions: one
        // resumed decoder per cached length.
        for length in Set(resumed.map(\.row.tokens.count)).sorted() {
            let same = resumed.filter { $0.row.tokens.count == length }
            cut(same.map(\.index), same.map(\.row))
        }
        var outputs = [(generated: (tokens: [[Int]], logProbabilities: [Float]), rows: [TranscriptDecoderRow])](
            repeating: (([], []), []), count: pieces.count)
        // Safe: piece p writes only results[p] (p < pieces.count == outputs.count) with its own
        // decoder, reading the model's weights; Shards.forEach joins before the closure returns.
        outputs.withUnsafeMutableBufferPointer { results in
            Shards.forEach(pieces.count) { index in
                let piece = pieces[index]
                let decoder: TranscriptDecoder
                if let resumedRows = piece.resumed {
                    let chunks = zip(piece.members, resumedRows).map { Array(prefixes[$0].dropFirst($1.tokens.count)) }
                    decoder = TranscriptDecoder(model: model, resuming: resumedRows, appending: chunks)
                } else {
                    decoder = TranscriptDecoder(model: model, prefixes: piece.members.map { prefixes[$0] })
                }
                let produced: (tokens: [[Int]], logProbabilities: [Float])
                switch decoding {
                case .greedy:
                    produced = decoder.greedyGenerate(count: count)
                case .sampled(let seed):
                    var generators = piece.members.map { SplitMix64(seed: seed ^ LearnedSupervisor.fingerprint(prefixes[$0])) }
                    produced = decoder.sampledGenerate(count: count, generators: &generators)
                }
                results[index] = (produced, keepsRows ? decoder.cachedRows() : [])
            }
        }
        var tokens = [[Int]](repeating: [], count: group.count)
        var logProbabilities = [Float](repeating: 0, count: group.count)
        var rows = [TranscriptDecoderRow?](repeating: nil, count: group.count)
        for (piece, output) in zip(pieces, outputs) {
            for (position, index) in piece.members.enumerated() {
                tokens[index] = output.generated.tokens[position]
                logProbabilities[index] = output.generated.logProbabilities[position]
            }
            for (index, row) in zip(piece.members, output.rows) { rows[index] = row }
        }
        return (tokens, rows.compactMap { $0 }, logProbabilities)
    }

    /// Keeps the decoder caches of asked sub-questions for the workspaces' next actions, within
    /// ``cacheCapacity`` floats.
    private func keep(_ rows: [TranscriptDecoderRow]) {
        lock.withLock {
            for row in rows where decoderRows[row.tokens] == nil {
                if cachedFloats + row.floatCount > Self.cacheCapacity {
                    decoderRows.removeAll(keepingCapacity: true)
                    cachedFloats = 0
                }
                decoderRows[row.tokens] = row
                cachedFloats += row.floatCount
            }
        }
    }

    /// A workspace with its hash computed once: a workspace missing from the memo is looked up,
    /// grouped and remembered under it, so its nested token arrays are hashed once, not four times.
    struct MemoKey: Hashable {
        let workspace: Workspace
        let hash: Int

        init(_ workspace: Workspace) {
            self.workspace = workspace
            hash = workspace.hashValue
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }

        static func == (a: MemoKey, b: MemoKey) -> Bool { a.hash == b.hash && a.workspace == b.workspace }
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
