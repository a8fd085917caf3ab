import Foundation
import NeuralNetworks

/// Runs the PyTorch twin of the answerer step as a subprocess and reads its JSON line.
enum BenchPyTorch {
    struct Result: Decodable {
        var ms_per_step: Double
        var best_ms_per_step: Double
        var cpu_ms_per_step: Double
        var parameters: Int

        var medianMilliseconds: Double { ms_per_step }
        var bestMilliseconds: Double { best_ms_per_step }
    }

    /// A failure of the reference side: one line and a hint.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `Benchmarks/pytorch/answerer_step.py` of the checkout this binary was built from.
    static var defaultScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/pytorch/answerer_step.py").path
    }

    /// Throws a one-line failure with the fix when the script or PyTorch is missing.
    static func checkAvailable(python: String, script: String) throws {
        guard FileManager.default.fileExists(atPath: script) else {
            throw Failure(description: "PyTorch reference script not found at \(script); pass --script PATH")
        }
        let probe = try? execute(python, ["-c", "import torch"])
        guard probe?.status == 0 else {
            throw Failure(description: "PyTorch is not importable by \(python); install it with `pip install torch` (or pass --python)")
        }
    }

    static func run(
        python: String, script: String, configuration: AnswererConfiguration, dimensions: TaskDimensions,
        instanceCount: Int, factCount: Int, questionCount: Int, threads: Int, warmup: Int, steps: Int
    ) throws -> Result {
        let arguments: [String] = [
            script,
            "--model-dimension", "\(configuration.modelDimension)",
            "--embedding-dimension", "\(configuration.tokenEmbeddingDimension)",
            "--heads", "\(configuration.headCount)",
            "--fact-layers", "\(configuration.factLayerCount)",
            "--question-layers", "\(configuration.questionLayerCount)",
            "--vocabulary", "\(dimensions.vocabularySize)",
            "--fact-length", "\(dimensions.factLength)",
            "--question-length", "\(dimensions.questionLength)",
            "--answer-length", "\(dimensions.answerLength)",
            "--batch", "\(instanceCount)", "--facts", "\(factCount)", "--questions", "\(questionCount)",
            "--threads", "\(threads)", "--steps", "\(steps)", "--warmup", "\(warmup)",
        ]
        let output = try execute(python, arguments)
        guard output.status == 0, let line = output.standardOutput.split(separator: "\n").last,
            let result = try? JSONDecoder().decode(Result.self, from: Data(line.utf8))
        else {
            throw Failure(description: "PyTorch reference failed (exit \(output.status)): \(output.standardError.suffix(300))")
        }
        return result
    }

    static func execute(_ executable: String, _ arguments: [String]) throws -> (status: Int32, standardOutput: String, standardError: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
