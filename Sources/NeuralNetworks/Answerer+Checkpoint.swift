#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OutsideInput
import SeededRandom
import TensorCore

/// What an answerer checkpoint stores as its configuration JSON.
struct AnswererDescription: Codable, Equatable {
    var configuration: AnswererConfiguration
    var dimensions: TaskDimensions
}

extension Answerer {
    /// A snapshot of the configuration and every parameter under its key.
    public func checkpoint() -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let description = AnswererDescription(configuration: configuration, dimensions: dimensions)
        // Encoding plain Int fields cannot fail; an empty configuration would fail loading loudly.
        let json = (try? encoder.encode(description)).map { Array($0) } ?? []
        return parametersCheckpoint(configuration: json)
    }

    /// An answerer rebuilt from a checkpoint: its configuration, then its parameters.
    ///
    /// The configuration is checked before anything is allocated: its sizes must be valid and
    /// describe exactly as many values as the checkpoint holds, so a file cannot make ida build
    /// a model larger than itself (or trap on a zero width).
    ///
    /// - Throws: ``CheckpointError`` when the configuration does not decode or the parameters do
    ///   not match the architecture it describes.
    public convenience init(checkpoint: Checkpoint) throws(CheckpointError) {
        let description: AnswererDescription
        guard !JSONNesting.exceeds(JSONNesting.limit, in: checkpoint.configuration) else {
            throw .unreadableConfiguration(JSONNesting.problem())
        }
        do {
            description = try JSONDecoder().decode(AnswererDescription.self, from: Data(checkpoint.configuration))
        } catch {
            throw .unreadableConfiguration(Self.summary(of: error))
        }
        if let problem = description.configuration.problem ?? description.dimensions.problem {
            throw .unreadableConfiguration(problem)
        }
        let stored = checkpoint.parameters.reduce(0) { $0 + $1.values.count }
        let expected = Self.parameterCount(
            configuration: description.configuration, dimensions: description.dimensions, atMost: stored)
        guard expected == stored else {
            throw .incompatible(
                "its configuration describes \(expected.map { "\($0)" } ?? "more than \(stored)") values, it holds \(stored)")
        }
        var rng = SplitMix64(seed: 0)  // every value is overwritten below
        self.init(configuration: description.configuration, dimensions: description.dimensions, rng: &rng)
        try load(checkpoint)
    }

    /// The number of values an answerer of these sizes has, or nil when it is more than
    /// `limit`; sizes must be valid. Every size is a factor of some parameter's count, so each is
    /// compared with `limit` before the loops over layers and heads and before any product
    /// (which is overflow-checked besides).
    static func parameterCount(configuration: AnswererConfiguration, dimensions: TaskDimensions, atMost limit: Int) -> Int? {
        let d = configuration.modelDimension
        let e = configuration.tokenEmbeddingDimension
        let v = dimensions.vocabularySize
        let sizes = [
            d, e, v, dimensions.factLength, dimensions.questionLength, dimensions.answerLength,
            configuration.factLayerCount, configuration.questionLayerCount, configuration.feedForwardMultiplier,
        ]
        guard sizes.allSatisfy({ $0 <= limit }) else { return nil }
        var total = 0
        var overflow = false
        func product(_ factors: Int...) -> Int {
            factors.reduce(1) { result, factor in
                let (value, flag) = result.multipliedReportingOverflow(by: factor)
                overflow = overflow || flag || value > limit
                return overflow ? 0 : value
            }
        }
        func add(_ count: Int) {
            let (value, flag) = total.addingReportingOverflow(count)
            overflow = overflow || flag || value > limit
            total = overflow ? 0 : value
        }
        func linear(_ input: Int, _ output: Int) { add(product(input, output)); add(output) }
        func encoder(length: Int) { add(product(v, e)); linear(product(length, e), d); add(product(2, d)) }
        func cells(_ count: Int) {
            for _ in 0..<count where !overflow {
                for _ in 0..<4 { linear(d, d) }  // query, key, value, output
                add(product(4, d))  // two layer norms
                linear(d, product(configuration.feedForwardMultiplier, d))
                linear(product(configuration.feedForwardMultiplier, d), d)
            }
        }
        encoder(length: dimensions.factLength)
        cells(configuration.factLayerCount)
        encoder(length: dimensions.questionLength)
        cells(configuration.questionLayerCount)
        for position in 0..<dimensions.answerLength where !overflow {
            if position > 0 { encoder(length: position) }
            let width = position == 0 ? d : product(2, d)
            linear(width, product(dimensions.factLength, d))  // copy query
            linear(d, product(dimensions.factLength, d))  // copy key
            linear(width, d)  // generate hidden
            linear(d, v)  // generate output
            linear(width, d)  // mixture hidden
            linear(d, dimensions.factLength + 1)  // mixture output
        }
        return overflow ? nil : total
    }

    /// A one-line reason a configuration did not decode: the field and what is wrong with it.
    static func summary(of error: any Error) -> String {
        guard let error = error as? DecodingError else { return ErrorText.printable("\(error)") }
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { ErrorText.printable($0.stringValue) }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context, key))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? "not a JSON object" : "field \(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "field \(path(context)) is invalid"
        @unknown default: return ErrorText.printable("\(error)")
        }
    }

    /// Overwrites this answerer's parameters with the checkpoint's.
    ///
    /// - Throws: ``CheckpointError/incompatible(_:)`` naming the first key or shape that differs;
    ///   nothing is changed in that case.
    public func load(_ checkpoint: Checkpoint) throws(CheckpointError) {
        try loadParameters(checkpoint, modelName: "the model")
    }
}
