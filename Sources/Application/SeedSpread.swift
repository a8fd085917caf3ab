import Foundation
import Store

/// One `ida run` configuration over several seeds (`ida run --seeds 1,2,3`): IA's X, Amp(H, X)
/// and the supervised baseline per task, as mean and spread (min–max) over the seeds, and IA's
/// gap to supervised seed by seed, since a bar must hold on each seed, not only on average.
public struct SeedSpreadReport: Codable, Sendable, Equatable {
    /// Mean, minimum and maximum of one accuracy over the seeds.
    public struct Spread: Codable, Sendable, Equatable {
        public var mean: Double
        public var minimum: Double
        public var maximum: Double

        /// - Precondition: `values` is not empty.
        public init(_ values: [Double]) {
            precondition(!values.isEmpty, "Spread: no values")
            mean = values.reduce(0, +) / Double(values.count)
            minimum = values.min() ?? 0
            maximum = values.max() ?? 0
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var task: String
        public var ia: Spread
        public var amp: Spread
        public var supervised: Spread
        /// IA's accuracy minus supervised's, seed by seed, in the order of ``SeedSpreadReport/seeds``.
        public var differences: [Double]
    }

    /// Always `seeds`: what tells this report from a single run's in the store.
    public var kind = "seeds"
    public var preset: String
    public var schedule: String
    public var seeds: [UInt64]
    /// The group run of each seed, in the order of ``seeds`` (`ida report` shows each).
    public var runs: [String]
    public var rows: [Row]

    /// The spread of `reports`: for each seed, its group run's reports, one per task in the same
    /// order for every seed.
    ///
    /// - Precondition: one list of reports per seed and per run, each with the same tasks.
    public init(preset: String, schedule: String, seeds: [UInt64], runs: [String], reports: [[RunReport]]) {
        precondition(
            !seeds.isEmpty && reports.count == seeds.count && runs.count == seeds.count
                && reports.allSatisfy { $0.map(\.task) == reports[0].map(\.task) },
            "SeedSpreadReport: one run with the same tasks per seed")
        self.preset = preset
        self.schedule = schedule
        self.seeds = seeds
        self.runs = runs
        rows = reports[0].indices.map { index in
            let perSeed = reports.map { $0[index] }
            return Row(
                task: perSeed[0].task, ia: Spread(perSeed.map(\.ia.accuracy)), amp: Spread(perSeed.map(\.ia.ampAccuracy)),
                supervised: Spread(perSeed.map(\.supervised.accuracy)),
                differences: perSeed.map { $0.ia.accuracy - $0.supervised.accuracy })
        }
    }

    /// Stores the report as a run of its own (kind `group`, schedule `seeds`, the seeds' runs in its
    /// configuration), completed; returns its id.
    public func store(in store: any RunStore, task: String) throws -> String {
        struct Configuration: Encodable {
            let seeds: [UInt64]
            let runs: [String]
        }
        let now = Date()
        let run = try store.createRun(
            NewRun(
                kind: .group, task: task, preset: preset, schedule: "seeds",
                configuration: try storedJSON(Configuration(seeds: seeds, runs: runs)), seed: seeds[0], createdAt: now))
        _ = try store.updateRun(run.id, status: .completed, updatedAt: now, report: try storedJSON(self))
        return run.id
    }

    /// The spread stored as run `id`, or `nil` when `id` is another kind of run.
    public static func stored(_ id: String, in store: any RunStore) throws -> SeedSpreadReport? {
        let run = try store.run(id: id)
        guard run.kind == .group, run.schedule == "seeds", let report = run.report else { return nil }
        return try? JSONDecoder().decode(SeedSpreadReport.self, from: Data(report.utf8))
    }
}
