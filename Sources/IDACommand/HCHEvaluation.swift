import Amplification
import Application
import Foundation
import SeededRandom
import Store
import Tasks

/// The numbers behind `ida hch`: accuracy of HCH_n by question depth, and the counters per n.
struct HCHEvaluation: Codable, Equatable {
    struct Row: Codable, Equatable {
        var hchDepth: Int
        var questionDepth: Int
        var count: Int
        var correct: Int
        var accuracy: Double

        enum CodingKeys: String, CodingKey {
            case hchDepth = "hch_depth"
            case questionDepth = "question_depth"
            case count, correct, accuracy
        }
    }

    struct Cost: Codable, Equatable {
        var hchDepth: Int
        var counters: AmplificationCounters

        enum CodingKeys: String, CodingKey {
            case hchDepth = "hch_depth"
            case counters
        }
    }

    var task: String
    var preset: String
    var seed: UInt64
    var instances: Int
    var questions: Int
    var rows: [Row]
    var costs: [Cost]
    var supervisorActions: Int
    var leafLookups: Int
    var assistantCalls: Int
    var groundTruthAnswers: Int
    /// The stored run of each HCH_n's trees, in order of n (when evaluated with a journal; not in
    /// the JSON, which reports the numbers).
    var runs: [String] = []

    enum CodingKeys: String, CodingKey {
        case task, preset, seed, instances, questions, rows, costs
        case supervisorActions = "supervisor_actions"
        case leafLookups = "leaf_lookups"
        case assistantCalls = "assistant_calls"
        case groundTruthAnswers = "ground_truth_answers"
    }

    /// Samples `count` full-size instances from `seed` and evaluates HCH_0 … HCH_maxDepth on all
    /// their questions (ground truth is used for scoring only, outside the runs). With `store`,
    /// each HCH_n's trees are stored as they grow, one `hch` run each.
    static func evaluate(
        task: String, preset: String, maxDepth: Int, count: Int, seed: UInt64, store: (any RunStore)? = nil
    ) async throws -> HCHEvaluation {
        let jobs = (0...maxDepth).map {
            AmplificationJob(task: task, preset: preset, seed: seed, instances: count, depth: $0)
        }
        let setting = try jobs[0].setting()  // every n's: the same instances and questions
        let expert = ScriptedExpert(task: setting.task)
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
        var total = AmplificationCounters()
        var runs: [String] = []
        for (n, job) in jobs.enumerated() {
            let result: AmplificationResult
            if let store {
                let started = try await job.start(in: store, supervisor: expert)
                result = started.result
                runs.append(started.run)
            } else {
                result = try await job.amplifier(task: setting.task, supervisor: expert)
                    .run(setting.queries, contexts: setting.contexts)
            }
            costs.append(Cost(hchDepth: n, counters: result.counters))
            total += result.counters
            for depth in Set(depths).sorted() {
                let indices = depths.indices.filter { depths[$0] == depth }
                let correct = indices.count { result.answers[$0] == truth[$0] }
                rows.append(
                    Row(
                        hchDepth: n, questionDepth: depth, count: indices.count, correct: correct,
                        accuracy: Double(correct) / Double(indices.count)))
            }
        }
        return HCHEvaluation(
            task: setting.task.name, preset: preset, seed: seed, instances: count, questions: setting.queries.count, rows: rows,
            costs: costs, supervisorActions: total.supervisorActions, leafLookups: total.leafLookups,
            assistantCalls: total.assistantCalls, groundTruthAnswers: total.groundTruthAnswers, runs: runs)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The staircase as text: a row per question depth, a column per HCH_n, then the costs.
    func table() -> String {
        let hchDepths = costs.map(\.hchDepth)
        let questionDepths = Array(Set(rows.map(\.questionDepth))).sorted()
        var lines = [
            "\(task) (\(preset)): \(instances) instances, \(questions) questions, seed \(seed)",
            "accuracy by question depth (rows) for HCH_n (columns); 1.00 on and below the diagonal is the staircase",
            pad("depth", 6) + pad("count", 7) + hchDepths.map { pad("HCH_\($0)", 8) }.joined(),
        ]
        for depth in questionDepths {
            let cells = rows.filter { $0.questionDepth == depth }.sorted { $0.hchDepth < $1.hchDepth }
            lines.append(
                pad("\(depth)", 6) + pad("\(cells.first?.count ?? 0)", 7)
                    + cells.map { pad(String(format: "%.2f", $0.accuracy), 8) }.joined())
        }
        lines.append("")
        lines.append(
            pad("", 7) + pad("supervisor actions", 20) + pad("leaf lookups", 14) + pad("assistant calls", 17)
                + pad("questions to assistants", 25) + "ground truth")
        for cost in costs {
            let c = cost.counters
            lines.append(
                pad("HCH_\(cost.hchDepth)", 7) + pad("\(c.supervisorActions)", 20) + pad("\(c.leafLookups)", 14)
                    + pad("\(c.assistantCalls)", 17) + pad("\(c.assistantQuestions)", 25) + "\(c.groundTruthAnswers)")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
