import Amplification
import Asker
import NeuralNetworks
import SeededRandom
import TensorCore
import Tasks

extension Distiller {
    /// Makes `count` instances of `size` with targets and puts them in the buffer.
    ///
    /// IA: targets are Amp(H, X_teacher) answers, the amplifier forbidding ground truth, and the
    /// fresh contexts' ledger must read zero afterwards (leaf lookups do not touch it). Baseline:
    /// targets are ground truth through the same counted door, one label per target. Then the
    /// teacher answers the same questions; its agreement with the targets drives the curriculum.
    func generate(
        count: Int, size: Int, updatesCurriculum: Bool, _ onEvent: (TrainingEvent) async throws -> Void
    ) async throws {
        let instances = (0..<count).map { _ in task.makeInstance(size: size, using: &dataRandom) }
        let request = TargetRequest(instances: instances, querySeed: dataRandom.next())
        let queries = request.queries
        let contexts = InstanceContext.contexts(for: instances, task: task)
        var cost = AmplificationCounters()
        let answers: [Tokens]
        switch targets {
        case .amplification:
            let reply: TargetReply
            if let asker {
                // H′ catches up with X (demonstrations owed, H′ steps), then makes the targets, handing
                // the expert the actions it is unsure of.
                let update = try await asker.update(
                    answererStep: counters.steps,
                    assistant: NeuralAssistant(model: teacher, mode: configuration.assistantDecoding), instanceSize: size)
                counters.expertCalls += update.expertCalls
                reply = try await TargetAmplification.amplify(
                    request, task: task, teacher: teacher, configuration: configuration, supervisor: asker.supervisor)
                counters.expertCalls += asker.recordDeferredCalls()
            } else if let targetAmplifier {
                reply = try await targetAmplifier.amplify(request, teacher: teacher)
                // Checked here too: the reply came from elsewhere.
                try reply.checkNoGroundTruth()
                guard reply.answers.count == queries.count else {
                    throw DistillationError.invalidTargets(
                        "\(reply.answers.count) answers to \(queries.count) questions")
                }
            } else {
                reply = try await TargetAmplification.amplify(
                    request, task: task, teacher: teacher, configuration: configuration, supervisor: ScriptedExpert(task: task))
            }
            answers = reply.answers
            cost = reply.counters
        case .groundTruth:
            answers = try await GroundTruthAssistant().answer(queries, contexts: contexts).map(\.tokens)
            counters.groundTruthLabels += contexts.first?.groundTruthAnswersConsumed ?? 0
        }
        counters.amplification += cost
        if asker == nil, targets == .amplification { counters.expertCalls += cost.supervisorActions }

        let own = NeuralAssistant(model: teacher, mode: configuration.assistantDecoding).answers(to: queries, contexts: contexts)
        var agreeing = 0
        for (mine, target) in zip(own, answers) where mine == target && mine.contains(where: { $0 != 0 }) {
            agreeing += 1
        }
        let agreement = queries.isEmpty ? 0 : Double(agreeing) / Double(queries.count)
        if updatesCurriculum { curriculum.record(agreement: agreement) }

        var offset = 0
        for instance in instances {
            let targets = Array(answers[offset..<(offset + instance.questions.count)])
            offset += instance.questions.count
            buffer.insert(TrainingExample(facts: instance.facts, questions: instance.questions, targets: targets))
        }
        generationCount += 1
        counters.instancesGenerated += count
        counters.targetsGenerated += queries.count
        try await onEvent(
            .generation(
                GenerationMetrics(
                    step: counters.steps, instanceCount: count, questionCount: queries.count, instanceSize: size,
                    agreement: agreement, averageAgreement: curriculum.averageAgreement, nextSize: curriculum.size,
                    counters: cost, expertCalls: counters.expertCalls)))
    }

    /// One Adam step on a batch drawn from the buffer, then the EMA update of the teacher.
    func trainStep(round: Int?, _ onEvent: (TrainingEvent) async throws -> Void) async throws {
        let drawn = buffer.sample(configuration.batchSize, using: &batchRandom)
        let batch = AnswererBatch.padded(
            facts: drawn.map(\.facts), questions: drawn.map(\.questions), targets: drawn.map(\.targets),
            factCount: max(1, drawn.map { $0.facts.count }.max() ?? 1), questionCount: drawn.map { $0.questions.count }.max() ?? 0,
            dimensions: student.dimensions)
        let lossValue = Double(trainer.step(batch))
        teacherAverage.update(average: teacher.parameters(), toward: student.parameters())
        counters.steps += 1
        counters.examples += drawn.reduce(0) { $0 + $1.questions.count }
        try await onEvent(
            .step(
                StepMetrics(
                    step: counters.steps, totalSteps: totalSteps, loss: lossValue, examples: counters.examples,
                    curriculumSize: schedule == .rounds ? task.size : curriculum.size, round: round)))
    }

    /// Evaluates the teacher on the held-out set, records and reports it.
    @discardableResult
    func evaluate(round: Int?, _ onEvent: (TrainingEvent) async throws -> Void) async throws -> EvaluationReport {
        var report = try await evaluateTeacher(round: round)
        report.askerAccuracy = try await evaluateAsker()
        evaluations.append(report)
        try await onEvent(.evaluation(report))
        return report
    }

    /// The held-out evaluation of the current teacher (nothing recorded).
    public func evaluateTeacher(round: Int? = nil) async throws -> EvaluationReport {
        guard let evaluator else {
            return EvaluationReport(step: counters.steps, round: round, instanceSize: task.size, depths: [])
        }
        return try await evaluator.evaluate(
            model: teacher, amplified: configuration.evaluation.amplified,
            amplifierDecoding: configuration.assistantDecoding, budget: configuration.amplificationBudget,
            step: counters.steps, round: round)
    }

    /// H′'s action accuracy on held-out expert transcripts of the evaluator's instances (nil
    /// without H′ or without evaluation). The transcripts are made once, from the run's seed.
    func evaluateAsker() async throws -> ActionAccuracy? {
        guard let asker, let evaluator else { return nil }
        if askerHeldOut == nil {
            askerHeldOut = try await AskerLoop.heldOutTranscripts(
                task: task, instances: evaluator.instances, budget: configuration.amplificationBudget,
                seed: SplitMix64(seed: seed).split(stream: 5).state)
        }
        return asker.accuracy(on: askerHeldOut ?? [])
    }

    /// The held-out set: full-size instances from the evaluation's own stream; `nil` when
    /// evaluation is off (`instanceCount == 0`).
    func makeEvaluator() -> Evaluator? {
        let count = configuration.evaluation.instanceCount
        guard count > 0 else { return nil }
        var rng = SplitMix64(seed: seed).split(stream: configuration.evaluation.seedStream)
        return Evaluator(task: task, heldOutCount: count, rng: &rng)
    }
}
