#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Distillation
import Foundation
import NeuralNetworks
import Store
import Tasks
import TensorCore

/// Where an IA run's targets grow.
public enum TargetPlace: String, Codable, Sendable, CaseIterable {
    /// In the trainer's process, between its steps.
    case trainer
    /// In `ida worker`s on any machines that reach the run's PostgreSQL database
    /// (``SharedTargets``); the trainer waits for each generation's reply.
    case workers
}

/// IA's targets grown by workers sharing the run: each generation is one work item of the IA
/// run, its request the generation's instances and the teacher's weights; a worker claims it,
/// grows the targets exactly as the trainer would (``TargetAmplification``, the scripted
/// expert, the teacher decoding as the run's configuration says) and completes the item with
/// them; the trainer, the run's single leader, consumes the reply.
///
/// Generations stay in lock step: the trainer waits for each reply before its next step, so a run
/// whose targets grow on workers takes the steps, and reaches the numbers, of a run that grows them
/// itself. Workers killed mid-item lose only that item, claimed again once its lease runs out,
/// and a late worker's reply is refused (``WorkQueue``'s fencing).
public final class SharedTargets: TargetAmplifier {
    /// What a worker needs for one generation: the request, and the teacher's weights
    /// (``NeuralNetworks/Checkpoint`` bytes), which change with every step.
    ///
    /// Stored as the request's JSON after its length (8 bytes, little-endian), then the weights as
    /// they are: a megabyte of weights as base64 inside JSON cost a third more room and most of a
    /// generation's round trip.
    struct Item: Equatable {
        var request: TargetRequest
        var teacher: Data

        var bytes: Data {
            get throws {
                let json = try JSONEncoder().encode(request)
                var data = Data(capacity: 8 + json.count + teacher.count)
                withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
                data.append(json)
                data.append(teacher)
                return data
            }
        }

        /// - Throws: `DecodingError` for bytes not made by ``bytes``.
        init(bytes: Data) throws {
            let corrupt = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a generation's request"))
            guard bytes.count >= 8 else { throw corrupt }
            let length = bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            guard length <= UInt64(bytes.count - 8) else { throw corrupt }
            let start = bytes.startIndex + 8
            request = try JSONDecoder().decode(TargetRequest.self, from: bytes[start..<(start + Int(length))])
            teacher = Data(bytes[(start + Int(length))...])
        }

        init(request: TargetRequest, teacher: Data) {
            self.request = request
            self.teacher = teacher
        }
    }

    /// The IA run whose items the generations are.
    public let run: String
    private let replies: PendingReplies

    /// The first generation ends the items an earlier trainer of `run` left and is numbered after
    /// them (``PendingReplies``).
    ///
    /// - Parameters:
    ///   - pollSeconds: how long the trainer waits for a notification before looking for the reply
    ///     again.
    ///   - waiting: told when a generation has waited `waitNoteSeconds`, and as often again after
    ///     that, how long it has (a trainer whose workers are all gone would otherwise wait in
    ///     silence).
    public init(
        store: any RunStore & WorkQueue, run: String, pollSeconds: Double = 1, waitNoteSeconds: Double = 15,
        waiting: @escaping @Sendable (_ item: Int, _ seconds: Double) async -> Void = { _, _ in }
    ) {
        self.run = run
        replies = PendingReplies(
            store: store, kind: .targets, pollSeconds: pollSeconds, waitNoteSeconds: waitNoteSeconds,
            waiting: { item, _, seconds in await waiting(item, seconds) })
    }

    public func amplify(_ request: TargetRequest, teacher: Answerer) async throws -> TargetReply {
        let payload = try Item(request: request, teacher: Data(teacher.checkpoint().serialized())).bytes
        let bytes = try await replies.reply(run: run, request: payload)
        do {
            return try JSONDecoder().decode(TargetReply.self, from: bytes)
        } catch {
            throw DistillationError.invalidTargets("a generation's reply does not decode")
        }
    }

    /// A worker's side: the reply to one item of IA run `run`, as ``TargetAmplification`` grows it
    /// in the trainer. BLAS runs on one thread, as in the trainer.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` for a run or item this ida
    ///   cannot read; what the amplification throws.
    static func reply(to payload: Data, of run: RunRecord) async throws -> Data {
        guard run.kind == .ia else {
            throw ApplicationError.unreadableRun(run: run.id, problem: "its work items are not IA targets")
        }
        let item: Item
        let configuration: DistillationConfiguration
        do {
            item = try Item(bytes: payload)
            configuration = try JSONDecoder().decode(DistillationConfiguration.self, from: Data(run.configuration.utf8))
        } catch {
            throw ApplicationError.unreadableRun(run: run.id, problem: "its targets' request is not one this ida reads")
        }
        let task = try TaskCatalog.task(named: run.task, preset: run.preset)
        let teacher: Answerer
        do {
            teacher = try Answerer(checkpoint: Checkpoint(bytes: Array(item.teacher)))
        } catch {
            throw ApplicationError.unreadableRun(run: run.id, problem: "its teacher's weights do not read: \(error)")
        }
        guard teacher.dimensions == Distiller.dimensions(of: task) else {
            throw ApplicationError.unreadableRun(run: run.id, problem: "its teacher was made for another task's sizes")
        }
        BLAS.threadCount = 1
        let reply = try await TargetAmplification.amplify(
            item.request, task: task, teacher: teacher, configuration: configuration, supervisor: ScriptedExpert(task: task))
        return try JSONEncoder().encode(reply)
    }
}
