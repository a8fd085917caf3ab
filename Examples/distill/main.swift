// distill: runs one IA (or supervised) distillation headless and prints its events as lines.
//
//   swift run -c release distill [task] [preset] [amplification|groundTruth] [continuous|rounds] [seed] [steps]
//
// A development driver for the Distillation library; `ida run` is the real front end.
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import Asker
import Distillation
import Tasks

let arguments = CommandLine.arguments
let taskName = arguments.count > 1 ? arguments[1] : "permutation"
let preset = arguments.count > 2 ? arguments[2] : "small"
let targets = arguments.count > 3 ? TargetSource(rawValue: arguments[3]) ?? .amplification : .amplification
let schedule = arguments.count > 4 ? TrainingSchedule(rawValue: arguments[4]) ?? .continuous : .continuous
let seed = arguments.count > 5 ? UInt64(arguments[5]) ?? 1 : 1

do {
    let task = try TaskCatalog.task(named: taskName, preset: preset)
    var configuration = DistillationConfiguration.preset(named: preset, task: taskName) ?? .small
    if arguments.count > 6, let steps = Int(arguments[6]) { configuration.steps = steps }
    for option in arguments.dropFirst(7) {
        let parts = option.split(separator: "=").map(String.init)
        guard parts.count == 2, let value = Double(parts[1]) else { continue }
        switch parts[0] {
        case "lr": configuration.optimizer.learningRate = Float(value)
        case "batch": configuration.batchSize = Int(value)
        case "horizon": configuration.teacherHorizon = Int(value)
        case "curriculum": configuration.curriculum.enabled = value != 0
        case "threshold": configuration.curriculum.threshold = value
        case "d": configuration.answerer.modelDimension = Int(value)
        case "e": configuration.answerer.tokenEmbeddingDimension = Int(value)
        case "factLayers": configuration.answerer.factLayerCount = Int(value)
        case "questionLayers": configuration.answerer.questionLayerCount = Int(value)
        case "heads": configuration.answerer.headCount = Int(value)
        case "interval": configuration.generationInterval = Int(value)
        case "perGeneration": configuration.instancesPerGeneration = Int(value)
        case "capacity": configuration.bufferCapacity = Int(value)
        case "eval": configuration.evaluation.interval = Int(value)
        case "minGenerations": configuration.curriculum.minimumGenerations = Int(value)
        case "start": configuration.curriculum.startSize = Int(value)
        case "greedy": configuration.assistantDecoding = value != 0 ? .greedy : .sampled
        case "rounds": configuration.rounds.roundCount = Int(value)
        case "roundSteps": configuration.rounds.stepsPerRound = Int(value)
        case "roundInstances": configuration.rounds.instancesPerRound = Int(value)
        case "asker": configuration.asker = value != 0 ? .small : nil
        case "askerLead": configuration.asker?.leadSteps = Int(value)
        case "askerBatch": configuration.asker?.training.batchSize = Int(value)
        case "askerRatio": configuration.asker?.stepsPerAnswererStep = value
        case "askerPause": configuration.asker?.pauseLoss = value > 0 ? value : nil
        case "askerDefer": configuration.asker?.deferralProbability = value > 0 ? value : nil
        default: print("unknown option \(parts[0])")
        }
    }
    print("configuration: \(configuration)")
    let distiller = try Distiller(task: task, configuration: configuration, targets: targets, schedule: schedule, seed: seed)
    let start = Date()
    func elapsed() -> String { String(format: "%.1fs", Date().timeIntervalSince(start)) }
    func percent(_ x: Double) -> String { String(format: "%.1f", 100 * x) }
    let report = try await distiller.run { event in
        switch event {
        case .step(let s):
            if s.step % 100 == 0 {
                print("step \(s.step)/\(s.totalSteps) loss \(String(format: "%.4f", s.loss)) size \(s.curriculumSize) \(elapsed())")
            }
        case .generation(let g):
            if g.nextSize != g.instanceSize { print("curriculum -> size \(g.nextSize) at step \(g.step) (agreement \(percent(g.averageAgreement)))") }
        case .evaluation(let e):
            let depths = e.depths.map { d in
                "d\(d.depth):\(percent(d.modelAccuracy))/\(percent(d.modelGreedyAccuracy))/\(d.amplifiedAccuracy.map(percent) ?? "-")(\(d.questionCount))"
            }.joined(separator: " ")
            print("eval step \(e.step): X \(percent(e.modelAccuracy)) greedy \(percent(e.modelGreedyAccuracy)) Amp \(e.amplifiedAccuracy.map(percent) ?? "-") | \(depths) \(elapsed())")
        case .checkpoint:
            break
        case .roundEnd(let r):
            print("round \(r.round): frontier X \(r.frontier) Amp \(r.amplifiedFrontier.map(String.init) ?? "-")")
        }
    }
    let c = report.counters
    if let asker = distiller.asker {
        let accuracy = asker.latestAccuracy.map { "subQ \(percent($0.subquestions)) answers \(percent($0.answers))" } ?? "-"
        print("asker: demonstrations \(asker.schedule.generated) rate \(asker.schedule.rate) H′ steps \(asker.trainer.stepCount) fresh accuracy \(accuracy)")
    }
    print("expert calls \(c.expertCalls)")
    print("done \(taskName) \(targets.rawValue): X \(percent(report.evaluation.modelAccuracy)) greedy \(percent(report.evaluation.modelGreedyAccuracy)) steps \(c.steps) examples \(c.examples) actions \(c.amplification.supervisorActions) leaves \(c.amplification.leafLookups) labels \(c.groundTruthLabels) size \(report.finalCurriculumSize) wall \(elapsed())")
} catch {
    print("error: \(error)")
    exit(1)
}
