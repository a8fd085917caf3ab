import TensorCore

/// The EMA teacher's update: a running mean of the student's parameters that becomes an
/// exponential moving average with horizon `horizon` (reference §4.2, item 4).
///
/// After student step t: `teacher ← teacher + (student − teacher) / min(t, horizon)`. So the first
/// update copies the student, until `horizon` the teacher is the exact mean of all students seen,
/// and afterwards an exponential average with decay `1 − 1/horizon`.
///
/// ```swift
/// var average = ParameterAverage(horizon: 100)
/// average.update(average: teacher.parameters(), toward: student.parameters())
/// ```
public struct ParameterAverage: Codable, Sendable, Equatable {
    /// The averaging horizon. The paper uses 1000; CPU runs of a few thousand steps use 50–200.
    public var horizon: Int
    /// Updates applied so far (t).
    public private(set) var updateCount: Int

    public init(horizon: Int, updateCount: Int = 0) {
        precondition(horizon >= 1, "ParameterAverage: horizon must be ≥ 1, got \(horizon)")
        self.horizon = horizon
        self.updateCount = updateCount
    }

    /// The weight of the newest student in the next update: 1 / min(t + 1, horizon).
    public var nextWeight: Float { 1 / Float(min(updateCount + 1, horizon)) }

    /// Moves every `average` tensor toward the `student` tensor with the same key.
    ///
    /// - Precondition: both lists have the same keys in the same order and equal shapes.
    public mutating func update(
        average: [(key: String, tensor: Tensor)], toward student: [(key: String, tensor: Tensor)]
    ) {
        precondition(
            average.count == student.count && zip(average, student).allSatisfy { $0.key == $1.key },
            "ParameterAverage.update: key lists differ (\(average.count) vs \(student.count) parameters)")
        let weight = nextWeight
        updateCount += 1
        for (teacher, source) in zip(average, student) {
            precondition(
                teacher.tensor.shape == source.tensor.shape,
                "ParameterAverage.update: \(teacher.key) has shape \(teacher.tensor.shape) vs \(source.tensor.shape)")
            // Safe: equal shapes (precondition above), so both buffers have teacherValues.count elements.
            source.tensor.withUnsafeMutableBuffer { studentValues in
                teacher.tensor.withUnsafeMutableBuffer { teacherValues in
                    for i in 0..<teacherValues.count {
                        teacherValues[i] += (studentValues[i] - teacherValues[i]) * weight
                    }
                }
            }
        }
    }
}
