import Dispatch
import Foundation
import Store
import Synchronization

/// Ctrl-C (SIGINT) or SIGTERM during `ida run`: marks the group run and its unfinished runs
/// `interrupted`, says how to continue, and exits with status 130. What was committed stays;
/// `--resume` continues from the newest checkpoints. (`kill -9` cannot be caught: the runs stay
/// `running`, and `--resume` continues them just the same.)
final class Interruption: @unchecked Sendable {
    // Safe: the dispatch sources (not Sendable) are created in `init`, never changed and only
    // retained here; the group is behind a Mutex.
    private let group = Mutex<(store: any RunStore, id: String)?>(nil)
    private let sources: [any DispatchSourceSignal]

    /// Starts listening for SIGINT and SIGTERM.
    init() {
        let queue = DispatchQueue(label: "ida.interruption")
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: signalNumber, queue: queue))
        }
        self.sources = sources
        for source in sources {
            source.setEventHandler { [weak self] in self?.interrupt() }
            source.resume()
        }
    }

    /// The group run to mark when interrupted.
    func watch(store: any RunStore, group id: String) {
        group.withLock { $0 = (store, id) }
    }

    private func interrupt() {
        var message = "\ninterrupted"
        if let (store, id) = group.withLock({ $0 }) {
            let now = Date()
            let children = (try? store.children(of: id)) ?? []
            for run in children where run.status == .running {
                _ = try? store.updateRun(run.id, status: .interrupted, updatedAt: now)
            }
            _ = try? store.updateRun(id, status: .interrupted, updatedAt: now)
            message += "; continue with `ida run --resume \(id)` (add the same --db)"
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        // `_exit`, not `exit`: the training threads are still inside OpenBLAS, and `exit` runs
        // its exit handlers, which free the buffers those threads use (a crash at exit under
        // ThreadSanitizer). What must survive is committed to the database already; flush stdio.
        fflush(nil)
        _exit(130)
    }
}
