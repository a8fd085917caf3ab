/// The size curriculum's state: the current instance size and the running teacher/target
/// agreement at that size (see ``CurriculumConfiguration``).
///
/// It only ever sees agreement numbers, never ground truth: in IA they compare the teacher with
/// Amp(H, X) targets.
public struct Curriculum: Codable, Sendable, Hashable {
    public let configuration: CurriculumConfiguration
    /// The full size: the curriculum stops there.
    public let fullSize: Int
    /// The size of the next generation.
    public private(set) var size: Int
    /// Generations seen at the current size.
    public private(set) var generationsAtSize = 0
    /// Running agreement at the current size (mean of the last `horizon` generations, EMA).
    public private(set) var averageAgreement = 0.0

    /// - Precondition: `1 ≤ startSize ≤ fullSize` when set.
    public init(configuration: CurriculumConfiguration, minimumSize: Int, fullSize: Int) {
        let start = configuration.enabled ? (configuration.startSize ?? minimumSize) : fullSize
        precondition(
            start >= 1 && start <= fullSize, "Curriculum: start size \(start) outside 1...\(fullSize)")
        self.configuration = configuration
        self.fullSize = fullSize
        self.size = start
    }

    /// Takes one generation's agreement; grows the size by one when the average passes the
    /// threshold after enough generations.
    ///
    /// - Returns: whether the size grew.
    @discardableResult
    public mutating func record(agreement: Double) -> Bool {
        generationsAtSize += 1
        averageAgreement += (agreement - averageAgreement) / Double(min(generationsAtSize, configuration.horizon))
        guard configuration.enabled, size < fullSize, generationsAtSize >= configuration.minimumGenerations,
            averageAgreement > configuration.threshold
        else { return false }
        size += 1
        generationsAtSize = 0  // the next generation's weight is 1: the average restarts at the new size
        return true
    }
}
