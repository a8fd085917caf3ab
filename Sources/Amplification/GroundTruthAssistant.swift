import Tasks

/// The perfect assistant: answers every question with its ground truth, through the counted door
/// of ``InstanceContext/groundTruth(_:)``. For tests and the supervised baseline only: in an
/// amplification with ``GroundTruthPolicy/forbidden`` its first call throws.
public struct GroundTruthAssistant: Assistant {
    public init() {}

    public var agent: Agent { .groundTruth }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        try queries.map { query in
            precondition(
                contexts.indices.contains(query.context),
                "GroundTruthAssistant: query context \(query.context) outside \(contexts.count) contexts")
            guard let truth = contexts[query.context].groundTruth(query.question) else {
                throw AmplificationError.noGroundTruth(question: query.question)
            }
            return truth
        }
    }
}
