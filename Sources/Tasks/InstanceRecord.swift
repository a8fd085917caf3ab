/// One line of an instance file: the task and its parameters, one instance, and optionally the
/// ground-truth answers and depths of its questions.
public struct InstanceRecord: Hashable, Sendable {
    public var configuration: TaskConfiguration
    public var instance: TaskInstance
    /// One answer per question, when known.
    public var answers: [Tokens]?
    /// One depth per question, when known.
    public var depths: [Int]?

    public init(configuration: TaskConfiguration, instance: TaskInstance, answers: [Tokens]? = nil, depths: [Int]? = nil) {
        self.configuration = configuration
        self.instance = instance
        self.answers = answers
        self.depths = depths
    }

    /// `instance` with the ground-truth answers and the depths of its questions.
    public static func labelled(_ instance: TaskInstance, configuration: TaskConfiguration) -> InstanceRecord {
        let task = configuration.makeTask()
        let oracle = task.oracle(for: instance)
        return InstanceRecord(
            configuration: configuration, instance: instance,
            answers: instance.questions.map(oracle.groundTruth), depths: instance.questions.map(oracle.depth(of:)))
    }
}
