import Application
import ArgumentParser
import Foundation
import Store

/// `ida export`: a stored tree's decisions as chat fine-tuning data.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored tree's decisions as chat fine-tuning examples (JSON Lines).",
        discussion: """
            Two kinds of example, each in the prompts ida sends a language model: the answerer's \
            (a question with its facts → the answer the tree gave it) and the decomposer's (a \
            workspace → the action its supervisor took). Writes answerer.train.jsonl, \
            answerer.valid.jsonl, decomposer.train.jsonl and decomposer.valid.jsonl (split by main \
            question), and meta.jsonl: for each example its file and line, run, node, agent, cost \
            (supervisor actions), whether its answer is verified right, and the version of the \
            correction it is, if a person corrected it (`ida serve`). A corrected answer is \
            exported as its latest version, by its author (person:NAME); answers that depended on \
            it are stale and left out. Refused actions and answers forced by a spent budget are \
            left out; repeated examples are kept once. The run is any with a stored tree: ida ask, \
            ida amplify, ida hch, ida trace, ida serve.
            """
    )

    @Argument(help: ArgumentHelp("The run whose tree to export (`ida runs` lists them).", valueName: "run"))
    var runID: String

    @Option(help: "openai ({messages}), trl ({prompt, completion}) or dspy (strict {messages}).")
    var format: ExportFormat = .openai

    @Option(help: "The share of main questions whose examples go to training; the rest validate.")
    var split = 0.9

    @Option(help: ArgumentHelp("The directory to write (default: export-RUN).", valueName: "dir"))
    var output: String?

    @OptionGroup var store: StoreOptions

    enum Problem: Error, CustomStringConvertible {
        case split(Double)
        var description: String {
            switch self {
            case .split(let value): "--split must be between 0 and 1, got \(value)"
            }
        }
    }

    func run() throws {
        guard split >= 0 && split <= 1 else { throw Problem.split(split) }
        let export = try TrainingExport.examples(of: runID, in: store.openExisting(), split: split)
        let directory = URL(fileURLWithPath: output ?? "export-\(runID)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in export.files(in: format) {
                try file.text.write(to: directory.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
            }
        } catch {
            throw CommandError.file(path: directory.path, problem: "cannot write the export there")
        }
        var counts: [String] = []
        for role in TrainingExport.Role.allCases {
            for side in TrainingExport.Side.allCases {
                counts.append("\(export.examples.count { $0.role == role && $0.side == side }) \(role.rawValue) \(side.rawValue)")
            }
        }
        print(
            "wrote \(counts.joined(separator: ", ")) examples (\(export.duplicates) repeats left out) in the "
                + "\(format.rawValue) format to \(directory.path)")
        if export.humanLabels > 0 || export.stale > 0 {
            print(
                "\(export.humanLabels) of them from people (\(export.corrections) corrections); "
                    + "\(export.stale) answers left out as stale (they depended on a corrected answer)")
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
