import ArgumentParser

/// `ida bench …`: performance measurements, each printed as a ratio against a reference measured
/// in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure ida's speed against a reference measured in the same run.",
        subcommands: [
            AmplifyBench.self,
            TrainStepBench.self,
        ]
    )
}
