import Application
import Asker
import Distillation
import Foundation

/// A training whose H′ learns from people (`ida run`'s job with supervisor `people`), as the
/// server hosts it: its sides' progress for the run page, and its pause. While its run is paused
/// each side waits at its next event, so no training step, evaluation or demonstration starts.
actor HostedTraining: TrainingProgress {
    let desk: PersonDesk
    let run: PersonSupervisor.RunName
    private(set) var sides: [SideProgress] = []
    /// Why the training ended early, when it did (shown on its page).
    private(set) var failure: String?

    init(desk: PersonDesk, run: PersonSupervisor.RunName) {
        self.desk = desk
        self.run = run
    }

    /// The supervisor of each batch of H′'s demonstrations: the people at the desk, the batch's
    /// workspaces numbered after the earlier batches'.
    nonisolated var demonstrator: AskerLoop.Demonstrator {
        let (desk, run) = (desk, run)
        return { before in PersonSupervisor(desk: desk, run: run, ordinalOffset: before, journaled: false) }
    }

    func begin(task: String, sides: [SideProgress]) {
        self.sides = sides
    }

    func note(_ text: String) {}

    func update(_ label: String, _ event: TrainingEvent) async {
        if let index = sides.firstIndex(where: { $0.label == label }) { _ = sides[index].apply(event) }
        while let id = run.id, await desk.isPaused(id), !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func finish(_ label: String) {
        if let index = sides.firstIndex(where: { $0.label == label }) { sides[index].finished = true }
    }

    func end() {}

    func failed(_ error: any Error) {
        failure = error is CancellationError ? nil : "\(error)"
    }
}
