import ArgumentParser

/// `ida`: Iterated Distillation and Amplification on a laptop-class CPU.
@main
struct IDA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ida",
        abstract: "Iterated Distillation and Amplification: run, inspect and measure amplification experiments.",
        discussion: """
            A supervisor H decomposes a question into sub-questions, an assistant X answers them, \
            and H combines the answers: Amp(H, X). A new model is distilled to imitate Amp(H, X) \
            and becomes the next assistant. `ida` runs the whole loop on the paper's five \
            algorithmic tasks with neural networks trained on this machine.
            """,
        subcommands: [
            BenchCommand.self,
            RunCommand.self,
            RunsCommand.self,
            ReportCommand.self,
            CompareCommand.self,
            EvalCommand.self,
            HCHCommand.self,
            TraceCommand.self,
            AskCommand.self,
            AmplifyCommand.self,
            ExportCommand.self,
            DBCommand.self,
            QueueCommand.self,
            WorkerCommand.self,
            ServeCommand.self,
            UsersCommand.self,
            AuditCommand.self,
            TasksCommand.self,
            SampleCommand.self,
            ValidateCommand.self,
        ]
    )
}
