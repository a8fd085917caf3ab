import Foundation

/// Runs `body` on a thread of its own and returns what it returns or throws.
///
/// For work that blocks while it waits (a child process, a paced sleep, a blocking read): Swift
/// Testing runs its test cases on Swift's cooperative threads, one per core, two on CI's machine
/// (and by default twice as many cases at once as cores; `scripts/test` runs as many as cores);
/// a case blocked on one of them stalls the others and the tasks they wait for, whose time limits
/// then run out while they wait. A thread of its own keeps the pace too: an awaited sleep on a
/// busy pool wakes late.
///
/// `body` need not be `Sendable`: the caller waits for it and touches nothing it captured until
/// it has returned.
public func onOwnThread<T>(_ body: @escaping () throws -> T) async throws -> T {
    let work = Unchecked(body)
    let result = await withCheckedContinuation { (done: CheckedContinuation<Unchecked<Result<T, any Error>>, Never>) in
        let thread = Thread { done.resume(returning: Unchecked(Result { try work.value() })) }
        thread.start()
    }
    return try result.value.get()
}

extension Process {
    /// Waits until the child has exited, on a thread of its own (``onOwnThread(_:)``).
    public func exited() async {
        _ = try? await onOwnThread { self.waitUntilExit() }  // waiting throws nothing
    }

    /// Sends `signal` to the child as soon as `ready()` holds, checking every 50 ms on a thread of
    /// its own (``onOwnThread(_:)``); false, with nothing sent, if the child exits first or
    /// `seconds` pass.
    ///
    /// For a test that must stop a child part-way through: a check that awaits between its polls
    /// can resume late on a busy cooperative pool, after a short child has already finished.
    public func signal(_ signal: Int32, when ready: @escaping () -> Bool, seconds: Double = 300) async -> Bool {
        let sent = try? await onOwnThread {
            let deadline = Date().addingTimeInterval(seconds)
            while self.isRunning && Date() < deadline {
                if ready() { return kill(self.processIdentifier, signal) == 0 }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        return sent ?? false
    }
}

/// A value handed to another thread while its owner waits for that thread to finish.
private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
