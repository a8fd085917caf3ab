import Distillation
import Foundation
import NeuralNetworks
import Store

/// Where `ida eval --checkpoint C` finds its model X.
///
/// C is either a stored run id, whose newest checkpoint's teacher (the EMA model that is X) is
/// used — for a group run, its IA run of the instances' task — or the path of a file that holds
/// an answerer checkpoint (`Documentation/CheckpointFormat.md`, as `Answerer.checkpoint().serialized()`
/// writes it) or a whole training state (a checkpoint payload from the store).
public struct CheckpointSource {
    /// Who the model is, for the output: `run r-… step 300` or the file path.
    public var description: String
    /// The task the model was trained on, when known (stored runs).
    public var taskName: String?
    public var model: Answerer

    /// Resolves `reference` for instances of `taskName`.
    ///
    /// - Throws: `StoreError.runNotFound`, ``ApplicationError/noCheckpoint(run:)``,
    ///   `ApplicationError.incompatibleCheckpoint`, `CheckpointError` for a damaged file.
    public static func resolve(_ reference: String, taskName: String, store: () throws -> any RunStore) throws -> CheckpointSource {
        // A file is read without calling `store`: whatever its bytes, loading them cannot reach
        // the database (EvalCommandTests shows it for a damaged file).
        if FileManager.default.fileExists(atPath: reference) { return try file(reference) }
        let runStore = try store()
        var run = try runStore.run(id: reference)
        if run.kind == .group {
            let children = try runStore.children(of: run.id).filter { $0.kind == .ia || $0.kind == .rlhf }
            guard let child = children.first(where: { $0.task == taskName }) ?? children.first else {
                throw ApplicationError.noCheckpoint(run: run.id)
            }
            run = child
        }
        guard let checkpoint = try runStore.latestCheckpoint(run: run.id) else { throw ApplicationError.noCheckpoint(run: run.id) }
        if run.kind == .rlhf {
            guard let state = try? PreferenceLearner.State(bytes: checkpoint.payload),
                let policy = try? Answerer(checkpoint: Checkpoint(bytes: [UInt8](state.policy)))
            else {
                throw ApplicationError.incompatibleCheckpoint("run \(run.id) step \(checkpoint.step) is not an RL state this ida reads")
            }
            return CheckpointSource(
                description: "run \(run.id) (\(run.kind.rawValue), \(run.task), \(run.preset)) step \(checkpoint.step)",
                taskName: run.task, model: policy)
        }
        let state = try state(checkpoint.payload, name: "run \(run.id) step \(checkpoint.step)")
        return CheckpointSource(
            description: "run \(run.id) (\(run.kind.rawValue), \(run.task), \(run.preset)) step \(checkpoint.step)",
            taskName: run.task, model: try teacher(of: state, name: "run \(run.id)"))
    }

    /// The model in the file at `path`: an answerer checkpoint or a whole training state.
    public static func file(_ path: String) throws -> CheckpointSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ApplicationError.unreadableFile(path: path, problem: "cannot be read")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: Checkpoint.magic) {
            return CheckpointSource(description: path, taskName: nil, model: try Answerer(checkpoint: Checkpoint(bytes: bytes)))
        }
        let state = try state(bytes, name: path)
        return CheckpointSource(description: path, taskName: state.taskName, model: try teacher(of: state, name: path))
    }

    static func state(_ bytes: [UInt8], name: String) throws -> TrainingState {
        do {
            return try TrainingState(bytes: bytes)
        } catch {
            throw ApplicationError.incompatibleCheckpoint(
                "\(name) is neither an answerer checkpoint nor a training state this ida reads")
        }
    }

    static func teacher(of state: TrainingState, name: String) throws -> Answerer {
        do {
            return try Answerer(checkpoint: Checkpoint(bytes: [UInt8](state.teacher)))
        } catch {
            throw ApplicationError.incompatibleCheckpoint("\(name): its model does not load (\(error))")
        }
    }
}
