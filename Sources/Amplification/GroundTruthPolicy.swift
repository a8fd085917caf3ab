/// Whether ground truth may reach the answers of an amplification.
public enum GroundTruthPolicy: String, Hashable, Sendable, Codable {
    /// The honest mode: an assistant call that consumed ground truth throws
    /// ``AmplificationError/groundTruthReachedAnswer(count:assistant:)``. Leaf lookups are not
    /// ground truth in this sense: they are the one door the method allows.
    case forbidden
    /// Tests and the supervised baseline: ground truth is allowed and counted.
    case allowed
}
