/// One value of a named metric series at a training step: a row of the `metric` table.
///
/// Names are free-form (`loss`, `accuracy`, `curriculumSize`, `examplesPerSecond`, …). A value
/// may be any Double and reads back bit for bit, with two exceptions: NaN is stored as SQL NULL
/// and read back as the default NaN, and -0.0 reads back as 0.0 (SQLite stores it as integer 0).
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
