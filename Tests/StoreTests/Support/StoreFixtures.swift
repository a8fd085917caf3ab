import Foundation
import StoreTestSupport
import Store

/// Inputs shared by the store tests.
enum StoreFixtures {
    /// 2026-11-28 00:00:00 UTC; fixture times stay on whole milliseconds, which the store keeps.
    static let day = Date(timeIntervalSince1970: 1_795_824_000)

    /// `day` plus `seconds`.
    static func time(_ seconds: Double) -> Date {
        day.addingTimeInterval(seconds)
    }

    static func newRun(
        kind: RunKind = .ia, task: String = "sort", seed: UInt64 = 7, parentID: String? = nil,
        at seconds: Double = 0
    ) -> NewRun {
        NewRun(
            kind: kind, task: task, preset: "tiny", schedule: "continuous",
            configuration: #"{"steps":100,"learningRate":0.001}"#, seed: seed,
            createdAt: time(seconds), parentID: parentID)
    }

    /// A store on a fresh file in `directory`, with one `ia` run.
    static func storeWithRun(
        in directory: TemporaryDirectory, configuration: StoreConfiguration = .small
    ) throws -> (store: SQLiteStore, run: RunRecord) {
        let store = try SQLiteStore(path: directory.path("ida.sqlite"), configuration: configuration)
        return (store, try store.createRun(newRun()))
    }

    /// The bytes of the file at `path`.
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
