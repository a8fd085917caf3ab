import Amplification
import Foundation
import LanguageModels
import SeededRandom
import Store
import Tasks

/// The numbers behind `ida hch`: accuracy of HCH_n by question depth, and the counters per n.
/// Ground truth scores the answers here, after the runs; it never reaches them.
public struct HCHEvaluation: Encodable, Equatable {
    public struct Row: Codable, Equatable {
        public var hchDepth: Int
        public var questionDepth: Int
        public var count: Int
        public var correct: Int
        public var accuracy: Double

        public enum CodingKeys: String, CodingKey {
            case hchDepth = "hch_depth"
            case questionDepth = "question_depth"
            case count, correct, accuracy
        }
    }

    public struct Cost: Codable, Equatable {
        public var hchDepth: Int
        public var counters: AmplificationCounters
        /// What its language-model calls cost, and how long it took, when a language model
        /// supervised.
        public var model: ModelUsage?
        public var wallSeconds: Double?

        public enum CodingKeys: String, CodingKey {
            case hchDepth = "hch_depth"
            case counters, model
            case wallSeconds = "wall_seconds"
        }

        /// Equal when the runs did the same work: wall time is how long they took, not what they
        /// found, and differs from one run to the next.
        public static func == (lhs: Cost, rhs: Cost) -> Bool {
            lhs.hchDepth == rhs.hchDepth && lhs.counters == rhs.counters && lhs.model == rhs.model
        }
    }

    public var task: String
    public var preset: String
    public var seed: UInt64
    public var instances: Int
    public var questions: Int
    public var rows: [Row]
    public var costs: [Cost]
    /// The stored run of each HCH_n's trees, in order of n (when evaluated with a journal; not in
    /// the JSON, which reports the numbers).
    public var runs: [String] = []

    public enum CodingKeys: String, CodingKey {
        case task, preset, seed, instances, questions, rows, costs
        case supervisorActions = "supervisor_actions"
        case leafLookups = "leaf_lookups"
        case assistantCalls = "assistant_calls"
        case groundTruthAnswers = "ground_truth_answers"
    }

    /// What every HCH_n cost together.
    public var total: AmplificationCounters {
        costs.reduce(into: AmplificationCounters()) { $0 += $1.counters }
    }

    /// The fields, then the total's documented counts beside them (`supervisor_actions`, …).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(preset, forKey: .preset)
        try container.encode(seed, forKey: .seed)
        try container.encode(instances, forKey: .instances)
        try container.encode(questions, forKey: .questions)
        try container.encode(rows, forKey: .rows)
        try container.encode(costs, forKey: .costs)
        let total = total
        try container.encode(total.supervisorActions, forKey: .supervisorActions)
        try container.encode(total.leafLookups, forKey: .leafLookups)
        try container.encode(total.assistantCalls, forKey: .assistantCalls)
        try container.encode(total.groundTruthAnswers, forKey: .groundTruthAnswers)
    }

    /// Samples `count` full-size instances from `seed` and evaluates HCH_0 … HCH_maxDepth on all
    /// their questions (ground truth is used for scoring only, outside the runs). With `store`,
    /// each HCH_n's trees are stored as they grow, one `hch` run each.
    ///
    /// - Parameters:
    ///   - supervisor: who supervises, made for the task (the scripted expert by default).
    ///   - meter: the supervisor's language-model usage, reported per n as what it grew by.
    ///   - progress: called after each HCH_n with its cost.
    public static func evaluate(
        task: String, preset: String, maxDepth: Int, count: Int, seed: UInt64, store: (any RunStore)? = nil,
        supervisor makeSupervisor: (any AmplificationTask) -> any Supervisor = { ScriptedExpert(task: $0) },
        meter: UsageMeter? = nil, progress: (Cost) -> Void = { _ in }
    ) async throws -> HCHEvaluation {
        let jobs = (0...maxDepth).map {
            AmplificationJob(task: task, preset: preset, seed: seed, instances: count, depth: $0)
        }
        let setting = try jobs[0].setting()  // every n's: the same instances and questions
        let expert = makeSupervisor(setting.task)
        var truth: [Tokens] = []
        var depths: [Int] = []
        for instance in setting.instances {
            let oracle = setting.task.oracle(for: instance)
            for question in instance.questions {
                truth.append(oracle.groundTruth(question))
                depths.append(oracle.depth(of: question))
            }
        }
        var rows: [Row] = []
        var costs: [Cost] = []
        var runs: [String] = []
        let clock = ContinuousClock()
        for (n, job) in jobs.enumerated() {
            let started = clock.now
            let usedBefore = meter?.usage
            let result: AmplificationResult
            if let store {
                let started = try await job.start(in: store, supervisor: expert)
                result = started.result
                runs.append(started.run)
            } else {
                result = try await job.amplifier(task: setting.task, supervisor: expert)
                    .run(setting.queries, contexts: setting.contexts)
            }
            var cost = Cost(hchDepth: n, counters: result.counters)
            // A language model's cost is in its calls and their time; the expert's report stays
            // the same from one run to the next.
            if let meter, let usedBefore {
                let elapsed = clock.now - started
                cost.model = meter.usage - usedBefore
                cost.wallSeconds = elapsed.seconds
            }
            costs.append(cost)
            progress(cost)
            for depth in Set(depths).sorted() {
                let indices = depths.indices.filter { depths[$0] == depth }
                let correct = indices.count { result.answers[$0].tokens == truth[$0] }
                rows.append(
                    Row(
                        hchDepth: n, questionDepth: depth, count: indices.count, correct: correct,
                        accuracy: Double(correct) / Double(indices.count)))
            }
        }
        return HCHEvaluation(
            task: setting.task.name, preset: preset, seed: seed, instances: count, questions: setting.queries.count, rows: rows,
            costs: costs, runs: runs)
    }
}
