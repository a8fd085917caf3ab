/// The preconditions every ``RunStore`` checks before it writes, and the order it reads a tree
/// in: one copy, so that the SQLite and the PostgreSQL store refuse and return the same things.
///
/// A violated precondition is a programmer error and traps with a message naming the method and
/// the field. Text may not contain U+0000: SQLite's C API would silently cut it there, and
/// PostgreSQL refuses it.
package enum StoreRequirements {
    package static func requireNoNUL(_ text: String, _ what: @autoclosure () -> String) {
        precondition(!text.utf8.contains(0), "\(what()) contains a NUL character, which the database would cut off or refuse")
    }

    package static func validate(_ new: NewRun) {
        for (text, field) in [
            (new.task, "task"), (new.preset, "preset"), (new.schedule, "schedule"),
            (new.configuration, "configuration"),
        ] {
            requireNoNUL(text, "createRun: \(field)")
        }
    }

    package static func validateUpdate(wallSeconds: Double?, report: String?) {
        if let wallSeconds {
            precondition(
                wallSeconds.isFinite && wallSeconds >= 0,
                "updateRun: wallSeconds must be finite and >= 0, got \(wallSeconds)")
        }
        if let report { requireNoNUL(report, "updateRun: report") }
    }

    package static func validateProgress(wallSeconds: Double) {
        precondition(
            wallSeconds.isFinite && wallSeconds >= 0,
            "recordProgress: wallSeconds must be finite and >= 0, got \(wallSeconds)")
    }

    package static func validate(_ samples: [MetricSample]) {
        for sample in samples {
            precondition(
                sample.step >= 0,
                "appendMetrics: step must be >= 0, got \(sample.step) for \(sample.name)")
            precondition(
                !sample.name.isEmpty, "appendMetrics: metric name is empty at step \(sample.step)")
            requireNoNUL(sample.name, "appendMetrics: metric name")
        }
    }

    package static func validate(_ records: [EvaluationRecord]) {
        for record in records {
            precondition(
                record.step >= 0 && record.depth >= 0,
                "recordEvaluations: step and depth must be >= 0, got step \(record.step), depth \(record.depth)"
            )
            precondition(
                !record.model.rawValue.isEmpty,
                "recordEvaluations: model name is empty at step \(record.step)")
            requireNoNUL(record.model.rawValue, "recordEvaluations: model name")
            precondition(
                record.count >= 0 && record.correct >= 0 && record.correct <= record.count,
                "recordEvaluations: need 0 <= correct <= count, got correct \(record.correct), count \(record.count)"
            )
        }
    }

    package static func validate(_ traces: [TraceRecord]) {
        for trace in traces {
            precondition(trace.step >= 0, "recordTraces: step must be >= 0, got \(trace.step)")
            requireNoNUL(trace.task, "recordTraces: task")
            requireNoNUL(trace.question, "recordTraces: question")
            requireNoNUL(trace.trace, "recordTraces: trace")
        }
    }

    package static func validate(_ checkpoint: CheckpointRecord) {
        precondition(
            checkpoint.step >= 0, "saveCheckpoint: step must be >= 0, got \(checkpoint.step)")
        precondition(
            checkpoint.formatVersion >= 1,
            "saveCheckpoint: formatVersion must be >= 1, got \(checkpoint.formatVersion)")
        requireNoNUL(checkpoint.trainerState, "saveCheckpoint: trainerState")
    }

    package static func validate(_ counters: RunCounters) {
        precondition(counters.counts.values.allSatisfy { $0 >= 0 }, "saveCounters: counts must be >= 0, got \(counters)")
        for name in counters.counts.keys { requireNoNUL(name, "saveCounters: count name") }
        for accuracy in [counters.askerSubquestionAccuracy, counters.askerAnswerAccuracy].compactMap({ $0 }) {
            precondition((0...1).contains(accuracy), "saveCounters: accuracies must be in 0...1, got \(counters)")
        }
    }

    package static func validate(_ batch: RunBatch) {
        validate(batch.metrics)
        validate(batch.evaluations)
        validate(batch.traces)
        if let checkpoint = batch.checkpoint { validate(checkpoint) }
        if let counters = batch.counters { validate(counters) }
    }

    package static func validate(_ records: [WorkspaceRecord], report: String?) {
        if let report { requireNoNUL(report, "recordWorkspaces: report") }
        for record in records {
            precondition(!record.id.isEmpty, "recordWorkspaces: empty workspace id")
            precondition(
                record.depth >= 0 && record.context >= 0,
                "recordWorkspaces: depth \(record.depth) and context \(record.context) must be >= 0")
            for (text, what) in [
                (record.id, "id"), (record.parentID ?? "", "parentID"), (record.question, "question"),
                (record.answer ?? "", "answer"), (record.answeredBy ?? "", "answeredBy"), (record.detail, "detail"),
            ] {
                requireNoNUL(text, "recordWorkspaces: \(what)")
            }
        }
    }

    package static func validate(_ archive: RunArchive) {
        let run = archive.run
        validate(NewRun(
            kind: run.kind, task: run.task, preset: run.preset, schedule: run.schedule,
            configuration: run.configuration, seed: run.seed, createdAt: run.createdAt, parentID: run.parentID))
        validateUpdate(wallSeconds: run.wallSeconds, report: run.report)
        requireNoNUL(run.id, "importRun: id")
        validate(archive.metrics)
        validate(archive.evaluations)
        validate(archive.traces)
        archive.checkpoints.forEach(validate)
        if let counters = archive.counters { validate(counters) }
        validate(archive.workspaces, report: nil)
    }

    package static func validateUser(_ user: UserRecord) {
        precondition(!user.name.isEmpty, "createUser: the name is empty")
        requireNoNUL(user.name, "createUser: name")
    }

    package static func validateModelReply(_ reply: String, key: String) {
        requireNoNUL(key, "cacheModelReply: key")
        requireNoNUL(reply, "cacheModelReply: reply")
    }

    /// `records` in the tree's order: a parent before its children, siblings as asked (`1.10`
    /// after `1.9`); an id that is not a path sorts last.
    package static func treeOrdered(_ records: [WorkspaceRecord]) -> [WorkspaceRecord] {
        func order(_ id: String) -> [Int] {
            id.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) ?? .max }
        }
        return records.sorted { order($0.id).lexicographicallyPrecedes(order($1.id)) }
    }
}
