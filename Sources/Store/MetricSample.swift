/// One value of a named metric series at a training step: a row of the `metric` table.
///
/// Names are free-form (`loss`, `accuracy`, `curriculumSize`, `examplesPerSecond`, …). A value
/// may be any Double: NaN is stored as SQL NULL and read back as NaN, infinities are kept.
public struct MetricSample: Codable, Sendable, Hashable {
    public var step: Int
    public var name: String
    public var value: Double

    public init(step: Int, name: String, value: Double) {
        self.step = step
        self.name = name
        self.value = value
    }
}
